//! Writes the benchmark datasets every surface and peer reads, from the
//! seeded generator: for each size N, `units-N.csv`, `ballots-N.csv` and
//! `tally-N.json` (the wire input of the tally); and the city batch
//! `city-units.csv`, `city-ballots.csv`, `city-votes.csv`.
//!   bench-data <dir> [city estates] [units per estate]

use std::fs;
use std::path::PathBuf;

use yeweihui::ballot::{BallotRecord, VotingRecord};
use yeweihui::json::ToJson;
use yeweihui::register::UnitRecord;
use yeweihui_bench::{ballots, ballots_csv, city, units, units_csv, voting, SIZES};

/// The wire input of a tally, as `tally-N.json` holds it.
#[derive(ToJson)]
struct TallyFile<'a> {
    rulebook: &'a str,
    decided_on: &'a str,
    matter: &'a str,
    voting: VotingRecord,
    register: RegisterFile<'a>,
    ballots: &'a [BallotRecord],
}

#[derive(ToJson)]
struct RegisterFile<'a> {
    units: &'a [UnitRecord],
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "target/bench-data".into()));
    let estates: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let per_estate: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_334);
    fs::create_dir_all(&dir)?;
    for n in SIZES {
        let units = units(n, 7);
        let ballots = ballots(&units, 11);
        fs::write(
            dir.join(format!("units-{n}.csv")),
            units_csv(units.iter().map(|u| (None, u))),
        )?;
        fs::write(
            dir.join(format!("ballots-{n}.csv")),
            ballots_csv(ballots.iter().map(|b| (None, b))),
        )?;
        let input = TallyFile {
            rulebook: "cn-national",
            decided_on: "2026-04-30",
            matter: "use_maintenance_fund",
            voting: voting(),
            register: RegisterFile { units: &units },
            ballots: &ballots,
        };
        fs::write(dir.join(format!("tally-{n}.json")), yeweihui::json::to_string(&input))?;
        eprintln!("{n} units, {} ballots", ballots.len());
    }
    let city = city(estates, per_estate, 5);
    fs::write(
        dir.join("city-units.csv"),
        units_csv(city.units.iter().map(|(e, u)| (Some(e.as_str()), u))),
    )?;
    fs::write(
        dir.join("city-ballots.csv"),
        ballots_csv(city.ballots.iter().map(|(v, b)| (Some(v.as_str()), b))),
    )?;
    let mut votes = String::from("id,estate,matter,decided_on,opens_at,closes_at\n");
    let window = voting();
    for (vote, estate) in &city.votes {
        votes.push_str(&format!(
            "{vote},{estate},use_maintenance_fund,2026-04-30,{},{}\n",
            window.opens_at.as_deref().unwrap_or(""),
            window.closes_at.as_deref().unwrap_or("")
        ));
    }
    fs::write(dir.join("city-votes.csv"), votes)?;
    eprintln!(
        "city: {} estates, {} units, {} ballots",
        city.votes.len(),
        city.units.len(),
        city.ballots.len()
    );
    Ok(())
}
