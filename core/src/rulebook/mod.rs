//! Rulebooks: the legal numbers as data, each with its citation, in versions
//! by effective date, layered by `extends` (national law → local regulation
//! → an estate's own 议事规则 / 管理规约).
//!
//! The engine holds mechanisms only; every threshold it applies comes from
//! the [`RulesInForce`] of a rulebook on the date of the decision. Asking for
//! a date no version covers is the error `no_law_in_force`, never a guess.
//!
//! ```
//! use yeweihui::{Matter, Rulebook};
//! use yeweihui::calendar::parse_date;
//! let national = Rulebook::preset("cn-national")?;
//! let before = national.in_force(parse_date("d", "2020-12-31")?)?;
//! let after = national.in_force(parse_date("d", "2021-01-01")?)?;
//! assert_eq!(before.layers()[0].version, "property-law-2007");
//! assert!(before.requirement(Matter::Rebuild)?.participation.is_none());
//! assert!(after.requirement(Matter::Rebuild)?.participation.is_some());
//! # Ok::<(), yeweihui::Error>(())
//! ```

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::ballot::NON_RESPONSE_IGNORE;
use crate::calendar::{format_date, Date};
use crate::error::{Error, Result};
use crate::explain::count_en;
use crate::json::{FromJson, ToJson};
use crate::limits::{MAX_ID_BYTES, MAX_RULEBOOK_DEPTH, MAX_RULEBOOK_VERSIONS};
use crate::matter::Matter;
use crate::quantity::{Area, Threshold};

mod listing;
mod toml_text;
pub use listing::RuleInForce;

/// A text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Text {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// A citation of the law, article and paragraph, in Chinese and English.
pub type Citation = Text;

/// What the approval shares are measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum ApprovalBase {
    /// The owners and area taking part in the vote (民法典 Art. 278 ¶2).
    Participating,
    /// All owners and area in scope (物权法 Art. 76 ¶2).
    Total,
}

/// The participation test: shares of the scope's totals that must take part.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Participation {
    /// Share of the scope's area.
    pub area: Threshold,
    /// Share of the scope's owners (headcount).
    pub owners: Threshold,
    /// Where the law says so.
    pub citation: Citation,
}

/// The approval test: shares that must agree.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Approval {
    /// What the shares are measured against.
    pub base: ApprovalBase,
    /// Share of the base's area.
    pub area: Threshold,
    /// Share of the base's owners.
    pub owners: Threshold,
    /// Where the law says so.
    pub citation: Citation,
}

/// What a resolution on one matter needs.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Requirement {
    /// The participation test, if the law has one.
    #[json(default, skip_if = "Option::is_none")]
    pub participation: Option<Participation>,
    /// The approval test.
    pub approval: Approval,
}

/// Voting policies the rules allow.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct VotingRules {
    /// Allowed treatments of owners who do not vote (`ignore`).
    pub non_response: Vec<String>,
    /// Where the rules say so.
    pub citation: Citation,
}

/// A number of days with its citation.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct DaysRule {
    /// The number of days.
    pub days: u32,
    /// Where the rules say so.
    pub citation: Citation,
}

/// The owners' share that can requisition an extraordinary assembly meeting.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct RequisitionRule {
    /// Share of the owners (headcount) proposing.
    pub owners: Threshold,
    /// Where the rules say so.
    pub citation: Citation,
}

/// Assembly procedure: notice and requisition.
#[derive(Debug, Clone, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Procedure {
    /// Owners are notified at least this many days before a meeting.
    #[json(default, skip_if = "Option::is_none")]
    pub assembly_notice: Option<DaysRule>,
    /// Owners' requisition of an extraordinary meeting.
    #[json(default, skip_if = "Option::is_none")]
    pub requisition: Option<RequisitionRule>,
}

/// When a disclosure obligation falls due.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// After an event: within `days` (a legal period), or promptly when the
    /// rules fix no period.
    After {
        /// The event kind, e.g. `committee_decision`.
        event: String,
        /// Days after the event (the event day not counted).
        #[json(default, skip_if = "Option::is_none")]
        days: Option<u32>,
    },
    /// At least `days` before an event (e.g. a meeting's agenda).
    Before {
        /// The event kind, e.g. `committee_meeting`.
        event: String,
        /// Days before the event.
        days: u32,
    },
    /// Every `months` months (periods aligned to the calendar year), within
    /// `within_days` after each period ends; `months` absent when the rules
    /// in force say only "regularly" and leave the frequency to local or
    /// estate rules.
    Every {
        /// Length of a period in months (1, 2, 3, 4, 6 or 12).
        #[json(default, skip_if = "Option::is_none")]
        months: Option<u32>,
        /// Days after the period ends.
        #[json(default)]
        within_days: u32,
    },
}

/// Something the owners' committee must publish, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Obligation {
    /// Stable id, e.g. `committee_decision`.
    pub id: String,
    /// What is published.
    pub name: Text,
    /// When it falls due.
    pub trigger: Trigger,
    /// The least number of days it must stay posted, where the rules give one.
    #[json(default, skip_if = "Option::is_none")]
    pub posted_for_days: Option<u32>,
    /// Where the rules say so.
    pub citation: Citation,
}

/// A threshold with its citation.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct ThresholdRule {
    /// The threshold.
    pub threshold: Threshold,
    /// Where the rules say so.
    pub citation: Citation,
}

/// The committee's size (指导规则 Art. 31: 5 to 11, an odd number; local
/// regulations may leave the maximum open and allow small estates fewer).
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct SizeRule {
    /// Fewest members.
    pub min: u32,
    /// Most members; absent when the rules set no maximum.
    #[json(default, skip_if = "Option::is_none")]
    pub max: Option<u32>,
    /// Whether the number must be odd.
    pub odd: bool,
    /// A smaller minimum for small estates.
    #[json(default, skip_if = "Option::is_none")]
    pub small_estate: Option<SmallEstate>,
    /// Where the rules say so.
    pub citation: Citation,
}

/// A smaller committee allowed in a small estate, e.g. 3 members where the
/// estate has at most 100 households (北京市物业管理条例 Art. 39) or at most
/// 10,000 m² (上海市住宅物业管理规定 Art. 20). Households are counted as the
/// register's units, area as the register's total area.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct SmallEstate {
    /// At most this many households (units in the register).
    #[json(default, skip_if = "Option::is_none")]
    pub households_at_most: Option<u32>,
    /// At most this much area (the register's total).
    #[json(default, skip_if = "Option::is_none")]
    pub area_at_most: Option<Area>,
    /// The fewest members such an estate may elect.
    pub min: u32,
}

impl SizeRule {
    /// The fewest members for an estate of `households` units and `area`.
    pub fn min_for(&self, households: usize, area: Area) -> u32 {
        match &self.small_estate {
            Some(s)
                if s.households_at_most.is_none_or(|h| households <= h as usize)
                    && s.area_at_most.is_none_or(|a| area <= a) =>
            {
                s.min
            }
            _ => self.min,
        }
    }

    /// Whether `seats` is allowed for an estate of `households` units and `area`.
    pub fn allows(&self, seats: u32, households: usize, area: Area) -> bool {
        seats >= self.min_for(households, area) && self.max.is_none_or(|m| seats <= m) && (!self.odd || seats % 2 == 1)
    }

    /// The rule in words, e.g. `5 to 11 members, an odd number` (and in Chinese).
    pub(crate) fn describe(&self) -> Text {
        let (mut zh, mut en) = match self.max {
            Some(max) => (
                format!("{}至{max}人", self.min),
                format!("{} to {max} members", self.min),
            ),
            None => (format!("{}人以上", self.min), format!("{} or more members", self.min)),
        };
        if self.odd {
            zh.push_str("的单数");
            en.push_str(", an odd number");
        }
        if let Some(s) = &self.small_estate {
            let (mut limits_zh, mut limits_en) = (Vec::new(), Vec::new());
            if let Some(h) = s.households_at_most {
                limits_zh.push(format!("户数 {h} 户以下"));
                limits_en.push(format!("at most {h} households"));
            }
            if let Some(a) = s.area_at_most {
                limits_zh.push(format!("总面积 {a} m² 以下"));
                limits_en.push(format!("at most {a} m²"));
            }
            zh.push_str(&format!("；{}的物业管理区域可以为{}人", limits_zh.join("且"), s.min));
            en.push_str(&format!("; {} in an estate of {}", s.min, limits_en.join(" and ")));
        }
        Text { zh, en }
    }

    /// Whether every size this rule allows is also allowed by `parent`.
    fn within(&self, parent: &SizeRule) -> bool {
        let small_ok = match (&self.small_estate, &parent.small_estate) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(c), Some(p)) => {
                c.min >= p.min
                    && (p.households_at_most.is_none()
                        || c.households_at_most.is_some_and(|h| Some(h) <= p.households_at_most))
                    && (p.area_at_most.is_none() || c.area_at_most.is_some_and(|a| Some(a) <= p.area_at_most))
            }
        };
        self.min >= parent.min
            && parent.max.is_none_or(|pm| self.max.is_some_and(|m| m <= pm))
            && (self.odd || !parent.odd)
            && small_ok
    }
}

/// The number of consecutive terms a member may serve.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct TermLimitRule {
    /// Most consecutive terms.
    pub consecutive_terms: u32,
    /// Where the rules say so.
    pub citation: Citation,
}

/// A number of months with its citation.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct MonthsRule {
    /// The number of months.
    pub months: u32,
    /// Where the rules say so.
    pub citation: Citation,
}

/// Something that disqualifies a candidate (e.g. fee arrears), as a flag
/// the candidate record carries.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Disqualification {
    /// The flag, e.g. `fee_arrears`.
    pub flag: String,
    /// What it means.
    pub name: Text,
    /// Where the rules say so.
    pub citation: Citation,
}

/// The owners' committee: composition, terms, meetings (指导规则 Arts.
/// 31–39; local and estate rules add term limits, the 换届 timeline,
/// handover, disqualifications). Each field is optional so that a layer
/// sets only what it changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct CommitteeRules {
    /// Members present, of all members, for a valid meeting.
    #[json(default, skip_if = "Option::is_none")]
    pub meeting_quorum: Option<ThresholdRule>,
    /// Members agreeing, of all members (not only those present), for a decision.
    #[json(default, skip_if = "Option::is_none")]
    pub decision: Option<ThresholdRule>,
    /// The meeting's content and agenda are published at least this many days before.
    #[json(default, skip_if = "Option::is_none")]
    pub meeting_notice: Option<DaysRule>,
    /// The committee's size.
    #[json(default, skip_if = "Option::is_none")]
    pub size: Option<SizeRule>,
    /// The length of a term, in years (national law: at most 5).
    #[json(default, skip_if = "Option::is_none")]
    pub term_years: Option<YearsRule>,
    /// The first meeting is held within this many days of the election.
    #[json(default, skip_if = "Option::is_none")]
    pub first_meeting: Option<DaysRule>,
    /// The election is filed with the authorities within this many days.
    #[json(default, skip_if = "Option::is_none")]
    pub filing: Option<DaysRule>,
    /// Most consecutive terms, where local or estate rules set a limit.
    #[json(default, skip_if = "Option::is_none")]
    pub term_limit: Option<TermLimitRule>,
    /// The next election starts at least this long before the term ends.
    #[json(default, skip_if = "Option::is_none")]
    pub re_election: Option<MonthsRule>,
    /// Records are handed over within this many days after the term ends.
    #[json(default, skip_if = "Option::is_none")]
    pub handover: Option<DaysRule>,
    /// What disqualifies a candidate.
    #[json(default, skip_if = "Vec::is_empty")]
    pub disqualifications: Vec<Disqualification>,
    /// Who may propose removing a member (local or estate rules).
    #[json(default, skip_if = "Option::is_none")]
    pub removal: Option<RemovalRule>,
    /// The share of seats that must stay filled before a by-election is
    /// required (besides the legal minimum size).
    #[json(default, skip_if = "Option::is_none")]
    pub min_in_office: Option<ThresholdRule>,
    /// How a tie for the last place of an election is resolved (default: a run-off).
    #[json(default, skip_if = "Option::is_none")]
    pub tie: Option<TieRule>,
}

/// How a tie for the last place of an election is resolved.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct TieRule {
    /// The method.
    pub method: TieMethod,
    /// Where the rules say so.
    pub citation: Citation,
}

/// Methods of resolving a tie; the library reports the tie and the method,
/// it never picks a winner itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum TieMethod {
    /// A further vote among the tied candidates.
    RunOff,
    /// Drawing lots (抽签) in public.
    Lot,
}

/// The proposal needed to put a member's removal to the assembly: a share
/// of the members, or of the owners, or either.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct RemovalRule {
    /// Share of the committee's members proposing.
    #[json(default, skip_if = "Option::is_none")]
    pub members: Option<Threshold>,
    /// Share of the owners proposing.
    #[json(default, skip_if = "Option::is_none")]
    pub owners: Option<Threshold>,
    /// Where the rules say so.
    pub citation: Citation,
}

/// A number of years with its citation.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct YearsRule {
    /// The number of years (for a term: its length, and the most a layer
    /// above may set).
    pub years: u32,
    /// The fewest years a layer above may set (e.g. a term of 3 to 5 years).
    #[json(default, skip_if = "Option::is_none")]
    pub min_years: Option<u32>,
    /// Where the rules say so.
    pub citation: Citation,
}

/// Which fund a spending request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Fund {
    /// The special maintenance fund (专项维修资金).
    MaintenanceFund,
    /// Income from common parts (公共收益, 民法典 Art. 282).
    PublicRevenue,
    /// The assembly's and committee's working budget (工作经费).
    WorkingBudget,
}

impl Fund {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Fund::MaintenanceFund => "maintenance_fund",
            Fund::PublicRevenue => "public_revenue",
            Fund::WorkingBudget => "working_budget",
        }
    }
}

/// Whether a request spends a fund or raises (tops up) it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum FundAction {
    /// Spend from the fund.
    #[default]
    Use,
    /// Raise or top up the fund.
    Raise,
}

impl FundAction {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            FundAction::Use => "use",
            FundAction::Raise => "raise",
        }
    }
}

/// The assembly matter that decides one fund action.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct FundRoute {
    /// The fund.
    pub fund: Fund,
    /// The action.
    #[json(default)]
    pub action: FundAction,
    /// The matter the owners decide it under.
    pub matter: Matter,
    /// Where the rules say so.
    pub citation: Citation,
}

/// An amount with its citation.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct AmountRule {
    /// The fund it applies to.
    pub fund: Fund,
    /// The amount (以内: inclusive).
    pub amount: crate::quantity::Money,
    /// Where the rules say so.
    pub citation: Citation,
}

/// A situation qualifying for the emergency procedure.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Situation {
    /// Stable id, e.g. `elevator_fault`.
    pub id: String,
    /// Its description.
    pub name: Text,
}

/// The emergency use of the maintenance fund (民法典 Art. 281 ¶2).
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct EmergencyRule {
    /// Situations that qualify.
    pub situations: Vec<Situation>,
    /// Who reviews the repair plan.
    pub reviewed_by: Text,
    /// Who confirms the emergency.
    pub confirmed_by: Text,
    /// What must follow (publication, audit).
    pub afterwards: Vec<Text>,
    /// Where the rules say so.
    pub citation: Citation,
}

/// Rules of spending and raising money.
#[derive(Debug, Clone, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct FundRules {
    /// Which assembly matter decides each fund action.
    #[json(default, skip_if = "Vec::is_empty")]
    pub routes: Vec<FundRoute>,
    /// What the committee may spend alone, per fund (estate rules).
    #[json(default, skip_if = "Vec::is_empty")]
    pub committee_limits: Vec<AmountRule>,
    /// The emergency procedure.
    #[json(default, skip_if = "Option::is_none")]
    pub emergency: Option<EmergencyRule>,
}

/// The rank of a rulebook: national law, a local regulation (a city's or a
/// province's 物业管理条例), or an estate's own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Level {
    /// National law (the `cn-national` preset).
    National,
    /// A local regulation: may set differently what national guidance
    /// leaves to it (see [`Guidance`]), and tighten everything else.
    Local,
    /// An estate's 议事规则 / 管理规约: may only tighten.
    #[default]
    Estate,
}

impl Level {
    fn is_estate(&self) -> bool {
        *self == Level::Estate
    }
}

/// A part of a version's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Section {
    /// The committee rules.
    Committee,
    /// The disclosure obligations.
    Disclosure,
}

/// Sections of a version that come from guidance ranking below a local
/// regulation (the 指导规则 is a ministry's normative document): a rulebook
/// of level `local` may set them differently; an estate may only tighten.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Guidance {
    /// The sections.
    pub sections: Vec<Section>,
    /// Why they rank below a local regulation.
    pub citation: Citation,
}

/// One version of a rulebook, in force from `effective_from` to
/// `effective_to` (both inclusive; open-ended when absent).
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Version {
    /// Version id, e.g. `civil-code-2021`.
    pub id: String,
    /// First day in force.
    pub effective_from: Date,
    /// Last day in force.
    #[json(default, skip_if = "Option::is_none")]
    pub effective_to: Option<Date>,
    /// The governing law of this version.
    #[json(default, skip_if = "Option::is_none")]
    pub law: Option<Citation>,
    /// Voting policies.
    #[json(default, skip_if = "Option::is_none")]
    pub voting: Option<VotingRules>,
    /// Requirements of assembly resolutions, by matter.
    #[json(default)]
    pub assembly: BTreeMap<Matter, Requirement>,
    /// Assembly procedure.
    #[json(default, skip_if = "Option::is_none")]
    pub procedure: Option<Procedure>,
    /// What must be published, when.
    #[json(default, skip_if = "Vec::is_empty")]
    pub disclosure: Vec<Obligation>,
    /// How the owners' committee meets and decides.
    #[json(default, skip_if = "Option::is_none")]
    pub committee: Option<CommitteeRules>,
    /// Money: routes, committee limits, the emergency procedure.
    #[json(default, skip_if = "Option::is_none")]
    pub funds: Option<FundRules>,
    /// Sections that are guidance a local regulation may set differently.
    #[json(default, skip_if = "Option::is_none")]
    pub guidance: Option<Guidance>,
    /// Set when this period's text is known to exist but is not included:
    /// asking about a date in it is `no_law_in_force`, never an answer from
    /// the layers below alone. Says which text is missing.
    #[json(default, skip_if = "Option::is_none")]
    pub not_included: Option<Text>,
}

impl Version {
    fn covers(&self, date: Date) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|to| date <= to)
    }
}

/// A rulebook: a preset (`cn-national`) or an estate's own rules that
/// `extends` one.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Rulebook {
    /// Rulebook id.
    pub id: String,
    /// Human name.
    #[json(default, skip_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Its rank (default: an estate's rules).
    #[json(default, skip_if = "Level::is_estate")]
    pub level: Level,
    /// The rulebook this one builds on (a preset id, or a rulebook given
    /// inline, e.g. a city's rules); its rules may only be tightened.
    #[json(default, skip_if = "Option::is_none")]
    pub extends: Option<RulebookRef>,
    /// Versions by effective date, not overlapping.
    pub versions: Vec<Version>,
}

/// A rulebook named by preset id or given inline (an estate's rules, a
/// city's rules): what an operation's `rulebook` and a rulebook's `extends`
/// hold.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
#[json(untagged)]
pub enum RulebookRef {
    /// A preset, by id (`cn-national`).
    Preset(String),
    /// A rulebook given inline (which may extend another).
    Inline(Box<Rulebook>),
}

impl RulebookRef {
    /// The rulebook: the preset, or the inline one after validation.
    pub fn rulebook(&self) -> Result<&Rulebook> {
        match self {
            RulebookRef::Preset(id) => Rulebook::preset(id),
            RulebookRef::Inline(book) => {
                book.validate()?;
                Ok(book)
            }
        }
    }
}

/// Read from a preset id or a rulebook object.
impl FromJson for RulebookRef {
    fn from_json(value: crate::json::Value<'_>) -> std::result::Result<RulebookRef, crate::json::Error> {
        match value.str() {
            Ok(id) => Ok(RulebookRef::Preset(id.into_owned())),
            Err(_) if value.members().is_ok() => {
                <Rulebook as FromJson>::from_json(value).map(|b| RulebookRef::Inline(Box::new(b)))
            }
            Err(_) => Err(value.invalid_type("a preset id or a rulebook object")),
        }
    }
}

/// Preset rulebooks shipped in the crate, as data files.
const PRESETS: [(&str, &str); 4] = [
    ("cn-national", include_str!("presets/cn-national.json")),
    ("cn-beijing", include_str!("presets/cn-beijing.json")),
    ("cn-shanghai", include_str!("presets/cn-shanghai.json")),
    ("cn-hangzhou", include_str!("presets/cn-hangzhou.json")),
];

fn preset_cache() -> &'static [OnceLock<Result<Rulebook>>; PRESETS.len()] {
    static CACHE: OnceLock<[OnceLock<Result<Rulebook>>; PRESETS.len()]> = OnceLock::new();
    CACHE.get_or_init(|| std::array::from_fn(|_| OnceLock::new()))
}

impl Rulebook {
    /// The ids of the presets shipped in the crate.
    pub fn preset_ids() -> impl Iterator<Item = &'static str> {
        PRESETS.iter().map(|(id, _)| *id)
    }

    /// A preset by id (`cn-national`), parsed and validated once.
    pub fn preset(id: &str) -> Result<&'static Rulebook> {
        let i = PRESETS
            .iter()
            .position(|(p, _)| *p == id)
            .ok_or_else(|| Error::UnknownRulebook(id.to_owned()))?;
        preset_cache()[i]
            .get_or_init(|| Rulebook::from_json(PRESETS[i].1))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and validates a rulebook from JSON. Malformed content is
    /// `invalid_rulebook` naming the field.
    pub fn from_json(json: &str) -> Result<Rulebook> {
        let book: Rulebook = crate::json::from_str(json).map_err(|e| Error::InvalidRulebook {
            rulebook: "(as given)".into(),
            detail: format!("at {}: {}", e.path(), e.message_with_position()),
        })?;
        book.validate()?;
        Ok(book)
    }

    /// Parses and validates a rulebook written in TOML (the format for
    /// people; see `docs/rulebooks.md`). Malformed content is
    /// `invalid_rulebook` naming the line and field.
    pub fn from_toml(text: &str) -> Result<Rulebook> {
        let invalid = |detail: String| Error::InvalidRulebook {
            rulebook: "(as given)".into(),
            detail,
        };
        let converted = toml_text::to_json(text).map_err(invalid)?;
        let book: Rulebook = crate::json::from_str(&converted.json).map_err(|e| {
            invalid(match e.path().as_str() {
                "." => e.message().to_owned(),
                path => format!("line {}, at {path}: {}", converted.line_of(e.offset()), e.message()),
            })
        })?;
        book.validate()?;
        Ok(book)
    }

    /// Checks the rulebook's own consistency: ids, citations, versions in
    /// order and not overlapping, only implemented policies.
    pub fn validate(&self) -> Result<()> {
        let bad = |detail: String| Error::InvalidRulebook {
            rulebook: self.id.clone(),
            detail,
        };
        if self.id.is_empty() || self.id.len() > MAX_ID_BYTES {
            return Err(bad(format!("id must be 1 to {MAX_ID_BYTES} bytes")));
        }
        if self.versions.is_empty() {
            return Err(bad("has no versions".into()));
        }
        if self.versions.len() > MAX_RULEBOOK_VERSIONS {
            return Err(Error::limit(
                "rulebook versions",
                MAX_RULEBOOK_VERSIONS,
                self.versions.len(),
            ));
        }
        let mut spans: Vec<&Version> = self.versions.iter().collect();
        spans.sort_by_key(|v| v.effective_from);
        for pair in spans.windows(2) {
            match pair[0].effective_to {
                Some(to) if to < pair[1].effective_from => {}
                _ => return Err(bad(format!("versions {:?} and {:?} overlap", pair[0].id, pair[1].id))),
            }
        }
        for v in &self.versions {
            if v.id.is_empty() {
                return Err(bad("a version has an empty id".into()));
            }
            if v.effective_to.is_some_and(|to| to < v.effective_from) {
                return Err(bad(format!("version {:?} ends before it starts", v.id)));
            }
            let mut citations: Vec<(String, &Citation)> = Vec::new();
            if let Some(voting) = &v.voting {
                citations.push(("voting".into(), &voting.citation));
                if let Some(p) = voting.non_response.iter().find(|p| *p != NON_RESPONSE_IGNORE) {
                    return Err(bad(format!(
                        "version {:?}: non_response {p:?} is not a mechanism the engine implements (only \"ignore\")",
                        v.id
                    )));
                }
            }
            for (m, r) in &v.assembly {
                if let Some(p) = &r.participation {
                    citations.push((format!("{m}.participation"), &p.citation));
                }
                citations.push((format!("{m}.approval"), &r.approval.citation));
            }
            if let Some(p) = &v.procedure {
                if let Some(n) = &p.assembly_notice {
                    citations.push(("procedure.assembly_notice".into(), &n.citation));
                }
                if let Some(r) = &p.requisition {
                    citations.push(("procedure.requisition".into(), &r.citation));
                }
            }
            if let Some(c) = &v.committee {
                let named: [(&str, Option<&Citation>); 13] = [
                    ("tie", c.tie.as_ref().map(|r| &r.citation)),
                    ("removal", c.removal.as_ref().map(|r| &r.citation)),
                    ("min_in_office", c.min_in_office.as_ref().map(|r| &r.citation)),
                    ("meeting_quorum", c.meeting_quorum.as_ref().map(|r| &r.citation)),
                    ("decision", c.decision.as_ref().map(|r| &r.citation)),
                    ("meeting_notice", c.meeting_notice.as_ref().map(|r| &r.citation)),
                    ("size", c.size.as_ref().map(|r| &r.citation)),
                    ("term_years", c.term_years.as_ref().map(|r| &r.citation)),
                    ("first_meeting", c.first_meeting.as_ref().map(|r| &r.citation)),
                    ("filing", c.filing.as_ref().map(|r| &r.citation)),
                    ("term_limit", c.term_limit.as_ref().map(|r| &r.citation)),
                    ("re_election", c.re_election.as_ref().map(|r| &r.citation)),
                    ("handover", c.handover.as_ref().map(|r| &r.citation)),
                ];
                for (name, citation) in named {
                    if let Some(citation) = citation {
                        citations.push((format!("committee.{name}"), citation));
                    }
                }
                citations.extend(
                    c.disqualifications
                        .iter()
                        .map(|d| (format!("committee.disqualifications.{}", d.flag), &d.citation)),
                );
                if let Some(size) = &c.size {
                    let small_ok = size.small_estate.as_ref().is_none_or(|s| {
                        s.min > 0 && s.min < size.min && (s.households_at_most.is_some() || s.area_at_most.is_some())
                    });
                    if size.min == 0 || size.max.is_some_and(|m| size.min > m) || !small_ok {
                        return Err(bad(format!(
                            "version {:?}: committee size {} is empty or its small-estate minimum \
                             is not below the minimum (with a household or area limit)",
                            v.id,
                            size.describe().en
                        )));
                    }
                }
                if let Some(t) = &c.term_years {
                    if t.years == 0 || t.min_years.is_some_and(|m| m == 0 || m > t.years) {
                        return Err(bad(format!(
                            "version {:?}: committee term of {}{} is empty",
                            v.id,
                            count_en(t.years, "year", "years"),
                            t.min_years.map_or(String::new(), |m| format!(" with a minimum of {m}"))
                        )));
                    }
                }
            }
            if let Some(f) = &v.funds {
                citations.extend(f.routes.iter().map(|r| ("funds.routes".to_owned(), &r.citation)));
                citations.extend(
                    f.committee_limits
                        .iter()
                        .map(|l| ("funds.committee_limits".to_owned(), &l.citation)),
                );
                if let Some(e) = &f.emergency {
                    citations.push(("funds.emergency".into(), &e.citation));
                }
            }
            if let Some(g) = &v.guidance {
                citations.push(("guidance".into(), &g.citation));
            }
            if let Some(text) = &v.not_included {
                let empty = v.assembly.is_empty()
                    && v.procedure.is_none()
                    && v.committee.is_none()
                    && v.funds.is_none()
                    && v.disclosure.is_empty()
                    && v.voting.is_none();
                if !empty {
                    return Err(bad(format!("version {:?} is not included, so it sets no rules", v.id)));
                }
                citations.push(("not_included".into(), text));
            }
            for (i, o) in v.disclosure.iter().enumerate() {
                if o.id.is_empty() || v.disclosure[..i].iter().any(|p| p.id == o.id) {
                    return Err(bad(format!(
                        "version {:?}: disclosure id {:?} is empty or repeated",
                        v.id, o.id
                    )));
                }
                if let Trigger::Every { months: Some(m), .. } = o.trigger {
                    if m == 0 || 12 % m != 0 {
                        return Err(bad(format!(
                            "version {:?}: disclosure {:?} every {m} months does not divide the year",
                            v.id, o.id
                        )));
                    }
                }
                citations.push((format!("disclosure.{}", o.id), &o.citation));
            }
            if let Some((what, _)) = citations
                .iter()
                .find(|(_, c)| c.zh.trim().is_empty() || c.en.trim().is_empty())
            {
                return Err(bad(format!(
                    "version {:?}: {what} lacks a citation in Chinese and English",
                    v.id
                )));
            }
        }
        if self.level == Level::National && self.extends.is_some() {
            return Err(bad("national law extends nothing".into()));
        }
        Ok(())
    }

    /// The version of this rulebook (not its parents) in force on `date`.
    pub fn version_on(&self, date: Date) -> Option<&Version> {
        self.versions.iter().find(|v| v.covers(date))
    }

    /// Every rule in force on `date`, through the whole `extends` chain.
    /// A layer may tighten its parent's rules, never loosen them
    /// (`rulebook_violates_law`).
    pub fn in_force(&self, date: Date) -> Result<RulesInForce> {
        self.in_force_at_depth(date, 1)
    }

    fn in_force_at_depth(&self, date: Date, depth: usize) -> Result<RulesInForce> {
        if depth > MAX_RULEBOOK_DEPTH {
            return Err(Error::limit("rulebook extends depth", MAX_RULEBOOK_DEPTH, depth));
        }
        let parent = match &self.extends {
            Some(parent) => Some(parent.rulebook()?.in_force_at_depth(date, depth + 1)?),
            None => None,
        };
        match (parent, self.version_on(date)) {
            (None, None) => Err(Error::NoLawInForce {
                rulebook: self.id.clone(),
                date: format_date(date),
                what: "version".into(),
            }),
            (
                _,
                Some(Version {
                    not_included: Some(text),
                    ..
                }),
            ) => Err(Error::NoLawInForce {
                rulebook: self.id.clone(),
                date: format_date(date),
                what: format!("text included ({}: {})", text.en, text.zh),
            }),
            (Some(rules), None) => Ok(rules),
            (None, Some(v)) => Ok(RulesInForce::root(self, v, date)),
            (Some(mut rules), Some(v)) => {
                rules.overlay(self, v)?;
                Ok(rules)
            }
        }
    }
}

/// One layer of the rules in force: which rulebook, which version.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct Layer {
    /// Rulebook id.
    pub rulebook: String,
    /// Version id.
    pub version: String,
}

/// The rules in force on one date, resolved through the rulebook chain.
#[derive(Debug, Clone)]
pub struct RulesInForce {
    date: Date,
    layers: Vec<Layer>,
    law: Option<Citation>,
    voting: Option<VotingRules>,
    assembly: BTreeMap<Matter, Requirement>,
    procedure: Procedure,
    disclosure: Vec<Obligation>,
    committee: Option<CommitteeRules>,
    funds: FundRules,
    guidance: Vec<Section>,
}

impl RulesInForce {
    fn root(book: &Rulebook, v: &Version, date: Date) -> RulesInForce {
        RulesInForce {
            date,
            layers: vec![Layer {
                rulebook: book.id.clone(),
                version: v.id.clone(),
            }],
            law: v.law.clone(),
            voting: v.voting.clone(),
            assembly: v.assembly.clone(),
            procedure: v.procedure.clone().unwrap_or_default(),
            disclosure: v.disclosure.clone(),
            committee: v.committee.clone(),
            funds: v.funds.clone().unwrap_or_default(),
            guidance: v.guidance.as_ref().map(|g| g.sections.clone()).unwrap_or_default(),
        }
    }

    /// Whether `book` may set `section` freely: a local regulation over
    /// national guidance. Once set, the section binds the layers above.
    fn takes_over(&mut self, book: &Rulebook, section: Section) -> bool {
        let free = book.level == Level::Local && self.guidance.contains(&section);
        if free {
            self.guidance.retain(|s| *s != section);
        }
        free
    }

    fn overlay(&mut self, book: &Rulebook, v: &Version) -> Result<()> {
        for (matter, req) in &v.assembly {
            if let Some(parent) = self.assembly.get(matter) {
                check_not_looser(&book.id, *matter, req, parent)?;
            }
            self.assembly.insert(*matter, req.clone());
        }
        if let Some(voting) = &v.voting {
            self.voting = Some(voting.clone());
        }
        if let Some(p) = &v.procedure {
            self.overlay_procedure(&book.id, p)?;
        }
        if let Some(c) = &v.committee {
            let free = self.takes_over(book, Section::Committee);
            self.overlay_committee(&book.id, c, free)?;
        }
        if let Some(f) = &v.funds {
            self.overlay_funds(f);
        }
        let free = !v.disclosure.is_empty() && self.takes_over(book, Section::Disclosure);
        for o in &v.disclosure {
            match self.disclosure.iter_mut().find(|p| p.id == o.id) {
                Some(parent) => {
                    if !free {
                        check_obligation(&book.id, o, parent)?;
                    }
                    *parent = o.clone();
                }
                None => self.disclosure.push(o.clone()),
            }
        }
        self.layers.push(Layer {
            rulebook: book.id.clone(),
            version: v.id.clone(),
        });
        Ok(())
    }

    fn overlay_procedure(&mut self, book: &str, p: &Procedure) -> Result<()> {
        let violation = |rule: &str, value: String, allowed: String, citation: &Citation| Error::RulebookViolatesLaw {
            rulebook: book.to_owned(),
            rule: rule.to_owned(),
            value,
            allowed,
            citation: citation.zh.clone(),
        };
        if let Some(n) = &p.assembly_notice {
            if let Some(parent) = &self.procedure.assembly_notice {
                if n.days < parent.days {
                    return Err(violation(
                        "procedure.assembly_notice",
                        count_en(n.days, "day", "days"),
                        format!("at least {}", count_en(parent.days, "day", "days")),
                        &parent.citation,
                    ));
                }
            }
            self.procedure.assembly_notice = Some(n.clone());
        }
        if let Some(r) = &p.requisition {
            if let Some(parent) = &self.procedure.requisition {
                // a higher bar would restrict the owners' right to call a meeting
                if !parent.owners.is_at_least_as_strict_as(r.owners) {
                    return Err(violation(
                        "procedure.requisition.owners",
                        r.owners.to_string(),
                        format!("{} or lower", parent.owners),
                        &parent.citation,
                    ));
                }
            }
            self.procedure.requisition = Some(r.clone());
        }
        Ok(())
    }

    /// Overlays a layer's committee rules; `free` skips the never-looser
    /// checks (a local regulation replacing national guidance).
    fn overlay_committee(&mut self, book: &str, c: &CommitteeRules, free: bool) -> Result<()> {
        let parent = self.committee.clone().unwrap_or_default();
        if !free {
            check_committee(book, c, &parent)?;
        }
        let pick = |child: &Option<ThresholdRule>, p: &Option<ThresholdRule>| child.clone().or_else(|| p.clone());
        let mut disqualifications = parent.disqualifications.clone();
        for d in &c.disqualifications {
            disqualifications.retain(|p| p.flag != d.flag);
            disqualifications.push(d.clone());
        }
        self.committee = Some(CommitteeRules {
            meeting_quorum: pick(&c.meeting_quorum, &parent.meeting_quorum),
            decision: pick(&c.decision, &parent.decision),
            meeting_notice: c.meeting_notice.clone().or(parent.meeting_notice),
            size: c.size.clone().or(parent.size),
            term_years: c.term_years.clone().or(parent.term_years),
            first_meeting: c.first_meeting.clone().or(parent.first_meeting),
            filing: c.filing.clone().or(parent.filing),
            term_limit: c.term_limit.clone().or(parent.term_limit),
            re_election: c.re_election.clone().or(parent.re_election),
            handover: c.handover.clone().or(parent.handover),
            disqualifications,
            removal: c.removal.clone().or(parent.removal),
            min_in_office: c.min_in_office.clone().or(parent.min_in_office),
            tie: c.tie.clone().or(parent.tie),
        });
        Ok(())
    }

    /// A layer replaces the routes and limits it names and may set its own
    /// emergency procedure; committee limits are the estate's to set.
    fn overlay_funds(&mut self, f: &FundRules) {
        for r in &f.routes {
            self.funds.routes.retain(|p| (p.fund, p.action) != (r.fund, r.action));
            self.funds.routes.push(r.clone());
        }
        for l in &f.committee_limits {
            self.funds.committee_limits.retain(|p| p.fund != l.fund);
            self.funds.committee_limits.push(l.clone());
        }
        if let Some(e) = &f.emergency {
            self.funds.emergency = Some(e.clone());
        }
    }

    /// The committee rules in force, if any.
    pub fn committee(&self) -> Option<&CommitteeRules> {
        self.committee.as_ref()
    }

    /// The money rules in force.
    pub fn funds(&self) -> &FundRules {
        &self.funds
    }

    /// The assembly procedure rules in force.
    pub fn procedure(&self) -> &Procedure {
        &self.procedure
    }

    /// The disclosure obligations in force, national first, then added ones.
    pub fn disclosure(&self) -> &[Obligation] {
        &self.disclosure
    }

    /// The date these rules are for.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The layers, national law first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The governing law of the root layer.
    pub fn law(&self) -> Option<&Citation> {
        self.law.as_ref()
    }

    /// The requirement for a matter, or `no_law_in_force` when no layer
    /// has one.
    pub fn requirement(&self, matter: Matter) -> Result<&Requirement> {
        self.assembly
            .get(&matter)
            .ok_or_else(|| self.missing(format!("rule for matter {matter}")))
    }

    /// The error for a rule no layer in force has (`no_law_in_force`).
    pub fn missing(&self, what: impl Into<String>) -> Error {
        Error::NoLawInForce {
            rulebook: self.top_rulebook().to_owned(),
            date: format_date(self.date),
            what: what.into(),
        }
    }

    /// Checks that a non-response treatment is allowed.
    pub fn check_non_response(&self, value: &str) -> Result<()> {
        let allowed: Vec<&str> = match &self.voting {
            Some(v) => v.non_response.iter().map(String::as_str).collect(),
            None => vec![NON_RESPONSE_IGNORE],
        };
        if allowed.contains(&value) {
            Ok(())
        } else {
            Err(Error::PolicyNotAllowed {
                policy: "voting.non_response".into(),
                value: value.to_owned(),
                rulebook: self.top_rulebook().to_owned(),
                allowed: allowed.join(", "),
            })
        }
    }

    fn top_rulebook(&self) -> &str {
        self.layers.last().map_or("", |l| l.rulebook.as_str())
    }
}

/// A layer may publish sooner or more often than its parent, never later or
/// less often, and may not turn one kind of deadline into another.
/// Checks that a layer's committee rules are no looser than its parent's.
fn check_committee(book: &str, c: &CommitteeRules, parent: &CommitteeRules) -> Result<()> {
    let violation = |rule: &str, value: String, allowed: String, citation: &Citation| Error::RulebookViolatesLaw {
        rulebook: book.to_owned(),
        rule: format!("committee.{rule}"),
        value,
        allowed,
        citation: citation.zh.clone(),
    };
    let thresholds = [
        ("meeting_quorum", &c.meeting_quorum, &parent.meeting_quorum),
        ("decision", &c.decision, &parent.decision),
    ];
    for (rule, child, p) in thresholds {
        if let (Some(child), Some(p)) = (child, p) {
            if !child.threshold.is_at_least_as_strict_as(p.threshold) {
                return Err(violation(
                    rule,
                    child.threshold.to_string(),
                    format!("{} or stricter", p.threshold),
                    &p.citation,
                ));
            }
        }
    }
    // periods: a layer may ask for more notice, never less ...
    if let (Some(cn), Some(pn)) = (&c.meeting_notice, &parent.meeting_notice) {
        if cn.days < pn.days {
            return Err(violation(
                "meeting_notice",
                count_en(cn.days, "day", "days"),
                format!("at least {}", count_en(pn.days, "day", "days")),
                &pn.citation,
            ));
        }
    }
    // ... and may act sooner, never later
    for (rule, child, p) in [
        ("first_meeting", &c.first_meeting, &parent.first_meeting),
        ("filing", &c.filing, &parent.filing),
        ("handover", &c.handover, &parent.handover),
    ] {
        if let (Some(child), Some(p)) = (child, p) {
            if child.days > p.days {
                return Err(violation(
                    rule,
                    count_en(child.days, "day", "days"),
                    format!("within {}", count_en(p.days, "day", "days")),
                    &p.citation,
                ));
            }
        }
    }
    if let (Some(cs), Some(ps)) = (&c.size, &parent.size) {
        if !cs.within(ps) {
            return Err(violation(
                "size",
                cs.describe().en,
                format!("within {}", ps.describe().en),
                &ps.citation,
            ));
        }
    }
    if let (Some(ct), Some(pt)) = (&c.term_years, &parent.term_years) {
        let least = pt.min_years.unwrap_or(1);
        if ct.years > pt.years || ct.years < least || ct.min_years.is_some_and(|m| m < least) {
            return Err(violation(
                "term_years",
                count_en(ct.years, "year", "years"),
                format!("{least} to {}", count_en(pt.years, "year", "years")),
                &pt.citation,
            ));
        }
    }
    Ok(())
}

fn check_obligation(book: &str, child: &Obligation, parent: &Obligation) -> Result<()> {
    let violation = |value: String, allowed: String| Error::RulebookViolatesLaw {
        rulebook: book.to_owned(),
        rule: format!("disclosure.{}", child.id),
        value,
        allowed,
        citation: parent.citation.zh.clone(),
    };
    let looser = |c: Option<u32>, p: Option<u32>| {
        matches!((c, p), (None, Some(_))) || matches!((c, p), (Some(c), Some(p)) if c > p)
    };
    let loosened = match (&child.trigger, &parent.trigger) {
        (Trigger::After { days: c, event: ce }, Trigger::After { days: p, event: pe }) if ce == pe => looser(*c, *p),
        (Trigger::Before { days: c, event: ce }, Trigger::Before { days: p, event: pe }) if ce == pe => c < p,
        (
            Trigger::Every {
                months: cm,
                within_days: cw,
            },
            Trigger::Every {
                months: pm,
                within_days: pw,
            },
        ) => looser(*cm, *pm) || (pm.is_some() && cw > pw),
        // another kind of trigger, or another event
        _ => true,
    };
    if loosened {
        let allowed = match &parent.trigger {
            Trigger::Before { .. } => format!("at least {}", parent.trigger.describe().en),
            _ => parent.trigger.describe().en,
        };
        return Err(violation(child.trigger.describe().en, allowed));
    }
    if let (Some(p), c) = (parent.posted_for_days, child.posted_for_days) {
        if c.is_none_or(|c| c < p) {
            let days = |d| count_en(d, "day", "days");
            return Err(violation(
                c.map_or_else(|| "no posting period".to_owned(), |c| format!("posted for {}", days(c))),
                format!("posted for at least {}", days(p)),
            ));
        }
    }
    Ok(())
}

fn check_not_looser(book: &str, matter: Matter, child: &Requirement, parent: &Requirement) -> Result<()> {
    let violation = |rule: &str, value: String, allowed: String, citation: &Citation| Error::RulebookViolatesLaw {
        rulebook: book.to_owned(),
        rule: format!("{matter}.{rule}"),
        value,
        allowed,
        citation: citation.zh.clone(),
    };
    let threshold = |rule: &str, c: Threshold, p: Threshold, citation: &Citation| {
        if c.is_at_least_as_strict_as(p) {
            Ok(())
        } else {
            Err(violation(rule, c.to_string(), format!("{p} or stricter"), citation))
        }
    };
    if let Some(pp) = &parent.participation {
        let Some(cp) = &child.participation else {
            return Err(violation(
                "participation",
                "none".into(),
                format!("area {}, owners {}", pp.area, pp.owners),
                &pp.citation,
            ));
        };
        threshold("participation.area", cp.area, pp.area, &pp.citation)?;
        threshold("participation.owners", cp.owners, pp.owners, &pp.citation)?;
    }
    let (ca, pa) = (&child.approval, &parent.approval);
    if pa.base == ApprovalBase::Total && ca.base == ApprovalBase::Participating {
        return Err(violation(
            "approval.base",
            "participating".into(),
            "total".into(),
            &pa.citation,
        ));
    }
    threshold("approval.area", ca.area, pa.area, &pa.citation)?;
    threshold("approval.owners", ca.owners, pa.owners, &pa.citation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_date;

    fn d(s: &str) -> Date {
        parse_date("d", s).unwrap()
    }

    #[test]
    fn national_preset_is_valid_and_complete() {
        let book = Rulebook::preset("cn-national").unwrap();
        for date in ["2007-10-01", "2020-12-31", "2021-01-01", "2099-01-01"] {
            let rules = book.in_force(d(date)).unwrap();
            for m in Matter::ALL {
                rules.requirement(m).unwrap();
            }
        }
        let e = book.in_force(d("2007-09-30")).unwrap_err();
        assert_eq!(e.code().as_str(), "no_law_in_force");
        assert_eq!(Rulebook::preset("xx").unwrap_err().code().as_str(), "unknown_rulebook");
    }

    /// A removal rule with both sides is listed with both, in each language.
    #[test]
    fn a_removal_rule_is_listed_with_each_side_it_sets() {
        let book = Rulebook::from_json(&format!(
            r#"{{"id": "estate", "extends": "cn-national", "versions": [{{"id": "v1", "effective_from": "2022-01-01",
                "committee": {{"removal": {{"members": {{"at_least": "1/2"}}, "owners": {{"at_least": "1/5"}}, {CITE}}}}}}}]}}"#
        ))
        .unwrap();
        let listed = book.rules_in_force(d("2022-05-01")).unwrap();
        let removal = listed.iter().find(|r| r.rule == "committee.removal").unwrap();
        assert_eq!(
            (removal.value.as_str(), removal.value_en.as_str()),
            (
                "半数以上的委员或五分之一以上的业主提议罢免",
                "proposed by members at least 1/2 or owners at least 1/5"
            )
        );
    }

    /// Every rule of every preset is listed in Chinese and in English.
    #[test]
    fn every_rule_in_force_is_said_in_both_languages() {
        let cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for id in ["cn-national", "cn-beijing", "cn-shanghai", "cn-hangzhou"] {
            for date in ["2020-06-01", "2026-05-01"] {
                let Ok(rules) = Rulebook::preset(id).unwrap().rules_in_force(d(date)) else {
                    continue;
                };
                assert!(rules.len() >= Matter::ALL.len(), "{id} {date}");
                for r in rules {
                    assert!(
                        cjk(&r.value) && !cjk(&r.value_en),
                        "{id} {date} {}: {:?} / {:?}",
                        r.rule,
                        r.value,
                        r.value_en
                    );
                }
            }
        }
    }

    #[test]
    fn city_presets_cite_their_regulation_for_every_rule() {
        let cities = [
            ("cn-beijing", "北京市物业管理条例 第", "2024-03-29"),
            ("cn-shanghai", "上海市住宅物业管理规定 第", "2020-12-30"),
            ("cn-hangzhou", "杭州市物业管理条例 第", "2022-03-01"),
        ];
        for (id, article, from) in cities {
            let book = Rulebook::preset(id).unwrap();
            assert_eq!(book.level, Level::Local);
            for date in [from, "2026-05-01"] {
                let rules = book.rules_in_force(d(date)).unwrap();
                let own: Vec<_> = rules.iter().filter(|r| r.layer.rulebook == id).collect();
                assert!(own.len() >= 8, "{id}: {} rules", own.len());
                for r in own {
                    assert!(r.citation.starts_with(article), "{id} {}: {}", r.rule, r.citation);
                    assert!(r.citation_en.contains("Art. "), "{id} {}: {}", r.rule, r.citation_en);
                }
            }
            // the day before the text sourced: an earlier text that is not
            // included is no_law_in_force, never national law alone
            let before = book.in_force(d(from).previous_day().unwrap());
            match id {
                "cn-hangzhou" => assert_eq!(before.unwrap().layers().len(), 1),
                _ => assert_eq!(before.unwrap_err().code().as_str(), "no_law_in_force", "{id}"),
            }
        }
    }

    #[test]
    fn a_city_bounds_its_estates_with_its_own_articles() {
        let e = Rulebook::from_json(&format!(
            r#"{{"id": "e", "extends": "cn-shanghai", "versions": [{{"id": "1", "effective_from": "2025-01-01",
                "committee": {{"term_years": {{"years": 2, {CITE}}}}}}}]}}"#
        ))
        .unwrap()
        .in_force(d("2026-01-01"))
        .unwrap_err();
        let text = e.to_string();
        for part in [
            "committee.term_years",
            "2 years",
            "3 to 5 years",
            "上海市住宅物业管理规定 第二十条第一款",
        ] {
            assert!(text.contains(part), "{text}");
        }
    }

    #[test]
    fn civil_code_items_6_to_8_need_three_quarters() {
        let rules = Rulebook::preset("cn-national")
            .unwrap()
            .in_force(d("2021-01-01"))
            .unwrap();
        for m in Matter::ALL {
            let r = rules.requirement(m).unwrap();
            let expected = if (6..=8).contains(&m.item()) {
                r#"{"at_least":"3/4"}"#
            } else {
                r#"{"more_than":"1/2"}"#
            };
            assert_eq!(crate::json::to_string(&r.approval.area), expected, "{m}");
            assert_eq!(r.approval.base, ApprovalBase::Participating);
        }
    }

    fn estate(assembly: &str) -> Result<Rulebook> {
        Rulebook::from_json(&format!(
            r#"{{"id": "estate", "extends": "cn-national", "versions": [{{"id": "v1", "effective_from": "2022-01-01", "assembly": {assembly}}}]}}"#
        ))
    }

    const CITE: &str = r#""citation": {"zh": "某小区议事规则 第十条", "en": "Estate rules Art. 10"}"#;

    #[test]
    fn estate_may_tighten_not_loosen() {
        let strict = estate(&format!(
            r#"{{"use_maintenance_fund": {{"participation": {{"area": {{"at_least": "3/4"}}, "owners": {{"at_least": "2/3"}}, {CITE}}}, "approval": {{"base": "participating", "area": {{"at_least": "2/3"}}, "owners": {{"more_than": "1/2"}}, {CITE}}}}}}}"#
        ))
        .unwrap();
        let rules = strict.in_force(d("2022-05-01")).unwrap();
        assert_eq!(rules.layers().len(), 2);
        assert_eq!(
            rules
                .requirement(Matter::UseMaintenanceFund)
                .unwrap()
                .approval
                .citation
                .en,
            "Estate rules Art. 10"
        );
        // before the estate rules took effect, only the law applies
        assert_eq!(strict.in_force(d("2021-05-01")).unwrap().layers().len(), 1);

        let loose = estate(&format!(
            r#"{{"use_maintenance_fund": {{"participation": {{"area": {{"at_least": "1/2"}}, "owners": {{"at_least": "2/3"}}, {CITE}}}, "approval": {{"base": "participating", "area": {{"more_than": "1/2"}}, "owners": {{"more_than": "1/2"}}, {CITE}}}}}}}"#
        ))
        .unwrap();
        let e = loose.in_force(d("2022-05-01")).unwrap_err();
        assert_eq!(e.code().as_str(), "rulebook_violates_law");
        assert!(e.to_string().contains("use_maintenance_fund.participation.area"), "{e}");
    }

    /// An estate's disclosure obligation (`fields`: its id, trigger and
    /// posting period) over `parent`, in force on 2025-05-01 or not.
    fn obligation(parent: &str, fields: &str) -> Result<Vec<RuleInForce>> {
        Rulebook::from_json(&format!(
            r#"{{"id": "estate", "extends": "{parent}", "versions": [{{"id": "v1", "effective_from": "2024-06-01",
                "disclosure": [{{"name": {{"zh": "决定", "en": "decisions"}}, {CITE}, {fields}}}]}}]}}"#
        ))?
        .rules_in_force(d("2025-05-01"))
    }

    /// A looser disclosure obligation is refused in words, each side as the
    /// listing of the rules in force says it (no Rust `Some(3)` in the text).
    #[test]
    fn a_looser_disclosure_is_refused_in_words() {
        let refusals = [
            (
                "cn-national",
                r#""id": "committee_decision", "trigger": {"after": {"event": "committee_decision", "days": 5}}"#,
                "to within 5 days after committee_decision, looser than within 3 days after committee_decision required by",
            ),
            (
                "cn-national",
                r#""id": "committee_decision", "trigger": {"after": {"event": "committee_decision"}}"#,
                "to promptly after committee_decision, looser than within 3 days after committee_decision",
            ),
            (
                "cn-national",
                r#""id": "committee_decision", "trigger": {"before": {"event": "committee_decision", "days": 1}}"#,
                "to 1 day before committee_decision, looser than within 3 days after committee_decision",
            ),
            (
                "cn-hangzhou",
                r#""id": "committee_decision", "trigger": {"after": {"event": "committee_decision", "days": 3}}, "posted_for_days": 14"#,
                "to posted for 14 days, looser than posted for at least 15 days",
            ),
            (
                "cn-hangzhou",
                r#""id": "committee_decision", "trigger": {"after": {"event": "committee_decision", "days": 3}}"#,
                "to no posting period, looser than posted for at least 15 days",
            ),
            (
                "cn-beijing",
                r#""id": "members_fee_payments", "trigger": {"every": {"months": 12, "within_days": 1}}"#,
                "to every 12 months, within 1 day after each period, looser than every 6 months, by the end of each period",
            ),
        ];
        for (parent, fields, words) in refusals {
            let e = obligation(parent, fields).unwrap_err();
            let text = e.to_string();
            assert_eq!(e.code().as_str(), "rulebook_violates_law", "{text}");
            assert!(
                text.contains(words) && !text.contains("Some(") && !text.contains("None"),
                "{text}"
            );
        }
        // as tight on every side: in force, one day and one month in the singular
        let fields = r#""id": "committee_decision", "trigger": {"after": {"event": "committee_decision", "days": 1}}, "posted_for_days": 15"#;
        let listed = obligation("cn-hangzhou", fields).unwrap();
        let rule = listed
            .iter()
            .find(|r| r.rule == "disclosure.committee_decision" && r.layer.rulebook == "estate");
        assert_eq!(
            rule.map(|r| (r.value.as_str(), r.value_en.as_str())),
            Some((
                "决定：committee_decision 之日起 1 日内；公开时间不少于 15 日",
                "decisions: within 1 day after committee_decision; posted for at least 15 days"
            ))
        );
        let every = Trigger::Every {
            months: Some(1),
            within_days: 1,
        };
        assert_eq!(
            every.describe(),
            Text {
                zh: "每月一次，每期结束后 1 日内".into(),
                en: "every month, within 1 day after each period".into()
            }
        );
    }

    #[test]
    fn malformed_rulebooks_are_named() {
        let e = Rulebook::from_json(r#"{"id": "x", "versions": []}"#).unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_rulebook");
        let e = Rulebook::from_json(
            r#"{"id": "x", "versions": [{"id": "a", "effective_from": "2020-01-01"}, {"id": "b", "effective_from": "2021-01-01"}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("overlap"), "{e}");
        let e = estate(&format!(
            r#"{{"rebuild": {{"approval": {{"base": "total", "area": {{"at_least": "4/3"}}, "owners": {{"at_least": "3/4"}}, {CITE}}}}}}}"#
        ))
        .unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_rulebook");
        assert!(e.to_string().contains("rebuild"), "{e}");
        let e = estate(r#"{"rebuild": {"approval": {"base": "total", "area": {"at_least": "3/4"}, "owners": {"at_least": "3/4"}, "citation": {"zh": "", "en": ""}}}}"#).unwrap_err();
        assert!(e.to_string().contains("citation"), "{e}");
        let term = |years: &str| {
            Rulebook::from_json(&format!(
                r#"{{"id": "e", "extends": "cn-national", "versions": [{{"id": "v1", "effective_from": "2022-01-01",
                    "committee": {{"term_years": {{{years}, {CITE}}}}}}}]}}"#
            ))
            .unwrap_err()
            .to_string()
        };
        assert!(term(r#""years": 0"#).ends_with("committee term of 0 years is empty"));
        assert!(
            term(r#""years": 1, "min_years": 2"#).ends_with("committee term of 1 year with a minimum of 2 is empty")
        );
    }
}
#[cfg(test)]
mod toml_tests {
    use super::*;
    #[test]
    fn sample_estate_rules_parse() {
        let book = Rulebook::from_toml(include_str!("../../../examples/data/cuihu-rules.toml")).unwrap();
        let d = |s: &str| crate::calendar::parse_date("d", s).unwrap();
        let rules = book.in_force(d("2026-05-01")).unwrap();
        assert_eq!(rules.layers().len(), 2);
        assert_eq!(rules.committee().unwrap().term_years.as_ref().unwrap().years, 3);
        let listed = book.rules_in_force(d("2026-05-01")).unwrap();
        let size = listed.iter().find(|r| r.rule == "committee.size").unwrap();
        assert_eq!(
            (
                size.layer.rulebook.as_str(),
                size.value.as_str(),
                size.value_en.as_str()
            ),
            ("cuihu-rules", "7至9人的单数", "7 to 9 members, an odd number")
        );
        let notice = listed.iter().find(|r| r.rule == "procedure.assembly_notice").unwrap();
        assert_eq!(notice.layer.rulebook, "cn-national");
        // a TOML datetime is not a date; a malformed file names the line
        let e = Rulebook::from_toml("id = \"x\"\n[[versions]]\nid = \"v\"\neffective_from = 2024-01-01T10:00:00Z\n")
            .unwrap_err();
        assert_eq!(e.code().as_str(), "invalid_rulebook");
        assert!(e.to_string().contains("line 4"), "{e}");
    }
}
