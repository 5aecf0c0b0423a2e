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

    pub fn draw(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.draw() % 1000 < per_mille
    }
}

/// `items` in a seeded order of their own (Fisher-Yates): ballots that do
/// not come in the register's order, as the generated ones do.
pub fn shuffled<T>(mut items: Vec<T>, seed: u64) -> Vec<T> {
    let mut rng = Lcg::new(seed);
    for i in (1..items.len()).rev() {
        items.swap(i, (rng.draw() % (i as u64 + 1)) as usize);
    }
    items
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
        let area = 600_000 + rng.draw() % 1_200_000; // ten-thousandths of m²
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
        let day = 1 + rng.draw() % 29;
        let ballot = |channel: &str, hour: u64, choice: &str, authorization: Option<String>| BallotRecord {
            unit: u.id.clone(),
            choice: choice.to_owned(),
            channel: Some(channel.to_owned()),
            cast_at: Some(format!("2026-04-{day:02}T{hour:02}:00:00+08:00")),
            authorization,
        };
        let choice = choices[(rng.draw() % 5) as usize];
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
                unit: format!("X-{}", rng.draw()),
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

/// The sizes of estate every surface is measured on.
pub const SIZES: [usize; 4] = [300, 2_000, 20_000, 100_000];

/// A city's batch: `estates` estates of about `per_estate` units each, one
/// vote per estate (vote `V0001` in estate `E0001`, ...), ballots generated
/// as for one estate. Units come with their estate's id.
pub struct City {
    /// Each unit with its estate id.
    pub units: Vec<(String, UnitRecord)>,
    /// Each ballot with its vote id.
    pub ballots: Vec<(String, BallotRecord)>,
    /// Vote ids with their estate ids.
    pub votes: Vec<(String, String)>,
}

/// A city of `estates` estates of `per_estate` units (seeded).
pub fn city(estates: usize, per_estate: usize, seed: u64) -> City {
    let mut out = City {
        units: Vec::with_capacity(estates * per_estate),
        ballots: Vec::with_capacity(estates * per_estate),
        votes: Vec::with_capacity(estates),
    };
    for e in 1..=estates {
        let estate = format!("E{e:04}");
        let vote = format!("V{e:04}");
        let units = units(per_estate, seed + e as u64);
        for b in ballots(&units, seed * 31 + e as u64) {
            out.ballots.push((vote.clone(), b));
        }
        out.units.extend(units.into_iter().map(|u| (estate.clone(), u)));
        out.votes.push((vote, estate));
    }
    out
}

fn cell(v: Option<&str>) -> &str {
    v.unwrap_or("")
}

/// A CSV table: `header`, with `key` as a first column when the rows carry one.
fn csv_table<'a, T: 'a>(
    key: &str,
    header: &str,
    rows: impl Iterator<Item = (Option<&'a str>, &'a T)>,
    line: impl Fn(&T) -> String,
) -> String {
    let mut out = String::new();
    for (i, (first, row)) in rows.enumerate() {
        if i == 0 {
            if first.is_some() {
                out.push_str(key);
                out.push(',');
            }
            out.push_str(header);
            out.push('\n');
        }
        if let Some(k) = first {
            out.push_str(k);
            out.push(',');
        }
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

/// The register as CSV (`id,building,area,owner,status`), with an `estate`
/// column first when given.
pub fn units_csv<'a>(rows: impl Iterator<Item = (Option<&'a str>, &'a UnitRecord)>) -> String {
    csv_table("estate", "id,building,area,owner,status", rows, |u| {
        let area = match &u.area {
            DecimalText::Text(t) => t.clone(),
            DecimalText::Float(f) => f.to_string(),
        };
        format!(
            "{},{},{area},{},{}",
            u.id,
            cell(u.building.as_deref()),
            cell(u.owner.as_deref()),
            u.status.as_str()
        )
    })
}

/// Ballots as CSV (`unit,choice,channel,cast_at,authorization`), with a
/// `vote` column first when given.
pub fn ballots_csv<'a>(rows: impl Iterator<Item = (Option<&'a str>, &'a BallotRecord)>) -> String {
    csv_table("vote", "unit,choice,channel,cast_at,authorization", rows, |b| {
        format!(
            "{},{},{},{},{}",
            b.unit,
            b.choice,
            cell(b.channel.as_deref()),
            cell(b.cast_at.as_deref()),
            cell(b.authorization.as_deref())
        )
    })
}
