//! # yeweihui (业委会)
//!
//! An exact, cited rules engine for homeowners' assemblies (业主大会) and
//! owners' committees (业主委员会) in mainland China.
//!
//! Give it an estate's register of units and the ballots of a vote; it
//! decides whether the resolution passed under the law in force on the day
//! (民法典 Art. 278 from 2021-01-01, 物权法 Art. 76 before), shows each check
//! with its figures, threshold and citation, says how far a failed check was
//! from passing, and accounts for every ballot.
//!
//! ```
//! use yeweihui::{tally, Matter, Rulebook};
//! use yeweihui::ballot::{Ballot, Choice};
//! use yeweihui::calendar::parse_date;
//! use yeweihui::explain::Lang;
//! use yeweihui::register::{Register, Scope};
//! use yeweihui::tally::Motion;
//!
//! let register = Register::from_json(r#"{"units": [
//!   {"id": "3-101", "building": "3", "area": "89.5",  "owner": "o-17"},
//!   {"id": "3-102", "building": "3", "area": "120.05", "owner": "o-18"},
//!   {"id": "3-201", "building": "3", "area": "89.5",  "owner": "o-19"},
//!   {"id": "5-101", "building": "5", "area": "140",   "owner": "o-20"}
//! ]}"#)?;
//! let motion = Motion::new(Matter::UseMaintenanceFund, parse_date("decided_on", "2026-03-01")?)
//!     .with_scope(Scope::Buildings(vec!["3".into()]));
//! let ballots = [
//!     Ballot::new("3-101", Choice::Agree),
//!     Ballot::new("3-102", Choice::Agree),
//!     Ballot::new("5-101", Choice::Against), // outside the scope: rejected, not lost
//! ];
//! let outcome = tally(Rulebook::preset("cn-national")?, &register, &motion, &ballots)?;
//! assert!(outcome.passed);
//! assert_eq!(outcome.ballots.rejected, 1);
//! println!("{}", outcome.explain(Lang::Zh));
//! # Ok::<(), yeweihui::Error>(())
//! ```
//!
//! The same engine is reachable as JSON through [`wire::run`], which the
//! Python and JavaScript packages call, so every surface gives the same
//! answer byte for byte.
//!
//! Modules, one per legal concept: [`quantity`] (exact areas, money,
//! thresholds), [`register`] (units, owners, scopes), [`ballot`],
//! [`matter`], [`rulebook`] (the law as data, in layers), [`tally`](mod@tally),
//! [`explain`], [`calendar`] (holidays and legal periods), [`assembly`]
//! (notice, requisition), [`committee`] (meetings, elections, terms,
//! vacancies, offices), [`funds`] (routing, approval, cost sharing, public
//! revenue), [`disclosure`] (what is published, when), [`csv`], [`wire`]
//! (the JSON operations every surface shares), [`json`] (the wire form of
//! every type), [`error`], [`limits`].

#![forbid(unsafe_code)]
// No `unwrap`, `expect` or `panic!` in library code (a bad input is an error); tests may.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
// Exact arithmetic: no decision, nor anything else, is computed in floats.
#![cfg_attr(not(test), deny(clippy::float_arithmetic))]
#![warn(missing_docs)]

// The JSON derives name this crate `::yeweihui`, inside it as outside.
extern crate self as yeweihui;

pub mod assembly;
pub mod ballot;
pub mod calendar;
pub mod committee;
pub mod csv;
pub mod disclosure;
pub mod error;
pub mod explain;
pub mod funds;
pub mod json;
mod keyed;
pub mod limits;
pub mod matter;
mod parallel;
pub mod quantity;
pub mod register;
pub mod rulebook;
pub mod tally;
pub mod wire;

pub use error::{Error, ErrorCode, Result};
pub use matter::Matter;
pub use quantity::{Area, Comparator, Ratio, Threshold};
pub use rulebook::Rulebook;
pub use tally::{tally, Outcome};
