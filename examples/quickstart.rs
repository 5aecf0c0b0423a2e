//! Quick start: tally the bundled sample estate's vote and explain it.
//!
//! Run from the repository root: `cargo run --example quickstart`
//!
//! The sample estate (翠湖苑, `examples/data/`) has 332 units in six buildings;
//! the owners voted in April 2026 on hiring a new property manager
//! (民法典 Art. 278 ¶1 item 4), online, on paper and by proxy.

use yeweihui::ballot::{DuplicatePolicy, VotingRecord};
use yeweihui::calendar::parse_date;
use yeweihui::explain::Lang;
use yeweihui::register::Register;
use yeweihui::tally::{tally_records, Motion};
use yeweihui::{csv, Matter, Rulebook};

fn main() -> Result<(), yeweihui::Error> {
    let units = csv::units_from_csv(include_str!("data/units.csv"))?;
    let ballots = csv::ballots_from_csv(include_str!("data/ballots.csv"))?;
    let register = Register::new(&units)?;

    let voting = VotingRecord {
        opens_at: Some("2026-04-01T00:00:00+08:00".into()),
        closes_at: Some("2026-04-30T23:59:59+08:00".into()),
        duplicates: DuplicatePolicy::LatestWins,
        non_response: None,
    }
    .parse()?;
    let motion = Motion::new(Matter::HireOrDismissManager, parse_date("decided_on", "2026-04-30")?).with_voting(voting);

    let outcome = tally_records(Rulebook::preset("cn-national")?, &register, &motion, &ballots)?;
    println!("{}", outcome.explain(Lang::Zh));
    println!("{}", outcome.explain(Lang::En));
    Ok(())
}
