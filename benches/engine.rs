//! Criterion benchmarks of the native engine: register indexing, tally (with
//! and without the explanation, with and without times) from 300 to 100,000
//! units, an election, a cost split, and deadlines.
//! Run: `cargo bench -p yeweihui-bench --bench engine`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use yeweihui::calendar::{parse_date, HolidayCalendar, Period};
use yeweihui::committee::election::{election, Candidate, ElectionBallot, ElectionInput};
use yeweihui::explain::Lang;
use yeweihui::funds::{cost_split, Basis};
use yeweihui::quantity::Money;
use yeweihui::register::{Register, Scope};
use yeweihui::tally::{tally_records, Motion};
use yeweihui::{Matter, Rulebook};

use yeweihui_bench as estate;

const SIZES: [usize; 4] = [300, 2_000, 20_000, 100_000];

fn benches(c: &mut Criterion) {
    let rulebook = Rulebook::preset("cn-national").expect("preset");
    let motion = Motion::new(Matter::UseMaintenanceFund, parse_date("d", "2026-04-30").expect("date"))
        .with_voting(estate::voting().parse().expect("window"));

    let mut index = c.benchmark_group("register_index");
    for n in SIZES {
        let units = estate::units(n, 7);
        index.throughput(Throughput::Elements(n as u64));
        index.bench_with_input(BenchmarkId::from_parameter(n), &units, |b, u| {
            b.iter(|| Register::new(black_box(u)))
        });
    }
    index.finish();

    let mut group = c.benchmark_group("tally");
    for n in SIZES {
        let units = estate::units(n, 7);
        let register = Register::new(&units).expect("register");
        let ballots = estate::ballots(&units, 11);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &ballots, |b, ballots| {
            b.iter(|| tally_records(rulebook, &register, &motion, black_box(ballots)))
        });
    }
    group.finish();

    let units = estate::units(20_000, 7);
    let register = Register::new(&units).expect("register");
    let ballots = estate::ballots(&units, 11);
    let untimed: Vec<_> = ballots
        .iter()
        .map(|b| yeweihui::ballot::BallotRecord {
            cast_at: None,
            ..b.clone()
        })
        .collect();
    let no_window = Motion::new(Matter::UseMaintenanceFund, parse_date("d", "2026-04-30").expect("date"));
    c.bench_function("tally_without_times/20000", |b| {
        b.iter(|| tally_records(rulebook, &register, &no_window, black_box(&untimed)))
    });
    c.bench_function("tally_and_explain/20000", |b| {
        b.iter(|| tally_records(rulebook, &register, &motion, black_box(&ballots)).map(|o| o.explain(Lang::Zh)))
    });

    // An election on a 2,000-unit estate: 7 seats, 2 alternates, 12 candidates.
    let units = estate::units(2_000, 7);
    let register = Register::new(&units).expect("register");
    let candidates: Vec<Candidate> = (0..12)
        .map(|i| Candidate {
            id: format!("C{i:02}"),
            unit: units[i * 97].id.clone(),
            name: None,
            flags: Vec::new(),
        })
        .collect();
    let ballots: Vec<ElectionBallot> = estate::ballots(&units, 11)
        .into_iter()
        .enumerate()
        .map(|(k, b)| ElectionBallot {
            unit: b.unit,
            choices: (0..12)
                .filter(|c| (k + c) % 3 != 0)
                .take(9)
                .map(|c| format!("C{c:02}"))
                .collect(),
            channel: b.channel,
            cast_at: b.cast_at,
            authorization: Some("委托书".into()),
        })
        .collect();
    let input = ElectionInput {
        decided_on: parse_date("d", "2026-04-30").expect("date"),
        scope: Scope::Estate,
        seats: 7,
        alternates: 2,
        candidates,
        ballots,
        voting: estate::voting().parse().expect("window"),
    };
    c.bench_function("election/2000", |b| {
        b.iter(|| election(rulebook, &register, black_box(&input)))
    });

    // Sharing a cost over 20,000 units by area, to the fen.
    let units = estate::units(20_000, 7);
    let register = Register::new(&units).expect("register");
    let amount: Money = "1234567.89".parse().expect("amount");
    c.bench_function("cost_split/20000", |b| {
        b.iter(|| cost_split(black_box(amount), &register, &Scope::Estate, Basis::Area, &[]))
    });

    let calendar = HolidayCalendar::china();
    let start = parse_date("start", "2025-09-20").expect("date");
    c.bench_function("deadline/15_days_over_national_day", |b| {
        b.iter(|| calendar.deadline(black_box(start), Period::Days(15)))
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
