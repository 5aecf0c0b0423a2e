//! The npm package `yeweihui`: the engine compiled to WebAssembly.
//!
//! Gated to wasm targets so `cargo test --workspace` stays native. It
//! converts strings and errors, nothing else: every computation is in the
//! `yeweihui` crate, reached through its wire operations.
#![cfg(target_family = "wasm")]

use wasm_bindgen::prelude::*;

/// Builds a JS `Error` carrying the stable `.code` of a library error.
fn to_js_error(e: &yeweihui::Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().as_str().into());
    err.into()
}

/// Runs a wire operation on JSON text and returns JSON text; throws an
/// `Error` with `.code` on failure.
#[wasm_bindgen(js_name = runJson)]
pub fn run_json(operation: &str, input: &str) -> Result<String, JsValue> {
    yeweihui::wire::run(operation, input).map_err(|e| to_js_error(&e))
}

/// Every stable error code, in catalogue order.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    yeweihui::ErrorCode::ALL.iter().map(|c| c.as_str().to_owned()).collect()
}
