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

/// Extracts one ballot column (a list of str, or of str-or-None when optional).
fn column<T: for<'a, 'py> FromPyObject<'a, 'py>>(py: Python<'_>, name: &str, values: &Bound<'_, PyAny>) -> PyResult<T> {
    values.extract::<T>().map_err(|e| {
        let e: PyErr = e.into();
        to_py_err(
            py,
            yeweihui::Error::invalid_input(format!("ballots column {name:?}"), e.to_string()),
        )
    })
}

/// Runs `tally_many` with the ballot table given as columns, crossing the
/// boundary once: `spec` is the JSON input without `ballots`.
#[pyfunction]
#[pyo3(signature = (spec, vote, unit, choice, channel=None, cast_at=None, authorization=None))]
#[allow(clippy::too_many_arguments)]
fn tally_many_columns(
    py: Python<'_>,
    spec: &str,
    vote: &Bound<'_, PyAny>,
    unit: &Bound<'_, PyAny>,
    choice: &Bound<'_, PyAny>,
    channel: Option<&Bound<'_, PyAny>>,
    cast_at: Option<&Bound<'_, PyAny>>,
    authorization: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let optional = |name: &str, v: Option<&Bound<'_, PyAny>>| v.map(|v| column(py, name, v)).transpose();
    let columns = yeweihui::wire::BallotColumns {
        vote: column(py, "vote", vote)?,
        unit: column(py, "unit", unit)?,
        choice: column(py, "choice", choice)?,
        channel: optional("channel", channel)?,
        cast_at: optional("cast_at", cast_at)?,
        authorization: optional("authorization", authorization)?,
    };
    py.detach(|| yeweihui::wire::tally_many_columns(spec, columns))
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
    m.add_function(wrap_pyfunction!(tally_many_columns, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
