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
use crate::limits::{MAX_BALLOTS, MAX_UNITS};
use crate::quantity::DecimalText;
use crate::register::{UnitRecord, UnitStatus};

/// Splits CSV text into rows of fields. Errors name the row.
fn rows(text: &str, what: &str) -> Result<Vec<Vec<String>>> {
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

/// A parsed table: header and data rows, each data row with its 1-based row number.
struct Table {
    what: &'static str,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn parse(text: &str, what: &'static str, known: &[&str], required: &[&str], max_rows: usize) -> Result<Table> {
        let mut all = rows(text, what)?.into_iter().enumerate();
        let header: Vec<String> = match all.next() {
            Some((_, h)) => h.into_iter().map(|c| c.trim().to_owned()).collect(),
            None => return Err(Error::invalid_input(format!("{what} row 1"), "no header row")),
        };
        for (i, col) in header.iter().enumerate() {
            if !known.contains(&col.as_str()) {
                return Err(Error::invalid_input(
                    format!("{what} row 1, column {}", i + 1),
                    format!("unknown column {col:?} (expected some of: {})", known.join(", ")),
                ));
            }
            if header[..i].contains(col) {
                return Err(Error::invalid_input(
                    format!("{what} row 1"),
                    format!("column {col:?} appears twice"),
                ));
            }
        }
        if let Some(missing) = required.iter().find(|r| !header.iter().any(|h| h == *r)) {
            return Err(Error::invalid_input(
                format!("{what} row 1"),
                format!("missing column {missing:?}"),
            ));
        }
        let rows: Vec<(usize, Vec<String>)> = all
            .map(|(i, r)| (i + 1, r))
            .filter(|(_, r)| !(r.len() == 1 && r[0].trim().is_empty()))
            .collect();
        if rows.len() > max_rows {
            return Err(Error::limit(format!("{what} rows"), max_rows, rows.len()));
        }
        for (n, r) in &rows {
            if r.len() != header.len() {
                return Err(Error::invalid_input(
                    format!("{what} row {n}"),
                    format!("{} fields, the header has {}", r.len(), header.len()),
                ));
            }
        }
        Ok(Table { what, header, rows })
    }

    /// The cell of a column in a row, trimmed; `None` when absent or empty.
    fn cell<'a>(&self, row: &'a [String], column: &str) -> Option<&'a str> {
        let i = self.header.iter().position(|h| h == column)?;
        Some(row[i].trim()).filter(|s| !s.is_empty())
    }

    fn required<'a>(&self, n: usize, row: &'a [String], column: &str) -> Result<&'a str> {
        self.cell(row, column)
            .ok_or_else(|| Error::invalid_input(format!("{} row {n}, column {column}", self.what), "is empty"))
    }
}

/// Reads a register: columns `id`, `area` (required), `building`, `owner`,
/// `status` (optional).
pub fn units_from_csv(text: &str) -> Result<Vec<UnitRecord>> {
    let t = Table::parse(
        text,
        "units",
        &["id", "building", "area", "owner", "status"],
        &["id", "area"],
        MAX_UNITS,
    )?;
    t.rows
        .iter()
        .map(|(n, r)| {
            let status = UnitStatus::from_cell(t.cell(r, "status"), || format!("units row {n}, column status"))?;
            Ok(UnitRecord {
                id: t.required(*n, r, "id")?.to_owned(),
                building: t.cell(r, "building").map(str::to_owned),
                area: DecimalText::Text(t.required(*n, r, "area")?.to_owned()),
                owner: t.cell(r, "owner").map(str::to_owned),
                status,
            })
        })
        .collect()
}

/// Reads ballots: columns `unit`, `choice` (required), `channel`,
/// `cast_at`, `authorization` (optional). Values are checked by the tally,
/// which rejects a bad ballot with its reason rather than failing.
pub fn ballots_from_csv(text: &str) -> Result<Vec<BallotRecord>> {
    let t = Table::parse(
        text,
        "ballots",
        &["unit", "choice", "channel", "cast_at", "authorization"],
        &["unit", "choice"],
        MAX_BALLOTS,
    )?;
    t.rows
        .iter()
        .map(|(n, r)| {
            Ok(BallotRecord {
                unit: t.required(*n, r, "unit")?.to_owned(),
                choice: t.required(*n, r, "choice")?.to_owned(),
                channel: t.cell(r, "channel").map(str::to_owned),
                cast_at: t.cell(r, "cast_at").map(str::to_owned),
                authorization: t.cell(r, "authorization").map(str::to_owned),
            })
        })
        .collect()
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
}
