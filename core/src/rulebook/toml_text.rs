//! Rulebooks written in TOML are parsed by the `toml` crate's parser and
//! rewritten as JSON, so a rulebook has one reader whichever format it came
//! in. Each piece of the JSON remembers the TOML byte it came from, so an
//! error names the line of the file a person wrote.

use std::fmt::Write as _;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A TOML document rewritten as JSON.
pub(super) struct Converted<'a> {
    toml: &'a str,
    /// The JSON text.
    pub json: String,
    /// For each key and value written: its bytes in `json` and the TOML
    /// offset it came from. (Nesting is bounded by toml's parser, which
    /// refuses documents nested deeper than its recursion limit.)
    origins: Vec<(Range<usize>, usize)>,
}

impl Converted<'_> {
    /// The TOML line (1-based) of the innermost piece holding JSON byte `at`.
    pub fn line_of(&self, at: usize) -> usize {
        let from = self
            .origins
            .iter()
            .filter(|(json, _)| json.contains(&at))
            .min_by_key(|(json, _)| json.len())
            .map_or(0, |&(_, toml)| toml);
        line_at(self.toml, from)
    }
}

/// The line (1-based) of byte `at` of `text`.
fn line_at(text: &str, at: usize) -> usize {
    1 + text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Parses TOML and rewrites it as JSON. Syntax errors come back as `toml`
/// words them (with the line); values JSON cannot carry (`nan`, `inf`, an
/// integer beyond 128 bits) are refused naming their line.
pub(super) fn to_json(toml: &str) -> Result<Converted<'_>, String> {
    let table = DeTable::parse(toml).map_err(|e| e.to_string().trim_end().replace('\n', " "))?;
    let mut out = Converted {
        toml,
        json: String::with_capacity(toml.len() * 2),
        origins: Vec::new(),
    };
    let span = table.span();
    write_table(&mut out, table.get_ref(), span.start)?;
    Ok(out)
}

fn write_table(out: &mut Converted<'_>, table: &DeTable<'_>, from: usize) -> Result<(), String> {
    let start = out.json.len();
    out.json.push('{');
    for (n, (key, value)) in table.iter().enumerate() {
        if n > 0 {
            out.json.push(',');
        }
        let key_start = out.json.len();
        write_string(&mut out.json, key.get_ref());
        out.origins.push((key_start..out.json.len(), key.span().start));
        out.json.push(':');
        write_value(out, value)?;
    }
    out.json.push('}');
    out.origins.push((start..out.json.len(), from));
    Ok(())
}

fn write_value(out: &mut Converted<'_>, value: &Spanned<DeValue<'_>>) -> Result<(), String> {
    let from = value.span().start;
    let start = out.json.len();
    let refuse = |what: String| format!("line {}: {what}", line_at(out.toml, from));
    match value.get_ref() {
        DeValue::String(s) => write_string(&mut out.json, s),
        DeValue::Integer(i) => match i128::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => {
                let _ = write!(out.json, "{n}");
            }
            Err(_) => return Err(refuse(format!("integer {i} is out of range"))),
        },
        DeValue::Float(f) => {
            let text = f.as_str().trim_start_matches('+');
            if text.contains("inf") || text.contains("nan") {
                return Err(refuse(format!("{text} is not a number")));
            }
            out.json.push_str(text);
        }
        DeValue::Boolean(b) => out.json.push_str(if *b { "true" } else { "false" }),
        DeValue::Datetime(d) => write_string(&mut out.json, &d.to_string()),
        DeValue::Array(items) => {
            out.json.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.json.push(',');
                }
                write_value(out, item)?;
            }
            out.json.push(']');
        }
        DeValue::Table(t) => return write_table(out, t, from),
    }
    out.origins.push((start..out.json.len(), from));
    Ok(())
}

/// `s` as a JSON string.
fn write_string(json: &mut String, s: &str) {
    json.push('"');
    for c in s.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(json, "\\u{:04x}", u32::from(c));
            }
            c => json.push(c),
        }
    }
    json.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_becomes_json_remembering_lines() {
        let toml = "id = \"a\\\"b\"\nn = 0x1F\nf = +1.5\n\n[t]\nd = 2024-01-01\nlist = [1, { x = \"\\u0001\" }]\n";
        let c = to_json(toml).unwrap();
        let value: serde_json::Value = serde_json::from_str(&c.json).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"id": "a\"b", "n": 31, "f": 1.5, "t": {"d": "2024-01-01", "list": [1, {"x": "\u{1}"}]}})
        );
        assert_eq!(c.line_of(c.json.find("2024").unwrap()), 6);
        assert_eq!(c.line_of(c.json.find("\"list\"").unwrap()), 7);
        assert_eq!(c.line_of(c.json.find("31").unwrap()), 2);
    }

    #[test]
    fn what_json_cannot_hold_is_refused_by_line() {
        assert_eq!(
            to_json("a = 1\nb = nan\n").err().unwrap(),
            "line 2: nan is not a number"
        );
        assert_eq!(to_json("b = -inf").err().unwrap(), "line 1: -inf is not a number");
        let e = to_json("a = = 1").err().unwrap();
        assert!(e.contains("TOML parse error at line 1"), "{e}");
    }
}
