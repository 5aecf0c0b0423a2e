//! The JSON operations shared by every surface: `run(operation, json)`.
//!
//! The Python and JavaScript bindings call [`run`] (and the typed inputs
//! here) and nothing else, so the same input gives byte-identical output on
//! all three surfaces. Input and output shapes are documented in
//! `conformance/README.md`; errors come back as `{"error": code, "message": ...}`
//! through [`run_to_json`].
//!
//! ```
//! let out = yeweihui::wire::run("tally", r#"{
//!   "rulebook": "cn-national", "decided_on": "2026-03-01", "matter": "other_major",
//!   "register": {"units": [{"id": "1", "area": "50"}, {"id": "2", "area": "50"}]},
//!   "ballots": [{"unit": "1", "choice": "agree"}, {"unit": "2", "choice": "agree"}]
//! }"#)?;
//! assert!(out.starts_with(r#"{"passed":true"#));
//! let err = yeweihui::wire::run_to_json("tally", "{");
//! assert!(err.starts_with(r#"{"error":"invalid_input""#));
//! # Ok::<(), yeweihui::Error>(())
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::ballot::{BallotRecord, VotingRecord};
use crate::calendar::{format_date, parse_date};
use crate::error::{Error, Result};
use crate::explain::Lang;
use crate::matter::Matter;
use crate::register::{Register, RegisterRecords, Scope, UnitRecord};
use crate::rulebook::Rulebook;
use crate::tally::{tally_records, Motion, Outcome};

/// The operations [`run`] knows.
pub const OPERATIONS: [&str; 3] = ["tally", "explain", "rulebooks"];

/// Parses JSON into `T`, reporting `(path, detail)` on failure; trailing
/// characters and duplicate keys are errors.
pub(crate) fn from_json_str<T: DeserializeOwned>(json: &str) -> std::result::Result<T, (String, String)> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value: T =
        serde_path_to_error::deserialize(&mut de).map_err(|e| (e.path().to_string(), e.inner().to_string()))?;
    de.end().map_err(|e| (".".to_owned(), e.to_string()))?;
    Ok(value)
}

/// Parses JSON input; errors are `invalid_input` with a path under `what`.
pub(crate) fn parse_json<T: DeserializeOwned>(json: &str, what: &str) -> Result<T> {
    from_json_str(json).map_err(|(path, detail)| {
        let path = if path == "." {
            what.to_owned()
        } else {
            format!("{what}.{path}")
        };
        Error::invalid_input(path, detail)
    })
}

/// Runs a wire operation on JSON text and returns JSON text.
pub fn run(operation: &str, input: &str) -> Result<String> {
    let output = match operation {
        "tally" => to_json(&parse_json::<TallyInput>(input, "input")?.run()?),
        "explain" => to_json(&parse_json::<ExplainInput>(input, "input")?.run()?),
        "rulebooks" => {
            parse_json::<Empty>(input, "input")?;
            to_json(&rulebooks())
        }
        other => return Err(Error::UnknownOperation(other.to_owned())),
    };
    Ok(output)
}

/// Like [`run`], but an error becomes `{"error": code, "message": ...}`.
pub fn run_to_json(operation: &str, input: &str) -> String {
    run(operation, input).unwrap_or_else(|e| error_to_json(&e))
}

/// The JSON form of an error: `{"error": code, "message": ...}`.
pub fn error_to_json(e: &Error) -> String {
    to_json(&ErrorOutput {
        error: e.code().as_str(),
        message: e.to_string(),
    })
}

#[derive(Serialize)]
struct ErrorOutput<'a> {
    error: &'a str,
    message: String,
}

fn to_json<T: Serialize>(value: &T) -> String {
    // Serializing these plain data types (string keys, no floats) cannot fail.
    serde_json::to_string(value)
        .unwrap_or_else(|e| format!(r#"{{"error":"invalid_input","message":{:?}}}"#, e.to_string()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

/// A rulebook in the input: a preset id or an inline rulebook.
#[derive(Debug, Clone)]
pub enum RulebookInput {
    /// A preset id such as `cn-national`.
    Preset(String),
    /// An inline rulebook (which may `extends` a preset).
    Inline(Box<Rulebook>),
}

impl RulebookInput {
    /// The rulebook, validated; presets are parsed once.
    pub fn resolve(&self) -> Result<std::borrow::Cow<'_, Rulebook>> {
        match self {
            RulebookInput::Preset(id) => Rulebook::preset(id).map(std::borrow::Cow::Borrowed),
            RulebookInput::Inline(book) => {
                book.validate()?;
                Ok(std::borrow::Cow::Borrowed(book))
            }
        }
    }
}

impl<'de> Deserialize<'de> for RulebookInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RulebookInput;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a preset id or a rulebook object")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<RulebookInput, E> {
                Ok(RulebookInput::Preset(v.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> std::result::Result<RulebookInput, A::Error> {
                Rulebook::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|b| RulebookInput::Inline(Box::new(b)))
            }
        }
        d.deserialize_any(V)
    }
}

/// Input of the `tally` operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TallyInput {
    /// Preset id or inline rulebook.
    pub rulebook: RulebookInput,
    /// `YYYY-MM-DD`: the date whose law applies.
    pub decided_on: String,
    /// Matter name.
    pub matter: String,
    /// Scope (default: the whole estate).
    #[serde(default)]
    pub scope: Option<Scope>,
    /// `{"units": [...]}` or a list of units.
    register: RegisterRecords,
    /// Ballots.
    #[serde(default)]
    pub ballots: Vec<BallotRecord>,
    /// Window and policies.
    #[serde(default)]
    pub voting: Option<VotingRecord>,
}

impl TallyInput {
    /// The register rows as given.
    pub fn units(&self) -> &[UnitRecord] {
        self.register.units()
    }

    /// Validates the input and tallies it.
    pub fn run(&self) -> Result<Outcome> {
        let rulebook = self.rulebook.resolve()?;
        let matter: Matter = self.matter.parse()?;
        let decided_on = parse_date("decided_on", &self.decided_on)?;
        let register = Register::new(self.register.units())?;
        let voting = self.voting.clone().unwrap_or_default().parse()?;
        let motion = Motion::new(matter, decided_on)
            .with_scope(self.scope.clone().unwrap_or_default())
            .with_voting(voting);
        tally_records(&rulebook, &register, &motion, &self.ballots)
    }
}

/// Input of the `explain` operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainInput {
    /// An outcome as `tally` returned it.
    pub outcome: Outcome,
    /// `zh` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

/// Output of the `explain` operation.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainOutput {
    /// The language used.
    pub lang: Lang,
    /// The explanation.
    pub text: String,
}

impl ExplainInput {
    /// Explains the outcome.
    pub fn run(&self) -> Result<ExplainOutput> {
        let lang: Lang = self.lang.as_deref().unwrap_or("zh").parse()?;
        Ok(ExplainOutput {
            lang,
            text: self.outcome.explain(lang),
        })
    }
}

/// Output of the `rulebooks` operation: the presets shipped.
#[derive(Debug, Clone, Serialize)]
pub struct RulebooksOutput {
    /// The library's version.
    pub library_version: &'static str,
    /// Each preset with its versions.
    pub presets: Vec<PresetSummary>,
}

/// One preset in [`RulebooksOutput`].
#[derive(Debug, Clone, Serialize)]
pub struct PresetSummary {
    /// Preset id.
    pub id: String,
    /// Its versions: id, first and last day in force.
    pub versions: Vec<VersionSummary>,
    /// Set when the preset fails to load (a packaging bug).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One version in [`PresetSummary`].
#[derive(Debug, Clone, Serialize)]
pub struct VersionSummary {
    /// Version id.
    pub id: String,
    /// First day in force.
    pub effective_from: String,
    /// Last day in force, if any.
    pub effective_to: Option<String>,
}

/// Lists the presets shipped and their versions.
pub fn rulebooks() -> RulebooksOutput {
    let presets = Rulebook::preset_ids()
        .map(|id| match Rulebook::preset(id) {
            Ok(book) => PresetSummary {
                id: id.to_owned(),
                versions: book
                    .versions
                    .iter()
                    .map(|v| VersionSummary {
                        id: v.id.clone(),
                        effective_from: format_date(v.effective_from),
                        effective_to: v.effective_to.map(format_date),
                    })
                    .collect(),
                error: None,
            },
            Err(e) => PresetSummary {
                id: id.to_owned(),
                versions: Vec::new(),
                error: Some(e.to_string()),
            },
        })
        .collect();
    RulebooksOutput {
        library_version: env!("CARGO_PKG_VERSION"),
        presets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_have_codes_and_paths() {
        let e = run("tally", r#"{"rulebook": "cn-national"}"#).unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_input");
        let e = run("vote", "{}").unwrap_err();
        assert_eq!(e.code().as_str(), "unknown_operation");
        let e = run("tally", r#"{"rulebook": "cn-national", "decided_on": "2026-01-01", "matter": "x", "register": {"units": [{"id": "a", "area": "1", "flat": 1}]}}"#).unwrap_err();
        assert!(e.to_string().contains("register.units[0]"), "{e}");
        let e = run("tally", r#"{"rulebook": "cn-national", "rulebook": "cn-national"}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate"), "{e}");
        let e = run("rulebooks", "{} x").unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_input");
    }

    #[test]
    fn rulebooks_lists_the_national_preset() {
        let out = run("rulebooks", "{}").unwrap();
        assert!(
            out.contains(r#""id":"civil-code-2021","effective_from":"2021-01-01","effective_to":null"#),
            "{out}"
        );
    }
}
