//! Exact quantities: [`Area`], [`Ratio`], [`Threshold`] with its [`Comparator`].
//!
//! No floating point anywhere: an area is an exact decimal of at most four
//! places, a threshold is an exact fraction, and `is_met` compares
//! `part × d` with `whole × n` in integers.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::json::{self, FromJson, ToJson, Value, Writer};
use crate::limits::{MAX_AREA_INTEGER_DIGITS, MAX_AREA_SCALE, MAX_RATIO_DENOMINATOR};

/// Ten-thousandths of a square metre per square metre.
const AREA_SCALE_FACTOR: u64 = 10_000;

/// A floor area in m²: an exact, non-negative decimal with at most four
/// decimal places (区分所有权解释 Art. 8 registry areas).
///
/// Stored as whole ten-thousandths of a m², so sums and comparisons are exact
/// integer arithmetic; printed in canonical form (plain notation, trailing
/// zeros trimmed).
///
/// ```
/// use yeweihui::Area;
/// let a: Area = "89.50".parse()?;
/// assert_eq!(a.to_string(), "89.5");
/// assert!("-1".parse::<Area>().is_err());
/// # Ok::<(), yeweihui::quantity::AreaError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Area(u64);

/// Why a text or decimal is not a valid [`Area`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaError {
    /// A negative number.
    #[error("an area cannot be negative")]
    Negative,
    /// Not a plain decimal number.
    #[error("not a plain decimal number (digits, optionally a point and up to 4 decimals)")]
    Malformed,
    /// More than four non-zero decimal places.
    #[error("more than {MAX_AREA_SCALE} decimal places")]
    TooPrecise,
    /// Larger than any real unit.
    #[error("larger than 999999999 m²")]
    TooLarge,
    /// A floating-point number, which cannot carry a registry area exactly.
    #[error("a floating-point number cannot carry an area exactly; give it as a decimal string")]
    Float,
}

impl Area {
    /// Zero m².
    pub const ZERO: Area = Area(0);
    /// The smallest step a shortfall is stated in: 0.01 m².
    pub const CENTIARE: Area = Area(100);

    /// The area from whole ten-thousandths of a m².
    pub const fn from_ten_thousandths(v: u64) -> Area {
        Area(v)
    }

    /// The area in whole ten-thousandths of a m².
    pub const fn ten_thousandths(self) -> u64 {
        self.0
    }

    /// Converts an exact decimal; fails on negatives, more than four
    /// (non-zero) decimal places or absurd sizes.
    pub fn from_decimal(d: Decimal) -> Result<Area, AreaError> {
        if d.is_sign_negative() && !d.is_zero() {
            return Err(AreaError::Negative);
        }
        let d = d.normalize();
        if d.scale() > MAX_AREA_SCALE {
            return Err(AreaError::TooPrecise);
        }
        if d.trunc() >= Decimal::from(10u64.pow(MAX_AREA_INTEGER_DIGITS as u32)) {
            return Err(AreaError::TooLarge);
        }
        let mantissa = d.mantissa().unsigned_abs();
        let scaled = mantissa * 10u128.pow(MAX_AREA_SCALE - d.scale());
        u64::try_from(scaled).map(Area).map_err(|_| AreaError::TooLarge)
    }

    /// The area as an exact decimal in canonical form.
    pub fn to_decimal(self) -> Decimal {
        Decimal::from_i128_with_scale(i128::from(self.0), MAX_AREA_SCALE).normalize()
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Area) -> Option<Area> {
        self.0.checked_add(other.0).map(Area)
    }

    /// Difference, saturating at zero.
    pub fn saturating_sub(self, other: Area) -> Area {
        Area(self.0.saturating_sub(other.0))
    }

    /// Formats with exactly two decimals (for explanations: `803.40 m²`),
    /// rounding up so a stated requirement is never understated.
    pub fn to_string_2dp_ceil(self) -> String {
        let hundredths = self.0.div_ceil(100);
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

/// Within the register limits a sum of areas cannot overflow: at most
/// `MAX_UNITS` units of less than 10^(`MAX_AREA_INTEGER_DIGITS` + 4)
/// ten-thousandths each.
const _: () = assert!(
    (crate::limits::MAX_UNITS as u128) * 10u128.pow(MAX_AREA_INTEGER_DIGITS as u32 + MAX_AREA_SCALE) < u64::MAX as u128
);

impl std::ops::AddAssign for Area {
    /// Adds areas; saturates rather than wraps (unreachable within the limits).
    fn add_assign(&mut self, other: Area) {
        self.0 = self.0.saturating_add(other.0);
    }
}

impl FromStr for Area {
    type Err = AreaError;

    /// Parses a plain decimal (`"89.5"`, `"120"`, `"0.0001"`): no sign, no
    /// exponent, no separators; extra decimal places must be zeros.
    fn from_str(s: &str) -> Result<Area, AreaError> {
        if let Some(area) = registry_area(s.as_bytes()) {
            return Ok(area);
        }
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        // `digits` or `digits.digits`, ASCII only
        let (int, frac) = match body.bytes().position(|c| c == b'.') {
            Some(dot) => (&body[..dot], &body[dot + 1..]),
            None => (body, ""),
        };
        let digits = |t: &str| t.bytes().all(|c| c.is_ascii_digit());
        if int.is_empty() || (frac.is_empty() && int.len() < body.len()) || !digits(int) || !digits(frac) {
            return Err(AreaError::Malformed);
        }
        let significant = int.trim_start_matches('0');
        let (kept, beyond) = frac.split_at(frac.len().min(MAX_AREA_SCALE as usize));
        if negative && !(significant.is_empty() && frac.bytes().all(|c| c == b'0')) {
            return Err(AreaError::Negative);
        }
        if significant.len() > MAX_AREA_INTEGER_DIGITS {
            return Err(AreaError::TooLarge);
        }
        if beyond.bytes().any(|c| c != b'0') {
            return Err(AreaError::TooPrecise);
        }
        let value = |t: &str| t.bytes().fold(0u64, |v, c| v * 10 + u64::from(c - b'0'));
        let frac = value(kept) * 10u64.pow(MAX_AREA_SCALE - kept.len() as u32);
        Ok(Area(value(significant) * AREA_SCALE_FACTOR + frac))
    }
}

/// The common shape of a registry area, read in one pass: 1 to 9 digits,
/// then optionally a point and 1 to 4 digits (`89.5`, `120`, `0.0001`).
/// `None` for anything else, which the full parser then reads (or refuses
/// with its reason), so what is accepted does not change.
fn registry_area(b: &[u8]) -> Option<Area> {
    let mut value = 0u64;
    let mut i = 0;
    while let Some(d) = b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|&d| d <= 9) {
        if i == MAX_AREA_INTEGER_DIGITS {
            return None;
        }
        value = value * 10 + u64::from(d);
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let mut scale = AREA_SCALE_FACTOR;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while let Some(d) = b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|&d| d <= 9) {
            if i - start == MAX_AREA_SCALE as usize {
                return None;
            }
            value = value * 10 + u64::from(d);
            scale /= 10;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    (i == b.len()).then_some(Area(value * scale))
}

/// `digits` or `digits.digits`, ASCII only.
fn is_plain_decimal(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let int = self.0 / AREA_SCALE_FACTOR;
        let frac = self.0 % AREA_SCALE_FACTOR;
        if frac == 0 {
            write!(f, "{int}")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{int}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// Written as canonical decimal text.
impl ToJson for Area {
    fn to_json(&self, out: &mut Writer) {
        out.string(&self.to_string());
    }
}

/// Read from decimal text (or a JSON integer).
impl FromJson for Area {
    fn from_json(value: Value<'_>) -> Result<Area, json::Error> {
        DecimalText::from_json(value)?
            .to_area()
            .map_err(|e| value.error(e.to_string()))
    }
}

/// A decimal as it arrives in input: the text of a string or integer, or a
/// number with a fraction or exponent (kept as written, only to be rejected
/// with a clear reason).
#[derive(Debug, Clone, PartialEq)]
pub enum DecimalText {
    /// A string, or the digits of a JSON integer.
    Text(String),
    /// A JSON number with a fraction or exponent, as written (`89.5`).
    Float(String),
}

impl DecimalText {
    /// Parses as an area.
    pub fn to_area(&self) -> Result<Area, AreaError> {
        match self {
            DecimalText::Text(t) => t.parse(),
            DecimalText::Float(_) => Err(AreaError::Float),
        }
    }

    /// The value as given, for error messages.
    pub fn as_given(&self) -> String {
        match self {
            DecimalText::Text(t) | DecimalText::Float(t) => t.clone(),
        }
    }
}

/// A decimal cell of a column as given, borrowed (what bindings pass from
/// data frames): text, or a float (kept only to be rejected).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DecimalCell<'a> {
    /// Text.
    Text(&'a str),
    /// A floating-point number.
    Float(f64),
}

impl DecimalCell<'_> {
    /// Parses the cell as an area; a float is refused (it cannot carry a
    /// registry area exactly).
    pub fn to_area(self) -> Result<Area, AreaError> {
        match self {
            DecimalCell::Text(t) => t.parse(),
            DecimalCell::Float(_) => Err(AreaError::Float),
        }
    }

    /// The value as given, for error messages.
    pub fn as_given(self) -> String {
        match self {
            DecimalCell::Text(t) => t.to_owned(),
            DecimalCell::Float(f) => f.to_string(),
        }
    }
}

/// Read from a string or a JSON number, exactly as written.
impl FromJson for DecimalText {
    fn from_json(value: Value<'_>) -> Result<DecimalText, json::Error> {
        match value.number() {
            Some((text, true)) => Ok(DecimalText::Text(text.to_owned())),
            Some((text, false)) => Ok(DecimalText::Float(text.to_owned())),
            None => match value.str() {
                Ok(text) => Ok(DecimalText::Text(text.into_owned())),
                Err(_) => Err(value.invalid_type("a decimal string such as \"89.5\"")),
            },
        }
    }
}

/// Written as it was given: a string, or a number.
impl ToJson for DecimalText {
    fn to_json(&self, out: &mut Writer) {
        match self {
            DecimalText::Text(t) => out.string(t),
            DecimalText::Float(f) => out.raw(f),
        }
    }
}

/// Money in whole fen (0.01 yuan): exact, non-negative, printed in yuan in
/// canonical form (`"10000"`, `"3333.34"`).
///
/// ```
/// use yeweihui::quantity::Money;
/// let m: Money = "3333.30".parse()?;
/// assert_eq!((m.fen(), m.to_string().as_str()), (333_330, "3333.3"));
/// assert!("0.001".parse::<Money>().is_err());
/// # Ok::<(), yeweihui::quantity::MoneyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(u64);

/// Why a text is not a valid [`Money`] amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// A negative amount.
    #[error("an amount cannot be negative")]
    Negative,
    /// Not a plain decimal number.
    #[error("not a plain decimal number (digits, optionally a point and up to 2 decimals)")]
    Malformed,
    /// Finer than one fen.
    #[error("more than 2 decimal places (finer than one fen)")]
    TooPrecise,
    /// Absurdly large.
    #[error("larger than 999999999999999 yuan")]
    TooLarge,
    /// A floating-point number.
    #[error("a floating-point number cannot carry money exactly; give it as a decimal string")]
    Float,
}

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// An amount in whole fen.
    pub const fn from_fen(fen: u64) -> Money {
        Money(fen)
    }

    /// The amount in whole fen.
    pub const fn fen(self) -> u64 {
        self.0
    }

    /// Parses money as given in input (text, integer; floats rejected).
    pub fn from_text(t: &DecimalText) -> Result<Money, MoneyError> {
        match t {
            DecimalText::Text(s) => s.parse(),
            DecimalText::Float(_) => Err(MoneyError::Float),
        }
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Money, MoneyError> {
        if let Some(rest) = s.strip_prefix('-') {
            if !is_plain_decimal(rest) {
                return Err(MoneyError::Malformed);
            }
            if rest.bytes().any(|b| matches!(b, b'1'..=b'9')) {
                return Err(MoneyError::Negative);
            }
            return Ok(Money(0));
        }
        if !is_plain_decimal(s) {
            return Err(MoneyError::Malformed);
        }
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let int = int.trim_start_matches('0');
        if int.len() > 15 {
            return Err(MoneyError::TooLarge);
        }
        if frac.len() > 2 && frac[2..].bytes().any(|b| b != b'0') {
            return Err(MoneyError::TooPrecise);
        }
        let mut yuan: u64 = 0;
        for b in int.bytes() {
            yuan = yuan * 10 + u64::from(b - b'0');
        }
        let digit = |i: usize| frac.as_bytes().get(i).map_or(0, |b| u64::from(b - b'0'));
        Ok(Money(yuan * 100 + digit(0) * 10 + digit(1)))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (yuan, fen) = (self.0 / 100, self.0 % 100);
        match fen {
            0 => write!(f, "{yuan}"),
            _ if fen % 10 == 0 => write!(f, "{yuan}.{}", fen / 10),
            _ => write!(f, "{yuan}.{fen:02}"),
        }
    }
}

/// Written as canonical decimal text, in yuan.
impl ToJson for Money {
    fn to_json(&self, out: &mut Writer) {
        out.string(&self.to_string());
    }
}

/// Read from decimal text in yuan (or a JSON integer).
impl FromJson for Money {
    fn from_json(value: Value<'_>) -> Result<Money, json::Error> {
        Money::from_text(&DecimalText::from_json(value)?).map_err(|e| value.error(e.to_string()))
    }
}

/// An exact fraction `n/d` in lowest terms, `0 <= n <= d`, `d <= 1,000,000`.
///
/// ```
/// use yeweihui::Ratio;
/// let r: Ratio = "4/6".parse().unwrap();
/// assert_eq!(r.to_string(), "2/3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    n: u32,
    d: u32,
}

/// Why a text is not a valid [`Ratio`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatioError {
    /// Not `n/d` with decimal digits.
    #[error("a ratio is written n/d, e.g. \"2/3\"")]
    Malformed,
    /// Denominator zero, numerator above it, or denominator too large.
    #[error("a ratio needs 0 <= n <= d and 0 < d <= {MAX_RATIO_DENOMINATOR}")]
    OutOfRange,
}

impl Ratio {
    /// Builds `n/d` in lowest terms.
    pub fn new(n: u32, d: u32) -> Result<Ratio, RatioError> {
        if d == 0 || n > d || d > MAX_RATIO_DENOMINATOR {
            return Err(RatioError::OutOfRange);
        }
        let g = gcd(n, d);
        Ok(Ratio { n: n / g, d: d / g })
    }

    /// Numerator.
    pub const fn numer(self) -> u32 {
        self.n
    }

    /// Denominator.
    pub const fn denom(self) -> u32 {
        self.d
    }

    /// Compares two ratios exactly.
    pub fn cmp_value(self, other: Ratio) -> std::cmp::Ordering {
        (u64::from(self.n) * u64::from(other.d)).cmp(&(u64::from(other.n) * u64::from(self.d)))
    }
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl FromStr for Ratio {
    type Err = RatioError;
    fn from_str(s: &str) -> Result<Ratio, RatioError> {
        let (n, d) = s.split_once('/').ok_or(RatioError::Malformed)?;
        let num = |t: &str| -> Result<u32, RatioError> {
            if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(RatioError::Malformed);
            }
            t.parse().map_err(|_| RatioError::Malformed)
        };
        Ratio::new(num(n)?, num(d)?)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.n, self.d)
    }
}

/// Written as `"n/d"`.
impl ToJson for Ratio {
    fn to_json(&self, out: &mut Writer) {
        out.string(&self.to_string());
    }
}

/// Read from `"n/d"`.
impl FromJson for Ratio {
    fn from_json(value: Value<'_>) -> Result<Ratio, json::Error> {
        value.str()?.parse().map_err(|e: RatioError| value.error(e.to_string()))
    }
}

/// How a measured share is compared with a threshold (民法典 Art. 1259).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Comparator {
    /// 以上 / 不少于: the share equal to the ratio meets it (inclusive).
    AtLeast,
    /// 超过 / 过半数: the share must exceed the ratio (exclusive).
    MoreThan,
}

/// A legal threshold: an exact ratio in (0, 1) and its comparator.
///
/// Serialized as `{"at_least": "2/3"}` or `{"more_than": "1/2"}`.
///
/// ```
/// use yeweihui::{Comparator, Ratio, Threshold};
/// let half = Threshold::new(Comparator::MoreThan, Ratio::new(1, 2).unwrap()).unwrap();
/// assert!(!half.is_met(2, 4)); // exactly half is not 过半数
/// assert!(half.is_met(3, 4));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Threshold {
    comparator: Comparator,
    ratio: Ratio,
}

/// Why a threshold is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a threshold ratio must lie strictly between 0 and 1, got {0}")]
pub struct ThresholdError(pub Ratio);

impl Threshold {
    /// A threshold; the ratio must be strictly between 0 and 1.
    pub fn new(comparator: Comparator, ratio: Ratio) -> Result<Threshold, ThresholdError> {
        if ratio.n == 0 || ratio.n >= ratio.d {
            return Err(ThresholdError(ratio));
        }
        Ok(Threshold { comparator, ratio })
    }

    /// The comparator.
    pub const fn comparator(self) -> Comparator {
        self.comparator
    }

    /// The ratio.
    pub const fn ratio(self) -> Ratio {
        self.ratio
    }

    /// Whether `part` of `whole` meets the threshold. Nothing of an empty
    /// whole meets any threshold.
    pub fn is_met(self, part: u128, whole: u128) -> bool {
        if whole == 0 {
            return false;
        }
        let lhs = part.saturating_mul(u128::from(self.ratio.d));
        let rhs = whole.saturating_mul(u128::from(self.ratio.n));
        match self.comparator {
            Comparator::AtLeast => lhs >= rhs,
            Comparator::MoreThan => lhs > rhs,
        }
    }

    /// The least `x`, a multiple of `step`, such that `part + x` of a fixed
    /// `whole` meets the threshold (`0` when already met). `None` when no
    /// amount can (an empty whole).
    pub fn shortfall_fixed_base(self, part: u128, whole: u128, step: u128) -> Option<u128> {
        if whole == 0 {
            return None;
        }
        if self.is_met(part, whole) {
            return Some(0);
        }
        let (n, d) = (u128::from(self.ratio.n), u128::from(self.ratio.d));
        // need (part + x) * d  >= / >  whole * n
        let gap = whole * n - part * d; // > 0 here, since not met
        let x = match self.comparator {
            Comparator::AtLeast => gap.div_ceil(d),
            Comparator::MoreThan => gap / d + 1,
        };
        Some(round_up_to(x, step))
    }

    /// The least `x`, a multiple of `step`, such that `part + x` of
    /// `whole + x` meets the threshold: the added amount joins both the
    /// measured part and its base (agreeing votes from new participants).
    pub fn shortfall_growing_base(self, part: u128, whole: u128, step: u128) -> u128 {
        if self.is_met(part, whole) {
            return 0;
        }
        let (n, d) = (u128::from(self.ratio.n), u128::from(self.ratio.d));
        // need x (d - n) >= / > whole n - part d ; d > n by construction
        let need = (whole * n).saturating_sub(part * d);
        let x = match self.comparator {
            Comparator::AtLeast => need.div_ceil(d - n),
            Comparator::MoreThan => need / (d - n) + 1,
        };
        round_up_to(x.max(1), step)
    }

    /// Whether every share that meets `self` also meets `other`, i.e.
    /// `self` is at least as strict.
    pub fn is_at_least_as_strict_as(self, other: Threshold) -> bool {
        match self.ratio.cmp_value(other.ratio) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => {
                !(self.comparator == Comparator::AtLeast && other.comparator == Comparator::MoreThan)
            }
        }
    }
}

fn round_up_to(x: u128, step: u128) -> u128 {
    x.div_ceil(step) * step
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.comparator {
            Comparator::AtLeast => write!(f, "at least {}", self.ratio),
            Comparator::MoreThan => write!(f, "more than {}", self.ratio),
        }
    }
}

/// The names of the comparators, as the wire writes a threshold.
const COMPARATORS: [&str; 2] = ["at_least", "more_than"];

/// Written as `{"at_least": "2/3"}` or `{"more_than": "1/2"}`.
impl ToJson for Threshold {
    fn to_json(&self, out: &mut Writer) {
        let mut object = out.object();
        object.field(
            match self.comparator {
                Comparator::AtLeast => "\"at_least\":",
                Comparator::MoreThan => "\"more_than\":",
            },
            &self.ratio,
        );
        object.end();
    }
}

/// Read from `{"at_least": "2/3"}` or `{"more_than": "1/2"}`.
impl FromJson for Threshold {
    fn from_json(value: Value<'_>) -> Result<Threshold, json::Error> {
        let variant = value.variant(&COMPARATORS)?;
        let comparator = match variant.index() {
            0 => Comparator::AtLeast,
            _ => Comparator::MoreThan,
        };
        Threshold::new(comparator, variant.newtype()?).map_err(|e| value.error(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(c: Comparator, n: u32, d: u32) -> Threshold {
        Threshold::new(c, Ratio::new(n, d).unwrap()).unwrap()
    }

    #[test]
    fn area_parsing_is_strict_and_exact() {
        assert_eq!("89.5".parse::<Area>().unwrap().ten_thousandths(), 895_000);
        assert_eq!("0.0001".parse::<Area>().unwrap().ten_thousandths(), 1);
        assert_eq!("089.50000".parse::<Area>().unwrap().to_string(), "89.5");
        assert_eq!("120".parse::<Area>().unwrap().to_string(), "120");
        assert_eq!("-0".parse::<Area>().unwrap(), Area::ZERO);
        assert_eq!("-1.5".parse::<Area>(), Err(AreaError::Negative));
        assert_eq!("1.00001".parse::<Area>(), Err(AreaError::TooPrecise));
        assert_eq!("1000000000".parse::<Area>(), Err(AreaError::TooLarge));
        assert!("999999999.9999".parse::<Area>().is_ok());
        for bad in [
            "", ".", "1.", ".5", "1e3", "1,000", " 1", "1 ", "+1", "１２", "NaN", "--1",
        ] {
            assert_eq!(bad.parse::<Area>(), Err(AreaError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn area_decimal_round_trip() {
        let a = Area::from_decimal(Decimal::new(895, 1)).unwrap();
        assert_eq!(a.to_decimal().to_string(), "89.5");
        assert_eq!(Area::from_decimal(Decimal::new(-1, 2)), Err(AreaError::Negative));
        assert_eq!(Area::from_decimal(Decimal::new(1, 5)), Err(AreaError::TooPrecise));
        assert_eq!(Area::from_decimal(Decimal::new(10, 5)).unwrap().ten_thousandths(), 1);
    }

    #[test]
    fn two_decimal_display_rounds_up() {
        assert_eq!(Area(8_034_000).to_string_2dp_ceil(), "803.40");
        assert_eq!(Area(8_034_001).to_string_2dp_ceil(), "803.41");
        assert_eq!(Area(5).to_string_2dp_ceil(), "0.01");
    }

    #[test]
    fn money_is_exact_fen() {
        assert_eq!("10000".parse::<Money>().unwrap().fen(), 1_000_000);
        assert_eq!("0.05".parse::<Money>().unwrap().to_string(), "0.05");
        assert_eq!("12.50".parse::<Money>().unwrap().to_string(), "12.5");
        assert_eq!("1.000".parse::<Money>().unwrap().fen(), 100);
        assert_eq!("-0.00".parse::<Money>().unwrap(), Money::ZERO);
        assert_eq!("-1".parse::<Money>(), Err(MoneyError::Negative));
        assert_eq!("0.001".parse::<Money>(), Err(MoneyError::TooPrecise));
        assert_eq!("1e3".parse::<Money>(), Err(MoneyError::Malformed));
        assert_eq!("1000000000000000".parse::<Money>(), Err(MoneyError::TooLarge));
    }

    #[test]
    fn ratio_reduces_and_rejects() {
        assert_eq!("6/8".parse::<Ratio>().unwrap().to_string(), "3/4");
        assert!("1/0".parse::<Ratio>().is_err());
        assert!("3/2".parse::<Ratio>().is_err());
        assert!("a/2".parse::<Ratio>().is_err());
        assert!(Threshold::new(Comparator::AtLeast, Ratio::new(1, 1).unwrap()).is_err());
        assert!(Threshold::new(Comparator::AtLeast, Ratio::new(0, 1).unwrap()).is_err());
    }

    #[test]
    fn at_least_includes_the_number_more_than_excludes_it() {
        let two_thirds = t(Comparator::AtLeast, 2, 3);
        assert!(two_thirds.is_met(2, 3));
        assert!(!two_thirds.is_met(1_999_999, 3_000_000));
        let half = t(Comparator::MoreThan, 1, 2);
        assert!(!half.is_met(2, 4));
        assert!(half.is_met(3, 4));
        assert!(!half.is_met(0, 0));
    }

    #[test]
    fn shortfall_is_exact() {
        let two_thirds = t(Comparator::AtLeast, 2, 3);
        // 300.00 m² total, 199.99 present: 0.01 short
        assert_eq!(two_thirds.shortfall_fixed_base(1_999_900, 3_000_000, 100), Some(100));
        assert_eq!(two_thirds.shortfall_fixed_base(2_000_000, 3_000_000, 100), Some(0));
        assert_eq!(two_thirds.shortfall_fixed_base(3, 6, 1), Some(1));
        assert_eq!(two_thirds.shortfall_fixed_base(0, 0, 1), None);
        let half = t(Comparator::MoreThan, 1, 2);
        // 2 of 4 agree: one more agreeing participant makes 3 of 5
        assert_eq!(half.shortfall_growing_base(2, 4, 1), 1);
        // nobody participating: one agreeing owner is enough
        assert_eq!(half.shortfall_growing_base(0, 0, 1), 1);
        let three_quarters = t(Comparator::AtLeast, 3, 4);
        // 2 of 4 agree: need x with (2+x)*4 >= (4+x)*3 -> x >= 4
        assert_eq!(three_quarters.shortfall_growing_base(2, 4, 1), 4);
    }

    #[test]
    fn strictness_order() {
        let half_more = t(Comparator::MoreThan, 1, 2);
        let half_least = t(Comparator::AtLeast, 1, 2);
        let two_thirds = t(Comparator::AtLeast, 2, 3);
        assert!(two_thirds.is_at_least_as_strict_as(half_more));
        assert!(half_more.is_at_least_as_strict_as(half_least));
        assert!(!half_least.is_at_least_as_strict_as(half_more));
        assert!(!half_more.is_at_least_as_strict_as(two_thirds));
    }

    #[test]
    fn threshold_json_shape() {
        let th = t(Comparator::AtLeast, 2, 3);
        assert_eq!(json::to_string(&th), r#"{"at_least":"2/3"}"#);
        let back: Threshold = json::from_str(r#"{"more_than":"1/2"}"#).unwrap();
        assert_eq!(back, t(Comparator::MoreThan, 1, 2));
        let e = json::from_str::<Threshold>(r#"{"more_than":"2/2"}"#).unwrap_err();
        assert!(e.message().contains("strictly between 0 and 1"), "{e}");
        assert!(json::from_str::<Threshold>(r#"{"most":"1/2"}"#).is_err());
    }
}
