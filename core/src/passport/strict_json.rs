//! JSON objects read strictly: a member name that appears twice is refused at any
//! depth (RFC 7515 §5.2 step 4 lets a JWS parser refuse them; RFC 8225 PASSporTs
//! must not rely on either reading). serde_json does the parsing; we only watch
//! the member names.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Why a JSON text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrictJsonError {
    /// Not JSON, or not an object at the top.
    Malformed,
    /// A member name appears twice in one object.
    DuplicateMember,
}

struct StrictValue(Value);

const DUPLICATE: &str = "duplicate member";

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(StrictValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let StrictValue(v) = map.next_value()?;
            if out.insert(key, v).is_some() {
                return Err(de::Error::custom(DUPLICATE));
            }
        }
        Ok(Value::Object(out))
    }
}

/// Parse a JSON object, refusing duplicate member names at any depth.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, StrictJsonError> {
    match serde_json::from_slice::<StrictValue>(bytes) {
        Ok(StrictValue(Value::Object(m))) => Ok(m),
        Ok(_) => Err(StrictJsonError::Malformed),
        Err(e) if e.to_string().starts_with(DUPLICATE) => Err(StrictJsonError::DuplicateMember),
        Err(_) => Err(StrictJsonError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_refused_at_any_depth() {
        assert_eq!(
            parse_object(br#"{"a":1,"a":2}"#),
            Err(StrictJsonError::DuplicateMember)
        );
        assert_eq!(
            parse_object(br#"{"o":{"tn":"1","tn":"2"}}"#),
            Err(StrictJsonError::DuplicateMember)
        );
        assert_eq!(
            parse_object(br#"{"l":[{"x":1,"x":1}]}"#),
            Err(StrictJsonError::DuplicateMember)
        );
        assert!(parse_object(br#"{"a":1,"b":{"a":2}}"#).is_ok());
    }

    #[test]
    fn non_objects_refused() {
        assert_eq!(parse_object(b"[1]"), Err(StrictJsonError::Malformed));
        assert_eq!(parse_object(b"{"), Err(StrictJsonError::Malformed));
        assert_eq!(parse_object(b"{} x"), Err(StrictJsonError::Malformed));
    }
}
