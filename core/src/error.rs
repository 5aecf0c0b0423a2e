//! The one error type of the library and its stable codes.
//!
//! Every failure of an operation is an [`Error`]; [`Error::code`] gives its
//! stable snake_case [`ErrorCode`], the same string that Python exceptions
//! (`.code`) and JavaScript errors (`.code`) carry. Messages name the
//! offending record (unit id, ballot index, field, value).
//!
//! Problems with one ballot are not errors: the tally still runs and the
//! ballot comes out rejected with a [`crate::ballot::RejectionCode`].

use std::fmt;

/// Result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable error codes. The string form ([`ErrorCode::as_str`]) never changes
/// once published; new codes may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Malformed JSON, a wrong type, a missing or unknown field.
    InvalidInput,
    /// The wire operation name is not known.
    UnknownOperation,
    /// The rulebook id (or the id a rulebook `extends`) is not a known preset.
    UnknownRulebook,
    /// A rulebook is malformed (bad threshold, overlapping versions, ...).
    InvalidRulebook,
    /// An estate or local rulebook sets something looser than the law it extends.
    RulebookViolatesLaw,
    /// The matter is not one of the known matters.
    UnknownMatter,
    /// No version of the rulebook covers the date, or it has no rule for the matter.
    NoLawInForce,
    /// A voting policy the rulebook in force does not allow.
    PolicyNotAllowed,
    /// An area that is negative, malformed, too precise or too large.
    InvalidArea,
    /// A money amount that is negative, malformed, or finer than one fen.
    InvalidAmount,
    /// Two units in the register share an id.
    DuplicateUnit,
    /// A scope names a building or unit that the register lacks.
    UnknownScope,
    /// A scope (or register) with no units, or no area to share.
    EmptyScope,
    /// A date or instant that is malformed or does not exist.
    InvalidDate,
    /// A date outside the years the holiday calendar covers.
    CalendarYearNotCovered,
    /// An input larger than the documented limits.
    LimitExceeded,
}

impl ErrorCode {
    /// Every code, in catalogue order.
    pub const ALL: [ErrorCode; 16] = [
        ErrorCode::InvalidInput,
        ErrorCode::UnknownOperation,
        ErrorCode::UnknownRulebook,
        ErrorCode::InvalidRulebook,
        ErrorCode::RulebookViolatesLaw,
        ErrorCode::UnknownMatter,
        ErrorCode::NoLawInForce,
        ErrorCode::PolicyNotAllowed,
        ErrorCode::InvalidArea,
        ErrorCode::InvalidAmount,
        ErrorCode::DuplicateUnit,
        ErrorCode::UnknownScope,
        ErrorCode::EmptyScope,
        ErrorCode::InvalidDate,
        ErrorCode::CalendarYearNotCovered,
        ErrorCode::LimitExceeded,
    ];

    /// The stable snake_case string of the code.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::UnknownOperation => "unknown_operation",
            ErrorCode::UnknownRulebook => "unknown_rulebook",
            ErrorCode::InvalidRulebook => "invalid_rulebook",
            ErrorCode::RulebookViolatesLaw => "rulebook_violates_law",
            ErrorCode::UnknownMatter => "unknown_matter",
            ErrorCode::NoLawInForce => "no_law_in_force",
            ErrorCode::PolicyNotAllowed => "policy_not_allowed",
            ErrorCode::InvalidArea => "invalid_area",
            ErrorCode::InvalidAmount => "invalid_amount",
            ErrorCode::DuplicateUnit => "duplicate_unit",
            ErrorCode::UnknownScope => "unknown_scope",
            ErrorCode::EmptyScope => "empty_scope",
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::CalendarYearNotCovered => "calendar_year_not_covered",
            ErrorCode::LimitExceeded => "limit_exceeded",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every way an operation can fail. Each variant names the record at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Malformed input; `path` locates it (e.g. `register.units[3].status`).
    #[error("invalid input at {path}: {detail}")]
    InvalidInput {
        /// Where in the input (a JSON path, or a record name).
        path: String,
        /// What is wrong.
        detail: String,
    },
    /// Unknown wire operation.
    #[error("unknown operation {0:?}")]
    UnknownOperation(String),
    /// Unknown rulebook preset.
    #[error("unknown rulebook {0:?}")]
    UnknownRulebook(String),
    /// A malformed rulebook.
    #[error("invalid rulebook {rulebook:?}: {detail}")]
    InvalidRulebook {
        /// The rulebook's id.
        rulebook: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A rulebook layer sets a rule looser than the law it extends.
    #[error("rulebook {rulebook:?} sets {rule} to {value}, looser than {allowed} required by {citation}")]
    RulebookViolatesLaw {
        /// The offending rulebook's id.
        rulebook: String,
        /// The rule (e.g. `use_maintenance_fund.approval.area`).
        rule: String,
        /// The value it sets.
        value: String,
        /// What the law allows at the loosest.
        allowed: String,
        /// The citation of the limit.
        citation: String,
    },
    /// Unknown matter.
    #[error("unknown matter {0:?}")]
    UnknownMatter(String),
    /// No rule in force.
    #[error("rulebook {rulebook:?} has no {what} in force on {date}")]
    NoLawInForce {
        /// The rulebook asked.
        rulebook: String,
        /// The date asked.
        date: String,
        /// What is missing (a version, or the rule for a matter).
        what: String,
    },
    /// A voting policy that the rulebook does not allow.
    #[error("{policy} {value:?} is not allowed by rulebook {rulebook:?} (allowed: {allowed})")]
    PolicyNotAllowed {
        /// The policy (e.g. `voting.non_response`).
        policy: String,
        /// The value asked for.
        value: String,
        /// The rulebook in force.
        rulebook: String,
        /// The values it allows.
        allowed: String,
    },
    /// A bad area.
    #[error("invalid area {value:?} for {record}: {reason}")]
    InvalidArea {
        /// The record (e.g. `unit "3-101"`).
        record: String,
        /// The value as given.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// A bad money amount.
    #[error("invalid amount {value:?} for {record}: {reason}")]
    InvalidAmount {
        /// The record (e.g. `amount`, `balances["3-101"]`).
        record: String,
        /// The value as given.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// Two units with the same id.
    #[error("duplicate unit id {unit:?} (register.units[{first}] and register.units[{second}])")]
    DuplicateUnit {
        /// The repeated id.
        unit: String,
        /// Position (0-based) of the first occurrence.
        first: usize,
        /// Position (0-based) of the repeat.
        second: usize,
    },
    /// A scope naming something the register lacks.
    #[error("scope names {kind} {id:?}, which the register does not have")]
    UnknownScope {
        /// `building` or `unit`.
        kind: &'static str,
        /// The id named.
        id: String,
    },
    /// An empty scope.
    #[error("empty scope: {0}")]
    EmptyScope(String),
    /// A bad date or instant.
    #[error("invalid date {value:?} in {field}: {reason}")]
    InvalidDate {
        /// The field (e.g. `decided_on`, `ballots[4].cast_at`).
        field: String,
        /// The value as given.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// A year the holiday calendar does not cover.
    #[error("the holiday calendar does not cover {year} (covered: {covered})")]
    CalendarYearNotCovered {
        /// The year asked.
        year: i32,
        /// The years covered, e.g. `2020-2026`.
        covered: String,
    },
    /// An input over a documented limit.
    #[error("limit exceeded: {what} is {actual}, the limit is {limit}")]
    LimitExceeded {
        /// Which limit (see [`crate::limits`]).
        what: String,
        /// The limit.
        limit: u64,
        /// The actual size.
        actual: u64,
    },
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::UnknownOperation(_) => ErrorCode::UnknownOperation,
            Error::UnknownRulebook(_) => ErrorCode::UnknownRulebook,
            Error::InvalidRulebook { .. } => ErrorCode::InvalidRulebook,
            Error::RulebookViolatesLaw { .. } => ErrorCode::RulebookViolatesLaw,
            Error::UnknownMatter(_) => ErrorCode::UnknownMatter,
            Error::NoLawInForce { .. } => ErrorCode::NoLawInForce,
            Error::PolicyNotAllowed { .. } => ErrorCode::PolicyNotAllowed,
            Error::InvalidArea { .. } => ErrorCode::InvalidArea,
            Error::InvalidAmount { .. } => ErrorCode::InvalidAmount,
            Error::DuplicateUnit { .. } => ErrorCode::DuplicateUnit,
            Error::UnknownScope { .. } => ErrorCode::UnknownScope,
            Error::EmptyScope(_) => ErrorCode::EmptyScope,
            Error::InvalidDate { .. } => ErrorCode::InvalidDate,
            Error::CalendarYearNotCovered { .. } => ErrorCode::CalendarYearNotCovered,
            Error::LimitExceeded { .. } => ErrorCode::LimitExceeded,
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid_input(path: impl Into<String>, detail: impl Into<String>) -> Error {
        Error::InvalidInput {
            path: path.into(),
            detail: detail.into(),
        }
    }

    /// Shorthand for [`Error::LimitExceeded`].
    pub fn limit(what: impl Into<String>, limit: usize, actual: usize) -> Error {
        Error::LimitExceeded {
            what: what.into(),
            limit: limit as u64,
            actual: actual as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{s}");
            assert!(seen.insert(s), "duplicate code {s}");
        }
    }

    #[test]
    fn message_names_the_record() {
        let e = Error::DuplicateUnit {
            unit: "3-101".into(),
            first: 0,
            second: 7,
        };
        assert_eq!(e.code().as_str(), "duplicate_unit");
        assert!(e.to_string().contains("3-101"));
    }
}
