//! Where a byte of a JSON text is: the path of the innermost value,
//! member or element holding it (`register.units[3].area`). The reader
//! locates syntax errors with it; type errors are located as they unwind.

/// One step of a path: a member of an object or an element of an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Segment {
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
/// `json`, outermost step first: none for the document itself, `units`, `3`,
/// `area` for an area. Only the text before `at` need be well-formed;
/// scanning stops there.
pub(super) fn path_at(json: &str, at: usize) -> Vec<Segment> {
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
    path
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
        if let Ok(doc) = super::read::Document::parse(quoted) {
            if let Ok(decoded) = doc.root().str() {
                return decoded.into_owned();
            }
        }
    }
    inner.to_owned()
}

/// `units[3].area`; `.` when empty.
pub(super) fn render<'a>(path: impl IntoIterator<Item = &'a Segment>) -> String {
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
    if out.is_empty() {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
                assert_eq!(render(&path_at(json, at)), path, "byte {at} of {needle}");
            }
        }
        assert_eq!(render(&path_at(json, 0)), ".");
        assert_eq!(render(&path_at(json, json.len() + 5)), ".");
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
                leaves.push((out.len(), out.len() + text.len(), render(path.iter())));
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
                    proptest::prop_assert_eq!(render(&path_at(&json, at)), path.clone(), "byte {} of {}", at, json);
                }
            }
        }
    }
}
