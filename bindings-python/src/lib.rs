//! The native module `yeweihui._native` under the Python package `yeweihui`.
//!
//! It converts strings and errors, nothing else: every computation is in the
//! `yeweihui` crate, reached through its wire operations, so Python gives the
//! same bytes as Rust and JavaScript.

use pyo3::prelude::*;

/// Converts a library error into the Python exception for its code
/// (`yeweihui.YeweihuiError` or a subclass, with `.code`).
fn to_py_err(py: Python<'_>, e: yeweihui::Error) -> PyErr {
    let exception = py
        .import("yeweihui._errors")
        .and_then(|m| m.getattr("error_for_code"))
        .and_then(|f| f.call1((e.code().as_str(), e.to_string())));
    match exception {
        Ok(exc) => PyErr::from_value(exc),
        Err(import_failure) => import_failure,
    }
}

/// Runs a wire operation on JSON text and returns JSON text.
#[pyfunction]
fn run(py: Python<'_>, operation: &str, input: &str) -> PyResult<String> {
    py.detach(|| yeweihui::wire::run(operation, input))
        .map_err(|e| to_py_err(py, e))
}

/// Every stable error code, in catalogue order.
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    yeweihui::ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
