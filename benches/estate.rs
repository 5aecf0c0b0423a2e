//! Seeded, deterministic estates and ballot sets for benchmarks: several
//! buildings, owners of two units, developer units, and ballots with
//! duplicates and rejections in realistic proportions.

use yeweihui::ballot::{BallotRecord, DuplicatePolicy, VotingRecord};
use yeweihui::quantity::DecimalText;
use yeweihui::register::{UnitRecord, UnitStatus};

/// A small linear congruential generator: deterministic, no dependencies.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
}

/// An estate of `n` units: 18-floor buildings of 4 units a floor, registry
/// areas between 60 and 180 m² with four decimals, 4% of owners holding two
/// units, 2% of units unsold by the developer.
pub fn units(n: usize, seed: u64) -> Vec<UnitRecord> {
    let mut rng = Lcg::new(seed);
    let mut out = Vec::with_capacity(n);
    let mut owner = 0usize;
    let mut shared_next = false;
    for i in 0..n {
        let building = i / 72 + 1;
        let floor = (i % 72) / 4 + 1;
        let pos = i % 4 + 1;
        let area = 600_000 + rng.next() % 1_200_000; // ten-thousandths of m²
        let status = if rng.chance(20) {
            UnitStatus::DeveloperUnsold
        } else {
            UnitStatus::Owned
        };
        if !shared_next {
            owner += 1;
        }
        shared_next = !shared_next && rng.chance(40);
        out.push(UnitRecord {
            id: format!("{building}-{floor}{pos:02}"),
            building: Some(building.to_string()),
            area: DecimalText::Text(format!("{}.{:04}", area / 10_000, area % 10_000)),
            owner: Some(format!("O-{owner:06}")),
            status,
        });
    }
    out
}

/// Ballots for a vote over `units`: 75% turnout, 3% cast twice (paper then
/// online), 1% for unknown units, 1% proxies without authorization.
pub fn ballots(units: &[UnitRecord], seed: u64) -> Vec<BallotRecord> {
    let mut rng = Lcg::new(seed);
    let mut out = Vec::with_capacity(units.len());
    let choices = ["agree", "agree", "agree", "against", "abstain"];
    for u in units {
        if !rng.chance(750) {
            continue;
        }
        let day = 1 + rng.next() % 29;
        let ballot = |channel: &str, hour: u64, choice: &str, authorization: Option<String>| BallotRecord {
            unit: u.id.clone(),
            choice: choice.to_owned(),
            channel: Some(channel.to_owned()),
            cast_at: Some(format!("2026-04-{day:02}T{hour:02}:00:00+08:00")),
            authorization,
        };
        let choice = choices[(rng.next() % 5) as usize];
        if rng.chance(30) {
            out.push(ballot("paper", 9, choice, None));
        }
        if rng.chance(10) {
            out.push(ballot("proxy", 11, choice, None));
        } else {
            out.push(ballot("online", 12, choice, None));
        }
        if rng.chance(10) {
            out.push(BallotRecord {
                unit: format!("X-{}", rng.next()),
                ..ballot("online", 13, "agree", None)
            });
        }
    }
    out
}

/// The voting window of the generated ballots.
pub fn voting() -> VotingRecord {
    VotingRecord {
        opens_at: Some("2026-04-01T00:00:00+08:00".into()),
        closes_at: Some("2026-04-30T23:59:59+08:00".into()),
        duplicates: DuplicatePolicy::LatestWins,
        non_response: None,
    }
}
