//! Query strings and cookies: form-encoding, the list styles, deep objects and cookie values.

use std::fmt::{self, Write as _};

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

/// How a query list is joined into one `name=value` pair. The delimiter itself is written
/// as below; the same character inside a value is percent-encoded, so a server that splits the
/// raw query before decoding it reads each value back exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// `ids=1,2` (OpenAPI `form` without `explode`).
    Comma,
    /// `ids=1%202` (`spaceDelimited`): a space inside a value is sent as `+`.
    Space,
    /// `ids=1|2` (`pipeDelimited`): a `|` inside a value is sent as `%7C`.
    Pipe,
}

impl Delimiter {
    fn text(self) -> &'static str {
        match self {
            Delimiter::Comma => ",",
            Delimiter::Space => "%20",
            Delimiter::Pipe => "|",
        }
    }
}

/// Appends `text` form-encoded (`application/x-www-form-urlencoded`, as URL query pairs are):
/// ASCII letters, digits and `*-._` as they are, a space as `+`, every other byte as `%XX`.
pub(crate) fn form_encode(out: &mut String, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
}

/// Appends `name=value` to an encoded query.
pub(crate) fn push_pair(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    form_encode(query, name);
    query.push('=');
    form_encode(query, value);
}

/// Appends `name=a<delimiter>b`; an empty list adds nothing (as a repeated list does).
pub(crate) fn push_joined<T: fmt::Display>(query: &mut String, name: &str, values: &[T], delimiter: Delimiter) {
    let Some((first, rest)) = values.split_first() else { return };
    push_pair(query, name, &first.to_string());
    for value in rest {
        query.push_str(delimiter.text());
        form_encode(query, &value.to_string());
    }
}

/// Appends `name[key]=value` per member of a map or object of scalars (OpenAPI `deepObject`),
/// in the order the value serializes them (an object's field order, a map's key order). A
/// member that is `null` or left out is not sent; the brackets are sent as they are, a bracket
/// inside a key as `%5B`/`%5D`.
pub(crate) fn push_deep<T: serde::Serialize>(query: &mut String, name: &str, value: &T) -> Result<(), String> {
    let problem = |what: &str| format!("query parameter `{name}`: {what}");
    let json = serde_json::to_vec(value).map_err(|error| problem(&format!("does not serialize: {error}")))?;
    let Members(members) =
        serde_json::from_slice(&json).map_err(|_| problem("is not an object, so it has no `[key]=value` form"))?;
    for (key, member) in members {
        let text = match member {
            serde_json::Value::Null => continue,
            serde_json::Value::String(text) => text,
            serde_json::Value::Bool(value) => value.to_string(),
            serde_json::Value::Number(number) => number.to_string(),
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                return Err(problem(&format!("member `{key}` is not a scalar")));
            }
        };
        if !query.is_empty() {
            query.push('&');
        }
        form_encode(query, name);
        query.push('[');
        form_encode(query, &key);
        query.push_str("]=");
        form_encode(query, &text);
    }
    Ok(())
}

/// The members of a JSON object in the order they were written.
struct Members(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Ordered)
    }
}

/// Appends `name=value` to a `Cookie` header's text (pairs joined by `; `). The value keeps the
/// RFC 6265 cookie-octets as they are (visible ASCII but `"`, `,`, `;`, `\` and `%`); every
/// other byte (space, controls, those five, non-ASCII UTF-8) is sent as `%XX`, so a value can
/// neither end its pair nor break the header, and the server reads it back by percent-decoding.
pub fn push_cookie(cookies: &mut String, name: &str, value: &dyn fmt::Display) {
    if !cookies.is_empty() {
        cookies.push_str("; ");
    }
    cookies.push_str(name);
    cookies.push('=');
    for byte in value.to_string().bytes() {
        match byte {
            0x21..=0x7E if !matches!(byte, b'"' | b',' | b';' | b'\\' | b'%') => cookies.push(char::from(byte)),
            _ => {
                let _ = write!(cookies, "%{byte:02X}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_joined_with_the_delimiter_and_values_keep_theirs_encoded() {
        let mut query = String::new();
        push_joined(&mut query, "ids", &["a,b", "c"], Delimiter::Comma);
        push_joined(&mut query, "s", &["a b", "c"], Delimiter::Space);
        push_joined(&mut query, "p", &["a|b", "c"], Delimiter::Pipe);
        push_joined::<u8>(&mut query, "none", &[], Delimiter::Comma);
        assert_eq!(query, "ids=a%2Cb,c&s=a+b%20c&p=a%7Cb|c");
    }

    #[test]
    fn deep_objects_keep_their_order_and_leave_out_nulls() {
        let mut query = String::from("x=1");
        let value = serde_json::json!({ "b": "x y", "a[": 2, "gone": null, "ok": true });
        push_deep(&mut query, "f", &value).unwrap();
        // serde_json's map sorts keys unless `preserve_order` is on; an object keeps its fields'.
        assert_eq!(query, "x=1&f[a%5B]=2&f[b]=x+y&f[ok]=true");
        assert!(push_deep(&mut query, "f", &serde_json::json!({ "n": [1] })).is_err());
        assert!(push_deep(&mut query, "f", &3).is_err());
    }

    #[test]
    fn cookie_values_escape_what_would_end_a_pair() {
        let mut cookies = String::new();
        push_cookie(&mut cookies, "a", &"x=1; b=2");
        push_cookie(&mut cookies, "c", &"é\"\\,%~");
        assert_eq!(cookies, "a=x=1%3B%20b=2; c=%C3%A9%22%5C%2C%25~");
    }
}
