//! The native module `yeweihui._native` under the Python package `yeweihui`.
//!
//! It converts strings and errors, nothing else: every computation is in the
//! `yeweihui` crate, reached through its wire operations, so Python gives the
//! same bytes as Rust and JavaScript.

use pyo3::prelude::*;
use pyo3::types::{PyAny, PyDict, PyFloat, PyList, PyString, PyTuple};

/// The extension's own allocator: tallies allocate millions of small
/// strings and index entries, which mimalloc serves much faster than the
/// system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// A table given as a dict of lists, as tuples of cells in wire form: `str`
/// (borrowed by the core without copying), `None` where the column is
/// optional, a float for an area (to be refused by the core).
struct Columns<'py> {
    py: Python<'py>,
    what: &'static str,
    columns: Vec<(&'static str, Bound<'py, PyTuple>)>,
}

impl<'py> Columns<'py> {
    /// Takes the named columns of `table`; `(name, optional)`. Cells that
    /// are not `str` (nor `None` or NaN in an optional column) are put in
    /// their wire form by the Python layer (`_convert.cell`: `None` where
    /// missing, an error for a missing required cell).
    fn new(table: &Bound<'py, PyDict>, what: &'static str, names: &[(&'static str, bool)]) -> PyResult<Self> {
        let py = table.py();
        let mut columns = Vec::with_capacity(names.len());
        for &(name, optional) in names {
            let Some(values) = table.get_item(name)? else {
                continue;
            };
            let list = values
                .cast::<PyList>()
                .map_err(|e| bad(py, format!("{what} column {name:?}"), PyErr::from(e)))?;
            let is_wire =
                |cell: &Bound<'_, PyAny>| cell.is_exact_instance_of::<PyString>() || (optional && is_null(cell));
            let mut tuple = list.to_tuple();
            if !tuple.iter_borrowed().all(|cell| is_wire(&cell)) {
                let convert = py.import("yeweihui._convert")?.getattr("cell")?;
                let mut cells = Vec::with_capacity(tuple.len());
                for (row, cell) in tuple.iter().enumerate() {
                    cells.push(match cell {
                        cell if is_wire(&cell) => cell,
                        cell => convert.call1((cell, name, optional, what, row))?,
                    });
                }
                tuple = PyTuple::new(py, cells)?;
            }
            columns.push((name, tuple));
        }
        Ok(Columns { py, what, columns })
    }

    /// The cells of a column, if given.
    fn get<'a, T: FromPyObject<'a, 'py>>(&'a self, name: &str) -> PyResult<Option<Vec<T>>> {
        let Some((_, tuple)) = self.columns.iter().find(|(n, _)| *n == name) else {
            return Ok(None);
        };
        let what = self.what;
        let mut cells = Vec::with_capacity(tuple.len());
        for (row, cell) in tuple.iter_borrowed().enumerate() {
            let value = cell.extract::<T>().map_err(|e| {
                bad(
                    self.py,
                    format!("{what} column {name:?} row {row}"),
                    Into::<PyErr>::into(e),
                )
            })?;
            cells.push(value);
        }
        Ok(Some(cells))
    }

    /// The cells of a column that may have missing cells, if given.
    fn optional<'a>(&'a self, name: &str) -> PyResult<Option<Vec<Option<&'a str>>>> {
        let cells: Option<Vec<OptionalText<'a>>> = self.get(name)?;
        Ok(cells.map(|cells| cells.into_iter().map(|c| c.0).collect()))
    }

    /// The cells of a column that must be given.
    fn required<'a, T: FromPyObject<'a, 'py>>(&'a self, name: &str) -> PyResult<Vec<T>> {
        self.get(name)?
            .ok_or_else(|| bad(self.py, format!("{} column {name:?}", self.what), "missing"))
    }

    fn ballots(&self) -> PyResult<yeweihui::wire::BallotColumns<'_>> {
        Ok(yeweihui::wire::BallotColumns {
            vote: self.get("vote")?.unwrap_or_default(),
            unit: self.required("unit")?,
            choice: self.required("choice")?,
            channel: self.optional("channel")?,
            cast_at: self.optional("cast_at")?,
            authorization: self.optional("authorization")?,
        })
    }

    fn units(&self) -> PyResult<yeweihui::wire::UnitColumns<'_>> {
        let area: Vec<Area> = self.required("area")?;
        Ok(yeweihui::wire::UnitColumns {
            estate: self.get("estate")?,
            id: self.required("id")?,
            area: area.into_iter().map(|a| a.0).collect(),
            building: self.optional("building")?,
            owner: self.optional("owner")?,
            status: self.optional("status")?,
        })
    }
}

/// The ballot table's columns, and whether cells may be missing.
const BALLOT_COLUMNS: [(&str, bool); 6] = [
    ("vote", false),
    ("unit", false),
    ("choice", false),
    ("channel", true),
    ("cast_at", true),
    ("authorization", true),
];

/// The register table's columns, and whether cells may be missing.
const UNIT_COLUMNS: [(&str, bool); 6] = [
    ("estate", false),
    ("id", false),
    ("area", false),
    ("building", true),
    ("owner", true),
    ("status", true),
];

/// Malformed input at `at`: `invalid_input`.
fn bad(py: Python<'_>, at: String, e: impl std::fmt::Display) -> PyErr {
    to_py_err(py, yeweihui::Error::invalid_input(at, e.to_string()))
}

/// A missing cell: `None`, or NaN (how pandas marks one in text columns).
fn is_null(cell: &Bound<'_, PyAny>) -> bool {
    cell.is_none() || cell.cast_exact::<PyFloat>().is_ok_and(|f| f.value().is_nan())
}

/// A cell of a column that may have missing cells: text, or missing.
struct OptionalText<'a>(Option<&'a str>);

impl<'a, 'py> FromPyObject<'a, 'py> for OptionalText<'a> {
    type Error = PyErr;
    fn extract(cell: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        match is_null(&cell) {
            true => Ok(OptionalText(None)),
            false => Ok(OptionalText(Some(cell.extract::<&'a str>()?))),
        }
    }
}

/// An area cell: text, or a float kept as such for the core to refuse.
struct Area<'a>(yeweihui::quantity::DecimalCell<'a>);

impl<'a, 'py> FromPyObject<'a, 'py> for Area<'a> {
    type Error = PyErr;
    fn extract(cell: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        use yeweihui::quantity::DecimalCell;
        if let Ok(f) = cell.cast::<PyFloat>() {
            return Ok(Area(DecimalCell::Float(f.value())));
        }
        Ok(Area(DecimalCell::Text(cell.extract::<&'a str>()?)))
    }
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
    let units = Columns::new(units, "register", &UNIT_COLUMNS)?;
    let ballots = Columns::new(ballots, "ballots", &BALLOT_COLUMNS)?;
    let (units, ballots) = (units.units()?, ballots.ballots()?);
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
    let units = units.map(|u| Columns::new(u, "register", &UNIT_COLUMNS)).transpose()?;
    let ballots = Columns::new(ballots, "ballots", &BALLOT_COLUMNS)?;
    let units = units.as_ref().map(Columns::units).transpose()?;
    let ballots = ballots.ballots()?;
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
    // A city's batch touches a gigabyte of fresh memory: large (huge) OS
    // pages, where the system offers them, take far fewer page faults.
    // SAFETY: sets an option of this module's own allocator (for the arenas it reserves from now on).
    unsafe { libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1) };
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(tally_many_columns, m)?)?;
    m.add_function(wrap_pyfunction!(tally_columns, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
