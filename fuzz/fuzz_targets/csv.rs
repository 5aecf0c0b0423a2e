//! The CSV readers on arbitrary text: a register and ballots read in place
//! (`tally_csv`) give the outcome of the records read from the same text
//! (or an error of the same code), and registers are built from them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use yeweihui::json::to_string;

const SPEC: &str = r#"{"rulebook":"cn-national","decided_on":"2026-04-30","matter":"other_major""#;
const UNITS: &str = "id,area,owner\nu1,60,p\nu2,40,\n";
const BALLOTS: &str = "unit,choice\nu1,agree\nu2,against\n";

/// The tally of the records the CSV readers give, through the JSON wire.
fn by_records(units: &str, ballots: &str) -> Result<String, yeweihui::Error> {
    let units = yeweihui::csv::units_from_csv(units)?;
    let ballots = yeweihui::csv::ballots_from_csv(ballots)?;
    let input = format!(r#"{SPEC},"register":{},"ballots":{}}}"#, to_string(&units), to_string(&ballots));
    yeweihui::wire::run("tally", &input)
}

fn agree(units: &str, ballots: &str) {
    let in_place = yeweihui::wire::tally_csv(&format!("{SPEC}}}"), units, ballots);
    match (in_place, by_records(units, ballots)) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{a} / {b}"),
        (a, b) => panic!("one reading failed: {a:?} / {b:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(units) = yeweihui::csv::units_from_csv(text) {
        let _ = yeweihui::register::Register::new(&units);
    }
    agree(text, BALLOTS);
    agree(UNITS, text);
});
