//! Listing the rules in force: every rule, the layer it comes from, and its
//! citation (`yeweihui rules --rulebook my-estate.toml --on 2026-05-01`).

use super::{Citation, Layer, Rulebook, Trigger, Version};
use crate::calendar::Date;
use crate::error::Result;
use crate::explain::count_en;
use crate::json::ToJson;

/// One rule in force.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct RuleInForce {
    /// Its path, e.g. `assembly.rebuild.approval` or `committee.size`.
    pub rule: String,
    /// What it says, in short.
    pub value: String,
    /// The layer it comes from.
    pub layer: Layer,
    /// Its citation, in Chinese.
    pub citation: String,
    /// Its citation, in English.
    pub citation_en: String,
}

/// The rules a version sets, in a stable order.
fn entries(v: &Version) -> Vec<(String, String, &Citation)> {
    let mut out: Vec<(String, String, &Citation)> = Vec::new();
    let both = |a: &dyn std::fmt::Display, o: &dyn std::fmt::Display| format!("area {a}; owners {o}");
    for (m, r) in &v.assembly {
        if let Some(p) = &r.participation {
            out.push((
                format!("assembly.{m}.participation"),
                both(&p.area, &p.owners) + " of the scope",
                &p.citation,
            ));
        }
        let base = match r.approval.base {
            super::ApprovalBase::Participating => "of those taking part",
            super::ApprovalBase::Total => "of all in scope",
        };
        out.push((
            format!("assembly.{m}.approval"),
            format!("{} {base}", both(&r.approval.area, &r.approval.owners)),
            &r.approval.citation,
        ));
    }
    if let Some(voting) = &v.voting {
        out.push((
            "voting.non_response".into(),
            voting.non_response.join(", "),
            &voting.citation,
        ));
    }
    if let Some(p) = &v.procedure {
        if let Some(n) = &p.assembly_notice {
            out.push((
                "procedure.assembly_notice".into(),
                format!("{} before a meeting", count_en(n.days, "day", "days")),
                &n.citation,
            ));
        }
        if let Some(r) = &p.requisition {
            out.push((
                "procedure.requisition".into(),
                format!("owners {}", r.owners),
                &r.citation,
            ));
        }
    }
    if let Some(c) = &v.committee {
        let thresholds = [
            ("meeting_quorum", &c.meeting_quorum, "of members present"),
            ("decision", &c.decision, "of all members agreeing"),
        ];
        for (name, rule, what) in thresholds {
            if let Some(r) = rule {
                out.push((
                    format!("committee.{name}"),
                    format!("{} {what}", r.threshold),
                    &r.citation,
                ));
            }
        }
        let days = [
            ("meeting_notice", &c.meeting_notice, "before a meeting"),
            ("first_meeting", &c.first_meeting, "after the election, at the latest"),
            ("filing", &c.filing, "after the election, at the latest"),
            ("handover", &c.handover, "after the term ends, at the latest"),
        ];
        for (name, rule, what) in days {
            if let Some(r) = rule {
                out.push((
                    format!("committee.{name}"),
                    format!("{} {what}", count_en(r.days, "day", "days")),
                    &r.citation,
                ));
            }
        }
        if let Some(s) = &c.size {
            out.push(("committee.size".into(), s.describe(), &s.citation));
        }
        if let Some(t) = &c.term_years {
            let years = match t.min_years {
                Some(m) => format!("{m} to {}", count_en(t.years, "year", "years")),
                None => count_en(t.years, "year", "years"),
            };
            out.push(("committee.term_years".into(), years, &t.citation));
        }
        if let Some(t) = &c.term_limit {
            out.push((
                "committee.term_limit".into(),
                count_en(t.consecutive_terms, "consecutive term", "consecutive terms"),
                &t.citation,
            ));
        }
        if let Some(r) = &c.re_election {
            out.push((
                "committee.re_election".into(),
                format!("starts {} before the term ends", count_en(r.months, "month", "months")),
                &r.citation,
            ));
        }
        if let Some(r) = &c.removal {
            let side = |name: &str, t: Option<crate::quantity::Threshold>| t.map(|t| format!("{name} {t}"));
            let sides: Vec<String> = [side("members", r.members), side("owners", r.owners)]
                .into_iter()
                .flatten()
                .collect();
            out.push((
                "committee.removal".into(),
                format!("proposed by {}", sides.join(" or ")),
                &r.citation,
            ));
        }
        if let Some(r) = &c.min_in_office {
            out.push((
                "committee.min_in_office".into(),
                format!("{} of seats filled", r.threshold),
                &r.citation,
            ));
        }
        if let Some(t) = &c.tie {
            let method = match t.method {
                super::TieMethod::RunOff => "a run-off",
                super::TieMethod::Lot => "drawing lots",
            };
            out.push(("committee.tie".into(), format!("resolved by {method}"), &t.citation));
        }
        for d in &c.disqualifications {
            out.push((
                format!("committee.disqualifications.{}", d.flag),
                d.name.en.clone(),
                &d.citation,
            ));
        }
    }
    if let Some(f) = &v.funds {
        for r in &f.routes {
            out.push((
                format!("funds.routes.{}.{}", r.fund.as_str(), r.action.as_str()),
                format!("decided as {}", r.matter),
                &r.citation,
            ));
        }
        for l in &f.committee_limits {
            out.push((
                format!("funds.committee_limits.{}", l.fund.as_str()),
                format!("the committee alone up to {} yuan", l.amount),
                &l.citation,
            ));
        }
        if let Some(e) = &f.emergency {
            let ids: Vec<&str> = e.situations.iter().map(|s| s.id.as_str()).collect();
            out.push((
                "funds.emergency".into(),
                format!("no vote for: {}", ids.join(", ")),
                &e.citation,
            ));
        }
    }
    for o in &v.disclosure {
        let when = o.trigger.describe();
        let posted = o.posted_for_days.map_or(String::new(), |d| {
            format!("; posted for at least {}", count_en(d, "day", "days"))
        });
        out.push((
            format!("disclosure.{}", o.id),
            format!("{}: {when}{posted}", o.name.en),
            &o.citation,
        ));
    }
    out
}

impl Trigger {
    /// When an obligation falls due, in English: `within 3 days after
    /// committee_decision`, `every 3 months, within 15 days after each period`.
    pub(crate) fn describe(&self) -> String {
        let every = |months: u32| match months {
            1 => "every month".to_owned(),
            m => format!("every {m} months"),
        };
        match self {
            Trigger::After { event, days: Some(d) } => format!("within {} after {event}", count_en(*d, "day", "days")),
            Trigger::After { event, days: None } => format!("promptly after {event}"),
            Trigger::Before { event, days } => format!("{} before {event}", count_en(*days, "day", "days")),
            Trigger::Every {
                months: Some(m),
                within_days: 0,
            } => format!("{}, by the end of each period", every(*m)),
            Trigger::Every {
                months: Some(m),
                within_days,
            } => format!(
                "{}, within {} after each period",
                every(*m),
                count_en(*within_days, "day", "days")
            ),
            Trigger::Every { months: None, .. } => "regularly (frequency set by local or estate rules)".to_owned(),
        }
    }
}

impl Rulebook {
    /// The layers of this rulebook's chain, national law first.
    fn chain(&self) -> Result<Vec<&Rulebook>> {
        let mut books = vec![self];
        let mut current = self;
        while let Some(parent) = &current.extends {
            current = parent.rulebook()?;
            books.push(current);
            if books.len() > crate::limits::MAX_RULEBOOK_DEPTH {
                return Err(crate::Error::limit(
                    "rulebook extends depth",
                    crate::limits::MAX_RULEBOOK_DEPTH,
                    books.len(),
                ));
            }
        }
        books.reverse();
        Ok(books)
    }

    /// Every rule in force on `date` through the whole chain, each with the
    /// layer it comes from and its citation. Checks the chain as
    /// [`Rulebook::in_force`] does (a looser layer is an error).
    pub fn rules_in_force(&self, date: Date) -> Result<Vec<RuleInForce>> {
        self.in_force(date)?;
        let mut out: Vec<RuleInForce> = Vec::new();
        for book in self.chain()? {
            let Some(v) = book.version_on(date) else { continue };
            let layer = Layer {
                rulebook: book.id.clone(),
                version: v.id.clone(),
            };
            for (rule, value, citation) in entries(v) {
                let entry = RuleInForce {
                    rule,
                    value,
                    layer: layer.clone(),
                    citation: citation.zh.clone(),
                    citation_en: citation.en.clone(),
                };
                match out.iter_mut().find(|e| e.rule == entry.rule) {
                    Some(slot) => *slot = entry,
                    None => out.push(entry),
                }
            }
        }
        Ok(out)
    }
}
