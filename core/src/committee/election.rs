//! Electing the owners' committee (民法典 Art. 278 ¶1 item 3).
//!
//! Each owner may mark up to `seats + alternates` candidates (more is
//! over-voted and rejected). The election as a whole must meet the
//! participation test of the law in force, and each candidate the approval
//! test of `elect_committee` (under 民法典: more than half of the
//! participating area and owners). Qualifying candidates take the seats in
//! order of owners' votes, then area; the next ones become alternates
//! (候补委员). A tie at the last place is reported with the method the
//! rules give (a run-off by default, or drawing lots), never broken silently. Ballots follow the tally's rules (window,
//! proxies, duplicates, one owner one choice: an owner's units must mark
//! the same candidates).
//!
//! **Interpretation**: candidates are ranked by owners' votes, then area.

use crate::ballot::{parse_cast, RejectionCode, Voting};
use crate::calendar::{Date, Instants};
use crate::error::{Error, Result};
use crate::json::{FromJson, ToJson};
use crate::keyed::KeyedMap;
use crate::matter::Matter;
use crate::quantity::Area;
use crate::register::{Counts, Register, Scope, UnitStatus};
use crate::rulebook::{Citation, Rulebook, Text, TieMethod};
use crate::tally::{
    evaluate, has_authorization, resolve_ballots, BallotSummary, Check, Fields, Law, Rejection, Supersession, View,
    Views,
};

/// A candidate as given.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Candidate {
    /// Candidate id, as ballots name it.
    pub id: String,
    /// The candidate's unit: candidates must be owners (指导规则 Art. 31).
    pub unit: String,
    /// Display name.
    #[json(default, skip_if = "Option::is_none")]
    pub name: Option<String>,
    /// Facts the rules may disqualify on (e.g. `fee_arrears`).
    #[json(default, skip_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

/// An election ballot as given.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct ElectionBallot {
    /// The voting unit.
    pub unit: String,
    /// The candidates marked (none: the owner takes part and elects no one).
    pub choices: Vec<String>,
    /// `online`, `paper` or `proxy`.
    #[json(default, skip_if = "Option::is_none")]
    pub channel: Option<String>,
    /// RFC 3339 instant.
    #[json(default, skip_if = "Option::is_none")]
    pub cast_at: Option<String>,
    /// Written authorization reference (proxies).
    #[json(default, skip_if = "Option::is_none")]
    pub authorization: Option<String>,
}

/// What is elected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectionInput {
    /// The date whose law applies.
    pub decided_on: Date,
    /// Who votes (default: the whole estate).
    pub scope: Scope,
    /// Committee seats.
    pub seats: u32,
    /// Alternates (候补委员) to elect after the seats.
    pub alternates: u32,
    /// The candidates.
    pub candidates: Vec<Candidate>,
    /// The ballots.
    pub ballots: Vec<ElectionBallot>,
    /// Window and policies.
    pub voting: Voting,
}

/// What became of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson)]
#[json(rename_all = "snake_case")]
pub enum CandidateStatus {
    /// Takes a seat.
    Elected,
    /// An alternate (候补委员), in rank order.
    Alternate,
    /// Tied for the last place: left to a run-off.
    Tied,
    /// Qualified but ranked below the places.
    NotElected,
    /// Did not meet the approval test.
    NotQualified,
    /// May not stand.
    Ineligible,
}

/// One candidate's figures and why they were or were not elected.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct CandidateResult {
    /// Candidate id.
    pub id: String,
    /// Their unit.
    pub unit: String,
    /// Outcome.
    pub result: CandidateStatus,
    /// Why ineligible (rule and citation), if so, in Chinese.
    #[json(skip_if = "Option::is_none")]
    pub ineligible: Option<String>,
    /// Why ineligible (rule and citation), if so, in English.
    #[json(skip_if = "Option::is_none")]
    pub ineligible_en: Option<String>,
    /// Votes received (units, owners, area).
    pub votes: Counts,
    /// Approval by area among participants.
    #[json(rename = "approval.area")]
    pub approval_area: Check<Area>,
    /// Approval by owners among participants.
    #[json(rename = "approval.owners")]
    pub approval_owners: Check<u64>,
    /// Rank among qualifying eligible candidates (1-based).
    #[json(skip_if = "Option::is_none")]
    pub rank: Option<u32>,
}

/// A tie at the last place.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Tie {
    /// `seats` or `alternates`.
    pub places: &'static str,
    /// Places left for the tied candidates.
    pub open: u32,
    /// The tied candidates.
    pub candidates: Vec<String>,
    /// How it is resolved (`run_off` unless the rules say `lot`).
    pub resolution: TieMethod,
    /// The rule, when the rules set the method.
    #[json(skip_if = "Option::is_none")]
    pub citation: Option<String>,
    /// The rule in English, when the rules set the method.
    #[json(skip_if = "Option::is_none")]
    pub citation_en: Option<String>,
}

/// The composition check: seats within the size the rules allow.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Composition {
    /// Whether the number of seats is allowed.
    pub met: bool,
    /// Seats.
    pub seats: u32,
    /// Fewest allowed (for this estate: a small estate may have a lower minimum).
    pub min: u32,
    /// Most allowed, where the rules set a maximum.
    #[json(skip_if = "Option::is_none")]
    pub max: Option<u32>,
    /// Whether the number must be odd.
    pub odd: bool,
    /// The rule, in Chinese.
    pub citation: String,
    /// The rule, in English.
    pub citation_en: String,
}

/// The result of an election.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct ElectionOutcome {
    /// Participation met and the number of seats allowed.
    pub valid: bool,
    /// The date whose law applied.
    pub decided_on: Date,
    /// The law applied.
    pub law: Law,
    /// The seats checked against the size rules.
    pub composition: Composition,
    /// The scope's totals.
    pub base: Counts,
    /// Who took part.
    pub participation: Counts,
    /// Participation by area (absent under 物权法).
    #[json(rename = "participation.area", skip_if = "Option::is_none")]
    pub participation_area: Option<Check<Area>>,
    /// Participation by owners (absent under 物权法).
    #[json(rename = "participation.owners", skip_if = "Option::is_none")]
    pub participation_owners: Option<Check<u64>>,
    /// Every candidate, in input order.
    pub candidates: Vec<CandidateResult>,
    /// Elected, in rank order.
    pub elected: Vec<String>,
    /// Alternates, in rank order.
    pub alternates: Vec<String>,
    /// Ties at the last place of the seats or the alternates.
    pub ties: Vec<Tie>,
    /// Ballot accounting.
    pub ballots: BallotSummary,
    /// Rejected ballots.
    pub rejected: Vec<Rejection>,
    /// Superseded ballots.
    pub superseded: Vec<Supersession>,
}

fn cite(c: &Citation) -> (String, String) {
    (c.zh.clone(), c.en.clone())
}

/// Runs an election.
pub fn election(rulebook: &Rulebook, register: &Register, input: &ElectionInput) -> Result<ElectionOutcome> {
    let rules = rulebook.in_force(input.decided_on)?;
    let requirement = rules.requirement(Matter::ElectCommittee)?;
    rules.check_non_response(&input.voting.non_response)?;
    let committee = rules.committee().cloned().unwrap_or_default();
    let size = committee
        .size
        .as_ref()
        .ok_or_else(|| rules.missing("committee size rule"))?;
    if input.seats == 0 {
        return Err(Error::invalid_input("seats", "an election needs at least one seat"));
    }
    let (citation, citation_en) = cite(&size.citation);
    let composition = Composition {
        met: size.allows(input.seats, register.len(), register.total_area()),
        seats: input.seats,
        min: size.min_for(register.len(), register.total_area()),
        max: size.max,
        odd: size.odd,
        citation,
        citation_en,
    };
    let scope = register.resolve(&input.scope)?;
    let base = scope.totals();

    // Candidates: ids unique; eligibility (an owner in scope, not disqualified).
    let mut index: KeyedMap<&str, u32> = KeyedMap::default();
    let mut ineligible: Vec<Option<Text>> = Vec::with_capacity(input.candidates.len());
    for (i, c) in input.candidates.iter().enumerate() {
        crate::register::check_id(&format!("candidates[{i}].id"), &c.id)?;
        if index.insert(c.id.as_str(), i as u32).is_some() {
            return Err(Error::invalid_input(
                format!("candidates[{i}].id"),
                format!("candidate {:?} is listed twice", c.id),
            ));
        }
        let unit = &c.unit;
        let why = match register.position(unit) {
            None => Some(Text {
                zh: format!("专有部分 {unit} 不在名册中：候选人须为业主（{}）", size.citation.zh),
                en: format!(
                    "unit {unit:?} is not in the register: candidates must be owners ({})",
                    size.citation.en
                ),
            }),
            Some(p) if !scope.contains(p) => Some(Text {
                zh: format!("专有部分 {unit} 不在本次选举范围内"),
                en: format!("unit {unit:?} is outside the election's scope"),
            }),
            Some(p) if register.unit(p).is_some_and(|u| u.status != UnitStatus::Owned) => Some(Text {
                zh: format!("专有部分 {unit} 不属于业主（建设单位未出售或尚未交付）"),
                en: format!("unit {unit:?} is not an owner's (developer or undelivered)"),
            }),
            Some(_) => c.flags.iter().find_map(|f| {
                committee.disqualifications.iter().find(|d| &d.flag == f).map(|d| Text {
                    zh: format!("{}（{}）", d.name.zh, d.citation.zh),
                    en: format!("{} ({})", d.name.en, d.citation.en),
                })
            }),
        };
        ineligible.push(why);
    }

    // Ballots: the set of candidates marked is the choice; equal sets share a key.
    let places = input.seats + input.alternates;
    let mut sets: Vec<Vec<u32>> = Vec::new();
    let mut set_keys: KeyedMap<Vec<u32>, u32> = KeyedMap::default();
    let mut instants = Instants::default();
    let views: Views<'_> = input
        .ballots
        .iter()
        .map(|b| {
            let fields = (|| {
                let cast = parse_cast(b.channel.as_deref(), b.cast_at.as_deref(), &mut instants)?;
                if b.choices.len() > places as usize {
                    return Err(RejectionCode::OverVoted);
                }
                let mut marked: Vec<u32> = b
                    .choices
                    .iter()
                    .map(|c| index.get(c.as_str()).copied().ok_or(RejectionCode::UnknownCandidate))
                    .collect::<std::result::Result<_, _>>()?;
                marked.sort_unstable();
                if marked.windows(2).any(|w| w[0] == w[1]) {
                    return Err(RejectionCode::DuplicateCandidate);
                }
                let key = *set_keys.entry(marked.clone()).or_insert_with(|| {
                    sets.push(marked);
                    sets.len() as u32 - 1
                });
                Ok(Fields {
                    key,
                    cast,
                    authorized: has_authorization(b.authorization.as_deref()),
                })
            })();
            View::new(&b.unit, fields)
        })
        .collect();
    let views = views.look_up(register);
    let resolution = resolve_ballots(&scope, &input.voting, &views, sets.len());
    let mut participation = Counts::default();
    let mut votes = vec![Counts::default(); input.candidates.len()];
    for (set, counts) in sets.iter().zip(resolution.counts_by_key()) {
        participation.units += counts.units;
        participation.owners += counts.owners;
        participation.area += counts.area;
        for &c in set {
            let v = &mut votes[c as usize];
            v.units += counts.units;
            v.owners += counts.owners;
            v.area += counts.area;
        }
    }
    let (summary, rejected, superseded) = resolution.accounting(&views);

    // Checks: participation of the whole election (whether or not anyone
    // stands), approval of each candidate.
    let whole = evaluate(requirement, base, participation, Counts::default());
    let mut results: Vec<CandidateResult> = Vec::with_capacity(input.candidates.len());
    for (i, c) in input.candidates.iter().enumerate() {
        let checks = evaluate(requirement, base, participation, votes[i]);
        let qualified = checks.approval_area.met && checks.approval_owners.met;
        results.push(CandidateResult {
            id: c.id.clone(),
            unit: c.unit.clone(),
            result: match (&ineligible[i], qualified) {
                (Some(_), _) => CandidateStatus::Ineligible,
                (None, false) => CandidateStatus::NotQualified,
                (None, true) => CandidateStatus::NotElected,
            },
            ineligible: ineligible[i].as_ref().map(|t| t.zh.clone()),
            ineligible_en: ineligible[i].as_ref().map(|t| t.en.clone()),
            votes: votes[i],
            approval_area: checks.approval_area,
            approval_owners: checks.approval_owners,
            rank: None,
        });
    }
    let participation_met = whole.participation_area.as_ref().is_none_or(|c| c.met)
        && whole.participation_owners.as_ref().is_none_or(|c| c.met);
    let valid = participation_met && composition.met;

    // Places: qualifying eligible candidates by owners' votes, then area.
    let mut ranked: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].result == CandidateStatus::NotElected)
        .collect();
    ranked.sort_by(|&a, &b| {
        (votes[b].owners, votes[b].area)
            .cmp(&(votes[a].owners, votes[a].area))
            .then(a.cmp(&b))
    });
    for (r, &i) in ranked.iter().enumerate() {
        results[i].rank = Some(r as u32 + 1);
    }
    let mut elected = Vec::new();
    let mut alternates = Vec::new();
    let mut ties = Vec::new();
    if valid {
        let mut next = 0usize;
        for (places, label, result) in [
            (input.seats, "seats", CandidateStatus::Elected),
            (input.alternates, "alternates", CandidateStatus::Alternate),
        ] {
            let mut open = places as usize;
            while open > 0 && next < ranked.len() {
                let score = |i: usize| (votes[i].owners, votes[i].area);
                let group: Vec<usize> = ranked[next..]
                    .iter()
                    .copied()
                    .take_while(|&i| score(i) == score(ranked[next]))
                    .collect();
                if group.len() > open {
                    for &i in &group {
                        results[i].result = CandidateStatus::Tied;
                    }
                    ties.push(Tie {
                        places: label,
                        open: open as u32,
                        candidates: group.iter().map(|&i| results[i].id.clone()).collect(),
                        resolution: committee.tie.as_ref().map_or(TieMethod::RunOff, |t| t.method),
                        citation: committee.tie.as_ref().map(|t| t.citation.zh.clone()),
                        citation_en: committee.tie.as_ref().map(|t| t.citation.en.clone()),
                    });
                    next = ranked.len();
                    break;
                }
                for &i in &group {
                    results[i].result = result;
                    if result == CandidateStatus::Elected {
                        elected.push(results[i].id.clone());
                    } else {
                        alternates.push(results[i].id.clone());
                    }
                }
                open -= group.len();
                next += group.len();
            }
        }
    }
    Ok(ElectionOutcome {
        valid,
        decided_on: input.decided_on,
        law: Law::of(&rules),
        composition,
        base,
        participation,
        participation_area: whole.participation_area,
        participation_owners: whole.participation_owners,
        candidates: results,
        elected,
        alternates,
        ties,
        ballots: summary,
        rejected,
        superseded,
    })
}
