//! The owners' committee (业主委员会): its meetings and decisions.
//!
//! A meeting is valid when more than half of the members attend, and a
//! decision needs at least half of ALL members (not only those present) to
//! agree (指导规则 Art. 38; with 7 members: 4 present, 4 agreeing). Members
//! may not vote by proxy (Art. 38), so a vote from someone absent is
//! rejected. The meeting's content and agenda are published 7 days before
//! (Art. 39). A member with an interest in the matter may attend but not
//! vote (回避): such a vote is rejected `conflict_of_interest`. Every number
//! comes from the rulebook.
//!
//! ```
//! use yeweihui::committee::{committee_meeting, MeetingInput, MemberVote};
//! use yeweihui::ballot::Choice;
//! use yeweihui::calendar::parse_date;
//! use yeweihui::Rulebook;
//! let rules = Rulebook::preset("cn-national")?.in_force(parse_date("d", "2026-03-10")?)?;
//! let m: Vec<String> = (1..=7).map(|i| format!("m{i}")).collect();
//! let votes = (0..4).map(|i| MemberVote { member: m[i].clone(), choice: Choice::Agree }).collect::<Vec<_>>();
//! let out = committee_meeting(&rules, &MeetingInput { members: m.clone(), present: m[..4].to_vec(), votes, interested: vec![], notice_published_on: None, meeting_on: None })?;
//! assert!(out.valid && out.passed); // 4 of 7 present (> 1/2), 4 of 7 agree (>= 1/2)
//! # Ok::<(), yeweihui::Error>(())
//! ```

pub mod election;
pub mod term;
pub mod vacancy;

use crate::assembly::DaysCheck;
use crate::ballot::Choice;
use crate::calendar::Date;
use crate::error::{Error, Result};
use crate::json::{FromJson, ToJson};
use crate::rulebook::{Layer, RulesInForce};
use crate::tally::{fixed_check, Check};

/// A member's vote at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct MemberVote {
    /// The member.
    pub member: String,
    /// The choice.
    pub choice: Choice,
}

/// A committee meeting: who the members are, who came, how they voted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingInput {
    /// All current members.
    pub members: Vec<String>,
    /// Members present.
    pub present: Vec<String>,
    /// Votes cast.
    pub votes: Vec<MemberVote>,
    /// Members with an interest in the matter: they may attend, not vote (回避).
    pub interested: Vec<String>,
    /// When the content and agenda were published.
    pub notice_published_on: Option<Date>,
    /// When the meeting took place.
    pub meeting_on: Option<Date>,
}

/// The checks of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct MeetingChecks {
    /// Members present of all members.
    pub quorum: Check<u64>,
    /// Members agreeing of all members.
    pub decision: Check<u64>,
    /// Days of notice, when both dates are given.
    #[json(skip_if = "Option::is_none", default)]
    pub notice: Option<NoticeCheck>,
}

/// The notice check of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct NoticeCheck {
    /// Days between notice and meeting, against the days required.
    #[json(flatten)]
    pub days: DaysCheck,
    /// The rule, in Chinese.
    pub citation: String,
    /// The rule, in English.
    pub citation_en: String,
}

/// A vote or attendance entry that does not count, and why.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct MeetingRejection {
    /// `votes` or `present`.
    pub list: String,
    /// Position in that list.
    pub index: u64,
    /// The person named.
    pub member: String,
    /// `not_a_member`, `not_present`, `conflict_of_interest` or `repeat`.
    pub code: String,
}

/// The result of a committee meeting.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct MeetingOutcome {
    /// Quorum (and notice, when checked) met.
    pub valid: bool,
    /// Valid and the decision carried.
    pub passed: bool,
    /// The checks.
    pub checks: MeetingChecks,
    /// Entries that do not count.
    pub rejected: Vec<MeetingRejection>,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// Checks a committee meeting's quorum, decision and notice.
pub fn committee_meeting(rules: &RulesInForce, input: &MeetingInput) -> Result<MeetingOutcome> {
    let c = rules.committee().cloned().unwrap_or_default();
    let missing = |what: &str| rules.missing(format!("committee {what} rule"));
    let quorum_rule = c.meeting_quorum.as_ref().ok_or_else(|| missing("meeting quorum"))?;
    let decision_rule = c.decision.as_ref().ok_or_else(|| missing("decision"))?;
    for (i, m) in input.members.iter().enumerate() {
        crate::register::check_id(&format!("members[{i}]"), m)?;
        if input.members[..i].contains(m) {
            return Err(Error::invalid_input(
                format!("members[{i}]"),
                format!("{m:?} is listed twice"),
            ));
        }
    }
    let mut rejected = Vec::new();
    let reject = |rejected: &mut Vec<MeetingRejection>, list: &str, index: usize, member: &str, code: &str| {
        rejected.push(MeetingRejection {
            list: list.into(),
            index: index as u64,
            member: member.into(),
            code: code.into(),
        })
    };
    let mut present: Vec<&str> = Vec::new();
    for (i, p) in input.present.iter().enumerate() {
        if !input.members.contains(p) {
            reject(&mut rejected, "present", i, p, "not_a_member");
        } else if present.contains(&p.as_str()) {
            reject(&mut rejected, "present", i, p, "repeat");
        } else {
            present.push(p);
        }
    }
    let mut voted: Vec<&str> = Vec::new();
    let mut agree = 0u64;
    for (i, v) in input.votes.iter().enumerate() {
        let m = v.member.as_str();
        if !input.members.iter().any(|x| x == m) {
            reject(&mut rejected, "votes", i, m, "not_a_member");
        } else if !present.contains(&m) {
            reject(&mut rejected, "votes", i, m, "not_present");
        } else if input.interested.iter().any(|x| x == m) {
            reject(&mut rejected, "votes", i, m, "conflict_of_interest");
        } else if voted.contains(&m) {
            reject(&mut rejected, "votes", i, m, "repeat");
        } else {
            voted.push(m);
            agree += u64::from(v.choice == Choice::Agree);
        }
    }
    let members = input.members.len() as u64;
    let attending = present.len() as u64;
    let quorum = fixed_check(
        attending,
        members,
        quorum_rule.threshold,
        members - attending,
        &quorum_rule.citation,
    );
    // Only members present can still agree (no proxies): the rest of those present.
    let decision = fixed_check(
        agree,
        members,
        decision_rule.threshold,
        attending - voted.len() as u64,
        &decision_rule.citation,
    );
    let notice = match (input.notice_published_on, input.meeting_on, &c.meeting_notice) {
        (Some(p), Some(m), Some(rule)) => Some(NoticeCheck {
            days: DaysCheck::between(p, m, rule.days),
            citation: rule.citation.zh.clone(),
            citation_en: rule.citation.en.clone(),
        }),
        _ => None,
    };
    let valid = quorum.met && notice.as_ref().is_none_or(|n| n.days.met);
    let passed = valid && decision.met;
    Ok(MeetingOutcome {
        valid,
        passed,
        checks: MeetingChecks {
            quorum,
            decision,
            notice,
        },
        rejected,
        layers: rules.layers().to_vec(),
    })
}

/// An office of the committee, chosen by the committee itself at its first
/// meeting (指导规则 Art. 32: 推选业主委员会主任和副主任).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Office {
    /// 主任.
    Chair,
    /// 副主任.
    ViceChair,
}

/// A member nominated to an office, and the members' votes on it.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Nomination {
    /// The office.
    pub office: Office,
    /// The member nominated.
    pub candidate: String,
    /// The votes on this nomination.
    pub votes: Vec<MemberVote>,
}

/// One nomination's result: a committee decision.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct NominationResult {
    /// The office.
    pub office: Office,
    /// The member nominated.
    pub candidate: String,
    /// Whether the committee decided for it.
    pub passed: bool,
    /// Members agreeing of all members.
    pub decision: Check<u64>,
    /// Votes that do not count.
    pub rejected: Vec<MeetingRejection>,
}

/// Who holds the offices after the meeting.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Offices {
    /// Whether the meeting was valid (quorum).
    pub valid: bool,
    /// Members present of all members.
    pub quorum: Check<u64>,
    /// The chair, when exactly one chair nomination carried.
    pub chair: Option<String>,
    /// The vice-chairs whose nominations carried.
    pub vice_chairs: Vec<String>,
    /// Offices for which more than one nomination carried: left undecided.
    pub contested: Vec<Office>,
    /// Every nomination, in input order.
    pub nominations: Vec<NominationResult>,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// Decides the committee's offices: each nomination is a committee decision
/// at a meeting with a quorum. The chair is the one chair nomination that
/// carries; if several carry, the office is reported as contested.
pub fn offices(
    rules: &RulesInForce,
    members: &[String],
    present: &[String],
    nominations: &[Nomination],
) -> Result<Offices> {
    let meeting = |votes: &[MemberVote]| {
        committee_meeting(
            rules,
            &MeetingInput {
                members: members.to_vec(),
                present: present.to_vec(),
                votes: votes.to_vec(),
                interested: Vec::new(),
                notice_published_on: None,
                meeting_on: None,
            },
        )
    };
    let quorum = meeting(&[])?.checks.quorum;
    let mut results = Vec::with_capacity(nominations.len());
    for (i, n) in nominations.iter().enumerate() {
        if !members.contains(&n.candidate) {
            return Err(Error::invalid_input(
                format!("nominations[{i}].candidate"),
                format!("{:?} is not a member", n.candidate),
            ));
        }
        let outcome = meeting(&n.votes)?;
        results.push(NominationResult {
            office: n.office,
            candidate: n.candidate.clone(),
            passed: outcome.passed,
            decision: outcome.checks.decision,
            rejected: outcome.rejected,
        });
    }
    let carried = |office: Office| -> Vec<String> {
        results
            .iter()
            .filter(|r| r.office == office && r.passed)
            .map(|r| r.candidate.clone())
            .collect()
    };
    let chairs = carried(Office::Chair);
    let mut contested = Vec::new();
    if chairs.len() > 1 {
        contested.push(Office::Chair);
    }
    Ok(Offices {
        valid: quorum.met,
        quorum,
        chair: (chairs.len() == 1).then(|| chairs[0].clone()),
        vice_chairs: carried(Office::ViceChair),
        contested,
        nominations: results,
        layers: rules.layers().to_vec(),
    })
}
