//! CSV ingestion of registers and ballots, the way committees keep them in
//! spreadsheets. One parser for every surface (the Python CLI and the web
//! page call it), so a malformed row gets the same error everywhere, naming
//! the row (1-based, as a spreadsheet shows it, header = row 1) and column.
//!
//! RFC 4180: comma-separated, optional double quotes with `""` escapes,
//! CRLF or LF line ends, an optional UTF-8 byte-order mark. The first row
//! names the columns; unknown columns are an error, never ignored.
//!
//! ```
//! let units = yeweihui::csv::units_from_csv("id,building,area,owner\n1-101,1,89.5,p1\n")?;
//! assert_eq!(units[0].owner.as_deref(), Some("p1"));
//! let err = yeweihui::csv::units_from_csv("id,area\n1-101,89.5,x\n").unwrap_err();
//! assert!(err.to_string().contains("row 2"));
//! # Ok::<(), yeweihui::Error>(())
//! ```

use crate::ballot::BallotRecord;
use crate::error::{Error, Result};
use crate::limits::{MAX_BALLOTS, MAX_CSV_BYTES, MAX_UNITS};
use crate::quantity::DecimalText;
use crate::register::{UnitRecord, UnitStatus};

/// Where a field's value is: a span of the text, or one of the table's own
/// strings (`start == OWNED`) where quotes had to be taken out.
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
}

/// The `start` of a [`Span`] whose `end` is an index into the owned values.
const OWNED: u32 = u32::MAX;

/// The fields of CSV text in order, and where each row ends.
struct Rows {
    spans: Vec<Span>,
    /// Values with their quotes taken out (rare: `""` escapes, or text after
    /// the closing quote).
    owned: Vec<String>,
    /// For each row, the number of fields up to its end.
    row_ends: Vec<u32>,
}

impl Rows {
    /// Adds a field that is the text's bytes `start..end`.
    #[inline]
    fn push(&mut self, start: usize, end: usize) {
        // offsets fit: the text is at most MAX_CSV_BYTES long
        self.spans.push(Span {
            start: start as u32,
            end: end as u32,
        });
    }

    /// Adds a quoted field ending at byte `end`: its quotes taken out, `""`
    /// read as a quote, text after the closing quote kept.
    #[cold]
    fn push_quoted(&mut self, text: &str, q: Quoted, end: usize) {
        if !q.escapes && q.close + 1 == end {
            return self.push(q.open, q.close);
        }
        let mut value = text[q.open..q.close].replace("\"\"", "\"");
        value.push_str(&text[q.close + 1..end]);
        self.owned.push(value);
        self.spans.push(Span {
            start: OWNED,
            end: (self.owned.len() - 1) as u32,
        });
    }

    /// The value of field `k`.
    #[inline(always)]
    fn field<'t>(&'t self, text: &'t str, k: usize) -> &'t str {
        let Span { start, end } = self.spans[k];
        if start == OWNED {
            &self.owned[end as usize]
        } else {
            &text[start as usize..end as usize]
        }
    }
}

/// A quote where a field's text has begun (or has ended, after quotes).
fn stray_quote(what: &str, row: usize) -> Error {
    Error::invalid_input(format!("{what} row {row}"), "a quote inside an unquoted field")
}

/// A cell without the whitespace around it (most cells have none).
#[inline(always)]
fn trimmed(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// The positions of the bytes that matter to CSV (comma, line ends,
/// quote), found eight bytes at a time: only they and the few other bytes
/// below `-` are looked at one by one.
struct Marks<'b> {
    b: &'b [u8],
    base: usize,
    /// One high bit for each byte of the word at `base` that may be a mark.
    mask: u64,
}

impl<'b> Marks<'b> {
    fn new(b: &'b [u8]) -> Marks<'b> {
        let mut marks = Marks { b, base: 0, mask: 0 };
        marks.mask = marks.word_mask();
        marks
    }

    /// The bytes below 0x2d of the word at `base` (the text's end padded
    /// with a letter): one comparison takes in the four marks; the few
    /// other such bytes (`+` of a time offset, spaces) are passed over one by one.
    fn word_mask(&self) -> u64 {
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        const TO_HIGH_BIT: u64 = 0x0101_0101_0101_0101 * (0x80 - 0x2d);
        let w = match self.b.get(self.base..self.base + 8) {
            Some(&[a, b, c, d, e, f, g, h]) => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
            _ => {
                let mut bytes = [b'a'; 8];
                let rest = self.b.get(self.base..).unwrap_or_default();
                bytes[..rest.len().min(8)].copy_from_slice(&rest[..rest.len().min(8)]);
                u64::from_le_bytes(bytes)
            }
        };
        // a byte's high bit stays clear after the addition exactly when its
        // low seven bits are below 0x2d (no carries between bytes); bytes of
        // 0x80 and over are never marks
        !(((w & LOW7) + TO_HIGH_BIT) | w) & HIGHS
    }

    /// The next marked byte at or after `from`.
    #[inline]
    fn next_from(&mut self, from: usize) -> Option<(usize, u8)> {
        loop {
            while self.mask != 0 {
                let at = self.base + (self.mask.trailing_zeros() / 8) as usize;
                self.mask &= self.mask - 1;
                let c = self.b[at];
                // a marked byte is below 0x2d: one bit of MARKS says if it is a mark
                if at >= from && (MARKS >> (c & 63)) & 1 == 1 {
                    return Some((at, c));
                }
            }
            self.base += 8;
            if self.base >= self.b.len() {
                return None;
            }
            self.mask = self.word_mask();
        }
    }
}

/// The marks, one bit each: comma, line ends and quote.
const MARKS: u64 = 1 << b',' | 1 << b'\n' | 1 << b'\r' | 1 << b'"';

/// A field's quoted text: after the opening quote, the closing quote, and
/// whether it has `""` escapes.
#[derive(Clone, Copy)]
struct Quoted {
    open: usize,
    close: usize,
    escapes: bool,
}

/// Reads a field that opens with a quote at byte `at` and adds it: the
/// mark that ends it (a comma or a line end), or `None` when the text ends
/// first.
#[cold]
fn quoted_field(
    marks: &mut Marks<'_>,
    text: &str,
    at: usize,
    out: &mut Rows,
    what: &str,
) -> Result<Option<(usize, u8)>> {
    let (b, row) = (marks.b, out.row_ends.len() + 1);
    let (open, mut from, mut escapes) = (at + 1, at + 1, false);
    // inside quotes only a quote matters: `""` is one, else it closes
    let close = loop {
        let Some((at, c)) = marks.next_from(from) else {
            return Err(Error::invalid_input(format!("{what} row {row}"), "an unclosed quote"));
        };
        from = at + 1;
        if c == b'"' {
            if b.get(at + 1) != Some(&b'"') {
                break at;
            }
            escapes = true;
            from = at + 2;
        }
    };
    let q = Quoted { open, close, escapes };
    // after the closing quote, text up to the field's end, but no quote
    match marks.next_from(close + 1) {
        Some((_, b'"')) => Err(stray_quote(what, row)),
        Some((end, c)) => {
            out.push_quoted(text, q, end);
            Ok(Some((end, c)))
        }
        None => {
            out.push_quoted(text, q, b.len());
            Ok(None)
        }
    }
}

/// Splits CSV text into rows of fields. Errors name the row.
fn rows(text: &str, what: &str) -> Result<Rows> {
    if text.len() > MAX_CSV_BYTES {
        return Err(Error::limit(format!("{what} CSV bytes"), MAX_CSV_BYTES, text.len()));
    }
    let b = text.as_bytes();
    let mut out = Rows {
        spans: Vec::with_capacity(b.len() / 8),
        owned: Vec::new(),
        row_ends: Vec::with_capacity(b.len() / 32),
    };
    let mut marks = Marks::new(b);
    // where the field being read starts; whether the text ended in a
    // quoted field (then already added)
    let (mut start, mut ended_in_quotes) = (0, false);
    while let Some((mut at, mut c)) = marks.next_from(start) {
        if c == b'"' {
            // a quote opens a field, and nowhere else
            if at != start {
                return Err(stray_quote(what, out.row_ends.len() + 1));
            }
            match quoted_field(&mut marks, text, at, &mut out, what)? {
                Some(end) => (at, c) = end,
                None => {
                    ended_in_quotes = true;
                    break;
                }
            }
        } else {
            out.push(start, at);
        }
        start = at + 1;
        // a line end: `\r\n`, `\n` or `\r`
        if c != b',' {
            out.row_ends.push(out.spans.len() as u32);
            if c == b'\r' && b.get(at + 1) == Some(&b'\n') {
                start = at + 2;
            }
        }
    }
    // the last row, unless the text ends with a line end or in a single
    // empty field (`""` counts)
    let row_start = out.row_ends.last().map_or(0, |&e| e as usize);
    if !ended_in_quotes && (start < b.len() || row_start < out.spans.len()) {
        out.push(start, b.len());
    }
    if out.spans.len() > row_start {
        if row_start + 1 == out.spans.len() && out.field(text, row_start).is_empty() {
            out.spans.pop();
        } else {
            out.row_ends.push(out.spans.len() as u32);
        }
    }
    Ok(out)
}

/// A parsed table: header and data rows (blank lines left out), each data
/// row with its 1-based row number, as a spreadsheet shows it.
pub(crate) struct Table<'a> {
    what: &'static str,
    header: Vec<String>,
    text: &'a str,
    fields: Rows,
    /// Each data row's number and first field.
    rows: Vec<(u32, u32)>,
}

/// A table's columns.
struct Schema {
    what: &'static str,
    known: &'static [&'static str],
    required: &'static [&'static str],
    max_rows: usize,
}

const UNITS: Schema = Schema {
    what: "units",
    known: &crate::register::UNIT_FIELDS,
    required: &["id", "area"],
    max_rows: MAX_UNITS,
};

const BALLOTS: Schema = Schema {
    what: "ballots",
    known: &crate::ballot::BALLOT_FIELDS,
    required: &["unit", "choice"],
    max_rows: MAX_BALLOTS,
};

impl<'a> Table<'a> {
    /// A register: columns `id`, `area` (required), `building`, `owner`, `status`.
    pub(crate) fn units(text: &'a str) -> Result<Table<'a>> {
        Table::parse(text, &UNITS)
    }

    /// Ballots: columns `unit`, `choice` (required), `channel`, `cast_at`, `authorization`.
    pub(crate) fn ballots(text: &'a str) -> Result<Table<'a>> {
        Table::parse(text, &BALLOTS)
    }

    fn parse(text: &'a str, schema: &Schema) -> Result<Table<'a>> {
        let what = schema.what;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let fields = rows(text, what)?;
        let Some(&header_end) = fields.row_ends.first() else {
            return Err(Error::invalid_input(format!("{what} row 1"), "no header row"));
        };
        let header: Vec<String> = (0..header_end as usize)
            .map(|k| fields.field(text, k).trim().to_owned())
            .collect();
        for (i, col) in header.iter().enumerate() {
            if !schema.known.contains(&col.as_str()) {
                return Err(Error::invalid_input(
                    format!("{what} row 1, column {}", i + 1),
                    format!("unknown column {col:?} (expected some of: {})", schema.known.join(", ")),
                ));
            }
            if header[..i].contains(col) {
                return Err(Error::invalid_input(
                    format!("{what} row 1"),
                    format!("column {col:?} appears twice"),
                ));
            }
        }
        if let Some(missing) = schema.required.iter().find(|r| !header.iter().any(|h| h == *r)) {
            return Err(Error::invalid_input(
                format!("{what} row 1"),
                format!("missing column {missing:?}"),
            ));
        }
        let mut rows = Vec::with_capacity(fields.row_ends.len() - 1);
        for (i, ends) in fields.row_ends.windows(2).enumerate() {
            let (start, len) = (ends[0], (ends[1] - ends[0]) as usize);
            // a blank line is left out
            if len == 1 && trimmed(fields.field(text, start as usize)).is_empty() {
                continue;
            }
            // row numbers fit: a row is at least one byte of the text
            let n = i as u32 + 2;
            if len != header.len() {
                return Err(Error::invalid_input(
                    format!("{what} row {n}"),
                    format!("{len} fields, the header has {}", header.len()),
                ));
            }
            rows.push((n, start));
        }
        if rows.len() > schema.max_rows {
            return Err(Error::limit(format!("{what} rows"), schema.max_rows, rows.len()));
        }
        Ok(Table {
            what,
            header,
            text,
            fields,
            rows,
        })
    }

    /// Where a column is among the fields of a row.
    fn index(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The cell of column `i` of the row starting at field `start`, trimmed
    /// (empty when not given).
    #[inline(always)]
    fn cell(&self, start: u32, i: usize) -> &str {
        trimmed(self.fields.field(self.text, start as usize + i))
    }

    /// The number of data rows.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The cell of a column in the row starting at field `start`, trimmed;
    /// empty when not given, or when the table has no such column.
    #[inline(always)]
    fn cell_of(&self, start: u32, column: Option<usize>) -> &str {
        match column {
            Some(i) => self.cell(start, i),
            None => "",
        }
    }

    /// Checks that a required column's cells are given: the first empty one
    /// is the error, naming its row (the schema makes sure the column is there).
    fn check_given(&self, name: &str) -> Result<()> {
        let what = self.what;
        let column = self.index(name);
        match self
            .rows
            .iter()
            .find(|&&(_, start)| self.cell_of(start, column).is_empty())
        {
            Some((n, _)) if column.is_some() => Err(Error::invalid_input(
                format!("{what} row {n}, column {name}"),
                "is empty",
            )),
            Some(_) => Err(Error::invalid_input(
                format!("{what} row 1"),
                format!("missing column {name:?}"),
            )),
            None => Ok(()),
        }
    }

    /// Checks a register table's cells, in the order their errors are
    /// reported: every status known, then every id and every area given.
    /// The statuses, row by row.
    pub(crate) fn check_units(&self) -> Result<Vec<UnitStatus>> {
        let statuses = self.unit_cells().map(|u| u.status()).collect::<Result<_>>()?;
        self.check_given("id")?;
        self.check_given("area")?;
        Ok(statuses)
    }

    /// Checks a ballots table's cells: every unit, then every choice given.
    pub(crate) fn check_ballots(&self) -> Result<()> {
        self.check_given("unit")?;
        self.check_given("choice")
    }

    /// Each unit's cells, in order, read in place and not checked
    /// ([`Table::check_units`] finds the first bad one).
    pub(crate) fn unit_cells(&self) -> impl Iterator<Item = UnitCells<'_>> {
        let [id, building, area, owner, status] = crate::register::UNIT_FIELDS.map(|name| self.index(name));
        self.rows.iter().map(move |&(row, start)| UnitCells {
            row,
            id: self.cell_of(start, id),
            building: Some(self.cell_of(start, building)).filter(|c| !c.is_empty()),
            area: self.cell_of(start, area),
            owner: Some(self.cell_of(start, owner)).filter(|c| !c.is_empty()),
            status: Some(self.cell_of(start, status)).filter(|c| !c.is_empty()),
        })
    }

    /// Each ballot's cells, in order, read in place and not checked
    /// ([`Table::check_ballots`] finds the first bad one).
    pub(crate) fn ballot_cells(&self) -> impl Iterator<Item = BallotCells<'_>> {
        let [unit, choice, channel, cast_at, authorization] = crate::ballot::BALLOT_FIELDS.map(|name| self.index(name));
        self.rows.iter().map(move |&(_, start)| BallotCells {
            unit: self.cell_of(start, unit),
            choice: self.cell_of(start, choice),
            channel: Some(self.cell_of(start, channel)).filter(|c| !c.is_empty()),
            cast_at: Some(self.cell_of(start, cast_at)).filter(|c| !c.is_empty()),
            authorization: Some(self.cell_of(start, authorization)).filter(|c| !c.is_empty()),
        })
    }
}

/// One unit's cells (an optional cell left empty is `None`).
pub(crate) struct UnitCells<'t> {
    /// The row number.
    row: u32,
    pub(crate) id: &'t str,
    pub(crate) building: Option<&'t str>,
    pub(crate) area: &'t str,
    pub(crate) owner: Option<&'t str>,
    status: Option<&'t str>,
}

impl UnitCells<'_> {
    /// The unit's status; one not known is an error naming its row.
    pub(crate) fn status(&self) -> Result<UnitStatus> {
        UnitStatus::from_cell(self.status, || format!("units row {}, column status", self.row))
    }
}

/// One ballot's cells (an optional cell left empty is `None`).
pub(crate) struct BallotCells<'t> {
    pub(crate) unit: &'t str,
    pub(crate) choice: &'t str,
    pub(crate) channel: Option<&'t str>,
    pub(crate) cast_at: Option<&'t str>,
    pub(crate) authorization: Option<&'t str>,
}

/// Reads a register: columns `id`, `area` (required), `building`, `owner`,
/// `status` (optional).
pub fn units_from_csv(text: &str) -> Result<Vec<UnitRecord>> {
    let table = Table::units(text)?;
    let statuses = table.check_units()?;
    Ok(table
        .unit_cells()
        .zip(statuses)
        .map(|(u, status)| UnitRecord {
            id: u.id.to_owned(),
            building: u.building.map(str::to_owned),
            area: DecimalText::Text(u.area.to_owned()),
            owner: u.owner.map(str::to_owned),
            status,
        })
        .collect())
}

/// Reads ballots: columns `unit`, `choice` (required), `channel`,
/// `cast_at`, `authorization` (optional). Values are checked by the tally,
/// which rejects a bad ballot with its reason rather than failing.
pub fn ballots_from_csv(text: &str) -> Result<Vec<BallotRecord>> {
    let table = Table::ballots(text)?;
    table.check_ballots()?;
    Ok(table
        .ballot_cells()
        .map(|b| BallotRecord {
            unit: b.unit.to_owned(),
            choice: b.choice.to_owned(),
            channel: b.channel.map(str::to_owned),
            cast_at: b.cast_at.map(str::to_owned),
            authorization: b.authorization.map(str::to_owned),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_bom_crlf_and_blank_lines() {
        let text = "\u{feff}id,area,owner\r\n\"A-1\",\"89.5\",\"Wang, \"\"Lao\"\" Er\"\r\n\r\nA-2,90,\n";
        let units = units_from_csv(text).unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].owner.as_deref(), Some("Wang, \"Lao\" Er"));
        assert_eq!(units[1].owner, None);
    }

    #[test]
    fn errors_name_row_and_column() {
        let e = units_from_csv("id,area\nA-1,\n").unwrap_err();
        assert_eq!(e.to_string(), "invalid input at units row 2, column area: is empty");
        let e = units_from_csv("id,area,colour\n").unwrap_err();
        assert!(e.to_string().contains("unknown column \"colour\""), "{e}");
        let e = units_from_csv("id\nA-1\n").unwrap_err();
        assert!(e.to_string().contains("missing column \"area\""), "{e}");
        let e = units_from_csv("id,area,status\nA-1,1,sold\n").unwrap_err();
        assert!(e.to_string().contains("row 2, column status"), "{e}");
        let e = ballots_from_csv("unit,choice\n1,\"agree\n").unwrap_err();
        assert!(e.to_string().contains("unclosed quote"), "{e}");
        let e = ballots_from_csv("unit,choice\n1,ag\"ree\n").unwrap_err();
        assert!(e.to_string().contains("row 2"), "{e}");
        assert!(units_from_csv("").is_err());
    }

    #[test]
    fn full_width_digits_fail_in_the_register_naming_the_unit() {
        let units = units_from_csv("id,area\nA-1,８９.５\n").unwrap();
        let e = crate::register::Register::new(&units).unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_area");
        assert!(e.to_string().contains("A-1"), "{e}");
    }

    /// The reader as it was written first, a character at a time: the fast
    /// one must split every text into the same rows and fields, or fail alike.
    fn reference_rows(text: &str, what: &str) -> Result<Vec<Vec<String>>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut field = String::new();
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        let mut at_field_start = true;
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                '"' if at_field_start => {
                    quoted = true;
                    at_field_start = false;
                }
                '"' => {
                    return Err(Error::invalid_input(
                        format!("{what} row {}", rows.len() + 1),
                        "a quote inside an unquoted field",
                    ))
                }
                ',' => {
                    row.push(std::mem::take(&mut field));
                    at_field_start = true;
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                    at_field_start = true;
                }
                _ => {
                    field.push(c);
                    at_field_start = false;
                }
            }
        }
        if quoted {
            return Err(Error::invalid_input(
                format!("{what} row {}", rows.len() + 1),
                "an unclosed quote",
            ));
        }
        if !field.is_empty() || !row.is_empty() {
            row.push(field);
            rows.push(row);
        }
        Ok(rows)
    }

    proptest::proptest! {
        #[test]
        fn the_reader_splits_as_the_reference_does(text in "[a\",\r\n +\té-]{0,24}|(\"?[a-c,]{0,3}\"?\"?[,\n\r]{0,2}){0,8}") {
            let fast = rows(&text, "t").map(|r| {
                let starts = std::iter::once(0).chain(r.row_ends.iter().copied());
                starts.zip(&r.row_ends).map(|(a, &z)| (a..z).map(|k| r.field(&text, k as usize).to_owned()).collect::<Vec<_>>()).collect::<Vec<_>>()
            });
            let reference = reference_rows(&text, "t");
            proptest::prop_assert_eq!(fast.map_err(|e| e.to_string()), reference.map_err(|e| e.to_string()), "{:?}", text);
        }
    }
}
