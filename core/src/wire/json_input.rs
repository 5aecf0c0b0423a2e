//! Reading JSON input into typed values, with errors that say where.
//!
//! Every JSON document the library reads (wire inputs, rulebooks, the
//! holiday calendar, and TOML rulebooks once converted) goes through
//! [`from_json_str`], so each input type has one deserializer. When a value
//! is refused, the byte that `serde_json` stopped at is located in the text
//! by a small scanner ([`path_at`]) that names the record:
//! `register.units[3].area`.

use serde::de::DeserializeOwned;

/// Why a JSON document was refused, and where.
#[derive(Debug)]
pub(crate) struct JsonError {
    /// Path of the offending value, e.g. `ballots[2].choice`; `.` is the
    /// whole document.
    pub path: String,
    /// Byte offset in the text of the byte the parser stopped at.
    pub offset: usize,
    /// What is wrong, without the line and column.
    pub detail: String,
    /// What is wrong, with serde_json's line and column.
    pub message: String,
}

/// Parses JSON into `T`; trailing characters are an error (as are duplicate
/// keys, refused by the types themselves).
pub(crate) fn from_json_str<T: DeserializeOwned>(json: &str) -> Result<T, JsonError> {
    serde_json::from_str(json).map_err(|e| {
        let message = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let detail = message.strip_suffix(&position).unwrap_or(&message).to_owned();
        let offset = offset_of(json, e.line(), e.column());
        JsonError {
            path: path_at(json, offset),
            offset,
            detail,
            message,
        }
    })
}

/// The byte serde_json reports as line and column (1-based line; the column
/// counts the bytes of that line read so far). The culprit is the last byte
/// read, or the next one when that opens an object or array: serde_json
/// refuses a container of the wrong type on seeing its first byte, before
/// reading it.
fn offset_of(json: &str, line: usize, column: usize) -> usize {
    let line_start = match line {
        0 | 1 => 0,
        n => json
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .nth(n - 2)
            .map_or(json.len(), |(i, _)| i + 1),
    };
    let next = (line_start + column).min(json.len());
    match json.as_bytes().get(next) {
        Some(b'[' | b'{') => next,
        _ => next.saturating_sub(1),
    }
}

/// One step of a path: a member of an object or an element of an array.
enum Segment {
    Key(String),
    Index(usize),
}

/// An object or array the scanner is inside.
enum Container {
    /// `member` is true while a key has been read and its value not closed.
    Object { member: bool },
    /// `next` is the index of the next element; `element` as `member`.
    Array { next: usize, element: bool },
}

/// The path of the innermost value, member or element holding byte `at` of
/// `json`: `.` for the document itself, `units[3].area` for an area. Only the
/// text before `at` need be well-formed; scanning stops there.
pub(crate) fn path_at(json: &str, at: usize) -> String {
    let b = json.as_bytes();
    let mut path: Vec<Segment> = Vec::new();
    let mut stack: Vec<Container> = Vec::new();
    let mut i = 0;
    while i < b.len() && i <= at {
        let start = i;
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b':' => i += 1,
            b',' => {
                close_member(&mut stack, &mut path);
                i += 1;
            }
            b'}' | b']' => {
                close_member(&mut stack, &mut path);
                if at == i {
                    break;
                }
                stack.pop();
                i += 1;
            }
            b'"' if matches!(stack.last(), Some(Container::Object { member: false })) => {
                let end = string_end(b, i);
                path.push(Segment::Key(key_text(&json[start..end])));
                if let Some(Container::Object { member }) = stack.last_mut() {
                    *member = true;
                }
                i = end;
            }
            c => {
                if let Some(Container::Array { next, element }) = stack.last_mut() {
                    if !*element {
                        path.push(Segment::Index(*next));
                        *next += 1;
                        *element = true;
                    }
                }
                match c {
                    b'{' => stack.push(Container::Object { member: false }),
                    b'[' => stack.push(Container::Array {
                        next: 0,
                        element: false,
                    }),
                    _ => {}
                }
                i = match c {
                    b'{' | b'[' => i + 1,
                    b'"' => string_end(b, i),
                    _ => scalar_end(b, i),
                };
            }
        }
        if (start..i).contains(&at) {
            break;
        }
    }
    render(&path)
}

/// Leaves the member or element just read, if any.
fn close_member(stack: &mut [Container], path: &mut Vec<Segment>) {
    match stack.last_mut() {
        Some(Container::Object { member }) if *member => *member = false,
        Some(Container::Array { element, .. }) if *element => *element = false,
        _ => return,
    }
    path.pop();
}

/// One past the closing quote of the string opening at `i` (or the end).
fn string_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// One past a number or literal starting at `i` (at least one byte).
fn scalar_end(b: &[u8], i: usize) -> usize {
    let len = b[i..]
        .iter()
        .position(|c| matches!(c, b',' | b'}' | b']' | b':' | b'"' | b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(b.len() - i);
    i + len.max(1)
}

/// A key as written, its escapes decoded when it has any.
fn key_text(quoted: &str) -> String {
    let inner = quoted.strip_prefix('"').unwrap_or(quoted);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    if inner.contains('\\') {
        if let Ok(decoded) = serde_json::from_str::<String>(quoted) {
            return decoded;
        }
    }
    inner.to_owned()
}

/// `units[3].area`; `.` when empty.
fn render(path: &[Segment]) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(n) => {
                out.push('[');
                out.push_str(&n.to_string());
                out.push(']');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Unit {
        id: String,
        area: u32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        units: Vec<Unit>,
        #[serde(default)]
        note: Option<String>,
    }

    fn path_of(json: &str) -> String {
        from_json_str::<Doc>(json).unwrap_err().path
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
        // a container of the wrong type is named where it starts
        assert_eq!(path_of(r#"{"units": [{"id": "a", "area": [1]}]}"#), "units[0].area");
        assert_eq!(path_of(r#"{"units": [["a", {}]]}"#), "units[0][1]");
        assert_eq!(path_of(r#"{"units": {"id": "a"}}"#), "units");
        assert_eq!(path_of(r#"{"note": 5, "units": []}"#), "note");
        // across lines, with escapes in keys and strings
        assert_eq!(
            path_of("{\n\"units\": [\n{\"id\": \"a\\\"]\",\n \"area\": -1}]}"),
            "units[0].area"
        );
        // the document itself: trailing text, not an object, cut short
        assert_eq!(path_of(r#"{"units": []} x"#), ".");
        assert_eq!(path_of("[]"), ".");
        assert_eq!(path_of(r#"{"units": [{"id": "a", "#), "units[0]");
    }

    #[test]
    fn details_leave_the_position_to_the_message() {
        let e = from_json_str::<Doc>(r#"{"units": [{"id": "a", "area": "x"}]}"#).unwrap_err();
        assert!(e.detail.starts_with("invalid type: string \"x\""), "{}", e.detail);
        assert!(e.message.ends_with("at line 1 column 34"), "{}", e.message);
        assert_eq!(&r#"{"units": [{"id": "a", "area": "x"}]}"#[e.offset..=e.offset], "\"");
    }

    #[test]
    fn any_byte_of_a_value_is_located() {
        let json = "{\"a\": [1, {\"b\": \"x,y\"}, [true]], \"c\": {}}";
        let expect = [
            ("1", "a[0]"),
            ("\"x,y\"", "a[1].b"),
            ("true", "a[2][0]"),
            ("{}", "c"),
            ("\"b\"", "a[1].b"),
        ];
        for (needle, path) in expect {
            let start = json.find(needle).unwrap();
            for at in start..start + needle.len() {
                assert_eq!(path_at(json, at), path, "byte {at} of {needle}");
            }
        }
        assert_eq!(path_at(json, 0), ".");
        assert_eq!(path_at(json, json.len() + 5), ".");
    }

    /// A JSON document as a tree whose leaves are scalars.
    #[derive(Debug, Clone)]
    enum Tree {
        Leaf(String),
        Array(Vec<Tree>),
        Object(Vec<(String, Tree)>),
    }

    fn tree() -> impl proptest::strategy::Strategy<Value = Tree> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just("true".to_owned()),
            Just("null".to_owned()),
            "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,2})?",
            "[a-z,:{}\\[\\] \"\\\\]{0,5}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        ]
        .prop_map(Tree::Leaf);
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Tree::Array),
                proptest::collection::vec(("[a-z .\"]{0,3}", inner), 0..4).prop_map(|members| {
                    // keys are unique in an object
                    let mut seen = std::collections::HashSet::new();
                    Tree::Object(members.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect())
                }),
            ]
        })
    }

    /// Writes `tree` with random-ish spacing, recording each leaf's bytes and
    /// the path `path_at` must give for them.
    fn write(
        tree: &Tree,
        path: &mut Vec<Segment>,
        spacing: &str,
        out: &mut String,
        leaves: &mut Vec<(usize, usize, String)>,
    ) {
        match tree {
            Tree::Leaf(text) => {
                leaves.push((out.len(), out.len() + text.len(), render(path)));
                out.push_str(text);
            }
            Tree::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    out.push_str(spacing);
                    path.push(Segment::Index(i));
                    write(item, path, spacing, out, leaves);
                    path.pop();
                }
                out.push(']');
            }
            Tree::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    out.push_str(spacing);
                    out.push_str(&serde_json::to_string(key).unwrap());
                    out.push_str(spacing);
                    out.push(':');
                    path.push(Segment::Key(key.clone()));
                    write(value, path, spacing, out, leaves);
                    path.pop();
                }
                out.push('}');
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn every_byte_of_every_leaf_is_located(tree in tree(), spacing in "[ \n]{0,2}") {
            let (mut json, mut leaves) = (String::new(), Vec::new());
            write(&tree, &mut Vec::new(), &spacing, &mut json, &mut leaves);
            proptest::prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "{}", json);
            for (start, end, path) in leaves {
                for at in start..end {
                    proptest::prop_assert_eq!(path_at(&json, at), path.clone(), "byte {} of {}", at, json);
                }
            }
        }
    }
}
