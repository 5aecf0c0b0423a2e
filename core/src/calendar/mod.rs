//! Legal time: strict dates and instants, the PRC holiday calendar, and
//! legal periods (民法典 Arts. 201–203, 1259).
//!
//! - Art. 201: a period in years, months or days starts the day after the
//!   start day.
//! - Art. 202: a period in months or years ends on the corresponding day of
//!   the last month, or that month's last day where it has none.
//! - Art. 203: when the last day is a rest day (法定休假日), the period ends
//!   on the day after the rest days end.
//!
//! **Interpretation** (overridable data): rest days are the State Council's
//! holidays and the weekly rest days (Saturday, Sunday) except the weekend
//! days it designates working days (调休上班). The schedules are data
//! ([`HolidayCalendar`]), one per year with its source; a date in a year the
//! calendar does not cover is the error `calendar_year_not_covered`, never a
//! guess. Users add a newly published year with [`HolidayCalendar::with_year`].
//!
//! ```
//! use yeweihui::calendar::{parse_date, HolidayCalendar, Period};
//! let cal = HolidayCalendar::china();
//! // 15 days from 2025-09-20 end on 2025-10-05, inside the National Day holiday
//! let d = cal.deadline(parse_date("start", "2025-09-20")?, Period::Days(15))?;
//! assert_eq!(d.due.to_string(), "2025-10-09");
//! # Ok::<(), yeweihui::Error>(())
//! ```

use std::collections::BTreeMap;
use std::sync::OnceLock;

use time::format_description::well_known::Rfc3339;
pub use time::{Date, OffsetDateTime};

use crate::error::{Error, Result};
use crate::json::{FromJson, ToJson};
use crate::rulebook::Text;

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

/// The fields of the common shape of RFC 3339,
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, checked for range (a real
/// calendar day, hours 0–23, minutes and seconds 0–59, offsets up to 23:59).
/// Anything else returns `None` and goes to the full parser, so what is
/// accepted does not change.
struct Rfc3339Fields {
    year: u32,
    month: u32,
    day: u32,
    seconds_of_day: i64,
    nanos: u32,
    offset_seconds: i64,
}

/// The shape of eight bytes of text: a digit where `bytes` has `0`, any
/// byte where it has `?`, the same byte elsewhere.
struct Shape {
    bytes: u64,
    /// Per byte, what takes a digit's value (0-9) just below the high bit
    /// (0x76), or any byte but zero over it (0x7f), or nothing (0, any
    /// byte): no byte carries into the next.
    bump: u64,
    /// The bytes compared: all but the `?`s.
    compared: u64,
}

impl Shape {
    const fn of(template: &[u8; 8]) -> Shape {
        let (mut bump, mut compared) = (0u64, 0u64);
        let mut i = 0;
        while i < 8 {
            let add: u64 = match template[i] {
                b'0' => 0x76,
                b'?' => 0,
                _ => 0x7f,
            };
            bump |= add << (8 * i);
            if template[i] != b'?' {
                compared |= 0xff << (8 * i);
            }
            i += 1;
        }
        Shape {
            bytes: u64::from_le_bytes(*template),
            bump,
            compared,
        }
    }

    /// The text's digits (each byte the digit's value, zero at the other
    /// bytes) if the eight bytes have this shape.
    fn digits(&self, text: &[u8]) -> Option<u64> {
        self.digits_of(u64::from_le_bytes(<[u8; 8]>::try_from(text).ok()?))
    }

    /// [`Shape::digits`] of eight bytes as a little-endian word.
    fn digits_of(&self, word: u64) -> Option<u64> {
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let x = (word ^ self.bytes) & self.compared;
        ((x | x.wrapping_add(self.bump)) & HIGHS == 0).then_some(x)
    }
}

const DATE_SHAPE: Shape = Shape::of(b"0000-00-");
const DAY_HOUR_SHAPE: Shape = Shape::of(b"00T00:00");
const TIME_SHAPE: Shape = Shape::of(b"00:00:00");
/// The last eight bytes of a time with a numeric offset, its sign made `+`.
const OFFSET_SHAPE: Shape = Shape::of(b"??+00:00");

// inlined into both callers: every ballot's time is parsed here, and its
// fields then stay in registers (3.4% of a tally's instructions from records)
#[inline(always)]
fn rfc3339_fields(s: &str) -> Option<Rfc3339Fields> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    // `YYYY-MM-`, `DDTHH:MM`, `HH:MM:SS` (the last two overlap)
    let date = pairs(DATE_SHAPE.digits(&b[..8])?);
    let day_hour = pairs(DAY_HOUR_SHAPE.digits(&b[8..16])?);
    let seconds_of_day = seconds_of_day(&b[11..19])?;
    let (year, month, day) = (two(date, 0) * 100 + two(date, 2), two(date, 5), two(day_hour, 0));
    if !(1..=12).contains(&month) || day == 0 || day > u32::from(days_in_month(year as i32, month as u8)) {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0u32;
    if b[i] == b'.' {
        let start = i + 1;
        let end = start + b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        if end == start || end - start > 9 {
            return None;
        }
        let fraction = b[start..end].iter().fold(0u32, |v, &c| v * 10 + u32::from(c - b'0'));
        nanos = fraction * 10u32.pow(9 - (end - start) as u32);
        i = end;
    }
    let offset_seconds = match &b[i..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, _, _, _] => {
            // `±HH:MM`, the text's last six bytes (of 25 and more)
            let last = u64::from_le_bytes(<[u8; 8]>::try_from(&b[b.len() - 8..]).ok()?);
            let plus = (last & !(0xff << 16)) | (u64::from(b'+') << 16);
            let offset = pairs(OFFSET_SHAPE.digits_of(plus)?);
            let (h, m) = (two(offset, 3), two(offset, 6));
            if h > 23 || m > 59 {
                return None;
            }
            let k = if *sign == b'-' { -1 } else { 1 };
            k * i64::from(h * 3600 + m * 60)
        }
        _ => return None,
    };
    Some(Rfc3339Fields {
        year,
        month,
        day,
        seconds_of_day,
        nanos,
        offset_seconds,
    })
}

/// Each byte of digits (as [`Shape::digits`] gives them) made the number
/// of its digit and the next one's: at most 99, so nothing carries into
/// the next byte.
#[inline(always)]
fn pairs(digits: u64) -> u64 {
    digits * 10 + (digits >> 8)
}

/// Byte `i` of a word.
#[inline(always)]
fn two(x: u64, i: u32) -> u32 {
    ((x >> (8 * i)) & 0xff) as u32
}

/// The seconds into the day of `HH:MM:SS` (eight bytes), if it is one:
/// hours 0–23, minutes and seconds 0–59.
#[inline(always)]
fn seconds_of_day(text: &[u8]) -> Option<i64> {
    let time = pairs(TIME_SHAPE.digits(text)?);
    let (hour, minute, second) = (two(time, 0), two(time, 3), two(time, 6));
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(i64::from(hour * 3600 + minute * 60 + second))
}

/// Days from 1970-01-01 to a (checked) proleptic Gregorian date of a
/// four-digit year (Howard Hinnant's `days_from_civil`, in unsigned
/// arithmetic: the year counted from March and moved on by one 400-year
/// era, whose 146,097 days are taken off again, so it is never negative).
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    // days from March 1 to the first of each month, by the month's number modulo 12
    const BEFORE: [u32; 12] = [275, 306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245];
    // at most 10,399 for a four-digit year: the sum below stays far within a u32
    let y = year + 400 - u32::from(month <= 2);
    // the day of the year counted from 1, as the day of the month is
    let days = y * 365 + y / 4 - y / 100 + y / 400 + BEFORE[(month % 12) as usize] + day;
    i64::from(days) - 719_468 - 146_097 - 1
}

fn parse_rfc3339_common(s: &str) -> Option<OffsetDateTime> {
    let f = rfc3339_fields(s)?;
    let offset = time::UtcOffset::from_whole_seconds(f.offset_seconds as i32).ok()?;
    let t = f.seconds_of_day;
    let time = time::Time::from_hms_nano((t / 3600) as u8, (t / 60 % 60) as u8, (t % 60) as u8, f.nanos).ok()?;
    let date = Date::from_calendar_date(f.year as i32, time::Month::try_from(f.month as u8).ok()?, f.day as u8).ok()?;
    Some(time::PrimitiveDateTime::new(date, time).assume_offset(offset))
}

/// Whole seconds since the Unix epoch and nanoseconds into the second of an
/// RFC 3339 instant: what ballot times are compared by. The common shape is
/// computed directly; anything else goes through [`parse_instant`].
pub(crate) fn parse_unix_time(field: &str, s: &str) -> Result<(i64, u32)> {
    if let Some(f) = rfc3339_fields(s) {
        return Ok((f.day_start() + f.seconds_of_day, f.nanos));
    }
    parse_instant(field, s).map(unix_time)
}

impl Rfc3339Fields {
    /// The seconds since the epoch at the start of the day, in its offset.
    fn day_start(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400 - self.offset_seconds
    }
}

/// Parses instants as [`parse_unix_time`] does, remembering the days of
/// texts of 20 to 26 bytes in the common shape (`2026-02-20T10:00:00+08:00`,
/// `2026-02-20T02:00:00.000Z`): a text with a remembered day and what
/// follows its seconds (the offset, or `Z`, or a fraction and either) is
/// read from its time alone. The ballots of a vote are cast over a few
/// weeks, and the day and offset are two thirds of the work.
#[derive(Debug)]
pub(crate) struct Instants {
    /// By a day's place (see [`DayText::key`]), the last text seen there.
    days: [DayText; DAY_PLACES],
}

/// How many places [`Instants`] has: one for each day of the month (1–31)
/// in an even month, and in an odd one, so that a vote over two months
/// keeps all its days.
const DAY_PLACES: usize = 64;

/// A text's day as [`Instants`] remembers it: its key (see
/// [`DayText::key`]), or [`NO_TAIL`] as its tail before a text is
/// remembered; with the start of the day, in its offset, and the text's
/// nanoseconds.
#[derive(Debug, Clone, Copy)]
struct DayText {
    key: (u64, u32, u64),
    start: i64,
    nanos: u32,
}

impl DayText {
    /// The place of a text of 20 to 26 bytes and its key, all of it but
    /// its time: bytes 0–8 (`YYYY-MM-`), 8–11 (`DDT`), and the last eight
    /// with those before byte 19 (its time's) made zero, and its length in
    /// the lowest of them: what follows its seconds (`+08:00`, `Z`, or a
    /// fraction and either), where it is.
    #[inline(always)]
    fn key(s: &str) -> Option<(usize, (u64, u32, u64))> {
        let b = s.as_bytes();
        let n = b.len();
        if !(20..=26).contains(&n) {
            return None;
        }
        let word = |i: usize| Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?));
        let tail = word(n - 8)? & (!0 << (8 * (27 - n))) | n as u64;
        // the day of the month from its digits, moved on by 31 in an odd
        // month (a real day's place is below 63; other bytes may fall past
        // the places, and go to the parser)
        let place = usize::from(b[8] & 3) * 10 + usize::from(b[9] & 15) + 31 * usize::from(b[6] & 1);
        // bytes 8–11 with the hour's first made zero: the day and the separator
        let day = u32::from_le_bytes(b.get(8..12)?.try_into().ok()?) & 0x00ff_ffff;
        Some((place, (word(0)?, day, tail)))
    }
}

/// A tail no text has: a text's holds its length, 20 to 26.
const NO_TAIL: u64 = 1;

impl Default for Instants {
    fn default() -> Instants {
        let none = DayText {
            key: (0, 0, NO_TAIL),
            start: 0,
            nanos: 0,
        };
        Instants {
            days: [none; DAY_PLACES],
        }
    }
}

impl Instants {
    /// [`parse_unix_time`] of `s`.
    #[inline(always)]
    pub(crate) fn parse(&mut self, field: &str, s: &str) -> Result<(i64, u32)> {
        if let Some((place, key)) = DayText::key(s) {
            // the same day, separator, offset and fraction as a text
            // before: this one reads as that one if its time (bytes 11–19)
            // is a time of day
            if let Some(known) = self.days.get(place).filter(|known| known.key == key) {
                // (a key is only of a text of 20 bytes or more)
                if let Some(seconds) = seconds_of_day(&s.as_bytes()[11..19]) {
                    return Ok((known.start + seconds, known.nanos));
                }
            }
        }
        self.parse_new(field, s)
    }

    /// [`Instants::parse`] of a text whose day is not remembered (or not
    /// the common shape), remembering it if it can be: out of line, as it
    /// comes once a day, not once a ballot. (It takes the text's key again:
    /// handed the one `parse` took, the common path kept it in memory, 12
    /// more instructions a ballot.)
    #[inline(never)]
    fn parse_new(&mut self, field: &str, s: &str) -> Result<(i64, u32)> {
        if let (Some((place, key)), Some(f)) = (DayText::key(s), rfc3339_fields(s)) {
            let start = f.day_start();
            if let Some(known) = self.days.get_mut(place) {
                *known = DayText {
                    key,
                    start,
                    nanos: f.nanos,
                };
            }
            return Ok((start + f.seconds_of_day, f.nanos));
        }
        parse_unix_time(field, s)
    }
}

fn unix_time(t: OffsetDateTime) -> (i64, u32) {
    (t.unix_timestamp(), t.nanosecond())
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Why a due date has no date yet, in Chinese and English: it falls in
/// `year`, which the holiday calendar does not cover (the error
/// `calendar_year_not_covered`, reported for that date alone).
pub(crate) fn uncovered_due_date(year: i32) -> Text {
    Text {
        zh: format!("截止日落在节假日安排尚未收录的 {year} 年"),
        en: format!("the due date falls in {year}, which the holiday calendar does not cover"),
    }
}

/// Parses an RFC 3339 instant with offset (`2026-02-20T10:00:00+08:00`).
/// The date and the time are separated by `T`, or by `t` or a space as
/// RFC 3339 §5.6 allows (the `time` crate alone would take any byte there).
pub fn parse_instant(field: &str, s: &str) -> Result<OffsetDateTime> {
    if let Some(t) = parse_rfc3339_common(s) {
        return Ok(t);
    }
    let bad = |reason: String| Error::InvalidDate {
        field: field.to_owned(),
        value: s.to_owned(),
        reason: format!("expected an RFC 3339 instant with offset ({reason})"),
    };
    // only after a real date: a text whose date is wrong gets the parser's reason
    let separator = s.as_bytes().get(10).copied();
    if separator.is_some_and(|c| !matches!(c, b'T' | b't' | b' '))
        && s.get(..10).is_some_and(|date| parse_date(field, date).is_ok())
    {
        return Err(bad(
            "the date and the time are separated by `T`, `t` or a space".to_owned()
        ));
    }
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| bad(e.to_string()))
}

/// A holiday period (both ends inclusive) as the State Council set it.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Holiday {
    /// Its name, e.g. 国庆节.
    pub name: Text,
    /// First day off.
    pub from: Date,
    /// Last day off.
    pub to: Date,
}

/// One year's published schedule: holidays and adjusted working days.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct YearSchedule {
    /// The year the notice is for.
    pub year: i32,
    /// The notice (国务院办公厅关于某年部分节假日安排的通知).
    pub source: Text,
    /// Holiday periods (a period may start in the previous year, as 2023's New Year did).
    pub holidays: Vec<Holiday>,
    /// Saturdays and Sundays designated working days (调休上班).
    #[json(default)]
    pub working_days: Vec<Date>,
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind<'a> {
    /// A working day: a weekday that is not a holiday.
    Working,
    /// A Saturday or Sunday designated a working day (调休上班).
    AdjustedWorkingDay,
    /// A Saturday or Sunday.
    Weekend,
    /// Inside a holiday period.
    Holiday(&'a Holiday),
}

impl DayKind<'_> {
    /// Whether it is a rest day (法定休假日 in the sense of 民法典 Art. 203).
    pub fn is_rest(self) -> bool {
        matches!(self, DayKind::Weekend | DayKind::Holiday(_))
    }
}

/// The holiday calendar: published schedules by year.
#[derive(Debug, Clone, Default)]
pub struct HolidayCalendar {
    years: BTreeMap<i32, YearSchedule>,
}

#[derive(FromJson)]
#[json(deny_unknown_fields)]
struct CalendarFile {
    years: Vec<YearSchedule>,
}

impl HolidayCalendar {
    /// The PRC calendar shipped in the crate (every year from 2020 through
    /// 2026, each with its State Council notice), parsed once.
    pub fn china() -> &'static HolidayCalendar {
        static CHINA: OnceLock<HolidayCalendar> = OnceLock::new();
        CHINA.get_or_init(|| {
            let file: std::result::Result<CalendarFile, _> = crate::json::from_str(include_str!("holidays-cn.json"));
            // The shipped file is checked by this crate's tests; were it ever
            // unreadable, every date would be `calendar_year_not_covered`.
            file.ok()
                .and_then(|f| {
                    f.years
                        .into_iter()
                        .try_fold(HolidayCalendar::default(), |c, y| c.with_year(y).ok())
                })
                .unwrap_or_default()
        })
    }

    /// Adds (or replaces) a year's schedule, e.g. one published after this
    /// release. Checks that its dates are real, its working days are
    /// weekends, and its holidays lie around that year.
    pub fn with_year(mut self, schedule: YearSchedule) -> Result<HolidayCalendar> {
        let bad = |reason: String| Error::invalid_input(format!("calendar year {}", schedule.year), reason);
        if !(1900..=9998).contains(&schedule.year) {
            return Err(bad("the year must be between 1900 and 9998".into()));
        }
        if schedule.source.zh.trim().is_empty() || schedule.source.en.trim().is_empty() {
            return Err(bad(
                "the schedule needs its source (the notice) in Chinese and English".into()
            ));
        }
        let near = |d: Date| (schedule.year - 1..=schedule.year).contains(&d.year());
        for h in &schedule.holidays {
            if h.to < h.from || !near(h.from) || h.to.year() != schedule.year {
                return Err(bad(format!(
                    "holiday {} runs {} to {}",
                    h.name.zh,
                    format_date(h.from),
                    format_date(h.to)
                )));
            }
        }
        if let Some(d) = schedule
            .working_days
            .iter()
            .find(|d| d.year() != schedule.year || !is_weekend(**d))
        {
            return Err(bad(format!(
                "adjusted working day {} is not a weekend day of that year",
                format_date(*d)
            )));
        }
        self.years.insert(schedule.year, schedule);
        Ok(self)
    }

    /// The years covered, e.g. `2020-2026` (or a list where there are gaps).
    pub fn covered(&self) -> String {
        let years: Vec<i32> = self.years.keys().copied().collect();
        match (years.first(), years.last()) {
            (Some(a), Some(b)) if (b - a) as usize + 1 == years.len() => format!("{a}-{b}"),
            _ => years.iter().map(i32::to_string).collect::<Vec<_>>().join(", "),
        }
    }

    /// The published schedules.
    pub fn years(&self) -> impl Iterator<Item = &YearSchedule> {
        self.years.values()
    }

    /// What kind of day `date` is; `calendar_year_not_covered` outside the
    /// years covered.
    pub fn day(&self, date: Date) -> Result<DayKind<'_>> {
        let schedule = self
            .years
            .get(&date.year())
            .ok_or_else(|| Error::CalendarYearNotCovered {
                year: date.year(),
                covered: self.covered(),
            })?;
        let holiday = [Some(schedule), self.years.get(&(date.year() + 1))]
            .into_iter()
            .flatten()
            .flat_map(|s| &s.holidays)
            .find(|h| h.from <= date && date <= h.to);
        Ok(match holiday {
            Some(h) => DayKind::Holiday(h),
            None if schedule.working_days.contains(&date) => DayKind::AdjustedWorkingDay,
            None if is_weekend(date) => DayKind::Weekend,
            None => DayKind::Working,
        })
    }

    /// The last day of a legal period starting on `start` (see the module
    /// docs), with the rest days that moved it.
    pub fn deadline(&self, start: Date, period: Period) -> Result<Deadline> {
        period.check()?;
        let overflow = || Error::invalid_input("period", "the period runs past the year 9999");
        let nominal_end = match period {
            Period::Days(n) => start
                .checked_add(time::Duration::days(i64::from(n)))
                .ok_or_else(overflow)?,
            Period::Months(n) => add_months(start, n).ok_or_else(overflow)?,
            Period::Years(n) => add_months(start, n.saturating_mul(12)).ok_or_else(overflow)?,
            Period::WorkingDays(n) => {
                let mut d = start;
                let mut left = n;
                while left > 0 {
                    d = d.next_day().ok_or_else(overflow)?;
                    if !self.day(d)?.is_rest() {
                        left -= 1;
                    }
                }
                d
            }
        };
        let mut due = nominal_end;
        let mut skipped = Vec::new();
        loop {
            let kind = self.day(due)?;
            if !kind.is_rest() {
                break;
            }
            skipped.push(SkippedDay {
                date: due,
                holiday: match kind {
                    DayKind::Holiday(h) => Some(h.name.clone()),
                    _ => None,
                },
            });
            due = due.next_day().ok_or_else(overflow)?;
        }
        Ok(Deadline {
            start,
            period,
            nominal_end,
            due,
            skipped,
        })
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), time::Weekday::Saturday | time::Weekday::Sunday)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if time::util::is_leap_year(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The corresponding day `n` months later, or that month's last day
/// (民法典 Art. 202).
fn add_months(d: Date, n: u32) -> Option<Date> {
    shift_months(d, i64::from(n))
}

/// The corresponding day `delta` months later (or earlier), or that
/// month's last day where it has none.
pub fn shift_months(d: Date, delta: i64) -> Option<Date> {
    let months = i64::from(d.year()) * 12 + i64::from(u8::from(d.month()) - 1) + delta;
    let year = i32::try_from(months.div_euclid(12)).ok()?;
    let month = (months.rem_euclid(12) + 1) as u8;
    let day = d.day().min(days_in_month(year, month));
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// A legal period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson, FromJson)]
#[json(rename_all = "snake_case", deny_unknown_fields)]
pub enum Period {
    /// Calendar days.
    Days(u32),
    /// Months (corresponding day, 民法典 Art. 202).
    Months(u32),
    /// Years.
    Years(u32),
    /// Working days: weekdays that are not holidays, plus adjusted working days.
    WorkingDays(u32),
}

impl Period {
    fn check(self) -> Result<()> {
        let (what, n, max) = match self {
            Period::Days(n) => ("period.days", n, 36_600),
            Period::Months(n) => ("period.months", n, 1_200),
            Period::Years(n) => ("period.years", n, 100),
            Period::WorkingDays(n) => ("period.working_days", n, 10_000),
        };
        if n > max {
            return Err(Error::limit(what, max as usize, n as usize));
        }
        Ok(())
    }
}

/// A rest day that moved a deadline.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct SkippedDay {
    /// The date.
    pub date: Date,
    /// The holiday it belongs to; `None` for a weekend day.
    pub holiday: Option<Text>,
}

/// The end of a legal period.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Deadline {
    /// The start day (not counted).
    pub start: Date,
    /// The period.
    pub period: Period,
    /// The last day before rest days are considered.
    pub nominal_end: Date,
    /// The last day of the period: the first working day on or after `nominal_end`.
    pub due: Date,
    /// The rest days that moved it, in order.
    pub skipped: Vec<SkippedDay>,
}

impl Deadline {
    /// The rules applied, in Chinese and English.
    pub fn citation(&self) -> Text {
        match self.period {
            Period::Days(_) => Text {
                zh: "民法典 第二百零一条、第二百零三条".into(),
                en: "Civil Code Arts. 201, 203".into(),
            },
            Period::Months(_) | Period::Years(_) => Text {
                zh: "民法典 第二百零一条、第二百零二条、第二百零三条".into(),
                en: "Civil Code Arts. 201-203".into(),
            },
            Period::WorkingDays(_) => Text {
                zh: "民法典 第二百零一条、第二百零三条；国务院办公厅节假日安排".into(),
                en: "Civil Code Arts. 201, 203; State Council holiday schedules".into(),
            },
        }
    }

    /// Explains the computation: the nominal last day, and which rest days
    /// (which holiday) moved it.
    pub fn explain(&self) -> Text {
        let (n, unit_zh, one, many) = match self.period {
            Period::Days(n) => (n, "日", "day", "days"),
            Period::Months(n) => (n, "个月", "month", "months"),
            Period::Years(n) => (n, "年", "year", "years"),
            Period::WorkingDays(n) => (n, "个工作日", "working day", "working days"),
        };
        let start = format_date(self.start);
        let nominal = format_date(self.nominal_end);
        let mut zh = format!("自 {start} 起算 {n} {unit_zh}（开始的当日不计入），期间最后一日为 {nominal}");
        let period_en = crate::explain::count_en(n, one, many);
        let ends = if n == 1 { "ends" } else { "end" };
        let mut en = format!("{period_en} from {start} (the start day not counted) {ends} on {nominal}");
        if self.skipped.is_empty() {
            zh.push_str("，为工作日。");
            en.push_str(", a working day.");
        } else {
            let names: Vec<&Text> = self.skipped.iter().filter_map(|s| s.holiday.as_ref()).collect();
            let (why_zh, why_en) = match names.first() {
                Some(h) => (
                    format!("法定休假日（{}）", h.zh),
                    format!("a public holiday ({})", h.en),
                ),
                None => ("休息日（周末）".to_owned(), "a weekend rest day".to_owned()),
            };
            let due = format_date(self.due);
            zh.push_str(&format!("，该日为{why_zh}，顺延至休假日结束的次日 {due}。"));
            en.push_str(&format!(
                ", which is {why_en}; the period ends on the next working day, {due}."
            ));
        }
        let c = self.citation();
        Text {
            zh: format!("{zh}依据：{}", c.zh),
            en: format!("{en} Rule: {}", c.en),
        }
    }
}

/// Dates are written `YYYY-MM-DD`.
impl crate::json::ToJson for Date {
    fn to_json(&self, out: &mut crate::json::Writer) {
        out.string(&format_date(*self));
    }
}

/// Dates are read from a strict `YYYY-MM-DD` (TOML date literals arrive as
/// this text too).
impl crate::json::FromJson for Date {
    fn from_json(value: crate::json::Value<'_>) -> std::result::Result<Date, crate::json::Error> {
        let text = value.str().map_err(|_| value.invalid_type("a date YYYY-MM-DD"))?;
        parse_date("date", &text).map_err(|e| value.error(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date("d", s).unwrap()
    }

    fn due(start: &str, p: Period) -> String {
        format_date(HolidayCalendar::china().deadline(d(start), p).unwrap().due)
    }

    #[test]
    fn shipped_calendar_covers_2020_to_2026() {
        let cal = HolidayCalendar::china();
        assert_eq!(cal.covered(), "2020-2026");
        assert!(matches!(cal.day(d("2025-10-08")).unwrap(), DayKind::Holiday(_)));
        assert_eq!(cal.day(d("2025-10-11")).unwrap(), DayKind::AdjustedWorkingDay);
        assert!(cal.day(d("2022-12-31")).unwrap().is_rest());
        let e = cal.day(d("2027-01-04")).unwrap_err();
        assert_eq!(e.code().as_str(), "calendar_year_not_covered");
        assert!(e.to_string().contains("2020-2026"));
        assert_eq!(
            cal.day(d("2019-12-31")).unwrap_err().code().as_str(),
            "calendar_year_not_covered"
        );
    }

    #[test]
    fn days_boundaries() {
        // 15 days from 2026-03-02 (Mon): 2026-03-17 (Tue), a working day
        assert_eq!(due("2026-03-02", Period::Days(15)), "2026-03-17");
        // ends on Saturday 2026-03-21 -> Monday 2026-03-23
        assert_eq!(due("2026-03-06", Period::Days(15)), "2026-03-23");
        // ends on an adjusted working Saturday (2026-02-28): stays
        assert_eq!(due("2026-02-13", Period::Days(15)), "2026-02-28");
        // Spring Festival 2026: ends 2026-02-16 inside Feb 15-23 -> Feb 24
        assert_eq!(due("2026-02-01", Period::Days(15)), "2026-02-24");
        // National Day 2025 (the shared seed case)
        assert_eq!(due("2025-09-20", Period::Days(15)), "2025-10-09");
        // the day before a holiday is not moved
        assert_eq!(due("2025-09-15", Period::Days(15)), "2025-09-30");
    }

    #[test]
    fn months_and_years_take_the_corresponding_day_or_month_end() {
        // no Feb 31: the month's last day, Saturday 2026-02-28, a designated working day
        assert_eq!(due("2026-01-31", Period::Months(1)), "2026-02-28");
        assert_eq!(due("2025-01-31", Period::Months(1)), "2025-02-28"); // Friday
        assert_eq!(due("2024-01-31", Period::Months(1)), "2024-02-29"); // leap year, Thursday
        assert_eq!(due("2024-02-29", Period::Years(1)), "2025-02-28"); // Friday
        assert_eq!(due("2025-03-31", Period::Months(6)), "2025-09-30");
        assert_eq!(due("2021-05-20", Period::Years(5)), "2026-05-20");
    }

    #[test]
    fn working_days_skip_rest_days_and_count_adjusted_ones() {
        // from Fri 2025-09-26: Sun 09-28 is a working day, Oct 1-8 off, Sat 10-11 working
        assert_eq!(due("2025-09-26", Period::WorkingDays(3)), "2025-09-30");
        assert_eq!(due("2025-09-26", Period::WorkingDays(4)), "2025-10-09");
        assert_eq!(due("2025-09-26", Period::WorkingDays(6)), "2025-10-11");
    }

    #[test]
    fn explanation_names_the_holiday() {
        let dl = HolidayCalendar::china()
            .deadline(d("2025-09-20"), Period::Days(15))
            .unwrap();
        let t = dl.explain();
        assert!(
            t.zh.contains("国庆节、中秋节") && t.zh.contains("2025-10-09"),
            "{}",
            t.zh
        );
        assert!(
            t.en.contains("National Day") && t.en.contains("Civil Code Arts. 201, 203"),
            "{}",
            t.en
        );
        assert_eq!(dl.skipped.len(), 4);
    }

    #[test]
    fn explanation_says_one_period_unit_in_the_singular() {
        let en = |start: &str, period| {
            HolidayCalendar::china()
                .deadline(d(start), period)
                .unwrap()
                .explain()
                .en
        };
        assert!(en("2026-09-25", Period::Days(1))
            .starts_with("1 day from 2026-09-25 (the start day not counted) ends on 2026-09-26"));
        assert!(
            en("2026-09-25", Period::Days(2)).starts_with("2 days from 2026-09-25 (the start day not counted) end on")
        );
        assert!(en("2026-01-31", Period::Months(1))
            .starts_with("1 month from 2026-01-31 (the start day not counted) ends on 2026-02-28"));
        assert!(en("2025-01-31", Period::Years(1)).starts_with("1 year from "));
        assert!(en("2026-12-20", Period::WorkingDays(1)).starts_with("1 working day from "));
        assert!(en("2026-12-20", Period::WorkingDays(5)).starts_with("5 working days from "));
    }

    #[test]
    fn periods_into_uncovered_years_fail() {
        let e = HolidayCalendar::china()
            .deadline(d("2026-12-20"), Period::Days(15))
            .unwrap_err();
        assert_eq!(e.code().as_str(), "calendar_year_not_covered");
        let e = HolidayCalendar::china()
            .deadline(d("2026-01-01"), Period::Days(40_000))
            .unwrap_err();
        assert_eq!(e.code().as_str(), "limit_exceeded");
    }

    #[test]
    fn users_can_add_a_year() {
        let y2027 = YearSchedule {
            year: 2027,
            source: Text {
                zh: "测试通知".into(),
                en: "test notice".into(),
            },
            holidays: vec![Holiday {
                name: Text {
                    zh: "元旦".into(),
                    en: "New Year".into(),
                },
                from: d("2027-01-01"),
                to: d("2027-01-03"),
            }],
            working_days: vec![],
        };
        let cal = HolidayCalendar::china().clone().with_year(y2027.clone()).unwrap();
        assert_eq!(cal.covered(), "2020-2027");
        assert_eq!(
            format_date(cal.deadline(d("2026-12-20"), Period::Days(12)).unwrap().due),
            "2027-01-04"
        );
        let bad = YearSchedule {
            working_days: vec![d("2027-01-06")],
            ..y2027
        };
        assert_eq!(
            HolidayCalendar::default().with_year(bad).unwrap_err().code().as_str(),
            "invalid_input"
        );
    }

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
    fn the_fast_instant_path_agrees_with_the_full_parser() {
        let samples = [
            "2026-02-20T10:00:00+08:00",
            "2026-02-20T10:00:00Z",
            "2026-02-20T10:00:00.5-05:30",
            "2026-02-20T10:00:00.123456789+00:00",
            "2024-02-29T23:59:59+14:00",
            "2023-02-29T10:00:00Z",
            "2026-13-01T10:00:00Z",
            "2026-02-20T24:00:00Z",
            "2026-02-20T10:60:00Z",
            "2026-02-20T10:00:60Z",
            "2026-02-20T10:00:00+24:00",
            "2026-02-20T10:00:00.Z",
            "2026-02-20T10:00:00.1234567891Z",
            "2026-02-20t10:00:00z",
            "2026-02-20T10:00:00+0800",
            "1969-12-31T23:59:59.999999999-23:59",
            "2000-02-29T00:00:00+23:59",
            "2026-02-20 10:00:00Z",
            "２０２６-02-20T10:00:00Z",
            // the ends of the four-digit years, leap days and the epoch
            "0000-01-01T00:00:00Z",
            "0000-02-29T12:00:00+01:00",
            "0000-03-01T00:00:00-23:59",
            "9999-12-31T23:59:59-23:59",
            "1900-02-29T00:00:00Z",
            "2100-02-28T23:59:59Z",
            "2400-02-29T00:00:00Z",
            "1970-01-01T00:00:00Z",
        ];
        for s in samples {
            let full = OffsetDateTime::parse(s, &Rfc3339).ok();
            let ours = parse_instant("t", s).ok();
            assert_eq!(ours, full, "{s}");
            if let Some(fast) = parse_rfc3339_common(s) {
                assert_eq!(Some(fast), full, "{s}");
            }
            assert_eq!(parse_unix_time("t", s).ok(), full.map(unix_time), "{s}");
        }
    }

    /// After a text of the common shape, any text that differs from it in
    /// one byte reads as the parser reads it.
    #[test]
    fn instants_read_a_text_one_byte_from_the_last_as_the_parser_does() {
        for base in [
            "2026-01-31T23:59:59+08:00",
            "2024-02-29T00:00:00.1234Z",
            "2026-12-01T12:30:45-05:30",
            "2026-04-13T04:34:56.789Z",
            "2026-04-13T04:34:56Z",
            "2026-04-13T04:34:56.7+08:00",
            "2026-04-13T04:34:56.12345Z",
        ] {
            for at in 0..base.len() {
                for &c in b"0123456789:-+.TtZ x" {
                    let mut bytes = base.as_bytes().to_vec();
                    bytes[at] = c;
                    let s = String::from_utf8(bytes).unwrap();
                    let mut instants = Instants::default();
                    assert!(instants.parse("t", base).is_ok());
                    assert_eq!(
                        instants.parse("t", &s).ok(),
                        parse_unix_time("t", &s).ok(),
                        "{s} after {base}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// Over any run of texts of about the common shape, a few days
        /// and tails each seen again, [`Instants`] gives what
        /// [`parse_unix_time`] gives for each.
        #[test]
        fn instants_read_as_the_parser_does(
            texts in proptest::collection::vec(
                (
                    // mostly real days and times, a few days and tails
                    // each seen again
                    proptest::sample::select(vec!["2026-01-", "2026-01-", "2024-02-", "2026-13-"]),
                    proptest::sample::select(vec!["01", "29", "29", "31", "00"]),
                    proptest::sample::select(vec!['T', 'T', 'T', 'T', 't', 'x']),
                    18u32..25,
                    proptest::sample::select(vec![0u32, 59, 59, 60]),
                    proptest::sample::select(vec![0u32, 59, 59, 60]),
                    proptest::sample::select(vec!["+08:00", "+08:00", ".1234Z", ".0000Z", "Z", ".789Z", ".7+08:00", ".1+08:00", "+08:60", "+0800", "x08:00"]),
                ),
                1..60,
            )
        ) {
            let mut instants = Instants::default();
            for (month, day, sep, hour, minute, second, tail) in texts {
                let s = format!("{month}{day}{sep}{hour:02}:{minute:02}:{second:02}{tail}");
                proptest::prop_assert_eq!(instants.parse("t", &s).ok(), parse_unix_time("t", &s).ok(), "{}", s);
            }
        }

        /// On any text of about the common shape, the fast path gives the
        /// full parser's instant, or leaves the text to it.
        #[test]
        fn the_fast_instant_path_agrees_on_any_text(
            s in "[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,10})?(Z|[+-][0-2][0-9]:[0-6][0-9]|.{0,3})"
        ) {
            let full = OffsetDateTime::parse(&s, &Rfc3339).ok();
            proptest::prop_assert_eq!(parse_unix_time("t", &s).ok(), full.map(unix_time), "{}", s);
            if let Some(fast) = parse_rfc3339_common(&s) {
                proptest::prop_assert_eq!(Some(fast), full, "{}", s);
            }
        }
    }

    /// `T`, `t` or a space between the date and the time, as RFC 3339
    /// §5.6 allows; any other byte is refused, naming the separator.
    #[test]
    fn instants_separate_date_and_time_by_t_or_a_space() {
        for ok in [
            "2026-01-31T23:59:59+08:00",
            "2026-01-31t23:59:59+08:00",
            "2026-01-31 23:59:59+08:00",
        ] {
            let t = parse_instant("t", ok).unwrap();
            assert_eq!(
                unix_time(t),
                parse_unix_time("t", "2026-01-31T23:59:59+08:00").unwrap(),
                "{ok}"
            );
        }
        for bad in [
            "2026-01-31x23:59:59+08:00",
            "2026-01-31_23:59:59Z",
            "2026-01-31\t23:59:59Z",
            "2026-01-31é23:59:59Z",
        ] {
            let e = parse_instant("cast_at", bad).unwrap_err();
            assert_eq!(e.code().as_str(), "invalid_date", "{bad}");
            assert!(e.to_string().contains("separated by `T`"), "{bad}: {e}");
            assert!(parse_unix_time("t", bad).is_err(), "{bad}");
            let mut instants = Instants::default();
            assert!(instants.parse("t", "2026-01-31T23:59:59+08:00").is_ok());
            assert!(instants.parse("t", bad).is_err(), "{bad} after a remembered day");
        }
        // a text whose date is wrong is refused for its date, not its separator
        for bad in ["2026-1-01x10:00:00Z", "2026-02-30x10:00:00Z"] {
            let e = parse_instant("cast_at", bad).unwrap_err();
            assert!(!e.to_string().contains("separated by"), "{bad}: {e}");
        }
    }

    #[test]
    fn instants_need_an_offset() {
        assert!(parse_instant("t", "2026-02-20T10:00:00+08:00").is_ok());
        assert!(parse_instant("t", "2026-02-20T10:00:00").is_err());
        assert!(parse_instant("t", "2026-02-30T10:00:00Z").is_err());
    }
}
