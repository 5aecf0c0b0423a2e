//! The value parsers: areas, money, ratios, dates, instants. Whatever parses
//! prints back to a canonical form that parses to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use yeweihui::quantity::{Area, Money, Ratio};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(a) = text.parse::<Area>() {
        assert_eq!(a.to_string().parse::<Area>(), Ok(a));
    }
    if let Ok(m) = text.parse::<Money>() {
        assert_eq!(m.to_string().parse::<Money>(), Ok(m));
    }
    if let Ok(r) = text.parse::<Ratio>() {
        assert_eq!(r.to_string().parse::<Ratio>(), Ok(r));
    }
    if let Ok(d) = yeweihui::calendar::parse_date("d", text) {
        assert_eq!(yeweihui::calendar::format_date(d), text);
    }
    let _ = yeweihui::calendar::parse_instant("t", text);
});
