//! A committee's term (任期) and the dates that follow from it: the first
//! meeting and the filing after an election (指导规则 Arts. 32–33), the end
//! of the term (at most 5 years, Art. 32; the corresponding day, 民法典 Art.
//! 202), when the next election (换届) must start and when records must be
//! handed over (local or estate rules), and whether a member may stand
//! again under a term limit (national law sets none: 可连选连任).
//!
//! **Interpretation**: the term ends on its nominal last day even when that
//! is a rest day (the flag `term_end_is_rest_day` says so); deadlines that
//! run from it are legal periods, moved past rest days.

use crate::calendar::{shift_months, uncovered_due_date, Date, HolidayCalendar, Period};
use crate::error::{Error, Result};
use crate::json::ToJson;
use crate::rulebook::{DaysRule, Layer, RulesInForce, Text};

/// A date that follows from the rules, with its rule.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct RuleDate {
    /// The date.
    pub date: Date,
    /// The date before rest days moved it, when they did.
    #[json(skip_if = "Option::is_none")]
    pub moved_from: Option<Date>,
    /// The rule, in Chinese.
    pub citation: String,
    /// The rule, in English.
    pub citation_en: String,
}

/// Whether a member may stand again.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct StandAgain {
    /// Whether they may.
    pub allowed: bool,
    /// Consecutive terms served, counting the current one.
    pub served: u32,
    /// The limit, if the rules set one.
    #[json(skip_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The rule, in Chinese.
    pub citation: String,
    /// The rule, in English.
    pub citation_en: String,
}

/// A term and its dates.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Term {
    /// The election date: the term starts then.
    pub term_start: Date,
    /// Years in a term.
    pub term_years: u32,
    /// The last day of the term.
    pub term_end: Date,
    /// Whether that day is a rest day (null when the calendar does not cover its year).
    pub term_end_is_rest_day: Option<bool>,
    /// The term rule.
    pub term_citation: Text,
    /// The first meeting is held by.
    #[json(skip_if = "Option::is_none")]
    pub first_meeting_by: Option<RuleDate>,
    /// The election is filed by.
    #[json(skip_if = "Option::is_none")]
    pub filing_by: Option<RuleDate>,
    /// The next election must start by.
    #[json(skip_if = "Option::is_none")]
    pub re_election_start_by: Option<RuleDate>,
    /// Records are handed over by.
    #[json(skip_if = "Option::is_none")]
    pub handover_by: Option<RuleDate>,
    /// Whether the member may stand again, when their terms served are given.
    #[json(skip_if = "Option::is_none")]
    pub may_stand_again: Option<StandAgain>,
    /// Dates the rules in force leave to local or estate rules.
    pub not_set: Vec<String>,
    /// Dates the rules set but the holiday calendar cannot place yet, with the reason.
    pub not_computed: Vec<NotComputed>,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// A date that cannot be computed yet.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct NotComputed {
    /// Which date.
    pub name: String,
    /// Why (the year is not in the holiday calendar yet), in Chinese.
    pub reason: String,
    /// Why, in English.
    pub reason_en: String,
}

fn after(calendar: &HolidayCalendar, start: Date, rule: &DaysRule) -> Result<RuleDate> {
    let d = calendar.deadline(start, Period::Days(rule.days))?;
    Ok(RuleDate {
        date: d.due,
        moved_from: (d.due != d.nominal_end).then_some(d.nominal_end),
        citation: rule.citation.zh.clone(),
        citation_en: rule.citation.en.clone(),
    })
}

/// The term that starts with an election on `elected_on`; `served` is the
/// number of consecutive terms the member will have served with this one.
pub fn term(rules: &RulesInForce, calendar: &HolidayCalendar, elected_on: Date, served: Option<u32>) -> Result<Term> {
    let c = rules.committee().cloned().unwrap_or_default();
    let t = c
        .term_years
        .as_ref()
        .ok_or_else(|| rules.missing("committee term rule"))?;
    let term_end = shift_months(elected_on, i64::from(t.years) * 12)
        .ok_or_else(|| Error::invalid_input("elected_on", "too late a date"))?;
    let mut not_set = Vec::new();
    let mut not_computed = Vec::new();
    let mut optional = |name: &str, rule: Option<&DaysRule>, start: Date| -> Result<Option<RuleDate>> {
        match rule.map(|r| after(calendar, start, r)) {
            Some(Ok(d)) => Ok(Some(d)),
            Some(Err(Error::CalendarYearNotCovered { year, covered })) => {
                let why = uncovered_due_date(year);
                not_computed.push(NotComputed {
                    name: name.to_owned(),
                    reason: format!("{}（已收录 {covered} 年；calendar_year_not_covered）", why.zh),
                    reason_en: format!("{} (covered: {covered}; calendar_year_not_covered)", why.en),
                });
                Ok(None)
            }
            Some(Err(e)) => Err(e),
            None => {
                not_set.push(name.to_owned());
                Ok(None)
            }
        }
    };
    let first_meeting_by = optional("first_meeting", c.first_meeting.as_ref(), elected_on)?;
    let filing_by = optional("filing", c.filing.as_ref(), elected_on)?;
    let handover_by = optional("handover", c.handover.as_ref(), term_end)?;
    let re_election_start_by = match &c.re_election {
        Some(r) => Some(RuleDate {
            date: shift_months(term_end, -i64::from(r.months))
                .ok_or_else(|| Error::invalid_input("elected_on", "too early a date"))?,
            moved_from: None,
            citation: r.citation.zh.clone(),
            citation_en: r.citation.en.clone(),
        }),
        None => {
            not_set.push("re_election".to_owned());
            None
        }
    };
    let may_stand_again = served.map(|served| match &c.term_limit {
        Some(l) => StandAgain {
            allowed: served < l.consecutive_terms,
            served,
            limit: Some(l.consecutive_terms),
            citation: l.citation.zh.clone(),
            citation_en: l.citation.en.clone(),
        },
        None => StandAgain {
            allowed: true,
            served,
            limit: None,
            citation: t.citation.zh.clone(),
            citation_en: t.citation.en.clone(),
        },
    });
    Ok(Term {
        term_start: elected_on,
        term_years: t.years,
        term_end,
        term_end_is_rest_day: calendar.day(term_end).ok().map(|d| d.is_rest()),
        term_citation: t.citation.clone(),
        first_meeting_by,
        filing_by,
        re_election_start_by,
        handover_by,
        may_stand_again,
        not_set,
        not_computed,
        layers: rules.layers().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_date;
    use crate::Rulebook;

    /// A handover due in a year the calendar does not cover is not computed,
    /// and says why in both languages.
    #[test]
    fn a_date_in_an_uncovered_year_says_why_in_both_languages() {
        let rules = Rulebook::preset("cn-hangzhou")
            .unwrap()
            .in_force(parse_date("d", "2026-05-20").unwrap())
            .unwrap();
        let calendar = HolidayCalendar::china();
        let elected_on = parse_date("elected_on", "2026-05-20").unwrap();
        let t = term(&rules, calendar, elected_on, None).unwrap();
        assert!(t.handover_by.is_none());
        let [nc] = t.not_computed.as_slice() else {
            panic!("{:?}", t.not_computed)
        };
        let (year, covered) = ("2031", calendar.covered());
        assert_eq!(nc.name, "handover");
        for (text, words) in [(&nc.reason, "节假日安排尚未收录的"), (&nc.reason_en, "does not cover")] {
            assert!(
                text.contains(words)
                    && text.contains(year)
                    && text.contains(&covered)
                    && text.contains("calendar_year_not_covered"),
                "{text}"
            );
        }
    }
}
