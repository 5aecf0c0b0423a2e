//! The columnar entry points the bindings use (`tally_columns`,
//! `tally_many_columns`) on arbitrary tables: the first line is the spec,
//! `u,...` lines are units (estate, id, area, building, owner, status),
//! `b,...` lines ballots (vote, unit, choice, channel, cast_at,
//! authorization); an empty cell is null, and a `!` line drops the last cell
//! of a column to make the lengths disagree. An error or valid JSON, never
//! a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use yeweihui::quantity::DecimalCell;
use yeweihui::wire::{tally_columns, tally_many_columns, BallotColumns, UnitColumns};

fn cell(s: Option<&str>) -> Option<&str> {
    s.filter(|c| !c.is_empty())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.lines();
    let spec = lines.next().unwrap_or_default();
    let (mut units, mut ballots) = (UnitColumns::default(), BallotColumns::default());
    let (mut estates, mut buildings, mut owners, mut statuses) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut channels, mut casts, mut auths) = (Vec::new(), Vec::new(), Vec::new());
    for line in lines {
        let mut f = line.split(',');
        match f.next() {
            Some("u") => {
                estates.push(f.next().unwrap_or_default());
                units.id.push(f.next().unwrap_or_default());
                units.area.push(DecimalCell::Text(f.next().unwrap_or_default()));
                buildings.push(cell(f.next()));
                owners.push(cell(f.next()));
                statuses.push(cell(f.next()));
            }
            Some("b") => {
                ballots.vote.push(f.next().unwrap_or_default());
                ballots.unit.push(f.next().unwrap_or_default());
                ballots.choice.push(f.next().unwrap_or_default());
                channels.push(cell(f.next()));
                casts.push(cell(f.next()));
                auths.push(cell(f.next()));
            }
            Some("!") => {
                owners.pop();
                casts.pop();
            }
            _ => {}
        }
    }
    units.building = Some(buildings);
    units.owner = Some(owners);
    units.status = Some(statuses);
    ballots.channel = Some(channels);
    ballots.cast_at = Some(casts);
    ballots.authorization = Some(auths);
    let check = |out: yeweihui::Result<String>| match out {
        Ok(json) => assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok()),
        Err(e) => assert!(yeweihui::ErrorCode::ALL.contains(&e.code())),
    };
    let single = BallotColumns { vote: Vec::new(), ..ballots.clone() };
    check(tally_columns(spec, UnitColumns { estate: None, ..units.clone() }, single));
    let many_units = if estates.iter().all(|e| e.is_empty()) { None } else { Some(UnitColumns { estate: Some(estates), ..units }) };
    check(tally_many_columns(spec, many_units, ballots));
});
