//! Every wire operation on arbitrary text: an error or an output, never a
//! panic; an output is valid JSON; an error has a stable code.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let ops = yeweihui::wire::OPERATIONS;
    let op = ops[selector as usize % ops.len()];
    let Ok(text) = std::str::from_utf8(rest) else { return };
    match yeweihui::wire::run(op, text) {
        Ok(out) => assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok(), "{op}: output is not JSON"),
        Err(e) => assert!(yeweihui::ErrorCode::ALL.contains(&e.code())),
    }
});
