//! The CSV readers on arbitrary text, and registers built from what they read.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(units) = yeweihui::csv::units_from_csv(text) {
        let _ = yeweihui::register::Register::new(&units);
    }
    let _ = yeweihui::csv::ballots_from_csv(text);
});
