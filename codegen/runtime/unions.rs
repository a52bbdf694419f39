//! What the generated union types share: the tag written once, the tag read, a variant decoded from the value read once.

use serde::de::DeserializeOwned;
use serde::ser::{Error as _, SerializeMap};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// Writes `value` (an object) with `field` set to `tag`, first and exactly once: a variant
/// that declares the discriminator itself has its own value replaced by the tag.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    field: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let object = match serde_json::to_value(value).map_err(S::Error::custom)? {
        Value::Object(object) => object,
        _ => return Err(S::Error::custom(format!("the variant tagged `{tag}` is not a JSON object"))),
    };
    let others = object.iter().filter(|(key, _)| key.as_str() != field);
    let mut map = serializer.serialize_map(Some(1 + others.clone().count()))?;
    map.serialize_entry(field, tag)?;
    for (key, item) in others {
        map.serialize_entry(key, item)?;
    }
    map.end()
}

/// The tag of a decoded value: `field`'s text, if the value is an object with a string there.
pub fn tag_of(value: &Value, field: &str) -> Option<String> {
    value.get(field).and_then(Value::as_str).map(str::to_owned)
}

/// The variant of a tag, decoded from the value already read (no text is parsed again).
pub fn variant<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    T::deserialize(value).map_err(E::custom)
}

/// An untagged union's attempt at one variant: borrowed, so a failed try copies nothing.
pub fn try_variant<'v, T: Deserialize<'v>>(value: &'v Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// A closed tagged union's answer to a tag it does not know (or a missing one).
pub fn unknown_tag<E: serde::de::Error>(union: &str, field: &str, tag: Option<&str>, expected: &[&str]) -> E {
    match tag {
        Some(tag) => E::custom(format!(
            "unknown `{field}` tag `{tag}` of `{union}`, expected one of {}",
            expected.iter().map(|tag| format!("`{tag}`")).collect::<Vec<_>>().join(", ")
        )),
        None => E::custom(format!("`{union}` needs its `{field}` tag (a string)")),
    }
}

/// A closed untagged union's answer to a value none of its variants accepts.
pub fn no_variant<E: serde::de::Error>(union: &str) -> E {
    E::custom(format!("the value is none of the variants of `{union}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Circle {
        kind: String,
        radius: i32,
    }

    #[test]
    fn the_tag_is_written_first_and_once() {
        let circle = Circle { kind: "stale".to_owned(), radius: 2 };
        let mut out = Vec::new();
        serialize_tagged(&mut serde_json::Serializer::new(&mut out), "kind", "circle", &circle).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"kind":"circle","radius":2}"#);
    }

    #[test]
    fn a_variant_decodes_from_the_value() {
        let value: Value = serde_json::from_str(r#"{"kind":"circle","radius":2}"#).unwrap();
        assert_eq!(tag_of(&value, "kind").as_deref(), Some("circle"));
        assert_eq!(try_variant::<i32>(&value), None);
        let circle: Circle = variant::<_, serde_json::Error>(value).unwrap();
        assert_eq!(circle.radius, 2);
    }
}
