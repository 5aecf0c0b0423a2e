//! Disclosure (公开): what the owners' committee must publish, by when, and
//! whether it did.
//!
//! The catalogue comes from the rulebook ([`crate::rulebook::Obligation`]):
//! each obligation is due after an event (a committee decision: within 3
//! days, 指导规则 Art. 39), before an event (a committee meeting's agenda: 7
//! days ahead, Art. 39; an assembly meeting's notice: 物业管理条例 Art. 14),
//! or every period (accounts: "regularly", 民法典 Art. 281, with the
//! frequency set by local or estate rules). Periods after an event or a
//! period's end are legal periods (民法典 Arts. 201–203, holidays respected);
//! "N days before" deadlines are not moved by rest days (LAW.md §4).
//!
//! [`schedule`] lists every due date in a span; [`audit`] checks a
//! publication log: on time, late by N days, missing, or not yet due.

use std::collections::BTreeMap;

use crate::calendar::{format_date, parse_date, uncovered_due_date, Date, HolidayCalendar, Period};
use crate::error::{Error, Result};
use crate::json::{FromJson, ToJson};
use crate::rulebook::{Layer, Obligation, RulesInForce, Text, Trigger};

/// Something that happened and triggers obligations (a decision, a meeting).
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Event {
    /// The kind, e.g. `committee_decision`.
    pub event: String,
    /// When (the decision date, the meeting date).
    pub on: String,
    /// The user's reference for it, e.g. `决定-2026-07`.
    #[json(rename = "ref")]
    pub reference: String,
}

/// One publication in the committee's log.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Publication {
    /// The obligation it fulfils.
    pub obligation: String,
    /// The event it is about (for event-triggered obligations).
    #[json(rename = "ref", default, skip_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The period it covers, by its last day (for recurring obligations).
    #[json(default, skip_if = "Option::is_none")]
    pub period_end: Option<String>,
    /// When it was posted.
    pub published_on: String,
    /// When it was taken down, if it was.
    #[json(default, skip_if = "Option::is_none")]
    pub removed_on: Option<String>,
}

/// One due publication.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Due {
    /// Obligation id.
    pub obligation: String,
    /// What is published.
    pub name: Text,
    /// The event it is about.
    #[json(rename = "ref", skip_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The period it covers.
    #[json(skip_if = "Option::is_none")]
    pub period_end: Option<Date>,
    /// The last day to publish; absent when the rules say only "promptly".
    pub due: Option<Date>,
    /// The rest days that moved the due date, by holiday name (or weekend).
    #[json(skip_if = "Vec::is_empty")]
    pub moved_by: Vec<String>,
    /// The least posting duration, in days.
    #[json(skip_if = "Option::is_none")]
    pub posted_for_days: Option<u32>,
    /// The rule, in Chinese.
    pub citation: String,
    /// The rule, in English.
    pub citation_en: String,
}

/// An obligation that cannot be scheduled from the rules in force, and why.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Unscheduled {
    /// Obligation id.
    pub obligation: String,
    /// Why, in Chinese.
    pub reason: String,
    /// Why, in English.
    pub reason_en: String,
}

/// The due publications in a span.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Schedule {
    /// Due publications, by due date (undated last), then obligation.
    pub items: Vec<Due>,
    /// Obligations the rules leave without a frequency.
    pub unscheduled: Vec<Unscheduled>,
    /// Events no obligation in force concerns.
    pub unmatched_events: Vec<String>,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// The obligations in force: the rulebook's catalogue plus the meeting
/// notices of the procedure and committee rules (one source for each number).
fn obligations(rules: &RulesInForce) -> Vec<Obligation> {
    let mut all = rules.disclosure().to_vec();
    if let Some(n) = &rules.procedure().assembly_notice {
        all.push(Obligation {
            id: "assembly_notice".into(),
            name: Text {
                zh: "业主大会会议通知".into(),
                en: "notice of an owners' assembly meeting".into(),
            },
            trigger: Trigger::Before {
                event: "assembly_meeting".into(),
                days: n.days,
            },
            posted_for_days: None,
            citation: n.citation.clone(),
        });
    }
    if let Some(n) = rules.committee().and_then(|c| c.meeting_notice.as_ref()) {
        all.push(Obligation {
            id: "committee_meeting_agenda".into(),
            name: Text {
                zh: "业主委员会会议的内容和议程".into(),
                en: "content and agenda of a committee meeting".into(),
            },
            trigger: Trigger::Before {
                event: "committee_meeting".into(),
                days: n.days,
            },
            posted_for_days: None,
            citation: n.citation.clone(),
        });
    }
    all
}

fn due_entry(
    o: &Obligation,
    reference: Option<String>,
    period_end: Option<Date>,
    due: Option<Date>,
    moved_by: Vec<String>,
) -> Due {
    Due {
        obligation: o.id.clone(),
        name: o.name.clone(),
        reference,
        period_end,
        due,
        moved_by,
        posted_for_days: o.posted_for_days,
        citation: o.citation.zh.clone(),
        citation_en: o.citation.en.clone(),
    }
}

/// A legal period of `days` after `start`, with the holidays that moved it.
fn after(calendar: &HolidayCalendar, start: Date, days: u32) -> Result<(Date, Vec<String>)> {
    let d = calendar.deadline(start, Period::Days(days))?;
    let mut moved: Vec<String> = Vec::new();
    for s in &d.skipped {
        let name = s
            .holiday
            .as_ref()
            .map_or_else(|| "周末 weekend".to_owned(), |h| format!("{} {}", h.zh, h.en));
        if !moved.contains(&name) {
            moved.push(name);
        }
    }
    Ok((d.due, moved))
}

/// The last day of each `months`-long period ending in `[from, to]`.
fn period_ends(months: u32, from: Date, to: Date) -> Vec<Date> {
    let mut out = Vec::new();
    for year in from.year()..=to.year() {
        for k in 1..=(12 / months) {
            let month = (k * months) as u8;
            let end = time::Month::try_from(month)
                .ok()
                .and_then(|m| Date::from_calendar_date(year, m, time::util::days_in_month(m, year)).ok());
            if let Some(end) = end.filter(|e| from <= *e && *e <= to) {
                out.push(end);
            }
        }
    }
    out
}

/// A due date that falls in a year the calendar does not cover is reported
/// for that item alone; any other error fails the operation.
fn not_covered(o: &Obligation, instance: &str, e: Error) -> Result<Unscheduled> {
    match e {
        Error::CalendarYearNotCovered { year, .. } => {
            let why = uncovered_due_date(year);
            Ok(Unscheduled {
                obligation: o.id.clone(),
                reason: format!("{instance}：{}（calendar_year_not_covered）", why.zh),
                reason_en: format!("{instance}: {} (calendar_year_not_covered)", why.en),
            })
        }
        other => Err(other),
    }
}

fn parse_events(events: &[Event]) -> Result<Vec<(&Event, Date)>> {
    events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            // publications name their event by kind and ref: a repeat would be ambiguous
            if events[..i]
                .iter()
                .any(|p| p.event == e.event && p.reference == e.reference)
            {
                return Err(Error::invalid_input(
                    format!("events[{i}].ref"),
                    format!("{:?} {:?} is listed twice", e.event, e.reference),
                ));
            }
            Ok((e, parse_date(&format!("events[{i}].on"), &e.on)?))
        })
        .collect()
}

/// Every due publication from `from` to `to` (inclusive): recurring ones
/// whose period ends in the span, and those the given events trigger.
pub fn schedule(
    rules: &RulesInForce,
    calendar: &HolidayCalendar,
    from: Date,
    to: Date,
    events: &[Event],
) -> Result<Schedule> {
    if to < from {
        return Err(Error::InvalidDate {
            field: "to".into(),
            value: format_date(to),
            reason: "the span ends before it starts".into(),
        });
    }
    let events = parse_events(events)?;
    let catalogue = obligations(rules);
    let mut items = Vec::new();
    let mut unscheduled = Vec::new();
    for o in &catalogue {
        match &o.trigger {
            Trigger::Every { months: None, .. } => unscheduled.push(Unscheduled {
                obligation: o.id.clone(),
                reason: "法律只要求定期公布，公布频率由地方规定或本小区议事规则确定".into(),
                reason_en: "the law says only \"regularly\"; the frequency is set by local or estate rules".into(),
            }),
            Trigger::Every {
                months: Some(m),
                within_days,
            } => {
                for end in period_ends(*m, from, to) {
                    match after(calendar, end, *within_days) {
                        Ok((due, moved)) => items.push(due_entry(o, None, Some(end), Some(due), moved)),
                        Err(e) => unscheduled.push(not_covered(o, &format_date(end), e)?),
                    }
                }
            }
            Trigger::After { event, days } => {
                for (e, on) in events.iter().filter(|(e, _)| &e.event == event) {
                    let (due, moved) = match days.map(|d| after(calendar, *on, d)).transpose() {
                        Ok(Some((due, moved))) => (Some(due), moved),
                        Ok(None) => (None, Vec::new()),
                        Err(err) => {
                            unscheduled.push(not_covered(o, &e.reference, err)?);
                            continue;
                        }
                    };
                    items.push(due_entry(o, Some(e.reference.clone()), None, due, moved));
                }
            }
            Trigger::Before { event, days } => {
                for (e, on) in events.iter().filter(|(e, _)| &e.event == event) {
                    let due = on
                        .checked_sub(time::Duration::days(i64::from(*days)))
                        .ok_or_else(|| Error::invalid_input("events", "too early a date"))?;
                    items.push(due_entry(o, Some(e.reference.clone()), None, Some(due), Vec::new()));
                }
            }
        }
    }
    let known: Vec<&str> = catalogue
        .iter()
        .filter_map(|o| match &o.trigger {
            Trigger::After { event, .. } | Trigger::Before { event, .. } => Some(event.as_str()),
            Trigger::Every { .. } => None,
        })
        .collect();
    let unmatched_events = events
        .iter()
        .filter(|(e, _)| !known.contains(&e.event.as_str()))
        .map(|(e, _)| e.reference.clone())
        .collect();
    items.sort_by(|a, b| (a.due.is_none(), a.due, &a.obligation).cmp(&(b.due.is_none(), b.due, &b.obligation)));
    Ok(Schedule {
        items,
        unscheduled,
        unmatched_events,
        layers: rules.layers().to_vec(),
    })
}

/// The state of one due publication on the audit date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson)]
#[json(rename_all = "snake_case")]
pub enum Status {
    /// Published by the due date.
    OnTime,
    /// Published after the due date.
    Late,
    /// Not published, and the due date has passed.
    Missing,
    /// Not published, and not yet due.
    NotYetDue,
    /// Published; the rules fix no deadline ("promptly").
    Published,
    /// Not published; the rules fix no deadline ("promptly").
    Unpublished,
}

/// One due publication and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct AuditItem {
    /// What was due, when.
    #[json(flatten)]
    pub due: Due,
    /// The state on the audit date.
    pub status: Status,
    /// When it was published.
    #[json(skip_if = "Option::is_none")]
    pub published_on: Option<Date>,
    /// Calendar days late (status `late`), or overdue (status `missing`).
    #[json(skip_if = "Option::is_none")]
    pub days_late: Option<i64>,
    /// Calendar days left (status `not_yet_due`).
    #[json(skip_if = "Option::is_none")]
    pub days_left: Option<i64>,
    /// Whether it stayed posted long enough, when the rules give a duration
    /// and the log says when it was taken down.
    #[json(skip_if = "Option::is_none")]
    pub posted_long_enough: Option<bool>,
}

/// A log entry that matches no due publication, and why.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct UnmatchedPublication {
    /// Position in the log.
    pub index: u64,
    /// `unknown_obligation`, `no_such_instance` or `repeat` (an earlier entry already counts).
    pub code: &'static str,
}

/// The audit of a publication log.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Audit {
    /// The audit date.
    pub as_of: Date,
    /// Every due publication with its state.
    pub items: Vec<AuditItem>,
    /// Counts by state.
    pub summary: BTreeMap<&'static str, u64>,
    /// Log entries that match nothing (never silently dropped).
    pub unmatched_publications: Vec<UnmatchedPublication>,
    /// Obligations the rules leave without a frequency.
    pub unscheduled: Vec<Unscheduled>,
    /// Events no obligation in force concerns.
    pub unmatched_events: Vec<String>,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// Checks a publication log against the schedule from `from` to `as_of`.
pub fn audit(
    rules: &RulesInForce,
    calendar: &HolidayCalendar,
    from: Date,
    as_of: Date,
    events: &[Event],
    log: &[Publication],
) -> Result<Audit> {
    let sched = schedule(rules, calendar, from, as_of, events)?;
    // per due item: the earliest matching log entry (published, removed, its index)
    let mut matched: Vec<Option<(Date, Option<Date>, usize)>> = vec![None; sched.items.len()];
    let mut unmatched_publications = Vec::new();
    for (i, p) in log.iter().enumerate() {
        let at = |f: &str| format!("publications[{i}].{f}");
        let published = parse_date(&at("published_on"), &p.published_on)?;
        let removed = p
            .removed_on
            .as_deref()
            .map(|r| parse_date(&at("removed_on"), r))
            .transpose()?;
        let period_end = p
            .period_end
            .as_deref()
            .map(|d| parse_date(&at("period_end"), d))
            .transpose()?;
        if !sched.items.iter().any(|d| d.obligation == p.obligation)
            && !sched.unscheduled.iter().any(|u| u.obligation == p.obligation)
        {
            unmatched_publications.push(UnmatchedPublication {
                index: i as u64,
                code: "unknown_obligation",
            });
            continue;
        }
        let slot = sched
            .items
            .iter()
            .position(|d| d.obligation == p.obligation && d.reference == p.reference && d.period_end == period_end);
        match slot {
            None => unmatched_publications.push(UnmatchedPublication {
                index: i as u64,
                code: "no_such_instance",
            }),
            Some(k) if matched[k].is_some_and(|(first, _, _)| first <= published) => {
                unmatched_publications.push(UnmatchedPublication {
                    index: i as u64,
                    code: "repeat",
                })
            }
            Some(k) => {
                // an earlier publication found later in the log: the one it displaces is the repeat
                if let Some((_, _, displaced)) = matched[k].replace((published, removed, i)) {
                    unmatched_publications.push(UnmatchedPublication {
                        index: displaced as u64,
                        code: "repeat",
                    });
                }
            }
        }
    }
    unmatched_publications.sort_by_key(|u| u.index);
    let mut summary = BTreeMap::new();
    let items = sched
        .items
        .into_iter()
        .zip(
            matched
                .into_iter()
                .map(|m| m.map(|(published, removed, _)| (published, removed))),
        )
        .map(|(due, m)| {
            let days = |a: Date, b: Date| (a - b).whole_days();
            let (status, days_late, days_left) = match (due.due, m) {
                (Some(d), Some((p, _))) if p <= d => (Status::OnTime, None, None),
                (Some(d), Some((p, _))) => (Status::Late, Some(days(p, d)), None),
                (Some(d), None) if as_of > d => (Status::Missing, Some(days(as_of, d)), None),
                (Some(d), None) => (Status::NotYetDue, None, Some(days(d, as_of))),
                (None, Some(_)) => (Status::Published, None, None),
                (None, None) => (Status::Unpublished, None, None),
            };
            let posted_long_enough = match (due.posted_for_days, m) {
                (Some(n), Some((p, Some(r)))) => Some(days(r, p) >= i64::from(n)),
                _ => None,
            };
            *summary.entry(status_name(status)).or_insert(0u64) += 1;
            AuditItem {
                due,
                status,
                published_on: m.map(|(p, _)| p),
                days_late,
                days_left,
                posted_long_enough,
            }
        })
        .collect();
    Ok(Audit {
        as_of,
        items,
        summary,
        unmatched_publications,
        unscheduled: sched.unscheduled,
        unmatched_events: sched.unmatched_events,
        layers: sched.layers,
    })
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::OnTime => "on_time",
        Status::Late => "late",
        Status::Missing => "missing",
        Status::NotYetDue => "not_yet_due",
        Status::Published => "published",
        Status::Unpublished => "unpublished",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::Rulebook;

    fn d(s: &str) -> Date {
        parse_date("d", s).unwrap()
    }

    fn ev(event: &str, on: &str, r: &str) -> Event {
        Event {
            event: event.into(),
            on: on.into(),
            reference: r.into(),
        }
    }

    fn publ(obligation: &str, r: &str, on: &str) -> Publication {
        Publication {
            obligation: obligation.into(),
            reference: Some(r.into()),
            period_end: None,
            published_on: on.into(),
            removed_on: None,
        }
    }

    #[test]
    fn committee_decision_three_day_boundary() {
        let rules = Rulebook::preset("cn-national")
            .unwrap()
            .in_force(d("2026-07-31"))
            .unwrap();
        let cal = HolidayCalendar::china();
        // decided Mon 2026-07-06: due Thu 07-09
        let events = [
            ev("committee_decision", "2026-07-06", "A"),
            ev("committee_decision", "2026-07-06", "B"),
        ];
        let log = [
            publ("committee_decision", "A", "2026-07-09"),
            publ("committee_decision", "B", "2026-07-10"),
        ];
        let a = audit(&rules, cal, d("2026-07-01"), d("2026-07-31"), &events, &log).unwrap();
        let by_ref = |r: &str| a.items.iter().find(|i| i.due.reference.as_deref() == Some(r)).unwrap();
        assert_eq!(by_ref("A").status, Status::OnTime);
        assert_eq!(by_ref("B").status, Status::Late);
        assert_eq!(by_ref("B").days_late, Some(1));
        assert_eq!(by_ref("A").due.due, Some(d("2026-07-09")));
    }

    #[test]
    fn decision_before_national_day_moves_past_the_holiday() {
        let rules = Rulebook::preset("cn-national")
            .unwrap()
            .in_force(d("2025-10-31"))
            .unwrap();
        let s = schedule(
            &rules,
            HolidayCalendar::china(),
            d("2025-09-01"),
            d("2025-10-31"),
            &[ev("committee_decision", "2025-09-29", "X")],
        )
        .unwrap();
        let item = &s.items[0];
        assert_eq!(item.due, Some(d("2025-10-09")));
        assert!(item.moved_by[0].contains("国庆节"), "{:?}", item.moved_by);
    }

    #[test]
    fn recurring_accounts_need_a_frequency_from_local_or_estate_rules() {
        let rules = Rulebook::preset("cn-national")
            .unwrap()
            .in_force(d("2026-01-01"))
            .unwrap();
        let s = schedule(&rules, HolidayCalendar::china(), d("2026-01-01"), d("2026-12-31"), &[]).unwrap();
        assert!(s.items.is_empty());
        assert!(s
            .unscheduled
            .iter()
            .any(|u| u.obligation == "maintenance_fund_accounts"));
    }

    #[test]
    fn period_ends_divide_the_year() {
        assert_eq!(period_ends(3, d("2026-01-01"), d("2026-12-31")).len(), 4);
        assert_eq!(
            period_ends(6, d("2026-03-01"), d("2027-06-30")),
            vec![d("2026-06-30"), d("2026-12-31"), d("2027-06-30")]
        );
        assert_eq!(period_ends(1, d("2024-02-01"), d("2024-02-29")), vec![d("2024-02-29")]);
    }
}
