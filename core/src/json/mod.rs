//! JSON in and out: the wire form of every input and output type.
//!
//! Reading parses the text once into a tape of nodes that borrow it
//! ([`Document`]), then each type reads itself from a [`Value`]: numbers
//! arrive exactly as written (a decimal is never a float on the way), an
//! unknown or repeated key is an error, and a refused value is named by its
//! path (`register.units[3].area`). Writing gives compact JSON, the same bytes
//! on every surface. The traits are derived (`#[derive(FromJson, ToJson)]`,
//! options under `#[json(...)]`: see the `yeweihui-derive` crate), which
//! keeps the code small: one reader and one writer for all types, and a few
//! calls per field.
//!
//! ```
//! use yeweihui::json::{self, FromJson, ToJson};
//! use yeweihui::register::UnitRecord;
//!
//! let units: Vec<UnitRecord> = json::from_str(r#"[{"id": "1-101", "area": "89.50"}]"#)?;
//! assert_eq!(json::to_string(&units), r#"[{"id":"1-101","area":"89.50","status":"owned"}]"#);
//! let e = json::from_str::<Vec<UnitRecord>>(r#"[{"id": "1-101", "area": "1", "aera": "2"}]"#).unwrap_err();
//! assert_eq!(e.path(), "[0].aera");
//! assert!(e.message().starts_with("unknown field `aera`"));
//! # Ok::<(), json::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;

mod path;
mod read;
mod write;

pub use read::{Document, Elements, Error, Fields, Members, Value, Variant};
pub use write::{Array, Object, Writer};
pub use yeweihui_derive::{FromJson, ToJson};

/// A type read from JSON.
pub trait FromJson: Sized {
    /// Reads the value.
    fn from_json(value: Value<'_>) -> Result<Self, Error>;

    /// The value of an absent field, where absence is allowed: `None` for an
    /// `Option` (so an optional field may be left out).
    fn absent() -> Option<Self> {
        None
    }
}

/// A type written as JSON.
pub trait ToJson {
    /// Writes the value.
    fn to_json(&self, out: &mut Writer);
}

/// A struct whose fields can be written into an object being written (what
/// `#[json(flatten)]` uses); derived with `ToJson`.
pub trait ToJsonFields {
    /// Writes the fields as members of `object`.
    fn to_json_fields(&self, object: &mut Object<'_>);
}

/// Reads a `T` from JSON text.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, Error> {
    T::from_json(Document::parse(text)?.root())
}

/// Writes a value as compact JSON text.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = Writer::new();
    value.to_json(&mut out);
    out.into_string()
}

impl FromJson for bool {
    fn from_json(value: Value<'_>) -> Result<bool, Error> {
        value.bool()
    }
}

impl ToJson for bool {
    fn to_json(&self, out: &mut Writer) {
        out.raw(if *self { "true" } else { "false" });
    }
}

macro_rules! integers {
    ($($t:ty: $write:ident as $wide:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: Value<'_>) -> Result<$t, Error> {
                value.integer(stringify!($t))
            }
        }

        impl ToJson for $t {
            fn to_json(&self, out: &mut Writer) {
                out.$write(*self as $wide);
            }
        }
    )*};
}

integers!(u8: unsigned as u64, u32: unsigned as u64, u64: unsigned as u64, usize: unsigned as u64, i32: signed as i64, i64: signed as i64);

impl FromJson for String {
    fn from_json(value: Value<'_>) -> Result<String, Error> {
        value.str().map(Cow::into_owned)
    }
}

impl ToJson for str {
    fn to_json(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl ToJson for String {
    fn to_json(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl FromJson for Cow<'static, str> {
    fn from_json(value: Value<'_>) -> Result<Cow<'static, str>, Error> {
        String::from_json(value).map(Cow::Owned)
    }
}

impl ToJson for Cow<'_, str> {
    fn to_json(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self, out: &mut Writer) {
        (**self).to_json(out);
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value<'_>) -> Result<Option<T>, Error> {
        match value.is_null() {
            true => Ok(None),
            false => T::from_json(value).map(Some),
        }
    }

    fn absent() -> Option<Option<T>> {
        Some(None)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self, out: &mut Writer) {
        match self {
            Some(v) => v.to_json(out),
            None => out.null(),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value<'_>) -> Result<Box<T>, Error> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn to_json(&self, out: &mut Writer) {
        (**self).to_json(out);
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value<'_>) -> Result<Vec<T>, Error> {
        value
            .elements()?
            .enumerate()
            .map(|(i, v)| T::from_json(v).map_err(|e| e.in_element(i)))
            .collect()
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self, out: &mut Writer) {
        let mut array = out.array();
        for v in self {
            array.element(v);
        }
        array.end();
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self, out: &mut Writer) {
        self.as_slice().to_json(out);
    }
}

/// A map key read from the text of a JSON object's key (a map is written
/// with keys that are `AsRef<str>`).
pub trait JsonKey: Ord + Sized {
    /// Reads a key; the error says why the text is not one.
    fn from_key(key: &str) -> Result<Self, String>;
}

impl JsonKey for String {
    fn from_key(key: &str) -> Result<String, String> {
        Ok(key.to_owned())
    }
}

/// Objects with unique keys: a repeated key is an error (a silent "last one
/// wins" would lose a value).
impl<K: JsonKey, V: FromJson> FromJson for BTreeMap<K, V> {
    fn from_json(value: Value<'_>) -> Result<BTreeMap<K, V>, Error> {
        let mut map = BTreeMap::new();
        for (key, v) in value.members()? {
            let k = K::from_key(&key).map_err(|e| v.error(e).in_member(&key))?;
            if map.contains_key(&k) {
                return Err(v.error(format!("duplicate key `{key}`")).in_member(&key));
            }
            map.insert(k, V::from_json(v).map_err(|e| e.in_member(&key))?);
        }
        Ok(map)
    }
}

impl<K: AsRef<str>, V: ToJson> ToJson for BTreeMap<K, V> {
    fn to_json(&self, out: &mut Writer) {
        let mut object = out.object();
        for (k, v) in self {
            object.entry(k.as_ref(), v);
        }
        object.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, FromJson, ToJson)]
    #[json(deny_unknown_fields)]
    struct Unit {
        id: String,
        area: u32,
    }

    #[derive(Debug, PartialEq, FromJson, ToJson)]
    #[json(deny_unknown_fields)]
    struct Doc {
        units: Vec<Unit>,
        #[json(skip_if = "Option::is_none")]
        note: Option<String>,
        #[json(default, skip_if = "Vec::is_empty")]
        tags: Vec<String>,
    }

    #[derive(Debug, PartialEq, FromJson, ToJson)]
    #[json(rename_all = "snake_case", deny_unknown_fields)]
    enum Shape {
        Estate,
        Buildings(Vec<String>),
        Window {
            opens: u32,
            #[json(default)]
            closes: u32,
        },
    }

    fn path_of(json: &str) -> String {
        from_str::<Doc>(json).unwrap_err().path()
    }

    #[test]
    fn errors_name_the_record_and_field() {
        let ok = r#"{"id": "a", "area": 1}"#;
        assert_eq!(
            path_of(&format!(r#"{{"units": [{ok}, {{"id": "b", "area": "x"}}]}}"#)),
            "units[1].area"
        );
        assert_eq!(
            path_of(&format!(r#"{{"units": [{ok}, {ok}, {{"id": 7, "area": 1}}]}}"#)),
            "units[2].id"
        );
        // a missing field: the record; an unknown one: the field itself
        assert_eq!(path_of(r#"{"units": [{"id": "a"}]}"#), "units[0]");
        assert_eq!(
            path_of(r#"{"units": [{"id": "a", "area": 1, "aera": 2}]}"#),
            "units[0].aera"
        );
        assert_eq!(
            path_of(r#"{"units": [{"id": "a", "area": 1, "id": "b"}]}"#),
            "units[0].id"
        );
        // a container of the wrong type is named where it starts
        assert_eq!(path_of(r#"{"units": [{"id": "a", "area": [1]}]}"#), "units[0].area");
        assert_eq!(path_of(r#"{"units": [["a", {}]]}"#), "units[0]");
        assert_eq!(path_of(r#"{"units": {"id": "a"}}"#), "units");
        assert_eq!(path_of(r#"{"note": 5, "units": []}"#), "note");
        // across lines, with escapes in keys and strings
        assert_eq!(
            path_of("{\n\"units\": [\n{\"id\": \"a\\\"]\",\n \"area\": -1}]}"),
            "units[0].area"
        );
        // the document itself: trailing text, not an object; cut short: where
        assert_eq!(path_of(r#"{"units": []} x"#), ".");
        assert_eq!(path_of("[]"), ".");
        assert_eq!(path_of(r#"{"units": [{"id": "a", "#), "units[0]");
    }

    #[test]
    fn messages_are_serde_json_s_with_the_position() {
        let text = r#"{"units": [{"id": "a", "area": "x"}]}"#;
        let e = from_str::<Doc>(text).unwrap_err();
        assert_eq!(e.message(), "invalid type: string \"x\", expected u32");
        assert_eq!(
            e.message_with_position(),
            "invalid type: string \"x\", expected u32 at line 1 column 32"
        );
        assert_eq!(&text[e.offset()..=e.offset()], "\"");
        let e = from_str::<Doc>(r#"{"units": [{"id": "a", "area": 1, "x": 1}]}"#).unwrap_err();
        assert_eq!(e.message(), "unknown field `x`, expected `id` or `area`");
        let e = from_str::<Doc>(r#"{"units": [{"id": "a", "area": -1}]}"#).unwrap_err();
        assert_eq!(e.message(), "invalid value: integer `-1`, expected u32");
        let e = from_str::<Doc>(r#"{"units": [{"id": "a", "area": 1.5}]}"#).unwrap_err();
        assert_eq!(e.message(), "invalid type: floating point `1.5`, expected u32");
        let e = from_str::<Doc>(r#"{"units": [{"id": "a"}]}"#).unwrap_err();
        assert_eq!(e.message(), "missing field `area`");
        for (bad, message) in [
            ("", "EOF while parsing a value"),
            ("{\"units\": [}", "expected value"),
            ("{\"units\": []", "EOF while parsing an object"),
            ("{\"units\": [],}", "trailing comma"),
            ("{\"units\" []}", "expected `:`"),
            ("{units: []}", "key must be a string"),
            ("{\"units\": [01]}", "invalid number"),
            ("{\"units\": [\"\\x\"]}", "invalid escape"),
            ("{\"units\": [\"\\ud800\"]}", "lone leading surrogate in hex escape"),
            ("{\"units\": [tru]}", "expected ident"),
            ("{\"units\": []} {}", "trailing characters"),
        ] {
            assert_eq!(from_str::<Doc>(bad).unwrap_err().message(), message, "{bad:?}");
        }
        let deep = "[".repeat(200);
        assert_eq!(
            from_str::<Doc>(&deep).unwrap_err().message(),
            "recursion limit exceeded"
        );
    }

    #[test]
    fn strings_end_at_the_first_quote_escape_or_control_byte_wherever_it_is() {
        // every length across the eight-byte steps, multi-byte text included
        for len in 0..20 {
            let plain: String = "ab字é".chars().cycle().take(len).collect();
            assert_eq!(from_str::<String>(&format!("\"{plain}\"")).unwrap(), plain);
            for at in (0..=plain.len()).filter(|&i| plain.is_char_boundary(i)) {
                let (head, tail) = plain.split_at(at);
                assert_eq!(
                    from_str::<String>(&format!("\"{head}\\\"{tail}\"")).unwrap(),
                    format!("{head}\"{tail}")
                );
                assert_eq!(
                    from_str::<String>(&format!("\"{head}\\\\{tail}\"")).unwrap(),
                    format!("{head}\\{tail}")
                );
                let e = from_str::<String>(&format!("\"{head}\u{1f}{tail}\"")).unwrap_err();
                assert_eq!(e.offset(), 1 + at, "{head:?} {tail:?}");
                // a string cut short: nothing read past the text
                let e = from_str::<String>(&format!("\"{head}")).unwrap_err();
                assert_eq!(e.message(), "EOF while parsing a string");
            }
        }
    }

    #[test]
    fn values_round_trip_in_serde_json_s_compact_form() {
        let text = r#"{"units":[{"id":"a\"\u0001\n\u00e9","area":4294967295}],"tags":["x"]}"#;
        let doc: Doc = from_str(text).unwrap();
        assert_eq!(doc.units[0].id, "a\"\u{1}\n\u{e9}");
        assert_eq!(
            to_string(&doc),
            "{\"units\":[{\"id\":\"a\\\"\\u0001\\né\",\"area\":4294967295}],\"tags\":[\"x\"]}"
        );
        let shapes: Vec<Shape> = from_str(r#"["estate", {"buildings": ["3"]}, {"window": {"opens": 1}}]"#).unwrap();
        assert_eq!(
            shapes,
            [
                Shape::Estate,
                Shape::Buildings(vec!["3".into()]),
                Shape::Window { opens: 1, closes: 0 }
            ]
        );
        assert_eq!(
            to_string(&shapes),
            r#"["estate",{"buildings":["3"]},{"window":{"opens":1,"closes":0}}]"#
        );
        let e = from_str::<Shape>(r#"{"window": {"opens": 1, "x": 2}}"#).unwrap_err();
        assert_eq!(
            (e.path().as_str(), e.message()),
            ("window.x", "unknown field `x`, expected `opens` or `closes`")
        );
        let e = from_str::<Shape>(r#""street""#).unwrap_err();
        assert_eq!(
            e.message(),
            "unknown variant `street`, expected one of `estate`, `buildings`, `window`"
        );
        assert!(from_str::<Shape>(r#"{"estate": 1}"#).is_err());
        assert!(from_str::<Shape>(r#""buildings""#).is_err());
        assert!(from_str::<Shape>(r#"{"estate": null, "buildings": []}"#).is_err());
    }

    #[test]
    fn maps_refuse_repeated_keys() {
        let m: BTreeMap<String, u32> = from_str(r#"{"b": 1, "a": 2}"#).unwrap();
        assert_eq!(to_string(&m), r#"{"a":2,"b":1}"#);
        let e = from_str::<BTreeMap<String, u32>>(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert_eq!((e.path().as_str(), e.message()), ("a", "duplicate key `a`"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Strings are written exactly as serde_json writes them, and read back.
        #[test]
        fn strings_are_escaped_as_serde_json_does(
            text in "\\PC*|[\\x00-\\x1f\"\\\\\\x7f]{0,8}|[a-z\\x00-\\x1f\"\\\\\\x7f\\x80é中 ]{0,40}"
        ) {
            let written = to_string(text.as_str());
            prop_assert_eq!(&written, &serde_json::to_string(&text).unwrap());
            prop_assert_eq!(from_str::<String>(&written).unwrap(), text);
        }

        /// The writer's eight-byte test finds a byte to escape exactly when
        /// one of the eight is.
        #[test]
        fn words_need_escaping_exactly_when_a_byte_does(w in any::<u64>(), at in 0usize..8, b in any::<u8>()) {
            let mut bytes = w.to_le_bytes();
            bytes[at] = b;
            let want = bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            prop_assert_eq!(write::needs_escape(u64::from_le_bytes(bytes)), want);
        }

        /// Any text serde_json reads, this reader reads, to the same strings
        /// and numbers; any it refuses, this one refuses.
        #[test]
        fn documents_are_read_as_serde_json_reads_them(text in document()) {
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            let ours = Document::parse(&text);
            prop_assert_eq!(theirs.is_ok(), ours.is_ok(), "{}", text);
            if let (Ok(theirs), Ok(ours)) = (theirs, ours) {
                prop_assert!(same(&theirs, ours.root()), "{}", text);
            }
        }
    }

    /// JSON-ish text: mostly valid documents, with some bytes changed.
    fn document() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("true".to_owned()),
            Just("null".to_owned()),
            "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,2})?([eE][-+]?[0-9])?",
            any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
            "\"(\\\\u[dD][89abAB][0-9a-f]{2}){1,2}\"",
        ];
        let tree = leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(|items| format!("[{}]", items.join(","))),
                proptest::collection::vec(("[a-z]{0,2}", inner), 0..4).prop_map(|members| {
                    let members: Vec<String> = members.iter().map(|(k, v)| format!("{k:?} : {v}")).collect();
                    format!("{{ {} }}", members.join(" ,"))
                }),
            ]
        });
        (
            tree,
            proptest::option::of((any::<prop::sample::Index>(), "[ ,:\\[\\]{}\"0a-]")),
        )
            .prop_map(|(text, change)| match change {
                Some((at, with)) if !text.is_empty() => {
                    let mut chars: Vec<char> = text.chars().collect();
                    let i = at.index(chars.len());
                    chars[i] = with.chars().next().unwrap_or(' ');
                    chars.into_iter().collect()
                }
                _ => text,
            })
    }

    fn same(theirs: &serde_json::Value, ours: Value<'_>) -> bool {
        match theirs {
            serde_json::Value::Null => ours.is_null(),
            serde_json::Value::Bool(b) => ours.bool().ok() == Some(*b),
            serde_json::Value::Number(n) => ours.number().is_some_and(|(text, integer)| {
                (integer || !(n.is_i64() || n.is_u64())) && text.parse::<f64>().ok() == n.as_f64()
            }),
            serde_json::Value::String(s) => ours.str().ok().as_deref() == Some(s.as_str()),
            serde_json::Value::Array(items) => ours
                .elements()
                .is_ok_and(|e| e.len() == items.len() && items.iter().zip(e).all(|(t, o)| same(t, o))),
            // serde_json keeps the last of repeated keys
            serde_json::Value::Object(map) => ours.members().is_ok_and(|m| {
                let ours: BTreeMap<String, Value<'_>> = m.map(|(k, v)| (k.into_owned(), v)).collect();
                ours.len() == map.len() && ours.iter().all(|(k, v)| map.get(k).is_some_and(|t| same(t, *v)))
            }),
        }
    }
}
