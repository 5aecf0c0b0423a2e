//! Runs every conformance vector under `conformance/` and under each
//! directory in `YEWEIHUI_EXTRA_VECTORS` (colon-separated) through
//! `wire::run`, and fails naming every vector that does not match. A tally
//! with an output also runs over prepared ballots and, where CSV can carry
//! its tables, from CSV (`wire::tally_csv`): the same bytes each way.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn vector_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read vector directory {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            vector_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
}

fn vector_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance")];
    if let Ok(extra) = std::env::var("YEWEIHUI_EXTRA_VECTORS") {
        dirs.extend(extra.split(':').filter(|s| !s.is_empty()).map(PathBuf::from));
    }
    dirs
}

/// Whether `actual` contains `expected` (FORMAT.md): objects by key,
/// arrays element by element with equal length, scalars exactly.
fn contains(actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let p = format!("{path}.{k}");
                let av = a.get(k).ok_or_else(|| format!("{p}: missing"))?;
                contains(av, ev, &p)?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(e)) => {
            if a.len() != e.len() {
                return Err(format!("{path}: {} elements, expected {}", a.len(), e.len()));
            }
            a.iter()
                .zip(e)
                .enumerate()
                .try_for_each(|(i, (av, ev))| contains(av, ev, &format!("{path}[{i}]")))
        }
        _ if actual == expected => Ok(()),
        _ => Err(format!("{path}: got {actual}, expected {expected}")),
    }
}

/// Runs a vector: whether it was also tallied from CSV (see [`same_from_csv`]).
fn run_vector(v: &Value) -> Result<bool, String> {
    let op = v["operation"].as_str().ok_or("no operation")?;
    let input = match &v["input"] {
        Value::String(raw) => raw.clone(),
        other => other.to_string(),
    };
    let result = yeweihui::wire::run(op, &input);
    let mut from_csv = false;
    if let (Some(_), Ok(out)) = (v["expect"].get("output"), &result) {
        if op == "tally" {
            same_when_prepared(&input, out)?;
            from_csv = same_from_csv(&v["input"], out)?;
        }
    }
    expected(v, result).map(|()| from_csv)
}

/// Whether the result of a vector's operation is what it expects.
fn expected(v: &Value, result: yeweihui::Result<String>) -> Result<(), String> {
    match (&v["expect"].get("output"), &v["expect"].get("error"), result) {
        (Some(expected), None, Ok(out)) => {
            let actual: Value = serde_json::from_str(&out).map_err(|e| format!("output is not JSON: {e}"))?;
            contains(&actual, expected, "output")
        }
        (Some(_), None, Err(e)) => Err(format!("expected output, got error {}: {e}", e.code())),
        (None, Some(code), Err(e)) => {
            if e.code().as_str() == code.as_str().unwrap_or_default() {
                Ok(())
            } else {
                Err(format!("expected error {code}, got {}: {e}", e.code()))
            }
        }
        (None, Some(code), Ok(out)) => Err(format!("expected error {code}, got output {out}")),
        _ => Err("expect must have exactly one of output, error".into()),
    }
}

/// A tally over [`PreparedBallots`] gives the same bytes as the wire tally.
fn same_when_prepared(input: &str, wire_output: &str) -> Result<(), String> {
    use yeweihui::calendar::parse_date;
    use yeweihui::register::Register;
    use yeweihui::tally::{Motion, PreparedBallots};
    let t: yeweihui::wire::TallyInput = yeweihui::json::from_str(input).map_err(|e| e.to_string())?;
    let outcome = (|| {
        let register = Register::new(t.units())?;
        let voting = t.voting.clone().unwrap_or_default().parse()?;
        let motion = Motion::new(t.matter.parse()?, parse_date("decided_on", &t.decided_on)?)
            .with_scope(t.scope.clone().unwrap_or_default())
            .with_voting(voting);
        let prepared = PreparedBallots::new(&register, &t.ballots)?;
        prepared.tally(t.rulebook.rulebook()?, &motion)
    })()
    .map_err(|e| format!("prepared: {e}"))?;
    let prepared = yeweihui::json::to_string(&outcome);
    if prepared != wire_output {
        return Err(format!("the prepared tally differs:\n  {prepared}\n  {wire_output}"));
    }
    Ok(())
}

/// The columns of the CSV tables, in the order they are written.
const UNIT_COLUMNS: [&str; 5] = ["id", "building", "area", "owner", "status"];
const BALLOT_COLUMNS: [&str; 5] = ["unit", "choice", "channel", "cast_at", "authorization"];

/// `records` as CSV text with those of `names` any record has, or `None`
/// where CSV cannot say the same: a cell that is not text, or text that is
/// empty or has spaces around it (a CSV cell is read trimmed, and an empty
/// one is an absent value), or a field of another name.
fn csv_text(records: &Value, names: &[&str]) -> Option<String> {
    let records = records.as_array()?;
    let mut used = vec![false; names.len()];
    for record in records {
        for (key, cell) in record.as_object()? {
            match cell {
                Value::Null => continue,
                Value::String(text) if !text.is_empty() && text.trim() == text => {}
                _ => return None,
            }
            used[names.iter().position(|n| n == key)?] = true;
        }
    }
    let mut columns: Vec<&str> = names.iter().zip(&used).filter(|(_, &u)| u).map(|(n, _)| *n).collect();
    if columns.is_empty() {
        // no records: a header of the required columns
        columns = names[..2].to_vec();
    }
    let cell = |record: &Value, name: &str| match record[name].as_str() {
        Some(text) if text.contains([',', '"', '\r', '\n']) => format!("\"{}\"", text.replace('"', "\"\"")),
        Some(text) => text.to_owned(),
        None => String::new(),
    };
    let mut csv = columns.join(",") + "\n";
    for record in records {
        csv += &columns.iter().map(|c| cell(record, c)).collect::<Vec<_>>().join(",");
        csv += "\n";
    }
    Some(csv)
}

/// A tally vector whose register and ballots CSV can carry gives, as CSV
/// tables (`wire::tally_csv`), the same bytes as the wire tally. Whether
/// CSV could carry them.
fn same_from_csv(input: &Value, wire_output: &str) -> Result<bool, String> {
    let Some(object) = input.as_object() else {
        return Ok(false);
    };
    let units = csv_text(&input["register"]["units"], &UNIT_COLUMNS);
    let ballots = csv_text(
        input.get("ballots").unwrap_or(&Value::Array(Vec::new())),
        &BALLOT_COLUMNS,
    );
    let (Some(units), Some(ballots)) = (units, ballots) else {
        return Ok(false);
    };
    let mut spec = object.clone();
    spec.remove("register");
    spec.remove("ballots");
    let csv = yeweihui::wire::tally_csv(&Value::Object(spec).to_string(), &units, &ballots)
        .map_err(|e| format!("from CSV: {e}\n{units}\n{ballots}"))?;
    if csv != wire_output {
        return Err(format!("the tally from CSV differs:\n  {csv}\n  {wire_output}"));
    }
    Ok(true)
}

#[test]
fn every_vector_passes() {
    let mut files = Vec::new();
    for dir in vector_dirs() {
        vector_files(&dir, &mut files);
    }
    // A vector may reach us twice (a seed copied into conformance/ and the
    // same directory named in YEWEIHUI_EXTRA_VECTORS): run it once; two
    // different vectors under one name is an error.
    let mut names = std::collections::BTreeMap::new();
    let mut failures = Vec::new();
    let (mut count, mut from_csv) = (0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let vectors = match parsed {
            Value::Array(v) => v,
            one => vec![one],
        };
        for v in &vectors {
            let name = v["name"].as_str().unwrap_or("(unnamed)").to_owned();
            match names.insert(name.clone(), v.clone()) {
                Some(prev) if prev == *v => continue,
                Some(_) => panic!("two different vectors named {name}"),
                None => count += 1,
            }
            match run_vector(v) {
                Ok(csv) => from_csv += usize::from(csv),
                Err(e) => failures.push(format!("{name} ({}): {e}", file.display())),
            }
        }
    }
    assert!(count >= 40, "only {count} vectors found");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // most tallies CSV can carry; a CSV writer that stops working should not pass
    assert!(from_csv >= 40, "only {from_csv} tallies ran from CSV");
    eprintln!("{count} conformance vectors passed, {from_csv} tallies from CSV too");
}

#[test]
fn matcher_is_a_subset_match() {
    let actual: Value = serde_json::json!({"a": 1, "b": [1, {"c": 2, "d": 3}], "e": "x"});
    assert!(contains(&actual, &serde_json::json!({"b": [1, {"c": 2}]}), "").is_ok());
    assert!(contains(&actual, &serde_json::json!({"b": [1]}), "").is_err());
    assert!(contains(&actual, &serde_json::json!({"a": "1"}), "").is_err());
    assert!(contains(&actual, &serde_json::json!({"z": null}), "").is_err());
}

#[test]
fn same_input_same_bytes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/tally/counting.json");
    let vectors: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(dir).unwrap()).unwrap();
    for v in vectors {
        let input = v["input"].to_string();
        let first = yeweihui::wire::run("tally", &input).unwrap();
        assert_eq!(first, yeweihui::wire::run("tally", &input).unwrap());
    }
}

/// The codes vectors expect: errors, and ballot rejections in outputs.
fn expected_codes() -> (std::collections::BTreeSet<String>, std::collections::BTreeSet<String>) {
    let mut errors = std::collections::BTreeSet::new();
    let mut rejections = std::collections::BTreeSet::new();
    let mut files = Vec::new();
    vector_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance"),
        &mut files,
    );
    for file in files {
        let parsed: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for v in parsed.as_array().cloned().unwrap_or_else(|| vec![parsed.clone()]) {
            if let Some(code) = v["expect"]["error"].as_str() {
                errors.insert(code.to_owned());
            }
            if let Some(rejected) = v["expect"]["output"]["rejected"].as_array() {
                rejections.extend(rejected.iter().filter_map(|r| r["code"].as_str().map(str::to_owned)));
            }
        }
    }
    (errors, rejections)
}

#[test]
fn every_error_and_rejection_code_is_produced_by_a_vector() {
    let (errors, rejections) = expected_codes();
    for code in yeweihui::ErrorCode::ALL {
        assert!(errors.contains(code.as_str()), "no vector expects the error {code}");
    }
    for code in yeweihui::ballot::RejectionCode::ALL {
        assert!(
            rejections.contains(code.as_str()),
            "no vector expects the rejection {code}"
        );
    }
}

#[test]
fn the_input_limits_are_documented_with_their_values() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("../docs/errors.md")).unwrap();
    let code = std::fs::read_to_string(root.join("src/limits.rs")).unwrap();
    let mut n = 0;
    for line in code.lines().filter_map(|l| l.strip_prefix("pub const ")) {
        let (name, rest) = line.split_once(':').unwrap();
        let value = rest.split_once('=').unwrap().1.trim().trim_end_matches(';');
        assert!(
            doc.contains(&format!("- `{name}` = {value}:")),
            "docs/errors.md lacks {name} = {value}"
        );
        n += 1;
    }
    assert!(n >= 9, "{n} limits found");
}

#[test]
fn the_error_catalogue_lists_exactly_the_codes() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/errors.md")).unwrap();
    let listed: Vec<&str> = doc
        .lines()
        .filter_map(|l| {
            l.strip_prefix("| `")
                .and_then(|r| r.split_once('`'))
                .map(|(code, _)| code)
        })
        .collect();
    let expected: Vec<&str> = yeweihui::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(yeweihui::ballot::RejectionCode::ALL.iter().map(|c| c.as_str()))
        .collect();
    assert_eq!(listed, expected, "docs/errors.md is out of step with the code");
}
