//! The assembly meeting procedure: the notice owed to owners before a
//! meeting (物业管理条例 Art. 14) and owners' requisition of an
//! extraordinary meeting (Art. 13). The numbers come from the rulebook.
//!
//! **Interpretation** (LAW.md §4): a notice "N days before" a meeting is on
//! time when given no later than the meeting date minus N calendar days;
//! rest days do not move it.
//!
//! ```
//! use yeweihui::assembly::assembly_notice;
//! use yeweihui::calendar::parse_date;
//! use yeweihui::Rulebook;
//! let rules = Rulebook::preset("cn-national")?.in_force(parse_date("d", "2026-06-20")?)?;
//! let n = assembly_notice(&rules, parse_date("meeting_on", "2026-06-20")?, Some(parse_date("p", "2026-06-06")?))?;
//! assert_eq!(n.latest_notice_on.to_string(), "2026-06-05");
//! assert_eq!(n.check.as_ref().map(|c| c.met), Some(false)); // 14 days ahead, 15 needed
//! # Ok::<(), yeweihui::Error>(())
//! ```

use crate::calendar::Date;
use crate::error::{Error, Result};
use crate::json::{FromJson, ToJson};
use crate::register::{Register, Scope};
use crate::rulebook::{Layer, RulesInForce};
use crate::tally::{fixed_check, Check};

/// How many days ahead a notice was given, against the days required.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct DaysCheck {
    /// Whether enough days were given.
    pub met: bool,
    /// Days between the notice and the meeting.
    pub measured: i64,
    /// Days required.
    pub required: u32,
    /// Days missing (0 when met).
    pub shortfall: i64,
}

impl DaysCheck {
    /// Checks that `published` is at least `days` days before `event`.
    pub fn between(published: Date, event: Date, days: u32) -> DaysCheck {
        let measured = (event - published).whole_days();
        DaysCheck {
            met: measured >= i64::from(days),
            measured,
            required: days,
            shortfall: (i64::from(days) - measured).max(0),
        }
    }
}

/// The notice owed before an assembly meeting.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Notice {
    /// The meeting (or the opening of a written consultation).
    pub meeting_on: Date,
    /// Days of notice required.
    pub notice_days: u32,
    /// The last day a notice can be given.
    pub latest_notice_on: Date,
    /// When it was published, if given.
    #[json(skip_if = "Option::is_none")]
    pub published_on: Option<Date>,
    /// The check of the published notice, if a date was given.
    #[json(skip_if = "Option::is_none")]
    pub check: Option<DaysCheck>,
    /// The rule, in Chinese.
    pub citation: String,
    /// The rule, in English.
    pub citation_en: String,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// The latest notice date for a meeting, and whether a given notice was on time.
pub fn assembly_notice(rules: &RulesInForce, meeting_on: Date, published_on: Option<Date>) -> Result<Notice> {
    let rule = rules
        .procedure()
        .assembly_notice
        .as_ref()
        .ok_or_else(|| rules.missing("assembly notice period"))?;
    let latest_notice_on = meeting_on
        .checked_sub(time::Duration::days(i64::from(rule.days)))
        .ok_or_else(|| Error::invalid_input("meeting_on", "too early a date"))?;
    let check = published_on.map(|p| DaysCheck::between(p, meeting_on, rule.days));
    Ok(Notice {
        meeting_on,
        notice_days: rule.days,
        latest_notice_on,
        published_on,
        check,
        citation: rule.citation.zh.clone(),
        citation_en: rule.citation.en.clone(),
        layers: rules.layers().to_vec(),
    })
}

/// A proposer who does not count, and why.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct ProposerRejection {
    /// Position in the input.
    pub index: u64,
    /// The unit named.
    pub unit: String,
    /// `unknown_unit`, `out_of_scope` or `same_owner` (already counted).
    pub code: &'static str,
}

/// Whether owners' proposals reach the requisition threshold.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Requisition {
    /// Whether the committee must convene an extraordinary meeting.
    pub met: bool,
    /// The check by headcount against the scope's owners.
    pub owners: Check<u64>,
    /// Proposals not counted, by input position.
    pub rejected: Vec<ProposerRejection>,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// Counts the owners behind the proposing units (one owner once,
/// 区分所有权解释 Art. 9) against the requisition threshold.
pub fn requisition(
    rules: &RulesInForce,
    register: &Register,
    scope: &Scope,
    proposers: &[String],
) -> Result<Requisition> {
    let rule = rules
        .procedure()
        .requisition
        .as_ref()
        .ok_or_else(|| rules.missing("requisition threshold"))?;
    let set = register.resolve(scope)?;
    let mut counted = vec![false; register.owner_count()];
    let mut owners = 0u64;
    let mut rejected = Vec::new();
    for (i, unit) in proposers.iter().enumerate() {
        let code = match register.position(unit) {
            None => Some("unknown_unit"),
            Some(p) if !set.contains(p) => Some("out_of_scope"),
            Some(p) => {
                let slot = &mut counted[register.owner_of()[p] as usize];
                let repeat = *slot;
                *slot = true;
                if repeat {
                    Some("same_owner")
                } else {
                    owners += 1;
                    None
                }
            }
        };
        if let Some(code) = code {
            rejected.push(ProposerRejection {
                index: i as u64,
                unit: unit.clone(),
                code,
            });
        }
    }
    let base = set.totals().owners;
    let check = fixed_check(owners, base, rule.owners, base - owners, &rule.citation);
    Ok(Requisition {
        met: check.met,
        owners: check,
        rejected,
        layers: rules.layers().to_vec(),
    })
}
