//! Members leaving the committee: proposals to remove a member, seats filled
//! from the alternates (候补委员) in rank order, and when too few members
//! remain so that a by-election (补选) is required: below the legal minimum
//! size (指导规则 Art. 31), or below the share of seats the rules require.
//!
//! National law fixes no removal threshold this project can cite; local or
//! estate rules set it (`committee.removal`).

use crate::error::{Error, Result};
use crate::json::{FromJson, ToJson};
use crate::register::{Register, Scope};
use crate::rulebook::{Layer, RulesInForce};
use crate::tally::{fixed_check, Check};

/// Whether a proposal to remove a member reaches the rules' threshold.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Removal {
    /// Either side's threshold is met.
    pub met: bool,
    /// Members proposing, of all members (when the rules have a members' side).
    #[json(skip_if = "Option::is_none")]
    pub members: Option<Check<u64>>,
    /// Owners proposing, of the owners (when the rules have an owners' side).
    #[json(skip_if = "Option::is_none")]
    pub owners: Option<Check<u64>>,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// Counts a proposal to remove a member: proposing members (the member
/// concerned does not count) and the distinct owners of the proposing units.
pub fn removal(
    rules: &RulesInForce,
    members: &[String],
    member: &str,
    proposing_members: &[String],
    register: Option<&Register>,
    proposing_units: &[String],
) -> Result<Removal> {
    let committee = rules.committee().cloned().unwrap_or_default();
    let rule = committee
        .removal
        .as_ref()
        .ok_or_else(|| rules.missing("committee removal rule"))?;
    if !members.iter().any(|m| m == member) {
        return Err(Error::invalid_input("member", format!("{member:?} is not a member")));
    }
    let members_check = rule.members.map(|t| {
        let mut seen: Vec<&str> = Vec::new();
        for p in proposing_members {
            if p != member && members.contains(p) && !seen.contains(&p.as_str()) {
                seen.push(p);
            }
        }
        let base = members.len() as u64 - 1;
        fixed_check(seen.len() as u64, base, t, base - seen.len() as u64, &rule.citation)
    });
    let owners_check = match (rule.owners, register) {
        (Some(t), Some(register)) => {
            let scope = register.resolve(&Scope::Estate)?;
            let mut counted = vec![false; register.owner_count()];
            for u in proposing_units {
                if let Some(p) = register.position(u) {
                    counted[register.owner_of()[p] as usize] = true;
                }
            }
            let n = counted.iter().filter(|c| **c).count() as u64;
            let base = scope.totals().owners;
            Some(fixed_check(n, base, t, base - n, &rule.citation))
        }
        (Some(_), None) => {
            return Err(Error::invalid_input(
                "register",
                "the owners' side of a removal needs the register",
            ))
        }
        (None, _) => None,
    };
    let met = members_check.as_ref().is_some_and(|c| c.met) || owners_check.as_ref().is_some_and(|c| c.met);
    Ok(Removal {
        met,
        members: members_check,
        owners: owners_check,
        layers: rules.layers().to_vec(),
    })
}

/// Why a member leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum LeavingReason {
    /// No longer an owner in the estate.
    NotAnOwner,
    /// Lost full civil capacity.
    LostCapacity,
    /// Resigned in writing.
    Resigned,
    /// Removed by the assembly.
    Removed,
    /// Died.
    Died,
    /// Another reason the rules provide.
    Other,
}

/// A member leaving.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Leaving {
    /// The member.
    pub member: String,
    /// Why.
    pub reason: LeavingReason,
}

/// The committee after members leave.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Vacancies {
    /// Members in office afterwards, alternates who moved up included.
    pub in_office: Vec<String>,
    /// Each alternate who takes a seat, and whose seat.
    pub filled: Vec<Filled>,
    /// Alternates still waiting, in rank order.
    pub alternates_left: Vec<String>,
    /// Seats still empty.
    pub vacancies: u32,
    /// Whether a by-election is required.
    pub by_election_required: bool,
    /// Why, with the rule, in Chinese.
    pub reasons: Vec<String>,
    /// Why, with the rule, in English.
    pub reasons_en: Vec<String>,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// An alternate taking a seat.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Filled {
    /// The member who left.
    pub seat_of: String,
    /// The alternate who takes the seat.
    pub by: String,
}

/// Fills the seats of leaving members from the alternates in rank order and
/// says whether a by-election is required.
pub fn vacancies(
    rules: &RulesInForce,
    seats: u32,
    members: &[String],
    alternates: &[String],
    leaving: &[Leaving],
) -> Result<Vacancies> {
    if members.len() > seats as usize {
        return Err(Error::invalid_input(
            "members",
            format!("{} members for {seats} seats", members.len()),
        ));
    }
    for (i, m) in members.iter().enumerate() {
        if members[..i].contains(m) {
            return Err(Error::invalid_input(
                format!("members[{i}]"),
                format!("{m:?} is listed twice"),
            ));
        }
    }
    for (i, l) in leaving.iter().enumerate() {
        if !members.contains(&l.member) {
            return Err(Error::invalid_input(
                format!("leaving[{i}].member"),
                format!("{:?} is not a member", l.member),
            ));
        }
        if leaving[..i].iter().any(|p| p.member == l.member) {
            // one seat, one alternate: a repeat would hand a second alternate the same seat
            return Err(Error::invalid_input(
                format!("leaving[{i}].member"),
                format!("{:?} is listed twice", l.member),
            ));
        }
    }
    let committee = rules.committee().cloned().unwrap_or_default();
    let mut in_office: Vec<String> = members
        .iter()
        .filter(|m| !leaving.iter().any(|l| &l.member == *m))
        .cloned()
        .collect();
    let mut waiting = alternates.iter().filter(|a| !members.contains(a)).cloned();
    let mut filled = Vec::new();
    for l in leaving {
        match waiting.next() {
            Some(a) => {
                in_office.push(a.clone());
                filled.push(Filled {
                    seat_of: l.member.clone(),
                    by: a,
                });
            }
            None => break,
        }
    }
    let alternates_left: Vec<String> = waiting.collect();
    let vacancies = seats.saturating_sub(in_office.len() as u32);
    let (mut reasons, mut reasons_en) = (Vec::new(), Vec::new());
    if let Some(size) = &committee.size {
        // a committee elected with fewer seats than the general minimum is a
        // small estate's (the election checked that it was allowed)
        let least = match &size.small_estate {
            Some(small) if seats < size.min => small.min,
            _ => size.min,
        };
        if (in_office.len() as u32) < least {
            reasons.push(format!(
                "在任委员 {} 人，少于规定的至少 {least} 人（{}）",
                in_office.len(),
                size.citation.zh
            ));
            reasons_en.push(format!(
                "{} in office, fewer than the {least} required ({})",
                crate::explain::count_en(in_office.len() as u64, "member", "members"),
                size.citation.en
            ));
        }
    }
    if let Some(rule) = &committee.min_in_office {
        if !rule.threshold.is_met(in_office.len() as u128, u128::from(seats)) {
            reasons.push(format!(
                "{seats} 个席位在任 {} 人，未达到{}（{}）",
                in_office.len(),
                crate::explain::threshold_zh(rule.threshold),
                rule.citation.zh
            ));
            reasons_en.push(format!(
                "{} of {seats} seats filled, required {} ({})",
                in_office.len(),
                rule.threshold,
                rule.citation.en
            ));
        }
    }
    Ok(Vacancies {
        in_office,
        filled,
        alternates_left,
        vacancies,
        by_election_required: !reasons.is_empty(),
        reasons,
        reasons_en,
        layers: rules.layers().to_vec(),
    })
}
