//! The JSON reader against serde_json: the same texts are accepted, and
//! what both accept reads to the same values (numbers as written parse to
//! the same f64, strings decode alike, keys alike, the last of a repeated
//! key standing as in serde_json's maps).
#![no_main]
use libfuzzer_sys::fuzz_target;
use yeweihui::json::{Document, Value};

/// Our reading as a serde_json value.
fn to_serde(v: Value<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    if v.is_null() {
        return J::Null;
    }
    if let Ok(b) = v.bool() {
        return J::Bool(b);
    }
    if let Some((text, _)) = v.number() {
        return serde_json::from_str(text).expect("a number the reader accepted");
    }
    if let Ok(s) = v.str() {
        return J::String(s.into_owned());
    }
    if let Ok(items) = v.elements() {
        return J::Array(items.map(to_serde).collect());
    }
    let members = v.members().expect("an object");
    J::Object(members.map(|(k, v)| (k.into_owned(), to_serde(v))).collect())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    let ours = Document::parse(text);
    assert_eq!(theirs.is_ok(), ours.is_ok(), "accepted by one only: {text:?} {ours:?}");
    if let (Ok(theirs), Ok(ours)) = (theirs, ours) {
        assert_eq!(to_serde(ours.root()), theirs, "{text:?}");
    }
});
