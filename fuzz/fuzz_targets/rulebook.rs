//! Rulebooks in TOML and JSON on arbitrary text; a valid one is resolved on
//! a few dates and listed.
#![no_main]
use libfuzzer_sys::fuzz_target;
use yeweihui::calendar::parse_date;
use yeweihui::Rulebook;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for book in [Rulebook::from_toml(text), Rulebook::from_json(text)].into_iter().flatten() {
        for day in ["2007-10-01", "2020-12-31", "2021-01-01", "2026-05-01"] {
            if let Ok(d) = parse_date("d", day) {
                let _ = book.in_force(d);
                let _ = book.rules_in_force(d);
            }
        }
    }
});
