//! The native engine timed on the datasets of `bench-data`, and single runs
//! for `valgrind --tool=callgrind` (instruction counts are stable where wall
//! times on shared machines are not).
//!   bench-native time <dir> [sizes...] [--case <case>]   JSON lines: case, size, median_ns, runs
//!   bench-native once <dir> <size> setup|tally|tally_typed|tally_typed_shuffled|tally_prepared|csv_tally   one run: load and index, then tally once (or not)
//!   bench-native cores   one JSON object: what a second thread gives on this machine

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use yeweihui::ballot::{Ballot, BallotRecord, VotingRecord};
use yeweihui::calendar::parse_date;
use yeweihui::register::{Register, UnitRecord};
use yeweihui::tally::{tally, tally_records, Motion, Outcome, PreparedBallots};
use yeweihui::{Matter, Rulebook};
use yeweihui_bench::{shuffled, SIZES};

struct Data {
    text: String,
    units: Vec<UnitRecord>,
    ballots: Vec<BallotRecord>,
    motion: Motion,
}

/// The parts of a `tally-<n>.json` wire input the native cases use.
#[derive(yeweihui::json::FromJson)]
struct Input {
    register: RegisterInput,
    ballots: Vec<BallotRecord>,
    voting: VotingRecord,
}

#[derive(yeweihui::json::FromJson)]
struct RegisterInput {
    units: Vec<UnitRecord>,
}

fn load(dir: &Path, n: usize) -> Result<Data, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(dir.join(format!("tally-{n}.json")))?;
    let input: Input = yeweihui::json::from_str(&text)?;
    let motion = Motion::new(Matter::UseMaintenanceFund, parse_date("decided_on", "2026-04-30")?)
        .with_voting(input.voting.parse()?);
    Ok(Data {
        text,
        units: input.register.units,
        ballots: input.ballots,
        motion,
    })
}

/// The CSV files of estate `n`, read only by the case that uses them (other
/// cases' figures stay those of the same heap as before).
struct CsvFiles {
    /// The wire input without register and ballots.
    spec: String,
    units: String,
    ballots: String,
}

impl CsvFiles {
    /// `wire_input` is the same estate's wire input (the voting settings).
    fn load(dir: &Path, n: usize, wire_input: &str) -> Result<CsvFiles, Box<dyn std::error::Error>> {
        let input: Input = yeweihui::json::from_str(wire_input)?;
        Ok(CsvFiles {
            spec: format!(
                r#"{{"rulebook":"cn-national","decided_on":"2026-04-30","matter":"use_maintenance_fund","voting":{}}}"#,
                yeweihui::json::to_string(&input.voting)
            ),
            units: std::fs::read_to_string(dir.join(format!("units-{n}.csv")))?,
            ballots: std::fs::read_to_string(dir.join(format!("ballots-{n}.csv")))?,
        })
    }
}

/// The wire tally from the CSV files' text, read in place (what Python's
/// `tally(path, path)` runs). Never inlined: callgrind counts inside it.
#[inline(never)]
fn csv_tally(files: &CsvFiles) -> yeweihui::Result<String> {
    yeweihui::wire::tally_csv(&files.spec, &files.units, &files.ballots)
}

/// The typed cases: ballots in the order generated (the register's), and
/// in a seeded order of their own (the register's order is what a unit's
/// lookup tries first).
const TYPED_CASES: [&str; 2] = ["tally_typed", "tally_typed_shuffled"];

/// Typed ballots of the estate's records for a case of [`TYPED_CASES`]:
/// those whose fields are bad have no typed form and are left out.
/// Shuffled before they are parsed, so that their ids are in memory in the
/// order they are read, as they would be had they come in that order.
fn typed(case: &str, records: &[BallotRecord]) -> Vec<Ballot> {
    let mut records: Vec<&BallotRecord> = records.iter().collect();
    if case == TYPED_CASES[1] {
        records = shuffled(records, 11);
    }
    records.into_iter().filter_map(|b| b.parse().ok()).collect()
}

/// The tally of typed ballots (`yeweihui::tally`). Never inlined: callgrind
/// counts inside it.
#[inline(never)]
fn typed_tally(
    rulebook: &Rulebook,
    register: &Register,
    motion: &Motion,
    ballots: &[Ballot],
) -> yeweihui::Result<Outcome> {
    tally(rulebook, register, motion, ballots)
}

/// Median of individually timed runs: at least 11, until a second has passed (at most 5,000).
fn median(mut f: impl FnMut()) -> (u128, usize) {
    f();
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < 11 || (started.elapsed() < Duration::from_secs(1) && times.len() < 5_000) {
        let t = Instant::now();
        f();
        times.push(t.elapsed().as_nanos());
    }
    times.sort_unstable();
    (times[times.len() / 2], times.len())
}

fn report(case: &str, size: usize, (ns, runs): (u128, usize)) {
    println!(r#"{{"surface":"rust","case":"{case}","size":{size},"median_ns":{ns},"runs":{runs}}}"#);
}

/// `steps` of a chain of multiplications, each waiting for the one before:
/// work that neither memory nor a compiler can shorten.
fn arithmetic(steps: u64) -> u64 {
    (0..steps).fold(1u64, |x, i| x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i))
}

/// What a second thread gives on this machine, as the engine uses one (a
/// thread started for the work, then joined): the median time of about a
/// millisecond of arithmetic on one thread and split in two halves on two,
/// and of starting and joining a thread that does nothing. The large-input
/// paths are worth their second thread only as far as these allow.
fn cores() {
    const STEPS: u64 = 5_000_000;
    let (one, _) = median(|| {
        black_box(arithmetic(black_box(STEPS)));
    });
    let (two, _) = median(|| {
        std::thread::scope(|s| {
            let second = s.spawn(|| arithmetic(black_box(STEPS / 2)));
            let first = arithmetic(black_box(STEPS / 2));
            drop(black_box((first, second.join())));
        })
    });
    let (thread, _) = median(|| std::thread::scope(|s| drop(black_box(s.spawn(|| ()).join()))));
    println!(r#"{{"one_thread_ns":{one},"two_threads_ns":{two},"thread_ns":{thread}}}"#);
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = Path::new(args.get(1).map(String::as_str).unwrap_or("target/bench-data"));
    let rulebook = Rulebook::preset("cn-national")?;
    match args.first().map(String::as_str) {
        Some("time") => {
            let chosen: Vec<usize> = args[2..].iter().filter_map(|a| a.parse().ok()).collect();
            // `--case <case>`: that case alone
            let only = args.iter().position(|a| a == "--case").and_then(|i| args.get(i + 1));
            let timed = |case: &str| only.is_none_or(|c| c == case);
            for n in SIZES.into_iter().filter(|n| chosen.is_empty() || chosen.contains(n)) {
                let d = load(dir, n)?;
                let register = Register::new(&d.units)?;
                if timed("register_index") {
                    report(
                        "register_index",
                        n,
                        median(|| drop(black_box(Register::new(black_box(&d.units))))),
                    );
                }
                if timed("tally") {
                    report(
                        "tally",
                        n,
                        median(|| {
                            drop(black_box(tally_records(
                                rulebook,
                                &register,
                                &d.motion,
                                black_box(&d.ballots),
                            )))
                        }),
                    );
                }
                for case in TYPED_CASES.into_iter().filter(|c| timed(c)) {
                    let typed = typed(case, &d.ballots);
                    report(
                        case,
                        n,
                        median(|| drop(black_box(typed_tally(rulebook, &register, &d.motion, black_box(&typed))))),
                    );
                }
                if timed("prepare_ballots") {
                    report(
                        "prepare_ballots",
                        n,
                        median(|| drop(black_box(PreparedBallots::new(&register, black_box(&d.ballots))))),
                    );
                }
                if timed("tally_prepared") {
                    let prepared = PreparedBallots::new(&register, &d.ballots)?;
                    report(
                        "tally_prepared",
                        n,
                        median(|| drop(black_box(prepared.tally(rulebook, black_box(&d.motion))))),
                    );
                }
                if timed("wire_tally") {
                    report(
                        "wire_tally",
                        n,
                        median(|| drop(black_box(yeweihui::wire::run("tally", black_box(&d.text))))),
                    );
                }
                if timed("csv_tally") {
                    // last: its files join the heap the other cases ran on
                    let files = CsvFiles::load(dir, n, &d.text)?;
                    report("csv_tally", n, median(|| drop(black_box(csv_tally(black_box(&files))))));
                }
            }
            Ok(())
        }
        Some("once") => {
            let n: usize = args.get(2).and_then(|a| a.parse().ok()).ok_or("size")?;
            let d = load(dir, n)?;
            let register = Register::new(&d.units)?;
            match args.get(3).map(String::as_str) {
                Some("tally") => drop(black_box(tally_records(
                    rulebook,
                    &register,
                    &d.motion,
                    black_box(&d.ballots),
                )?)),
                Some(case) if TYPED_CASES.contains(&case) => drop(black_box(typed_tally(
                    rulebook,
                    &register,
                    &d.motion,
                    black_box(&typed(case, &d.ballots)),
                )?)),
                Some("csv_tally") => drop(black_box(csv_tally(&CsvFiles::load(dir, n, &d.text)?)?)),
                Some("tally_prepared") => {
                    let prepared = PreparedBallots::new(&register, &d.ballots)?;
                    drop(black_box(prepared.tally(rulebook, black_box(&d.motion))?));
                }
                _ => {}
            }
            Ok(())
        }
        Some("cores") => {
            cores();
            Ok(())
        }
        _ => Err(
            "usage: bench-native time <dir> [sizes...] [--case <case>] | once <dir> <size> setup|tally|tally_typed|tally_typed_shuffled|tally_prepared|csv_tally | cores"
                .into(),
        ),
    }
}
