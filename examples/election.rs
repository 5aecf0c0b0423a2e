//! Electing the owners' committee of the sample estate (翠湖苑): 7 seats and
//! 2 alternates among 10 candidates, with ballots from 80% of the owners.
//! Prints who is elected and why: each candidate's votes against the
//! thresholds of the law in force, and the rank that decided the seats.
//!
//! Run from the repository root: `cargo run --example election`

use yeweihui::ballot::Voting;
use yeweihui::calendar::parse_date;
use yeweihui::committee::election::{election, Candidate, ElectionBallot, ElectionInput};
use yeweihui::register::{Register, Scope, UnitStatus};
use yeweihui::{csv, Rulebook};

fn main() -> Result<(), yeweihui::Error> {
    let register = Register::new(&csv::units_from_csv(include_str!("data/units.csv"))?)?;
    // Ten owners stand, one or two from each building.
    let candidate_units = [
        "1-304", "1-1102", "2-801", "2-1504", "3-204", "3-903", "4-602", "4-1401", "5-301", "6-502",
    ];
    let candidates: Vec<Candidate> = candidate_units
        .iter()
        .enumerate()
        .map(|(i, unit)| Candidate {
            id: format!("C{:02}", i + 1),
            unit: (*unit).to_owned(),
            name: None,
            flags: Vec::new(),
        })
        .collect();
    // A deterministic electorate: 4 of 5 owned units vote; each marks up to
    // 9 candidates, favouring those of its own building and a shared slate.
    let ballots: Vec<ElectionBallot> = register
        .units()
        .enumerate()
        .filter(|(i, u)| u.status == UnitStatus::Owned && i % 5 != 0)
        .map(|(_, u)| {
            // an owner of two units marks the same slate with both (one owner, one choice)
            let i = u.owner as usize;
            let building = u.building.unwrap_or("");
            let choices = candidates
                .iter()
                .zip(candidate_units)
                .enumerate()
                .filter(|(k, (_, unit))| unit.starts_with(&format!("{building}-")) || (i + k) % 3 != 0)
                .map(|(_, (c, _))| c.id.clone())
                .take(9)
                .collect();
            ElectionBallot {
                unit: u.id.to_owned(),
                choices,
                channel: None,
                cast_at: None,
                authorization: None,
            }
        })
        .collect();
    let input = ElectionInput {
        decided_on: parse_date("decided_on", "2026-06-28")?,
        scope: Scope::Estate,
        seats: 7,
        alternates: 2,
        candidates,
        ballots,
        voting: Voting {
            non_response: "ignore".into(),
            ..Voting::default()
        },
    };
    let out = election(Rulebook::preset("cn-national")?, &register, &input)?;

    println!(
        "Election of 2026-06-28 under {} ({})",
        out.law.citation, out.law.version
    );
    println!(
        "Composition: {} seats, allowed {}-{}{} ({})",
        out.composition.seats,
        out.composition.min,
        out.composition.max.map_or("".into(), |m| m.to_string()),
        if out.composition.odd { ", odd" } else { "" },
        out.composition.citation
    );
    if let (Some(a), Some(o)) = (&out.participation_area, &out.participation_owners) {
        println!(
            "Participation: {} of {} owners ({}), {} of {} m² ({}) -> {}",
            o.measured,
            o.base,
            o.required,
            a.measured,
            a.base,
            a.required,
            if a.met && o.met { "met" } else { "NOT met" }
        );
    }
    println!(
        "Ballots: {} received, {} counted, {} rejected",
        out.ballots.received, out.ballots.counted, out.ballots.rejected
    );
    if let Some(c) = out.candidates.first() {
        println!(
            "\nEach candidate needs owners {} of {} and area {} of {} m² (those taking part)",
            c.approval_owners.required, c.approval_owners.base, c.approval_area.required, c.approval_area.base
        );
    }
    println!("{:5} {:8} {:>6} {:>11}  result", "cand.", "unit", "owners", "area m²");
    for c in &out.candidates {
        println!(
            "{:5} {:8} {:>6} {:>11}  {:?}{}{}",
            c.id,
            c.unit,
            c.votes.owners,
            c.votes.area.to_string(),
            c.result,
            c.rank.map(|r| format!(" (rank {r})")).unwrap_or_default(),
            c.ineligible_en.as_deref().map(|w| format!(": {w}")).unwrap_or_default()
        );
    }
    println!("\nElected: {}", out.elected.join(", "));
    println!("Alternates: {}", out.alternates.join(", "));
    for t in &out.ties {
        println!(
            "Tie for {} {} place(s): {} -> {:?}",
            t.open,
            t.places,
            t.candidates.join(", "),
            t.resolution
        );
    }
    println!(
        "Approval rule: {}",
        out.candidates
            .first()
            .map(|c| c.approval_owners.citation.as_str())
            .unwrap_or("")
    );
    Ok(())
}
