//! Property tests of the tally's invariants.

use proptest::prelude::*;
use yeweihui::ballot::{Ballot, Channel, Choice, DuplicatePolicy, Voting};
use yeweihui::calendar::{parse_date, parse_instant, OffsetDateTime};
use yeweihui::quantity::{Area, Comparator, DecimalText, Ratio, Threshold};
use yeweihui::register::{Register, Scope, UnitRecord, UnitStatus};
use yeweihui::tally::{Motion, Outcome};
use yeweihui::{tally, Matter, Rulebook};

/// Failing seeds are kept beside this file (`properties.proptest-regressions`,
/// committed) and replayed first on every run.
fn kept() -> Option<Box<dyn proptest::test_runner::FailurePersistence>> {
    Some(Box::new(proptest::test_runner::FileFailurePersistence::WithSource(
        "proptest-regressions",
    )))
}

fn base_time() -> OffsetDateTime {
    parse_instant("t", "2026-04-01T00:00:00+08:00").unwrap()
}

#[derive(Debug, Clone)]
struct Case {
    units: Vec<UnitRecord>,
    ballots: Vec<Ballot>,
    policy: DuplicatePolicy,
    matter: Matter,
    decided_on: &'static str,
}

fn unit_strategy() -> impl Strategy<Value = (u64, u8, u8)> {
    // area in ten-thousandths (0.01 .. 500 m²), owner slot, status
    (100u64..5_000_000, 0u8..12, 0u8..10)
}

fn choice() -> impl Strategy<Value = Choice> {
    prop_oneof![Just(Choice::Agree), Just(Choice::Against), Just(Choice::Abstain)]
}

fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![4 => Just(Channel::Online), 2 => Just(Channel::Paper), 1 => Just(Channel::Proxy)]
}

prop_compose! {
    fn case()(
        units in prop::collection::vec(unit_strategy(), 1..25),
        raw_ballots in prop::collection::vec((0usize..30, choice(), channel(), any::<bool>(), 0i64..100_000), 0..60),
        policy in prop_oneof![Just(DuplicatePolicy::LatestWins), Just(DuplicatePolicy::FirstWins), Just(DuplicatePolicy::PaperPrevails), Just(DuplicatePolicy::OnlinePrevails)],
        matter in prop::sample::select(Matter::ALL.to_vec()),
        decided_on in prop::sample::select(vec!["2020-06-30", "2026-03-01"]),
    ) -> Case {
        let units: Vec<UnitRecord> = units.iter().enumerate().map(|(i, &(area, owner, status))| UnitRecord {
            id: format!("u{i}"),
            building: Some(format!("b{}", i % 3)),
            area: DecimalText::Text(Area::from_ten_thousandths(area).to_string()),
            owner: Some(format!("o{owner}")),
            status: match status { 0 => UnitStatus::DeveloperUnsold, 1 => UnitStatus::Undelivered, _ => UnitStatus::Owned },
        }).collect();
        // distinct times (index breaks ties), some ballots for unknown units
        let ballots = raw_ballots.iter().enumerate().map(|(i, &(u, choice, channel, auth, secs))| {
            let mut b = Ballot::new(format!("u{u}"), choice)
                .with_channel(channel)
                .with_cast_at(base_time() + time::Duration::seconds(secs * 100 + i as i64));
            if auth { b = b.with_authorization("委托书"); }
            b
        }).collect();
        Case { units, ballots, policy, matter, decided_on }
    }
}

fn run(c: &Case, ballots: &[Ballot]) -> Outcome {
    let register = Register::new(&c.units).unwrap();
    let motion = Motion::new(c.matter, parse_date("d", c.decided_on).unwrap()).with_voting(Voting {
        duplicates: c.policy,
        non_response: "ignore".into(),
        ..Voting::default()
    });
    tally(Rulebook::preset("cn-national").unwrap(), &register, &motion, ballots).unwrap()
}

/// The result, less what names input positions.
fn verdict(o: &Outcome) -> String {
    use yeweihui::json::to_string;
    [
        to_string(&o.passed),
        to_string(&o.participation),
        to_string(&o.votes),
        to_string(&o.checks),
        to_string(&o.ballots),
    ]
    .join(" ")
}

/// A vote's window and scope over a [`Case`], some ballots without a time.
/// Each end of the window is a ballot's time, or a second either side.
#[derive(Debug, Clone)]
struct Setting {
    opens: Option<(prop::sample::Index, i64)>,
    closes: Option<(prop::sample::Index, i64)>,
    scope: Scope,
    untimed: Vec<bool>,
}

/// How far a window's end is from a ballot's time, in nanoseconds: a whole
/// second either side or none, or anywhere within a second and a half
/// (ends inside a ballot's second).
fn jitter() -> impl Strategy<Value = i64> {
    prop_oneof![
        (-1i64..=1).prop_map(|s| s * 1_000_000_000),
        -1_500_000_000i64..=1_500_000_000
    ]
}

prop_compose! {
    fn setting()(
        opens in prop::option::of((any::<prop::sample::Index>(), jitter())),
        closes in prop::option::of((any::<prop::sample::Index>(), jitter())),
        scope in 0u8..3,
        untimed in prop::collection::vec(prop::bool::weighted(0.15), 60),
    ) -> Setting {
        let scope = match scope {
            0 => Scope::Estate,
            1 => Scope::Buildings(vec!["b0".into(), "b2".into()]),
            _ => Scope::Units((0..12).step_by(2).map(|i| format!("u{i}")).collect()),
        };
        Setting { opens, closes, scope, untimed }
    }
}

impl Setting {
    /// The vote's window, its ends picked among these ballots' times.
    fn voting(&self, ballots: &[Ballot]) -> Voting {
        let end = |pick: &Option<(prop::sample::Index, i64)>| {
            pick.as_ref().map(|(i, jitter)| {
                let t = if ballots.is_empty() {
                    None
                } else {
                    ballots[i.index(ballots.len())].cast_at
                };
                t.unwrap_or_else(base_time) + time::Duration::nanoseconds(*jitter)
            })
        };
        Voting {
            opens_at: end(&self.opens),
            closes_at: end(&self.closes),
            ..Voting::default()
        }
    }
}

/// What a tally must give, read plainly from the rules ballot by ballot:
/// per choice (agree, against, abstain) the units, area and owners counted;
/// the rejected ballots with their codes; the superseded ones with the
/// ballot that stands instead.
type Plain = ([(u64, Area, u64); 3], Vec<(u64, &'static str)>, Vec<(u64, u64)>);

fn plain_reading(register: &Register, ballots: &[Ballot], voting: &Voting, scope: &Scope) -> Plain {
    use std::collections::{BTreeMap, BTreeSet};
    let in_scope = |unit: yeweihui::register::Unit<'_>| match scope {
        Scope::Estate => true,
        Scope::Buildings(b) => unit.building.is_some_and(|x| b.iter().any(|y| y == x)),
        Scope::Units(ids) => ids.iter().any(|id| id == unit.id),
    };
    let moment = |t: Option<OffsetDateTime>| t.map(yeweihui::ballot::Moment::from);
    let (opens, closes) = (moment(voting.opens_at), moment(voting.closes_at));
    let mut rejected = BTreeMap::new();
    // per unit position, its admitted ballots in input order
    let mut admitted: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, b) in ballots.iter().enumerate() {
        let Some(pos) = register.position(&b.unit) else {
            rejected.insert(i, "unknown_unit");
            continue;
        };
        let t = moment(b.cast_at);
        let code = if !in_scope(register.unit(pos).unwrap()) {
            Some("out_of_scope")
        } else if b.channel == Channel::Proxy && b.authorization.as_deref().is_none_or(|a| a.trim().is_empty()) {
            Some("proxy_without_authorization")
        } else if (opens.is_some() || closes.is_some()) && t.is_none() {
            Some("missing_cast_at")
        } else if opens.is_some_and(|o| t < Some(o)) {
            Some("before_open")
        } else if closes.is_some_and(|c| t > Some(c)) {
            Some("after_close")
        } else {
            None
        };
        match code {
            Some(code) => drop(rejected.insert(i, code)),
            None => admitted.entry(pos).or_default().push(i),
        }
    }
    let mut superseded = Vec::new();
    // per owner, the standing ballots of their units
    let mut by_owner: BTreeMap<u32, Vec<(usize, usize)>> = BTreeMap::new();
    for (&pos, list) in &admitted {
        let mut stands = list[0];
        for &j in &list[1..] {
            if voting.duplicates.replaces(ballots[stands].cast(), ballots[j].cast()) {
                stands = j;
            }
        }
        superseded.extend(
            list.iter()
                .filter(|&&j| j != stands)
                .map(|&j| (j as u64, stands as u64)),
        );
        by_owner
            .entry(register.unit(pos).unwrap().owner)
            .or_default()
            .push((pos, stands));
    }
    let mut counts = [(0, Area::ZERO, 0); 3];
    let index = |c: Choice| {
        [Choice::Agree, Choice::Against, Choice::Abstain]
            .iter()
            .position(|&x| x == c)
            .unwrap()
    };
    for standing in by_owner.values() {
        let choices: BTreeSet<usize> = standing.iter().map(|&(_, b)| index(ballots[b].choice)).collect();
        if choices.len() > 1 {
            rejected.extend(standing.iter().map(|&(_, b)| (b, "owner_conflict")));
            continue;
        }
        for &(pos, b) in standing {
            let c = &mut counts[index(ballots[b].choice)];
            c.0 += 1;
            c.1 += register.unit(pos).unwrap().area;
        }
        counts[index(ballots[standing[0].1].choice)].2 += 1;
    }
    superseded.sort_unstable();
    (
        counts,
        rejected.into_iter().map(|(i, c)| (i as u64, c)).collect(),
        superseded,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: kept(), ..ProptestConfig::default() })]

    /// The tally (its single pass over ballots and units) gives what the
    /// rules read plainly give: admission in order (unit, scope, proxy,
    /// window), the duplicate policy per unit, one owner one choice.
    #[test]
    fn the_tally_agrees_with_a_plain_reading_of_the_rules(c in case(), s in setting()) {
        let ballots: Vec<Ballot> = c.ballots.iter().zip(&s.untimed)
            .map(|(b, &untimed)| Ballot { cast_at: if untimed { None } else { b.cast_at }, ..b.clone() })
            .collect();
        let register = Register::new(&c.units).unwrap();
        let motion = Motion::new(c.matter, parse_date("d", c.decided_on).unwrap())
            .with_scope(s.scope.clone())
            .with_voting(Voting { duplicates: c.policy, ..s.voting(&ballots) });
        let Ok(o) = tally(Rulebook::preset("cn-national").unwrap(), &register, &motion, &ballots) else {
            // only a scope without area stops a tally here
            prop_assert!(register.resolve(&s.scope).map_or(true, |set| set.totals().area == Area::ZERO));
            return Ok(());
        };
        let (counts, rejected, superseded) = plain_reading(&register, &ballots, &motion.voting, &s.scope);
        let v = [o.votes.agree, o.votes.against, o.votes.abstain].map(|c| (c.units, c.area, c.owners));
        prop_assert_eq!(v, counts);
        prop_assert_eq!(o.rejected.iter().map(|r| (r.index, r.code.as_str())).collect::<Vec<_>>(), rejected);
        prop_assert_eq!(o.superseded.iter().map(|s| (s.index, s.by)).collect::<Vec<_>>(), superseded);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: kept(), ..ProptestConfig::default() })]

    #[test]
    fn every_ballot_is_accounted_for_once(c in case()) {
        let o = run(&c, &c.ballots);
        let b = o.ballots;
        prop_assert_eq!(b.received, c.ballots.len() as u64);
        prop_assert_eq!(b.received, b.counted + b.superseded + b.rejected);
        prop_assert_eq!(b.rejected, o.rejected.len() as u64);
        prop_assert_eq!(b.superseded, o.superseded.len() as u64);
        prop_assert_eq!(b.counted, o.participation.units);
        let mut seen = vec![false; c.ballots.len()];
        for i in o.rejected.iter().map(|r| r.index).chain(o.superseded.iter().map(|s| s.index)) {
            prop_assert!(!seen[i as usize], "ballot {} accounted twice", i);
            seen[i as usize] = true;
        }
        prop_assert!(o.rejected.windows(2).all(|w| w[0].index < w[1].index));
        prop_assert!(o.superseded.windows(2).all(|w| w[0].index < w[1].index));
        // a superseded ballot points at a counted or conflict-rejected ballot of the same unit
        for s in &o.superseded {
            prop_assert!(!seen[s.by as usize] || o.rejected.iter().any(|r| r.index == s.by));
            prop_assert_eq!(&c.ballots[s.by as usize].unit, &s.unit);
        }
        prop_assert_eq!(o.passed, o.checks.all_met());
    }

    #[test]
    fn input_order_does_not_change_the_result(c in case(), seed in any::<u64>()) {
        let mut shuffled = c.ballots.clone();
        // deterministic Fisher-Yates from the seed
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(verdict(&run(&c, &c.ballots)), verdict(&run(&c, &shuffled)));
    }

    #[test]
    fn more_agreement_never_turns_a_pass_into_a_fail(c in case(), owner in 0u8..12) {
        let before = run(&c, &c.ballots);
        // every unit this owner holds (the developer's units count under the developer)
        let name = format!("o{owner}");
        let held: std::collections::HashSet<&str> = c.units.iter()
            .filter(|r| r.status == UnitStatus::Owned && r.owner.as_deref() == Some(name.as_str()))
            .map(|r| r.id.as_str())
            .collect();
        let flipped: Vec<Ballot> = c.ballots.iter().map(|b| {
            if b.choice == Choice::Against && held.contains(b.unit.as_str()) {
                Ballot { choice: Choice::Agree, ..b.clone() }
            } else { b.clone() }
        }).collect();
        let after = run(&c, &flipped);
        prop_assert!(!before.passed || after.passed, "flipping owner o{} to agree failed the vote", owner);
        prop_assert!(after.votes.agree.owners >= before.votes.agree.owners);
    }

    #[test]
    fn shortfall_is_exact(
        part in 0u128..10_000, extra in 0u128..10_000, n in 1u32..20, d_extra in 1u32..20,
        at_least in any::<bool>(), step in prop_oneof![Just(1u128), Just(100u128)],
    ) {
        let whole = part + extra;
        let cmp = if at_least { Comparator::AtLeast } else { Comparator::MoreThan };
        let t = Threshold::new(cmp, Ratio::new(n, n + d_extra).unwrap()).unwrap();
        if let Some(x) = t.shortfall_fixed_base(part, whole, step) {
            prop_assert_eq!(x % step, 0);
            prop_assert!(t.is_met(part + x, whole));
            prop_assert!(x == 0 || !t.is_met(part + x - step, whole));
        } else {
            prop_assert_eq!(whole, 0);
        }
        let x = t.shortfall_growing_base(part, whole, step);
        prop_assert_eq!(x % step, 0);
        prop_assert!(t.is_met(part + x, whole + x));
        prop_assert!(x == 0 || !t.is_met(part + x - step, whole + x - step));
    }

    #[test]
    fn stricter_thresholds_never_pass_what_looser_fail(
        part in 0u128..1000, extra in 0u128..1000,
        a in (1u32..10, 1u32..10, any::<bool>()), b in (1u32..10, 1u32..10, any::<bool>()),
    ) {
        let mk = |(n, e, al): (u32, u32, bool)| Threshold::new(if al { Comparator::AtLeast } else { Comparator::MoreThan }, Ratio::new(n, n + e).unwrap()).unwrap();
        let (ta, tb) = (mk(a), mk(b));
        if ta.is_at_least_as_strict_as(tb) && ta.is_met(part, part + extra) {
            prop_assert!(tb.is_met(part, part + extra));
        }
    }
}

#[test]
fn owner_shortfall_added_as_agreeing_owners_meets_the_check() {
    // 10 owners of 10 m² each; 5 vote: participation by owners needs 2/3 (7).
    let units: Vec<UnitRecord> = (0..10)
        .map(|i| UnitRecord {
            id: format!("u{i}"),
            building: None,
            area: DecimalText::Text("10".into()),
            owner: None,
            status: UnitStatus::Owned,
        })
        .collect();
    let c = Case {
        units,
        ballots: (0..5).map(|i| Ballot::new(format!("u{i}"), Choice::Agree)).collect(),
        policy: DuplicatePolicy::LatestWins,
        matter: Matter::OtherMajor,
        decided_on: "2026-03-01",
    };
    let o = run(&c, &c.ballots);
    let short = o.checks.participation_owners.as_ref().unwrap().shortfall;
    assert_eq!(short, 2);
    let mut more = c.ballots.clone();
    more.extend((5..5 + short).map(|i| Ballot::new(format!("u{i}"), Choice::Agree)));
    assert!(run(&c, &more).checks.participation_owners.unwrap().met);
    more.pop();
    assert!(!run(&c, &more).checks.participation_owners.unwrap().met);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: kept(), ..ProptestConfig::default() })]

    #[test]
    fn cost_shares_sum_exactly_and_stay_within_a_fen(
        areas in prop::collection::vec(0u64..20_000_000, 1..40),
        fen in 0u64..100_000_000_000,
        by_unit in any::<bool>(),
    ) {
        use yeweihui::funds::{cost_split, Basis};
        use yeweihui::quantity::Money;
        use yeweihui::register::Scope;
        let units: Vec<UnitRecord> = areas.iter().enumerate().map(|(i, a)| UnitRecord {
            id: format!("u{i}"),
            building: None,
            area: DecimalText::Text(Area::from_ten_thousandths(*a).to_string()),
            owner: None,
            status: UnitStatus::Owned,
        }).collect();
        let register = Register::new(&units).unwrap();
        let basis = if by_unit { Basis::Unit } else { Basis::Area };
        let total_area: u128 = areas.iter().map(|a| u128::from(*a)).sum();
        match cost_split(Money::from_fen(fen), &register, &Scope::Estate, basis, &[]) {
            Err(e) => prop_assert!(!by_unit && total_area == 0 && e.code().as_str() == "empty_scope"),
            Ok(split) => {
                let sum: u64 = split.shares.iter().map(|s| s.share.fen()).sum();
                prop_assert_eq!(sum, fen);
                prop_assert_eq!(split.shares.len(), areas.len());
                let weights: Vec<u128> = areas.iter().map(|a| if by_unit { 1 } else { u128::from(*a) }).collect();
                let total: u128 = weights.iter().sum();
                for (s, w) in split.shares.iter().zip(&weights) {
                    // each share is its exact share rounded down, or one fen more
                    let floor = u128::from(fen) * w / total;
                    let got = u128::from(s.share.fen());
                    prop_assert!(got == floor || got == floor + 1, "share {} vs exact floor {}", got, floor);
                }
            }
        }
    }
}

mod other_operations {
    use super::kept;
    use proptest::prelude::*;
    use yeweihui::ballot::{Choice, Voting};
    use yeweihui::calendar::{HolidayCalendar, Period};
    use yeweihui::committee::election::{election, Candidate, ElectionBallot, ElectionInput};
    use yeweihui::committee::{committee_meeting, MeetingInput, MemberVote};
    use yeweihui::quantity::DecimalText;
    use yeweihui::register::{Register, Scope, UnitRecord, UnitStatus};
    use yeweihui::Rulebook;

    fn period() -> impl Strategy<Value = Period> {
        prop_oneof![
            (0u32..800).prop_map(Period::Days),
            (0u32..30).prop_map(Period::Months),
            (0u32..3).prop_map(Period::Years),
            (0u32..120).prop_map(Period::WorkingDays),
        ]
    }

    fn day(offset: u16) -> yeweihui::calendar::Date {
        // the calendar covers 2020-2026; starts stay far enough inside it
        yeweihui::calendar::parse_date("d", "2020-01-01").unwrap() + time::Duration::days(i64::from(offset))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: kept(), ..ProptestConfig::default() })]

        /// A deadline is never before its start, never before its nominal end,
        /// and falls on a working day.
        #[test]
        fn deadlines_never_come_early(offset in 0u16..1_500, period in period()) {
            let calendar = HolidayCalendar::china();
            let start = day(offset);
            match calendar.deadline(start, period) {
                Ok(d) => {
                    prop_assert!(d.due >= d.nominal_end && d.nominal_end >= start, "{d:?}");
                    prop_assert!(!calendar.day(d.due).unwrap().is_rest(), "{d:?}");
                    prop_assert_eq!(d.skipped.len(), (d.due - d.nominal_end).whole_days() as usize);
                }
                // only a year the calendar does not cover may stop it, never a guess
                Err(e) => prop_assert_eq!(e.code().as_str(), "calendar_not_covered"),
            }
        }
    }

    fn units(n: usize) -> Vec<UnitRecord> {
        (0..n)
            .map(|i| UnitRecord {
                id: format!("U{i}"),
                building: None,
                area: DecimalText::Text(format!("{}.5", 50 + i)),
                owner: Some(format!("o{}", i / 2)),
                status: UnitStatus::Owned,
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: kept(), ..ProptestConfig::default() })]

        /// Every election ballot is counted, superseded or rejected; no more
        /// than the seats are elected, each once, and alternates are not elected.
        #[test]
        fn elections_account_for_every_ballot(
            n in 1usize..16,
            seats in 1u32..8,
            alternates in 0u32..3,
            raw in prop::collection::vec((0usize..20, prop::collection::vec(0usize..8, 0..6)), 0..30),
        ) {
            let units = units(n);
            let register = Register::new(&units).unwrap();
            let candidates: Vec<Candidate> = (0..n.min(6))
                .map(|i| Candidate { id: format!("c{i}"), unit: format!("U{i}"), name: None, flags: vec![] })
                .collect();
            let ballots: Vec<ElectionBallot> = raw
                .iter()
                .map(|(u, cs)| ElectionBallot {
                    unit: format!("U{u}"),
                    choices: cs.iter().map(|c| format!("c{c}")).collect(),
                    channel: None,
                    cast_at: None,
                    authorization: None,
                })
                .collect();
            let input = ElectionInput {
                decided_on: yeweihui::calendar::parse_date("d", "2026-05-10").unwrap(),
                scope: Scope::Estate,
                seats,
                alternates,
                candidates,
                ballots,
                voting: Voting::default(),
            };
            let out = election(Rulebook::preset("cn-national").unwrap(), &register, &input).unwrap();
            let b = &out.ballots;
            prop_assert_eq!(b.received, raw.len() as u64);
            prop_assert_eq!(b.received, b.counted + b.superseded + b.rejected);
            prop_assert!(out.elected.len() <= seats as usize);
            prop_assert!(out.alternates.len() <= alternates as usize);
            let mut all: Vec<&String> = out.elected.iter().chain(&out.alternates).collect();
            all.sort();
            all.dedup();
            prop_assert_eq!(all.len(), out.elected.len() + out.alternates.len());
        }

        /// Every committee vote is counted or rejected, and a rejected vote
        /// (absent, not a member, interested, repeated) never adds agreement.
        #[test]
        fn committee_votes_are_counted_or_rejected(
            members in 1usize..12,
            present in prop::collection::vec(any::<bool>(), 12),
            interested in prop::collection::vec(any::<bool>(), 12),
            raw in prop::collection::vec((0usize..14, any::<bool>()), 0..20),
        ) {
            let name = |i: usize| format!("m{i}");
            let input = MeetingInput {
                members: (0..members).map(name).collect(),
                present: (0..members).filter(|&i| present[i]).map(name).collect(),
                votes: raw.iter().map(|&(m, agree)| MemberVote {
                    member: name(m),
                    choice: if agree { Choice::Agree } else { Choice::Against },
                }).collect(),
                interested: (0..members).filter(|&i| interested[i]).map(name).collect(),
                notice_published_on: None,
                meeting_on: None,
            };
            let rules = Rulebook::preset("cn-national").unwrap()
                .in_force(yeweihui::calendar::parse_date("d", "2026-05-10").unwrap()).unwrap();
            let Ok(out) = committee_meeting(&rules, &input) else { return Ok(()) };
            let eligible_agree = raw.iter().enumerate().filter(|&(i, &(m, agree))| {
                agree && m < members && present[m] && !interested[m]
                    && !raw[..i].iter().any(|&(p, _)| p == m)
            }).count() as u64;
            prop_assert_eq!(out.checks.decision.measured, eligible_agree);
            let counted = raw.len() - out.rejected.len();
            prop_assert!(counted as u64 >= out.checks.decision.measured);
        }
    }
}

/// The area grammar written out plainly (how `Area::from_str` read before
/// it became one pass): the fast parser must agree with it on every text.
fn area_reference(s: &str) -> Result<u64, yeweihui::quantity::AreaError> {
    use yeweihui::quantity::AreaError;
    let plain = |t: &str| {
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        match t.split_once('.') {
            Some((i, f)) => digits(i) && digits(f),
            None => digits(t),
        }
    };
    let body = match s.strip_prefix('-') {
        Some(rest) if plain(rest) && rest.bytes().any(|b| matches!(b, b'1'..=b'9')) => return Err(AreaError::Negative),
        Some(rest) => rest,
        None => s,
    };
    if !plain(body) {
        return Err(AreaError::Malformed);
    }
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let int = int.trim_start_matches('0');
    if int.len() > 9 {
        return Err(AreaError::TooLarge);
    }
    if frac.len() > 4 && frac[4..].bytes().any(|b| b != b'0') {
        return Err(AreaError::TooPrecise);
    }
    let int_value = int.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0'));
    let frac_value = (0..4).fold(0u64, |v, i| {
        v * 10 + frac.as_bytes().get(i).map_or(0, |b| u64::from(b - b'0'))
    });
    Ok(int_value * 10_000 + frac_value)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, failure_persistence: kept(), ..ProptestConfig::default() })]

    #[test]
    fn area_parser_agrees_with_the_grammar(s in "-?[0-9.]{0,14}|-?0{0,3}[0-9]{0,11}(\\.[0-9]{0,7})?|.{0,8}") {
        let fast = s.parse::<Area>().map(|a| a.ten_thousandths());
        prop_assert_eq!(fast, area_reference(&s), "{:?}", s);
    }
}
