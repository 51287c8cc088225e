//! Case-insensitive reading of wire JSON. Real NPS clients send PascalCase property names and
//! others camelCase; the contract says both are the same request. Serde tells a deserializer
//! the field names of each struct it reads, so [`CaseInsensitive`] renames the input's keys
//! to the declared names it matches, ignoring case, before the struct sees them. Keys of free
//! maps (such as `customFields`) are left exactly as sent.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum WireDecodeError {
    #[error("the body is not valid JSON: {0}")]
    Syntax(serde_json::Error),
    #[error("field '{field}': {message}")]
    Field { field: String, message: String },
}

impl WireDecodeError {
    pub fn field(&self) -> Option<&str> {
        match self {
            WireDecodeError::Syntax(_) => None,
            WireDecodeError::Field { field, .. } => Some(field),
        }
    }
}

pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WireDecodeError> {
    let value: Value = serde_json::from_slice(bytes).map_err(WireDecodeError::Syntax)?;
    from_value(value)
}

pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, WireDecodeError> {
    serde_path_to_error::deserialize(CaseInsensitive(value)).map_err(|error| {
        let path = error.path().to_string();
        WireDecodeError::Field {
            field: if path == "." { "body".to_owned() } else { path },
            message: error.into_inner().to_string(),
        }
    })
}

/// A JSON value whose objects match struct fields case-insensitively, all the way down.
pub struct CaseInsensitive(pub Value);

impl<'de> IntoDeserializer<'de, serde_json::Error> for CaseInsensitive {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    map: serde_json::Map<String, Value>,
    fields: &[&str],
    visitor: V,
) -> Result<V::Value, serde_json::Error> {
    let entries = map.into_iter().map(|(key, value)| {
        let key = fields
            .iter()
            .find(|field| field.eq_ignore_ascii_case(&key))
            .map_or(key, |field| (*field).to_owned());
        (key, CaseInsensitive(value))
    });
    let mut access = MapDeserializer::new(entries);
    let value = visitor.visit_map(&mut access)?;
    access.end()?;
    Ok(value)
}

impl<'de> serde::Deserializer<'de> for CaseInsensitive {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => {
                let mut access = SeqDeserializer::new(items.into_iter().map(CaseInsensitive));
                let value = visitor.visit_seq(&mut access)?;
                access.end()?;
                Ok(value)
            }
            Value::Object(map) => visit_object(map, &[], visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visit_object(map, fields, visitor),
            other => CaseInsensitive(other).deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(CaseInsensitive(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_enum(self.0, name, variants, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Probe {
        managed_resource_name: String,
        custom_fields: Option<std::collections::BTreeMap<String, String>>,
    }

    #[test]
    fn property_names_match_in_any_case_but_free_maps_keep_theirs() {
        for body in [
            r#"{"ManagedResourceName":"web01","CustomFields":{"ChangeId":"C-1"}}"#,
            r#"{"managedresourcename":"web01","customFields":{"ChangeId":"C-1"}}"#,
        ] {
            let probe: Probe = from_slice(body.as_bytes()).unwrap();
            assert_eq!(probe.managed_resource_name, "web01");
            assert_eq!(probe.custom_fields.unwrap()["ChangeId"], "C-1");
        }
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let error = from_slice::<Probe>(br#"{"ManagedResourceName": 5}"#)
            .err()
            .unwrap();
        assert_eq!(error.field(), Some("managedResourceName"));
    }
}
