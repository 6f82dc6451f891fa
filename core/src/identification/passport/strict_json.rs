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

/// A JSON value read with duplicate member names refused at any depth.
pub(crate) struct StrictValue(pub(crate) Value);

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

/// A member name, borrowed from the input unless it holds escapes.
pub(crate) struct Key<'de>(pub(crate) std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Walks a JSON text without building values, refusing duplicate member names.
pub(crate) struct NoDuplicates;

impl<'de> Deserialize<'de> for NoDuplicates {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDuplicatesVisitor)
            .map(|()| NoDuplicates)
    }
}

struct NoDuplicatesVisitor;

impl<'de> Visitor<'de> for NoDuplicatesVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<NoDuplicates>()?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys: Vec<Key<'de>> = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if keys.iter().any(|k| k.0 == key.0) {
                return Err(de::Error::custom(DUPLICATE));
            }
            keys.push(key);
            map.next_value::<NoDuplicates>()?;
        }
        Ok(())
    }
}

/// Deserialize a JSON object into `T` after checking, without building a value
/// tree, that no object at any depth repeats a member name. This is the per-call
/// path; [`parse_object`] builds the whole tree when a caller needs it.
pub fn parse_strict<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, StrictJsonError> {
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .and_then(|i| bytes.get(i));
    if trimmed != Some(&b'{') {
        return Err(StrictJsonError::Malformed);
    }
    match serde_json::from_slice::<NoDuplicates>(bytes) {
        Ok(NoDuplicates) => {}
        Err(e) if e.to_string().starts_with(DUPLICATE) => {
            return Err(StrictJsonError::DuplicateMember)
        }
        Err(_) => return Err(StrictJsonError::Malformed),
    }
    serde_json::from_slice(bytes).map_err(|_| StrictJsonError::Malformed)
}

/// An object whose members are read in one pass: known members by
/// [`StrictFields::field`], unknown ones skipped (still checked for duplicates).
pub(crate) trait StrictFields: Default {
    /// Read the value of member `name` from `map` if it is known; `Ok(false)`
    /// leaves an unknown member's value unread.
    fn field<'de, A: MapAccess<'de>>(&mut self, name: &str, map: &mut A) -> Result<bool, A::Error>;
}

struct FieldsVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: StrictFields> Visitor<'de> for FieldsVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        let mut keys: Vec<Key<'de>> = Vec::with_capacity(8);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if keys.iter().any(|k| k.0 == key.0) {
                return Err(de::Error::custom(DUPLICATE));
            }
            if !out.field(&key.0, &mut map)? {
                map.next_value::<NoDuplicates>()?;
            }
            keys.push(key);
        }
        Ok(out)
    }
}

/// Read a JSON object into `T` in a single pass, refusing duplicate member names
/// at any depth (the per-call path of `shaken` PASSporTs).
/// A member that is read as the fields `T` when it is an object, and only walked
/// (duplicate names still refused) when it is any other JSON: the caller says
/// what is wrong with it. Nothing is built for what `T` does not keep.
pub(crate) enum Member<T> {
    /// The member is an object.
    Object(T),
    /// The member is not an object (or is `null`).
    Other,
}

impl<'de, T: StrictFields> Deserialize<'de> for Member<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MemberVisitor::<T>(std::marker::PhantomData))
    }
}

struct MemberVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: StrictFields> Visitor<'de> for MemberVisitor<T> {
    type Value = Member<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Member<T>, E> {
        Ok(Member::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Member<T>, E> {
        Ok(Member::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Member<T>, E> {
        Ok(Member::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Member<T>, E> {
        Ok(Member::Other)
    }
    fn visit_str<E>(self, _: &str) -> Result<Member<T>, E> {
        Ok(Member::Other)
    }
    fn visit_unit<E>(self) -> Result<Member<T>, E> {
        Ok(Member::Other)
    }
    fn visit_none<E>(self) -> Result<Member<T>, E> {
        Ok(Member::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Member<T>, A::Error> {
        while seq.next_element::<NoDuplicates>()?.is_some() {}
        Ok(Member::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member<T>, A::Error> {
        FieldsVisitor::<T>(std::marker::PhantomData)
            .visit_map(map)
            .map(Member::Object)
    }
}

pub(crate) fn parse_fields<T: StrictFields>(bytes: &[u8]) -> Result<T, StrictJsonError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let out = match de.deserialize_map(FieldsVisitor::<T>(std::marker::PhantomData)) {
        Ok(v) => v,
        Err(e) if e.to_string().starts_with(DUPLICATE) => {
            return Err(StrictJsonError::DuplicateMember)
        }
        Err(_) => return Err(StrictJsonError::Malformed),
    };
    de.end().map_err(|_| StrictJsonError::Malformed)?;
    Ok(out)
}

/// A member read as a strict value; JSON `null` reads as absent.
pub(crate) fn strict_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Value>, A::Error> {
    Ok(match map.next_value::<StrictValue>()?.0 {
        Value::Null => None,
        v => Some(v),
    })
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
    fn strict_typed_parse_agrees() {
        #[derive(serde::Deserialize)]
        struct T {
            a: Option<Value>,
        }
        assert_eq!(
            parse_strict::<T>(br#"{"a":1,"a":2}"#).err(),
            Some(StrictJsonError::DuplicateMember)
        );
        assert_eq!(
            parse_strict::<T>(br#"{"x":{"k":1,"k":2}}"#).err(),
            Some(StrictJsonError::DuplicateMember)
        );
        assert_eq!(
            parse_strict::<T>(br#"{"a\u0061":1,"aa":2}"#).err(),
            Some(StrictJsonError::DuplicateMember)
        );
        assert_eq!(
            parse_strict::<T>(b"[1]").err(),
            Some(StrictJsonError::Malformed)
        );
        assert_eq!(
            parse_strict::<T>(b"{").err(),
            Some(StrictJsonError::Malformed)
        );
        assert_eq!(
            parse_strict::<T>(br#"{"a":[1,{"b":2}],"c":null}"#)
                .unwrap()
                .a,
            Some(serde_json::json!([1, {"b": 2}]))
        );
    }

    #[test]
    fn non_objects_refused() {
        assert_eq!(parse_object(b"[1]"), Err(StrictJsonError::Malformed));
        assert_eq!(parse_object(b"{"), Err(StrictJsonError::Malformed));
        assert_eq!(parse_object(b"{} x"), Err(StrictJsonError::Malformed));
    }
}
