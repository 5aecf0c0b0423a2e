//! The native module `yeweihui._native` under the Python package `yeweihui`.
//!
//! It converts strings and errors, nothing else: every computation is in the
//! `yeweihui` crate, reached through its wire operations, so Python gives the
//! same bytes as Rust and JavaScript.

use pyo3::prelude::*;
use pyo3::types::PyDict;

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

/// One column of a table given as a dict of lists: `str` cells, or
/// `str`-or-`None` cells when optional; a malformed column is `invalid_input`
/// naming it.
fn column<T: for<'a, 'py> FromPyObject<'a, 'py>>(
    py: Python<'_>,
    table: &Bound<'_, PyDict>,
    what: &str,
    name: &str,
) -> PyResult<Option<Vec<T>>> {
    let Some(values) = table.get_item(name)? else {
        return Ok(None);
    };
    let bad = |at: String, e: PyErr| to_py_err(py, yeweihui::Error::invalid_input(at, e.to_string()));
    let list = values
        .cast::<pyo3::types::PyList>()
        .map_err(|e| bad(format!("{what} column {name:?}"), e.into()))?;
    list.iter()
        .enumerate()
        .map(|(row, cell)| {
            cell.extract::<T>()
                .map_err(|e| bad(format!("{what} column {name:?} row {row}"), e.into()))
        })
        .collect::<PyResult<Vec<T>>>()
        .map(Some)
}

fn required<T>(py: Python<'_>, what: &str, name: &str, value: Option<T>) -> PyResult<T> {
    value.ok_or_else(|| {
        to_py_err(
            py,
            yeweihui::Error::invalid_input(format!("{what} column {name:?}"), "missing"),
        )
    })
}

/// An area cell: text, or a float kept as such for the core to refuse.
struct Area(yeweihui::quantity::DecimalText);

impl<'a, 'py> FromPyObject<'a, 'py> for Area {
    type Error = PyErr;
    fn extract(cell: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        use yeweihui::quantity::DecimalText;
        if let Ok(f) = cell.cast::<pyo3::types::PyFloat>() {
            return Ok(Area(DecimalText::Float(f.value())));
        }
        Ok(Area(DecimalText::Text(cell.extract::<String>()?)))
    }
}

fn ballot_columns(py: Python<'_>, t: &Bound<'_, PyDict>) -> PyResult<yeweihui::wire::BallotColumns> {
    let w = "ballots";
    Ok(yeweihui::wire::BallotColumns {
        vote: column(py, t, w, "vote")?.unwrap_or_default(),
        unit: required(py, w, "unit", column(py, t, w, "unit")?)?,
        choice: required(py, w, "choice", column(py, t, w, "choice")?)?,
        channel: column(py, t, w, "channel")?,
        cast_at: column(py, t, w, "cast_at")?,
        authorization: column(py, t, w, "authorization")?,
    })
}

fn unit_columns(py: Python<'_>, t: &Bound<'_, PyDict>) -> PyResult<yeweihui::wire::UnitColumns> {
    let w = "register";
    let area: Vec<Area> = required(py, w, "area", column(py, t, w, "area")?)?;
    Ok(yeweihui::wire::UnitColumns {
        estate: column(py, t, w, "estate")?,
        id: required(py, w, "id", column(py, t, w, "id")?)?,
        area: area.into_iter().map(|a| a.0).collect(),
        building: column(py, t, w, "building")?,
        owner: column(py, t, w, "owner")?,
        status: column(py, t, w, "status")?,
    })
}

/// Runs `tally` with the register and the ballots as dicts of columns,
/// crossing the boundary once: `spec` is the JSON input without them.
#[pyfunction]
fn tally_columns(
    py: Python<'_>,
    spec: &str,
    units: &Bound<'_, PyDict>,
    ballots: &Bound<'_, PyDict>,
) -> PyResult<String> {
    let (units, ballots) = (unit_columns(py, units)?, ballot_columns(py, ballots)?);
    py.detach(|| yeweihui::wire::tally_columns(spec, units, ballots))
        .map_err(|e| to_py_err(py, e))
}

/// Runs `tally_many` with the ballots, and the register unless it is in
/// `spec`, as dicts of columns (a register with an `estate` column holds
/// several estates).
#[pyfunction]
#[pyo3(signature = (spec, units, ballots))]
fn tally_many_columns(
    py: Python<'_>,
    spec: &str,
    units: Option<&Bound<'_, PyDict>>,
    ballots: &Bound<'_, PyDict>,
) -> PyResult<String> {
    let units = units.map(|u| unit_columns(py, u)).transpose()?;
    let ballots = ballot_columns(py, ballots)?;
    py.detach(|| yeweihui::wire::tally_many_columns(spec, units, ballots))
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
    m.add_function(wrap_pyfunction!(tally_columns, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
