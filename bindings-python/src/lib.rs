//! The native module `yeweihui._native` under the Python package `yeweihui`.
//!
//! It reads files and converts strings and errors, nothing else: every
//! computation is in the `yeweihui` crate, reached through its wire
//! operations, so Python gives the same bytes as Rust and JavaScript.

// No `unwrap`, `expect` or `panic!` in library code (a bad input is an error); tests may.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBytes, PyDict, PyFloat, PyList, PyString, PyTuple};

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

/// A table given as a dict of columns (lists or NumPy arrays of objects,
/// read in place with the GIL held; the buffers of Arrow text; after
/// conversion, cells the call holds references to), or as a list of row
/// dicts. The core borrows the text without copying it.
///
/// Cells read in place are borrowed only while the tables are read and
/// tallied, when no Python code runs: a table with cells to convert (Python
/// code) is converted first, and every table read again ([`Attempt`]). Rows
/// are read into columns of copied text each time the table is read (see
/// [`read_rows`]), and split into columns of their cells only to convert
/// some ([`Objects::of_rows`]); a NumPy array's data is located
/// when the table is given (NumPy does not move it while the call holds a
/// reference to the array).
struct Columns<'py> {
    py: Python<'py>,
    what: &'static str,
    /// The table's columns.
    names: &'static [Column],
    table: Table<'py>,
    /// Whether cells not in wire form were converted already.
    converted: bool,
}

/// A table as the Python layer gives it.
enum Table<'py> {
    /// Its columns.
    Columns(Vec<(Column, Given<'py>)>),
    /// A list of row dicts, and the columns it must have: read into
    /// columns each time it is read (see [`read_rows`]).
    Rows(Bound<'py, PyList>, Vec<String>),
}

/// What reading tables in place came to.
enum Attempt<T> {
    /// Read, and this is what was made of them.
    Done(T),
    /// The table named `what` has cells not in wire form: convert it, then
    /// read every table again.
    Convert(&'static str),
    /// A list of row dicts is not plain: the Python layer converts and checks it.
    NotPlain,
}

/// A column as the Python layer gives it.
#[derive(Clone)]
enum Given<'py> {
    /// Its cells, each a reference of its own (a column converted by the
    /// Python layer, see [`Columns::converted`]).
    Cells(Vec<Bound<'py, PyAny>>),
    /// Arrow text (given as a tuple): the UTF-8 bytes, the cells' 64-bit
    /// offsets into them (one more than the cells), and a byte per cell,
    /// non-zero where the cell is missing (or `None`: none is).
    Arrow(Bound<'py, PyBytes>, Bound<'py, PyBytes>, Option<Bound<'py, PyBytes>>),
    /// The cells of a NumPy array of objects (a pandas column of Python
    /// text), or one column of a list of row dicts, read in place: the call
    /// holds the GIL throughout.
    Objects(Objects<'py>),
    /// The cells of a list, read in place: the call holds the GIL throughout.
    List(Bound<'py, PyList>),
}

/// Object pointers read in place, and what owns them: a NumPy array, or
/// the list of row dicts whose values they are.
#[derive(Clone)]
struct Objects<'py> {
    _owner: Bound<'py, PyAny>,
    items: Items,
}

/// Where the object pointers of [`Objects`] are.
#[derive(Clone)]
enum Items {
    /// A contiguous one-dimensional NumPy array of objects: `len` pointers at `data`.
    Array { data: usize, len: usize },
    /// One column of a list of row dicts: each row's value, borrowed from
    /// the row (null where the row has no such key).
    Values(Vec<*mut pyo3::ffi::PyObject>),
}

impl<'py> Objects<'py> {
    /// The array, if `value` is a contiguous one-dimensional array of
    /// objects (by its `__array_interface__`).
    fn of(value: &Bound<'py, PyAny>) -> PyResult<Option<Objects<'py>>> {
        let Ok(interface) = value.getattr("__array_interface__") else {
            return Ok(None);
        };
        let typestr: String = interface.get_item("typestr")?.extract()?;
        let shape: Vec<usize> = interface.get_item("shape")?.extract()?;
        let strides: Option<Vec<isize>> = interface.get_item("strides")?.extract()?;
        let (data, _readonly): (usize, bool) = interface.get_item("data")?.extract()?;
        let contiguous = strides.is_none_or(|s| s == [std::mem::size_of::<usize>() as isize]);
        Ok(match (typestr.as_str(), shape.as_slice()) {
            ("|O", &[len]) if contiguous && (data != 0 || len == 0) => Some(Objects {
                _owner: value.clone(),
                items: Items::Array { data, len },
            }),
            _ => None,
        })
    }

    /// The cells, each a reference of its own (`None` for a null pointer):
    /// kept while Python code converts some (see [`Columns::converted`]).
    fn owned(&self, py: Python<'py>) -> Vec<Bound<'py, PyAny>> {
        self.cells(py)
            .map(|c| c.map_or_else(|| py.None().into_bound(py), |c| c.to_owned()))
            .collect()
    }

    /// The cells, borrowed for as long as the GIL is held (`py`) and this
    /// is: `None` for a null pointer.
    fn cells<'a>(&'a self, py: Python<'py>) -> impl ExactSizeIterator<Item = Option<Borrowed<'a, 'py, PyAny>>> + 'a {
        let items: &'a [*mut pyo3::ffi::PyObject] = match &self.items {
            Items::Array { len: 0, .. } => &[],
            // SAFETY: NumPy's array interface says `data` holds `len`
            // contiguous object pointers (checked in `of`: typestr "|O", one
            // dimension, a stride of one pointer); the array is kept alive
            // by `_owner`, and the GIL is held (`py`) while the cells are
            // read, and while they are used when borrowed (a call that holds
            // it throughout), so no other thread can change an element.
            Items::Array { data, len } => unsafe {
                std::slice::from_raw_parts(*data as *const *mut pyo3::ffi::PyObject, *len)
            },
            Items::Values(values) => values,
        };
        items.iter().map(move |&item| {
            // SAFETY: each non-null item is an object the array owns (see
            // above), or a value of a row dict of the list `_owner` keeps
            // alive: the GIL has been held since the rows were read
            // (`of_rows`) and no Python code runs while their cells are
            // used, so no row can change.
            unsafe { Borrowed::from_ptr_or_opt(py, item) }
        })
    }

    /// The columns of `rows`, a list of row dicts, if it is plain (see
    /// [`visit_rows`]), each of `required` in some row; `None` otherwise:
    /// the Python layer then converts the rows and names what is wrong.
    /// The values are borrowed from the rows: they are to be taken as
    /// references of their own before any Python code runs (to convert them).
    fn of_rows(
        rows: &Bound<'py, PyList>,
        names: &[Column],
        required: &[String],
    ) -> Option<Vec<(Column, Objects<'py>)>> {
        let n = rows.len();
        let mut values: Vec<Vec<*mut pyo3::ffi::PyObject>> = names.iter().map(|_| Vec::new()).collect();
        let plain = visit_rows(rows, names, |row, column, value| {
            let cells = &mut values[column];
            if cells.is_empty() {
                cells.resize(n, std::ptr::null_mut());
            }
            cells[row] = value.as_ptr();
        });
        if !plain || !has_required(names, required, |c| !values[c].is_empty()) {
            return None;
        }
        let columns = names.iter().zip(values).filter(|(_, v)| !v.is_empty());
        let owner = rows.as_any();
        Some(
            columns
                .map(|(&c, v)| {
                    let objects = Objects {
                        _owner: owner.clone(),
                        items: Items::Values(v),
                    };
                    (c, objects)
                })
                .collect(),
        )
    }
}

/// Visits the values of `rows`, a list of row dicts, row by row:
/// `value(row, column, cell)`, `column` the place in `names` of the cell's
/// key, the cell borrowed from its row. Whether the rows are plain: each
/// exactly a `dict` whose keys are exactly `str`, each the name of one of
/// `names` (the visit stops at the first row that is not, and the rows
/// before it may not all have been visited). No Python code runs, so the
/// GIL held (`rows.py()`) keeps every row as it is. A row's values are
/// visited while the next row is taken apart, so that the objects they
/// are can be fetched into the cache in the meantime (5% of a tally from
/// 20,000 rows).
fn visit_rows<'a, 'py>(
    rows: &'a Bound<'py, PyList>,
    names: &[Column],
    mut value: impl FnMut(usize, usize, Borrowed<'a, 'py, PyAny>),
) -> bool {
    use pyo3::ffi;
    let py = rows.py();
    // by place in a row, the key object last seen there and its column:
    // rows of one source share their key objects, in the same order, so
    // a key is mostly matched by its address at its place
    let mut seen: Vec<(*mut ffi::PyObject, usize)> = Vec::with_capacity(names.len());
    // the cells of the row before, handed over while this row is taken
    // apart: their objects have been fetched into the cache in the meantime
    let mut before: Vec<(usize, *mut ffi::PyObject)> = Vec::with_capacity(names.len());
    let mut this = before.clone();
    let item = |i: usize| {
        // SAFETY: `i` is below the list's length, which cannot change
        // while the GIL is held: a borrowed reference to a row the list owns.
        unsafe { ffi::PyList_GetItem(rows.as_ptr(), i as ffi::Py_ssize_t) }
    };
    // one step past the last row, which only hands over its cells: `value`
    // is called in one place, and so inlined
    for i in 0..=rows.len() {
        this.clear();
        if i < rows.len() {
            if i + ROWS_AHEAD < rows.len() {
                prefetch(item(i + ROWS_AHEAD));
            }
            let row = item(i);
            // SAFETY: `row` is a live object (above).
            if unsafe { ffi::PyDict_CheckExact(row) } == 0 {
                return false;
            }
            let (mut at, mut key, mut cell) = (0, std::ptr::null_mut(), std::ptr::null_mut());
            for place in 0.. {
                // SAFETY: `row` is a dict; `PyDict_Next` gives borrowed
                // references to its keys and values, and runs no Python code.
                if unsafe { ffi::PyDict_Next(row, &mut at, &mut key, &mut cell) } == 0 {
                    break;
                }
                // a key object stays alive, and so has its address, with its row
                let column = match seen.get(place) {
                    Some(&(k, column)) if k == key => column,
                    _ => {
                        // SAFETY: a key the row owns (above).
                        let name = unsafe { Borrowed::from_ptr(py, key) };
                        let text = name.is_exact_instance_of::<PyString>().then(|| utf8(name)).flatten();
                        let Some(column) = text.and_then(|t| names.iter().position(|c| c.0 == t)) else {
                            return false;
                        };
                        // places are taken in order: each before it is in `seen`
                        match seen.get_mut(place) {
                            Some(last) => *last = (key, column),
                            None => seen.push((key, column)),
                        }
                        column
                    }
                };
                prefetch(cell);
                this.push((column, cell));
            }
        }
        // the row before's (none before the first row)
        for &(column, cell) in &before {
            // SAFETY: a value the row owns, and the list the row: alive for
            // 'a, unchanged while the GIL is held and no Python code runs.
            value(i - 1, column, unsafe { Borrowed::from_ptr(py, cell) });
        }
        std::mem::swap(&mut before, &mut this);
    }
    true
}

/// How many rows ahead [`visit_rows`] fetches a row dict into the cache.
const ROWS_AHEAD: usize = 8;

/// Asks the CPU to fetch an object's first bytes into the cache: a hint,
/// which reads nothing and cannot fault (a no-op off x86-64).
fn prefetch(object: *mut pyo3::ffi::PyObject) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads no memory the program sees, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(object.cast::<i8>().cast_const());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = object;
}

/// Whether each of `required` names a column of `names` that is `present`
/// (by its place in `names`).
fn has_required(names: &[Column], required: &[String], present: impl Fn(usize) -> bool) -> bool {
    required
        .iter()
        .all(|r| names.iter().enumerate().any(|(c, name)| name.0 == *r && present(c)))
}

/// The cells of `rows`, a list of row dicts, read in one pass row by row
/// (a row's objects are next to each other in memory), their text copied
/// into `texts` (a few large blocks): the core then reads no Python object. [`Attempt::NotPlain`] when the rows are not plain (see
/// [`visit_rows`]) or lack a required column; [`Attempt::Convert`] (`what`)
/// when a cell is not in wire form, or missing where it must be given.
fn read_rows<'t>(
    rows: &Bound<'_, PyList>,
    names: &[Column],
    required: &[String],
    what: &'static str,
    texts: &'t bumpalo::Bump,
) -> Attempt<Read<'t>> {
    let n = rows.len();
    let mut columns: Vec<Gathered<'t>> = names
        .iter()
        .map(|c| Gathered {
            kind: c.1,
            given: 0,
            cells: None,
        })
        .collect();
    let mut convert = false;
    let plain = visit_rows(rows, names, |row, column, value| {
        // `column` is a place in `names`, so always there
        if let Some(gathered) = columns.get_mut(column) {
            convert |= !gathered.take(row, n, value, texts);
        }
    });
    if !plain || !has_required(names, required, |c| columns[c].cells.is_some()) {
        return Attempt::NotPlain;
    }
    // a cell not given is a stand-in, and a convert if it must be given
    let missing = |c: &Gathered| c.cells.is_some() && c.kind != Kind::OptionalText && c.given < n;
    if convert || columns.iter().any(missing) {
        return Attempt::Convert(what);
    }
    let read = names
        .iter()
        .zip(columns)
        .filter_map(|(name, gathered)| Some((name.0, gathered.cells?)));
    Attempt::Done(Read(read.collect()))
}

/// One column's cells as [`read_rows`] gathers them from the rows.
struct Gathered<'t> {
    kind: Kind,
    /// How many rows have a value for it.
    given: usize,
    /// The cells, each a stand-in until its row's is taken; `None` until a
    /// row has one.
    cells: Option<Cells<'t>>,
}

impl<'t> Gathered<'t> {
    /// Takes row `row`'s cell (of `n` rows), its text copied into `texts`:
    /// `false` when it is not in wire form. Inlined into the visit of the
    /// rows, with [`read_cell`]: their calls, two a cell, were 8% of the
    /// instructions of a tally from rows.
    #[inline(always)]
    fn take(&mut self, row: usize, n: usize, value: Borrowed<'_, '_, PyAny>, texts: &'t bumpalo::Bump) -> bool {
        use yeweihui::quantity::DecimalCell;
        self.given += 1;
        let kind = self.kind;
        let cells = match &mut self.cells {
            Some(cells) => cells,
            empty => empty.insert(Cells::stand_ins(kind, n)),
        };
        match (cells, read_cell(kind, Some(value))) {
            (Cells::Text(cells), Some(Some(DecimalCell::Text(t)))) => cells[row] = texts.alloc_str(t),
            (Cells::OptionalText(cells), Some(Some(DecimalCell::Text(t)))) => cells[row] = Some(texts.alloc_str(t)),
            (Cells::OptionalText(_), Some(None)) => {}
            (Cells::Decimal(cells), Some(Some(DecimalCell::Text(t)))) => {
                cells[row] = DecimalCell::Text(texts.alloc_str(t));
            }
            (Cells::Decimal(cells), Some(Some(DecimalCell::Float(f)))) => cells[row] = DecimalCell::Float(f),
            _ => return false,
        }
        true
    }
}

/// The cells of a list, borrowed for as long as the GIL is held (a call
/// that holds it throughout, so no other thread can change the list) and
/// the list is.
fn list_cells<'a, 'py>(
    list: &'a Bound<'py, PyList>,
) -> impl ExactSizeIterator<Item = Option<Borrowed<'a, 'py, PyAny>>> + 'a {
    let py = list.py();
    (0..list.len()).map(move |i| {
        // SAFETY: `i` is below the list's length, which cannot change while
        // the GIL is held, so `PyList_GetItem` cannot fail: it gives a
        // borrowed reference to an item the list owns, and `list` keeps the
        // list alive for `'a`.
        unsafe { Borrowed::from_ptr_or_opt(py, pyo3::ffi::PyList_GetItem(list.as_ptr(), i as pyo3::ffi::Py_ssize_t)) }
    })
}

/// A column of a table: its name, and what its cells may be.
#[derive(Clone, Copy)]
struct Column(&'static str, Kind);

/// What a column's cells may be.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// `str` in every row.
    Text,
    /// `str`, or missing: `None` or NaN (how pandas marks a missing text).
    OptionalText,
    /// `str`, or a float (kept for the core to refuse as an area).
    Decimal,
}

/// The ballot table's columns.
const BALLOT_COLUMNS: [Column; 6] = [
    Column("vote", Kind::Text),
    Column("unit", Kind::Text),
    Column("choice", Kind::Text),
    Column("channel", Kind::OptionalText),
    Column("cast_at", Kind::OptionalText),
    Column("authorization", Kind::OptionalText),
];

/// The register table's columns.
const UNIT_COLUMNS: [Column; 6] = [
    Column("estate", Kind::Text),
    Column("id", Kind::Text),
    Column("area", Kind::Decimal),
    Column("building", Kind::OptionalText),
    Column("owner", Kind::OptionalText),
    Column("status", Kind::OptionalText),
];

/// A column's cells, borrowed from its tuple.
enum Cells<'a> {
    Text(Vec<&'a str>),
    OptionalText(Vec<Option<&'a str>>),
    Decimal(Vec<yeweihui::quantity::DecimalCell<'a>>),
}

impl Cells<'_> {
    /// `n` stand-ins for cells of `kind`, each to be overwritten.
    #[cold]
    fn stand_ins(kind: Kind, n: usize) -> Self {
        match kind {
            Kind::Text => Cells::Text(vec![""; n]),
            Kind::OptionalText => Cells::OptionalText(vec![None; n]),
            Kind::Decimal => Cells::Decimal(vec![yeweihui::quantity::DecimalCell::Text(""); n]),
        }
    }
}

/// A cell that is not in wire form: its row, and the cell (`None` for a null
/// pointer in a NumPy array, as [`Objects::owned`] reads one).
struct NotWire<'py>(usize, Bound<'py, PyAny>);

impl<'py> Columns<'py> {
    /// A table as the Python layer gives it: a dict of columns (lists,
    /// Arrow text, NumPy arrays of objects), or a list of row dicts with
    /// the names of the columns it must have (a tuple). Lists and arrays are
    /// read in place, with the GIL held throughout; rows are read into
    /// copied text (see [`read_rows`]).
    fn given(table: &Bound<'py, PyAny>, what: &'static str, names: &'static [Column]) -> PyResult<Self> {
        let py = table.py();
        let table = match table.cast::<PyTuple>() {
            Ok(rows) => {
                let (rows, required): (Bound<'py, PyList>, Vec<String>) = rows.extract()?;
                Table::Rows(rows, required)
            }
            Err(_) => Table::Columns(Columns::of_dict(table.cast()?, what, names)?),
        };
        Ok(Columns {
            py,
            what,
            names,
            table,
            converted: false,
        })
    }

    /// The named columns of a dict of columns.
    fn of_dict(
        table: &Bound<'py, PyDict>,
        what: &'static str,
        names: &[Column],
    ) -> PyResult<Vec<(Column, Given<'py>)>> {
        let py = table.py();
        let mut columns = Vec::with_capacity(names.len());
        for &column in names {
            let Some(values) = table.get_item(column.0)? else {
                continue;
            };
            let at = || format!("{what} column {:?}", column.0);
            let given = match (values.cast::<PyTuple>(), Objects::of(&values)?) {
                (_, Some(objects)) => Given::Objects(objects),
                (Ok(arrow), None) => {
                    let (data, offsets, nulls) = arrow.extract().map_err(|e| bad(py, at(), e))?;
                    Given::Arrow(data, offsets, nulls)
                }
                (Err(_), None) => {
                    let list = values.cast::<PyList>().map_err(|e| bad(py, at(), PyErr::from(e)))?;
                    Given::List(list.clone())
                }
            };
            columns.push((column, given));
        }
        Ok(columns)
    }

    /// Reads every column in one pass over its cells and hands them to `f`,
    /// running no Python code. A cell not in wire form (an int, a `Decimal`,
    /// `pd.NA`, a missing required cell...) is [`Attempt::Convert`]: the
    /// caller has the table [`converted`](Columns::converted) and reads it
    /// again; once converted, such a cell is an error naming it.
    fn read<T>(&self, f: impl FnOnce(&mut Read<'_>) -> PyResult<Attempt<T>>) -> PyResult<Attempt<T>> {
        let columns = match &self.table {
            Table::Columns(columns) => columns,
            Table::Rows(rows, required) => {
                let texts = bumpalo::Bump::new();
                return match read_rows(rows, self.names, required, self.what, &texts) {
                    Attempt::Done(mut read) => f(&mut read),
                    Attempt::Convert(what) => Ok(Attempt::Convert(what)),
                    Attempt::NotPlain => Ok(Attempt::NotPlain),
                };
            }
        };
        let mut read = Read(Vec::with_capacity(columns.len()));
        for (column, given) in columns.iter() {
            let cells = match given {
                Given::Cells(cells) => read_cells(self.py, column.1, cells.iter().map(|c| Some(c.as_borrowed()))),
                Given::Objects(objects) => read_cells(self.py, column.1, objects.cells(self.py)),
                Given::List(list) => read_cells(self.py, column.1, list_cells(list)),
                Given::Arrow(data, offsets, nulls) => {
                    // named as the Python layer names a column (`'unit'`)
                    let at = format!("{} column '{}'", self.what, column.0);
                    let cells = arrow_cells(
                        column.1,
                        data.as_bytes(),
                        offsets.as_bytes(),
                        nulls.as_ref().map(|n| n.as_bytes()),
                    )
                    .map_err(|e| bad(self.py, at, e))?;
                    read.0.push((column.0, cells));
                    continue;
                }
            };
            match cells {
                Ok(cells) => read.0.push((column.0, cells)),
                Err(NotWire(..)) if !self.converted => return Ok(Attempt::Convert(self.what)),
                Err(NotWire(row, cell)) => {
                    let at = format!("{} column '{}' row {row}", self.what, column.0);
                    return Err(match cell.is_instance_of::<PyString>() {
                        true => bad(self.py, at, "not valid Unicode text (a lone surrogate)"),
                        false => bad(self.py, at, format!("expected text, got {}", cell.repr()?)),
                    });
                }
            }
        }
        f(&mut read)
    }

    /// The same table with each cell not in wire form converted by the
    /// Python layer (`_convert.cell`: `None` where missing, an error for a
    /// missing required cell); rows that are no longer plain stay as they are.
    fn converted(self) -> PyResult<Columns<'py>> {
        let split: Vec<(Column, Given<'py>)>;
        let given = match &self.table {
            Table::Columns(columns) => columns,
            Table::Rows(rows, required) => match Objects::of_rows(rows, self.names, required) {
                Some(columns) => {
                    split = columns.into_iter().map(|(c, o)| (c, Given::Objects(o))).collect();
                    &split
                }
                None => return Ok(self),
            },
        };
        // each cell a reference of its own before any Python code runs
        let owned: Vec<(Column, Given<'py>)> = given
            .iter()
            .map(|(column, given)| {
                let given = match given {
                    Given::Objects(objects) => Given::Cells(objects.owned(self.py)),
                    Given::List(list) => Given::Cells(list.iter().collect()),
                    Given::Cells(_) | Given::Arrow(..) => given.clone(),
                };
                (*column, given)
            })
            .collect();
        let convert = self.py.import("yeweihui._convert")?.getattr("cell")?;
        let mut columns = Vec::with_capacity(owned.len());
        for (column, given) in owned {
            // Arrow text has no cells to convert
            let Given::Cells(given_cells) = given else {
                columns.push((column, given));
                continue;
            };
            let optional = column.1 == Kind::OptionalText;
            let mut cells = Vec::with_capacity(given_cells.len());
            for (row, cell) in given_cells.into_iter().enumerate() {
                cells.push(match read_cell(column.1, Some(cell.as_borrowed())) {
                    Some(_) => cell,
                    None => convert.call1((cell, column.0, optional, self.what, row))?,
                });
            }
            columns.push((column, Given::Cells(cells)));
        }
        Ok(Columns {
            table: Table::Columns(columns),
            converted: true,
            ..self
        })
    }

    /// Runs `f` on the table as ballot columns.
    fn ballots<T>(
        &self,
        f: impl FnOnce(yeweihui::wire::BallotColumns<'_>) -> PyResult<Attempt<T>>,
    ) -> PyResult<Attempt<T>> {
        self.read(|read| {
            f(yeweihui::wire::BallotColumns {
                vote: read.text("vote").unwrap_or_default(),
                unit: read.text("unit").ok_or_else(|| self.missing("unit"))?,
                choice: read.text("choice").ok_or_else(|| self.missing("choice"))?,
                channel: read.optional("channel"),
                cast_at: read.optional("cast_at"),
                authorization: read.optional("authorization"),
            })
        })
    }

    /// Runs `f` on the table as unit columns.
    fn units<T>(
        &self,
        f: impl FnOnce(yeweihui::wire::UnitColumns<'_>) -> PyResult<Attempt<T>>,
    ) -> PyResult<Attempt<T>> {
        self.read(|read| {
            f(yeweihui::wire::UnitColumns {
                estate: read.text("estate"),
                id: read.text("id").ok_or_else(|| self.missing("id"))?,
                area: read.decimal("area").ok_or_else(|| self.missing("area"))?,
                building: read.optional("building"),
                owner: read.optional("owner"),
                status: read.optional("status"),
            })
        })
    }

    /// Whether the table is a list of row dicts.
    fn is_rows(&self) -> bool {
        matches!(self.table, Table::Rows(..))
    }

    /// Whether the call holds the text read from the table, so that it
    /// stays as it is whatever Python code runs, with or without the GIL:
    /// rows (read into the extension's own copy, see [`read_rows`]), cells
    /// it holds a reference to, Arrow text (immutable `bytes`). Not the
    /// cells of lists and NumPy arrays read in place.
    fn text_is_held(&self) -> bool {
        match &self.table {
            Table::Rows(..) => true,
            Table::Columns(columns) => columns
                .iter()
                .all(|(_, given)| matches!(given, Given::Cells(_) | Given::Arrow(..))),
        }
    }

    /// A required column that is not there.
    fn missing(&self, name: &str) -> PyErr {
        bad(self.py, format!("{} column '{name}'", self.what), "missing")
    }
}

/// A cell in wire form, if it is: `Some(None)` for a missing one (`None`,
/// NaN, or no object: a row without the key, a null pointer in an array).
#[inline(always)]
fn read_cell<'a>(
    kind: Kind,
    cell: Option<Borrowed<'a, '_, PyAny>>,
) -> Option<Option<yeweihui::quantity::DecimalCell<'a>>> {
    use yeweihui::quantity::DecimalCell;
    let Some(cell) = cell else {
        return (kind == Kind::OptionalText).then_some(None);
    };
    if cell.is_exact_instance_of::<PyString>() {
        return utf8(cell).map(|t| Some(DecimalCell::Text(t)));
    }
    match kind {
        Kind::Text => None,
        Kind::OptionalText => is_null(&cell).then_some(None),
        Kind::Decimal => match cell.cast_exact::<PyFloat>() {
            Ok(f) if !f.value().is_nan() => Some(Some(DecimalCell::Float(f.value()))),
            _ => None,
        },
    }
}

/// The text of a cell that is exactly a `str`, borrowed for as long as the
/// cell is; `None` for a string with no UTF-8 form (a lone surrogate).
#[inline(always)]
fn utf8<'a>(cell: Borrowed<'a, '_, PyAny>) -> Option<&'a str> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `cell` is a live `str` object, borrowed for 'a. CPython keeps
    // the UTF-8 form it returns (valid UTF-8, `size` bytes) inside the object
    // for the object's lifetime. What `&str: FromPyObject` does, without
    // checking the type a second time.
    let data = unsafe { pyo3::ffi::PyUnicode_AsUTF8AndSize(cell.as_ptr(), &mut size) };
    if data.is_null() {
        drop(PyErr::take(cell.py()));
        return None;
    }
    // SAFETY: as above.
    Some(unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast::<u8>(), size as usize)) })
}

/// The cells of Arrow text, read in place: the UTF-8 text is checked once,
/// each cell is a slice of it; a missing cell is `None` (refused, naming its
/// row, in a column that needs every cell).
fn arrow_cells<'a>(kind: Kind, data: &'a [u8], offsets: &[u8], nulls: Option<&[u8]>) -> Result<Cells<'a>, String> {
    use yeweihui::quantity::DecimalCell;
    let text = std::str::from_utf8(data).map_err(|e| format!("not UTF-8 text ({e})"))?;
    let ends: Vec<usize> = offsets
        .chunks_exact(8)
        .map(|o| {
            usize::try_from(i64::from_le_bytes([o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]])).unwrap_or(usize::MAX)
        })
        .collect();
    let n = ends.len().saturating_sub(1);
    if nulls.is_some_and(|m| m.len() != n) {
        return Err(format!("{n} cells but {} null flags", nulls.map_or(0, <[u8]>::len)));
    }
    let mut cells = Vec::with_capacity(n);
    for row in 0..n {
        if nulls.is_some_and(|m| m[row] != 0) {
            cells.push(None);
            continue;
        }
        let cell = text
            .get(ends[row]..ends[row + 1])
            .ok_or_else(|| format!("row {row}: offsets outside the text"))?;
        cells.push(Some(cell));
    }
    let given = |row: usize, cell: Option<&'a str>| cell.ok_or_else(|| format!("row {row} is empty"));
    Ok(match kind {
        Kind::OptionalText => Cells::OptionalText(cells),
        Kind::Text => Cells::Text(
            cells
                .into_iter()
                .enumerate()
                .map(|(row, c)| given(row, c))
                .collect::<Result<_, _>>()?,
        ),
        Kind::Decimal => Cells::Decimal(
            cells
                .into_iter()
                .enumerate()
                .map(|(row, c)| given(row, c).map(DecimalCell::Text))
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// A column's cells in one pass, or the row of the first not in wire form.
fn read_cells<'a, 'py>(
    py: Python<'py>,
    kind: Kind,
    cells: impl ExactSizeIterator<Item = Option<Borrowed<'a, 'py, PyAny>>>,
) -> Result<Cells<'a>, NotWire<'py>> {
    use yeweihui::quantity::DecimalCell;
    /// Each cell as `read` gives it (`None`: not in wire form), in a plain
    /// loop: the crossing of a large table is this loop.
    fn each<'a, 'py, T>(
        py: Python<'py>,
        cells: impl ExactSizeIterator<Item = Option<Borrowed<'a, 'py, PyAny>>>,
        read: impl Fn(Option<Borrowed<'a, 'py, PyAny>>) -> Option<T>,
    ) -> Result<Vec<T>, NotWire<'py>> {
        let mut out = Vec::with_capacity(cells.len());
        for (row, cell) in cells.enumerate() {
            match read(cell) {
                Some(value) => out.push(value),
                None => {
                    let cell = cell.map_or_else(|| py.None().into_bound(py), |c| c.to_owned());
                    return Err(NotWire(row, cell));
                }
            }
        }
        Ok(out)
    }
    let text = |cell: Option<Borrowed<'a, '_, PyAny>>| match read_cell(kind, cell) {
        Some(Some(DecimalCell::Text(t))) => Some(Some(t)),
        Some(None) => Some(None),
        _ => None,
    };
    Ok(match kind {
        Kind::Text => Cells::Text(each(py, cells, |c| text(c).flatten())?),
        Kind::OptionalText => Cells::OptionalText(each(py, cells, text)?),
        Kind::Decimal => Cells::Decimal(each(py, cells, |c| read_cell(kind, c).flatten())?),
    })
}

/// The cells read from a table, taken column by column.
struct Read<'a>(Vec<(&'static str, Cells<'a>)>);

impl<'a> Read<'a> {
    fn take(&mut self, name: &str) -> Option<Cells<'a>> {
        let i = self.0.iter().position(|(n, _)| *n == name)?;
        Some(self.0.swap_remove(i).1)
    }

    fn text(&mut self, name: &str) -> Option<Vec<&'a str>> {
        match self.take(name)? {
            Cells::Text(t) => Some(t),
            _ => None,
        }
    }

    fn optional(&mut self, name: &str) -> Option<Vec<Option<&'a str>>> {
        match self.take(name)? {
            Cells::OptionalText(t) => Some(t),
            _ => None,
        }
    }

    fn decimal(&mut self, name: &str) -> Option<Vec<yeweihui::quantity::DecimalCell<'a>>> {
        match self.take(name)? {
            Cells::Decimal(d) => Some(d),
            _ => None,
        }
    }
}

/// Malformed input at `at`: `invalid_input`.
fn bad(py: Python<'_>, at: String, e: impl std::fmt::Display) -> PyErr {
    to_py_err(py, yeweihui::Error::invalid_input(at, e.to_string()))
}

/// A missing cell: `None`, or NaN (how pandas marks one in text columns).
fn is_null(cell: &Bound<'_, PyAny>) -> bool {
    cell.is_none() || cell.cast_exact::<PyFloat>().is_ok_and(|f| f.value().is_nan())
}

/// Columns of a list of rows, and the keys that name no column.
type RowColumns<'py> = (Bound<'py, PyDict>, Vec<Bound<'py, PyAny>>);

/// A list of row dicts as columns: for each of `names` that some row has,
/// the list of its cells (`None` in rows without it), and the keys that are
/// none of `names`. `None` when a row is not exactly a `dict` (the Python
/// layer copies mappings into dicts, and refuses anything else).
#[pyfunction]
fn columns_of_rows<'py>(
    rows: &Bound<'py, PyList>,
    names: Vec<Bound<'py, PyString>>,
) -> PyResult<Option<RowColumns<'py>>> {
    let py = rows.py();
    let n = rows.len();
    let mut columns: Vec<Vec<Bound<'py, PyAny>>> = names.iter().map(|_| Vec::new()).collect();
    let mut unknown: Vec<Bound<'py, PyAny>> = Vec::new();
    // each distinct key object seen, and its column: rows read from a file
    // share their key objects, so a key is compared by value once
    let mut keys: Vec<(Bound<'py, PyAny>, Option<usize>)> = Vec::new();
    let none = py.None().into_bound(py);
    for (row, cells) in rows.iter().enumerate() {
        let Ok(cells) = cells.cast_exact::<PyDict>() else {
            return Ok(None);
        };
        for (key, value) in cells.iter() {
            let column = match keys.iter().find(|(k, _)| k.is(&key)) {
                Some(&(_, column)) => column,
                None => {
                    let column = names.iter().position(|name| name.as_any().eq(&key).unwrap_or(false));
                    if column.is_none() && !unknown.iter().any(|u| u.eq(&key).unwrap_or(false)) {
                        unknown.push(key.clone());
                    }
                    keys.push((key, column));
                    column
                }
            };
            if let Some(c) = column {
                let cells = &mut columns[c];
                if cells.capacity() == 0 {
                    cells.reserve_exact(n);
                }
                // rows since the last to have this key lack it
                if cells.len() < row {
                    cells.resize(row, none.clone());
                }
                cells.push(value);
            }
        }
    }
    let table = PyDict::new(py);
    for (name, mut cells) in names.into_iter().zip(columns) {
        if cells.capacity() > 0 {
            cells.resize(n, none.clone());
            table.set_item(name, PyList::new(py, cells)?)?;
        }
    }
    Ok(Some((table, unknown)))
}

/// Runs `tally` with the register and the ballots as dicts of columns, or
/// as lists of row dicts (each given with the columns it must have),
/// crossing the boundary once: `spec` is the JSON input without them. A
/// single tally takes milliseconds and holds the GIL throughout, so the
/// cells of lists and NumPy arrays are read in place (rows: see
/// [`read_rows`]); a register given as rows is built while the ballots are
/// read. `None` when rows are not plain (see [`visit_rows`]).
#[pyfunction]
fn tally_columns(
    py: Python<'_>,
    spec: &str,
    units: &Bound<'_, PyAny>,
    ballots: &Bound<'_, PyAny>,
) -> PyResult<Option<String>> {
    let tallied = |outcome: yeweihui::Result<String>| outcome.map_err(|e| to_py_err(py, e)).map(Attempt::Done);
    with_tables((units, ballots), |units, register, ballots| match register.is_rows() {
        // the register is built from the extension's own copy of the rows'
        // text while the ballots are read: no Python code that may run
        // meanwhile (making an error) can change that text. (Other text the
        // call holds could be too, but Arrow text gained nothing: 5-7% slower.)
        true => {
            yeweihui::wire::tally_columns_meanwhile(spec, units, |tally| ballots.ballots(|b| tallied(tally.tally(b))))
                .map_err(|e| to_py_err(py, e))?
        }
        false => ballots.ballots(|b| tallied(yeweihui::wire::tally_columns(spec, units, b))),
    })
}

/// Takes the register and the ballots as the Python layer gives them (see
/// [`Columns::given`]), reads the register and runs `f` on it, with the
/// register's table and the ballots', which `f` reads
/// ([`Columns::ballots`]). A table with cells not in wire form is
/// converted, and both are read again. `None` when rows are not plain.
fn with_tables<'py, T>(
    (units, ballots): (&Bound<'py, PyAny>, &Bound<'py, PyAny>),
    f: impl Fn(yeweihui::wire::UnitColumns<'_>, &Columns<'py>, &Columns<'py>) -> PyResult<Attempt<T>>,
) -> PyResult<Option<T>> {
    let mut units = Columns::given(units, "register", &UNIT_COLUMNS)?;
    let mut ballots = Columns::given(ballots, "ballots", &BALLOT_COLUMNS)?;
    // each table is converted at most once: the loop ends
    loop {
        match units.units(|u| f(u, &units, &ballots))? {
            Attempt::Done(out) => return Ok(Some(out)),
            Attempt::NotPlain => return Ok(None),
            Attempt::Convert(what) if what == ballots.what => ballots = ballots.converted()?,
            Attempt::Convert(_) => units = units.converted()?,
        }
    }
}

/// A file's bytes, read without the GIL. An OS error is Python's `OSError`
/// for its `errno`, with the path as given as `filename`: the exception
/// Python's `open` raises (`FileNotFoundError`, `IsADirectoryError`, ...).
/// A file longer than the core reads is refused before it is read
/// (`limit_exceeded`); one that grows while it is read is read one byte
/// past the limit, for the core to refuse.
fn read_file(path: &Bound<'_, PyAny>) -> PyResult<(String, Vec<u8>)> {
    use std::io::Read;
    let py = path.py();
    let file: std::path::PathBuf = path.extract()?;
    let name = file.display().to_string();
    let read = py.detach(|| -> std::io::Result<Result<Vec<u8>, yeweihui::Error>> {
        let mut f = std::fs::File::open(&file)?;
        let len = f.metadata()?.len();
        if let Err(e) = yeweihui::wire::check_file_len(&name, len) {
            return Ok(Err(e));
        }
        let limit = yeweihui::limits::MAX_CSV_BYTES as u64;
        let mut bytes = Vec::with_capacity(len.min(limit) as usize);
        f.by_ref().take(limit + 1).read_to_end(&mut bytes)?;
        Ok(Ok(bytes))
    });
    let bytes = read.map_err(|e| match e.raw_os_error() {
        Some(errno) => match py.import("os").and_then(|os| os.call_method1("strerror", (errno,))) {
            Ok(strerror) => PyOSError::new_err((errno, strerror.unbind(), path.clone().unbind())),
            Err(failure) => failure,
        },
        None => PyErr::from(e),
    })?;
    Ok((name, bytes.map_err(|e| to_py_err(py, e))?))
}

/// A file given to the extension: its path (the file is read), or its
/// bytes (what an open file's `read()` gave).
enum Source<'a> {
    /// A file read from its path: the path as errors name it, its bytes.
    Read(String, Vec<u8>),
    /// Bytes given, and what errors name them.
    Given(&'a str, &'a [u8]),
}

impl<'a> Source<'a> {
    /// `bytes` as given, named `what`; anything else a path, whose file is read.
    fn of(source: &'a Bound<'_, PyAny>, what: &'a str) -> PyResult<Source<'a>> {
        match source.cast::<PyBytes>() {
            Ok(bytes) => Ok(Source::Given(what, bytes.as_bytes())),
            Err(_) => read_file(source).map(|(name, bytes)| Source::Read(name, bytes)),
        }
    }

    /// The file's UTF-8 text (a byte-order mark dropped); other bytes are
    /// `invalid_input` naming the file, the line and the byte.
    fn text(&self) -> yeweihui::Result<&str> {
        let (name, bytes) = match self {
            Source::Read(name, bytes) => (name.as_str(), bytes.as_slice()),
            Source::Given(what, bytes) => (*what, *bytes),
        };
        yeweihui::wire::file_text(name, bytes)
    }
}

/// A file's text, by path or as bytes named `what` (see [`Source`]).
#[pyfunction]
fn read_text(source: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let py = source.py();
    let file = Source::of(source, what)?;
    file.text().map(str::to_owned).map_err(|e| to_py_err(py, e))
}

/// Runs `tally` with the register and the ballots as CSV files, each by
/// path (read by the extension: no Python `bytes` or `str` of it is made)
/// or as bytes, read in place by the core with the GIL released.
#[pyfunction]
fn tally_csv(py: Python<'_>, spec: &str, units: &Bound<'_, PyAny>, ballots: &Bound<'_, PyAny>) -> PyResult<String> {
    let units = Source::of(units, "units")?;
    let ballots = Source::of(ballots, "ballots")?;
    py.detach(|| yeweihui::wire::tally_csv(spec, units.text()?, ballots.text()?))
        .map_err(|e| to_py_err(py, e))
}

/// Runs `tally_many` with the register and the ballots as dicts of columns
/// or lists of row dicts, as [`tally_columns`] takes them (a register with
/// an `estate` column holds several estates). The GIL is released for the
/// tally when the call holds the text of both tables (rows, Arrow text: see
/// [`Columns::text_is_held`]); cells of lists and NumPy arrays are read in
/// place with the GIL held throughout, as [`tally_columns`] reads them:
/// taking a reference of the call's own to each cell, so as to release the
/// GIL, cost a city's batch 30% more time and 114 MiB more memory. `None`
/// when rows are not plain.
#[pyfunction]
fn tally_many_columns(
    py: Python<'_>,
    spec: &str,
    units: &Bound<'_, PyAny>,
    ballots: &Bound<'_, PyAny>,
) -> PyResult<Option<String>> {
    with_tables((units, ballots), |units, register, ballots| {
        let held = register.text_is_held() && ballots.text_is_held();
        ballots.ballots(|b| {
            let tally = || yeweihui::wire::tally_many_columns(spec, Some(units), b);
            match held {
                true => py.detach(tally),
                false => tally(),
            }
            .map_err(|e| to_py_err(py, e))
            .map(Attempt::Done)
        })
    })
}

/// Every stable error code, in catalogue order.
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    yeweihui::ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// mimalloc's `mi_option_purge_decommits` (its `mimalloc.h`), which the
/// `libmimalloc-sys` bindings do not name.
const MI_OPTION_PURGE_DECOMMITS: libmimalloc_sys::mi_option_t = 5;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // (This allocator does not ask for transparent huge pages: see the
    // `no_thp` feature in Cargo.toml.)
    // Memory a tally frees is handed back to the system lazily (Linux's
    // MADV_FREE: taken back only when memory runs short) rather than at
    // once: the next tally, after other Python work, reuses it without a
    // page fault for each page (about 1,000 for a 20,000-unit estate, 2 to
    // 4 ms here). Peak memory is unchanged; idle RSS stays at the peak
    // until the system needs the pages.
    // SAFETY: sets an option of this module's own allocator (how memory
    // freed from now on is purged).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DECOMMITS, 0) };
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(tally_many_columns, m)?)?;
    m.add_function(wrap_pyfunction!(tally_columns, m)?)?;
    m.add_function(wrap_pyfunction!(tally_csv, m)?)?;
    m.add_function(wrap_pyfunction!(read_text, m)?)?;
    m.add_function(wrap_pyfunction!(columns_of_rows, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
