//! Listing the rules in force: every rule, the layer it comes from, and its
//! citation (`yeweihui rules --rulebook my-estate.toml --on 2026-05-01`).

use super::{Citation, Layer, Rulebook, Text, Trigger, Version};
use crate::ballot::NON_RESPONSE_IGNORE;
use crate::calendar::Date;
use crate::error::Result;
use crate::explain::{count_en, threshold_zh};
use crate::json::ToJson;

/// One rule in force.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct RuleInForce {
    /// Its path, e.g. `assembly.rebuild.approval` or `committee.size`.
    pub rule: String,
    /// What it says, in short, in Chinese.
    pub value: String,
    /// What it says, in short, in English.
    pub value_en: String,
    /// The layer it comes from.
    pub layer: Layer,
    /// Its citation, in Chinese.
    pub citation: String,
    /// Its citation, in English.
    pub citation_en: String,
}

/// Chinese and English.
fn both(zh: String, en: String) -> Text {
    Text { zh, en }
}

/// The rules a version sets, in a stable order, each said in Chinese and English.
fn entries(v: &Version) -> Vec<(String, Text, &Citation)> {
    let mut out: Vec<(String, Text, &Citation)> = Vec::new();
    for (m, r) in &v.assembly {
        if let Some(p) = &r.participation {
            out.push((
                format!("assembly.{m}.participation"),
                both(
                    format!(
                        "专有部分面积占比{}的业主且人数占比{}的业主参与表决",
                        threshold_zh(p.area),
                        threshold_zh(p.owners)
                    ),
                    format!("area {}; owners {} of the scope", p.area, p.owners),
                ),
                &p.citation,
            ));
        }
        let (a, o) = (r.approval.area, r.approval.owners);
        let (zh, en) = match r.approval.base {
            super::ApprovalBase::Participating => (
                format!(
                    "经参与表决专有部分面积{}的业主且参与表决人数{}的业主同意",
                    threshold_zh(a),
                    threshold_zh(o)
                ),
                format!("area {a}; owners {o} of those taking part"),
            ),
            super::ApprovalBase::Total => (
                format!(
                    "经专有部分占总面积{}的业主且占总人数{}的业主同意",
                    threshold_zh(a),
                    threshold_zh(o)
                ),
                format!("area {a}; owners {o} of all in scope"),
            ),
        };
        out.push((format!("assembly.{m}.approval"), both(zh, en), &r.approval.citation));
    }
    if let Some(voting) = &v.voting {
        let ids = voting.non_response.join(", ");
        let zh = match voting.non_response.as_slice() {
            [one] if one == NON_RESPONSE_IGNORE => format!("未参与表决的业主不计入任何一方（{ids}）"),
            _ => ids.clone(),
        };
        out.push(("voting.non_response".into(), both(zh, ids), &voting.citation));
    }
    if let Some(p) = &v.procedure {
        if let Some(n) = &p.assembly_notice {
            out.push((
                "procedure.assembly_notice".into(),
                both(
                    format!("会议召开 {} 日以前通知全体业主", n.days),
                    format!("{} before a meeting", count_en(n.days, "day", "days")),
                ),
                &n.citation,
            ));
        }
        if let Some(r) = &p.requisition {
            out.push((
                "procedure.requisition".into(),
                both(
                    format!("{}的业主提议", threshold_zh(r.owners)),
                    format!("owners {}", r.owners),
                ),
                &r.citation,
            ));
        }
    }
    if let Some(c) = &v.committee {
        let thresholds = [
            (
                "meeting_quorum",
                &c.meeting_quorum,
                "{}的委员出席",
                "of members present",
            ),
            ("decision", &c.decision, "全体委员{}同意", "of all members agreeing"),
        ];
        for (name, rule, zh, en) in thresholds {
            if let Some(r) = rule {
                out.push((
                    format!("committee.{name}"),
                    both(
                        zh.replace("{}", &threshold_zh(r.threshold)),
                        format!("{} {en}", r.threshold),
                    ),
                    &r.citation,
                ));
            }
        }
        let days = [
            (
                "meeting_notice",
                &c.meeting_notice,
                "会议召开 {} 日前公告",
                "before a meeting",
            ),
            (
                "first_meeting",
                &c.first_meeting,
                "自选举之日起 {} 日内召开首次会议",
                "after the election, at the latest",
            ),
            (
                "filing",
                &c.filing,
                "自选举之日起 {} 日内备案",
                "after the election, at the latest",
            ),
            (
                "handover",
                &c.handover,
                "自任期届满之日起 {} 日内移交",
                "after the term ends, at the latest",
            ),
        ];
        for (name, rule, zh, en) in days {
            if let Some(r) = rule {
                out.push((
                    format!("committee.{name}"),
                    both(
                        zh.replace("{}", &r.days.to_string()),
                        format!("{} {en}", count_en(r.days, "day", "days")),
                    ),
                    &r.citation,
                ));
            }
        }
        if let Some(s) = &c.size {
            out.push(("committee.size".into(), s.describe(), &s.citation));
        }
        if let Some(t) = &c.term_years {
            let years = match t.min_years {
                Some(m) => both(
                    format!("每届任期 {m} 至 {} 年", t.years),
                    format!("{m} to {}", count_en(t.years, "year", "years")),
                ),
                None => both(format!("每届任期 {} 年", t.years), count_en(t.years, "year", "years")),
            };
            out.push(("committee.term_years".into(), years, &t.citation));
        }
        if let Some(t) = &c.term_limit {
            out.push((
                "committee.term_limit".into(),
                both(
                    format!("连续任职不超过 {} 届", t.consecutive_terms),
                    count_en(t.consecutive_terms, "consecutive term", "consecutive terms"),
                ),
                &t.citation,
            ));
        }
        if let Some(r) = &c.re_election {
            out.push((
                "committee.re_election".into(),
                both(
                    format!("任期届满 {} 个月前开始换届", r.months),
                    format!("starts {} before the term ends", count_en(r.months, "month", "months")),
                ),
                &r.citation,
            ));
        }
        if let Some(r) = &c.removal {
            // each side the rules set: the members', the owners'
            let sides = [(r.members, "委员", "members"), (r.owners, "业主", "owners")];
            let (zh, en): (Vec<String>, Vec<String>) = sides
                .into_iter()
                .filter_map(|(t, zh, en)| t.map(|t| (format!("{}的{zh}", threshold_zh(t)), format!("{en} {t}"))))
                .unzip();
            out.push((
                "committee.removal".into(),
                both(
                    format!("{}提议罢免", zh.join("或")),
                    format!("proposed by {}", en.join(" or ")),
                ),
                &r.citation,
            ));
        }
        if let Some(r) = &c.min_in_office {
            out.push((
                "committee.min_in_office".into(),
                both(
                    format!("在任委员占委员会席位{}", threshold_zh(r.threshold)),
                    format!("{} of seats filled", r.threshold),
                ),
                &r.citation,
            ));
        }
        if let Some(t) = &c.tie {
            let (zh, en) = match t.method {
                super::TieMethod::RunOff => ("得票相同时另行投票决定", "resolved by a run-off"),
                super::TieMethod::Lot => ("得票相同时抽签决定", "resolved by drawing lots"),
            };
            out.push(("committee.tie".into(), both(zh.into(), en.into()), &t.citation));
        }
        for d in &c.disqualifications {
            out.push((
                format!("committee.disqualifications.{}", d.flag),
                d.name.clone(),
                &d.citation,
            ));
        }
    }
    if let Some(f) = &v.funds {
        for r in &f.routes {
            out.push((
                format!("funds.routes.{}.{}", r.fund.as_str(), r.action.as_str()),
                both(
                    format!("由业主按“{}”表决（{}）", r.matter.name_zh(), r.matter),
                    format!("decided as {}", r.matter),
                ),
                &r.citation,
            ));
        }
        for l in &f.committee_limits {
            out.push((
                format!("funds.committee_limits.{}", l.fund.as_str()),
                both(
                    format!("{} 元以内由业主委员会决定", l.amount),
                    format!("the committee alone up to {} yuan", l.amount),
                ),
                &l.citation,
            ));
        }
        if let Some(e) = &f.emergency {
            let zh: Vec<&str> = e.situations.iter().map(|s| s.name.zh.as_str()).collect();
            let ids: Vec<&str> = e.situations.iter().map(|s| s.id.as_str()).collect();
            out.push((
                "funds.emergency".into(),
                both(
                    format!("以下紧急情况无需业主表决：{}", zh.join("；")),
                    format!("no vote for: {}", ids.join(", ")),
                ),
                &e.citation,
            ));
        }
    }
    for o in &v.disclosure {
        let when = o.trigger.describe();
        let posted = o.posted_for_days.map_or_else(
            || both(String::new(), String::new()),
            |d| {
                both(
                    format!("；公开时间不少于 {d} 日"),
                    format!("; posted for at least {}", count_en(d, "day", "days")),
                )
            },
        );
        out.push((
            format!("disclosure.{}", o.id),
            both(
                format!("{}：{}{}", o.name.zh, when.zh, posted.zh),
                format!("{}: {}{}", o.name.en, when.en, posted.en),
            ),
            &o.citation,
        ));
    }
    out
}

impl Trigger {
    /// When an obligation falls due, in Chinese and English: `committee_decision
    /// 之日起 3 日内`, `within 3 days after committee_decision`.
    pub(crate) fn describe(&self) -> Text {
        let every = |months: u32| match months {
            1 => both("每月".into(), "every month".into()),
            m => both(format!("每 {m} 个月"), format!("every {m} months")),
        };
        match self {
            Trigger::After { event, days: Some(d) } => both(
                format!("{event} 之日起 {d} 日内"),
                format!("within {} after {event}", count_en(*d, "day", "days")),
            ),
            Trigger::After { event, days: None } => {
                both(format!("{event} 后及时公开"), format!("promptly after {event}"))
            }
            Trigger::Before { event, days } => both(
                format!("{event} {days} 日前"),
                format!("{} before {event}", count_en(*days, "day", "days")),
            ),
            Trigger::Every {
                months: Some(m),
                within_days: 0,
            } => {
                let e = every(*m);
                both(
                    format!("{}一次，每期结束时", e.zh),
                    format!("{}, by the end of each period", e.en),
                )
            }
            Trigger::Every {
                months: Some(m),
                within_days,
            } => {
                let e = every(*m);
                both(
                    format!("{}一次，每期结束后 {within_days} 日内", e.zh),
                    format!(
                        "{}, within {} after each period",
                        e.en,
                        count_en(*within_days, "day", "days")
                    ),
                )
            }
            Trigger::Every { months: None, .. } => both(
                "定期（频次由地方法规或本小区规则规定）".into(),
                "regularly (frequency set by local or estate rules)".into(),
            ),
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
                    value: value.zh,
                    value_en: value.en,
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
