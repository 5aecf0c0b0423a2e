//! Dates and instants as the law and the wire use them: strict ISO dates
//! (`YYYY-MM-DD`) and RFC 3339 instants with an offset.

use time::format_description::well_known::Rfc3339;
pub use time::{Date, OffsetDateTime};

use crate::error::{Error, Result};

/// Parses a strict `YYYY-MM-DD` date; `field` names it in the error.
///
/// ```
/// use yeweihui::calendar::parse_date;
/// assert!(parse_date("decided_on", "2026-02-28").is_ok());
/// assert_eq!(parse_date("decided_on", "2026-02-30").unwrap_err().code().as_str(), "invalid_date");
/// ```
pub fn parse_date(field: &str, s: &str) -> Result<Date> {
    let bad = |reason: &str| Error::InvalidDate {
        field: field.to_owned(),
        value: s.to_owned(),
        reason: reason.to_owned(),
    };
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(bad("expected YYYY-MM-DD"));
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u16>().unwrap_or(0);
    let month = time::Month::try_from(num(5..7) as u8).map_err(|_| bad("no such month"))?;
    Date::from_calendar_date(i32::from(num(0..4)), month, num(8..10) as u8).map_err(|_| bad("no such day"))
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Parses an RFC 3339 instant with offset (`2026-02-20T10:00:00+08:00`).
pub fn parse_instant(field: &str, s: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| Error::InvalidDate {
        field: field.to_owned(),
        value: s.to_owned(),
        reason: format!("expected an RFC 3339 instant with offset ({e})"),
    })
}

/// Serde helpers for `YYYY-MM-DD` dates.
pub mod iso_date {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(*d))
    }

    /// Deserializes a strict `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        parse_date("date", &s).map_err(serde::de::Error::custom)
    }

    /// The same for optional dates.
    pub mod option {
        use super::*;

        /// Serializes `Some` as `YYYY-MM-DD`, `None` as null.
        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> std::result::Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_str(&format_date(*d)),
                None => s.serialize_none(),
            }
        }

        /// Deserializes an optional strict `YYYY-MM-DD`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Date>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| parse_date("date", &s).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(format_date(parse_date("d", "2024-02-29").unwrap()), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "",
            "２０２６-01-01",
        ] {
            let e = parse_date("d", bad).unwrap_err();
            assert_eq!(e.code().as_str(), "invalid_date", "{bad}");
        }
    }

    #[test]
    fn instants_need_an_offset() {
        assert!(parse_instant("t", "2026-02-20T10:00:00+08:00").is_ok());
        assert!(parse_instant("t", "2026-02-20T10:00:00").is_err());
        assert!(parse_instant("t", "2026-02-30T10:00:00Z").is_err());
    }
}
