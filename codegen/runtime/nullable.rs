//! A field that may be left out, sent as `null`, or set: what a PATCH needs to clear a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The value of a field that is both optional and nullable: left out of the JSON (`Absent`, the
/// default), sent as `null` (`Null`, which asks the server to clear it), or set (`Value`).
///
/// A decoded answer tells the three apart too: a missing member is `Absent`, `null` is `Null`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Left out: the field is not sent, and the server keeps what it has.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent as this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the field is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, when set (`None` for both `Absent` and `Null`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, when set, taken out (`None` for both `Absent` and `Null`).
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// A `Nullable` of a reference to the value, keeping which of the three it is.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(value) => Nullable::Value(value),
        }
    }

    /// A `Nullable` of a mutable reference to the value, keeping which of the three it is.
    pub fn as_mut(&mut self) -> Nullable<&mut T> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(value) => Nullable::Value(value),
        }
    }

    /// The value converted by `f`, keeping `Absent` and `Null`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(value) => Nullable::Value(f(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

// The conversions the other setters' `impl Into<T>` offer, which `From<T>` alone cannot give.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Self::Value(value.to_owned())
    }
}

impl<T, const N: usize> From<[T; N]> for Nullable<Vec<T>> {
    fn from(value: [T; N]) -> Self {
        Self::Value(value.into())
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // A field holding `Absent` is skipped (`skip_serializing_if = "Nullable::is_absent"`);
            // written anyway, it can only be `null`.
            Self::Absent | Self::Null => serializer.serialize_none(),
            Self::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// `null` is `Null`; a missing member never reaches here (`#[serde(default)]` makes it `Absent`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Value(value),
            None => Self::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        a: Nullable<i64>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        b: Nullable<i64>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        c: Nullable<String>,
    }

    #[test]
    fn the_three_states_travel_apart() {
        let patch = Patch { a: Nullable::Absent, b: Nullable::Null, c: "x".to_owned().into() };
        let text = serde_json::to_string(&patch).unwrap();
        assert_eq!(text, r#"{"b":null,"c":"x"}"#);
        assert_eq!(serde_json::from_str::<Patch>(&text).unwrap(), patch);
        assert_eq!(patch.c.value().map(String::as_str), Some("x"));
        assert_eq!(patch.b.value(), None);
        assert!(patch.a.is_absent() && patch.b.is_null());
        assert_eq!(Nullable::<i64>::default(), Nullable::Absent);
        assert_eq!(Nullable::from("x"), Nullable::Value("x".to_owned()));
        assert_eq!(Nullable::from([1, 2]), Nullable::Value(vec![1, 2]));
    }

    #[test]
    fn a_wrong_type_is_still_an_error() {
        assert!(serde_json::from_str::<Patch>(r#"{"a":"x"}"#).is_err());
    }
}
