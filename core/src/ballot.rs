//! Ballots: choices, channels, proxies with written authorization, the
//! voting window and the duplicate policies; and the reasons a ballot is
//! rejected or superseded.

use std::fmt;

use crate::calendar::{parse_instant, Instants, OffsetDateTime};
use crate::error::Result;
use crate::json::{FromJson, ToJson};

/// What a ballot says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Choice {
    /// 同意.
    Agree,
    /// 反对.
    Against,
    /// 弃权: participates, does not agree (an interpretation; see LAW.md §1).
    Abstain,
}

impl Choice {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Choice::Agree => "agree",
            Choice::Against => "against",
            Choice::Abstain => "abstain",
        }
    }

    fn parse(s: &str) -> Option<Choice> {
        match s {
            "agree" => Some(Choice::Agree),
            "against" => Some(Choice::Against),
            "abstain" => Some(Choice::Abstain),
            _ => None,
        }
    }
}

/// How a ballot was cast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Channel {
    /// Through an online voting system.
    #[default]
    Online,
    /// On paper.
    Paper,
    /// By a proxy holding a written authorization (书面委托).
    Proxy,
}

impl Channel {
    fn parse(s: &str) -> Option<Channel> {
        match s {
            "online" => Some(Channel::Online),
            "paper" => Some(Channel::Paper),
            "proxy" => Some(Channel::Proxy),
            _ => None,
        }
    }
}

/// A typed ballot for one unit.
///
/// ```
/// use yeweihui::ballot::{Ballot, Channel, Choice};
/// let b = Ballot::new("3-101", Choice::Agree).with_channel(Channel::Proxy).with_authorization("委托书-17");
/// assert_eq!(b.authorization.as_deref(), Some("委托书-17"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    /// The unit voted for.
    pub unit: String,
    /// The choice.
    pub choice: Choice,
    /// The channel.
    pub channel: Channel,
    /// When it was cast; needed when the vote has a window.
    pub cast_at: Option<OffsetDateTime>,
    /// Reference to the written authorization of a proxy.
    pub authorization: Option<String>,
}

impl Ballot {
    /// An online ballot with no time.
    pub fn new(unit: impl Into<String>, choice: Choice) -> Ballot {
        Ballot {
            unit: unit.into(),
            choice,
            channel: Channel::Online,
            cast_at: None,
            authorization: None,
        }
    }

    /// How and when it was cast.
    pub fn cast(&self) -> Cast {
        Cast {
            channel: self.channel,
            cast_at: self.cast_at.map(Moment::from),
        }
    }

    /// Sets the channel.
    pub fn with_channel(mut self, channel: Channel) -> Ballot {
        self.channel = channel;
        self
    }

    /// Sets the time cast.
    pub fn with_cast_at(mut self, at: OffsetDateTime) -> Ballot {
        self.cast_at = Some(at);
        self
    }

    /// Sets the proxy's written authorization.
    pub fn with_authorization(mut self, reference: impl Into<String>) -> Ballot {
        self.authorization = Some(reference.into());
        self
    }
}

/// The fields of a [`BallotRecord`] in order: the names of a ballot table's
/// columns (CSV, columns, JSON records).
pub(crate) const BALLOT_FIELDS: [&str; 5] = ["unit", "choice", "channel", "cast_at", "authorization"];

/// A ballot as given (wire shape): strings not yet checked, so a bad choice
/// or time rejects that ballot with a reason instead of failing the tally.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct BallotRecord {
    /// Unit id.
    pub unit: String,
    /// `agree`, `against` or `abstain`.
    pub choice: String,
    /// `online` (default), `paper` or `proxy`.
    #[json(default, skip_if = "Option::is_none")]
    pub channel: Option<String>,
    /// RFC 3339 instant with offset.
    #[json(default, skip_if = "Option::is_none")]
    pub cast_at: Option<String>,
    /// Reference to the written authorization (proxies).
    #[json(default, skip_if = "Option::is_none")]
    pub authorization: Option<String>,
}

impl BallotRecord {
    /// Checks the fields into a [`Ballot`], or the reason to reject it.
    pub fn parse(&self) -> std::result::Result<Ballot, RejectionCode> {
        let choice = Choice::parse(&self.choice).ok_or(RejectionCode::InvalidChoice)?;
        let channel = parse_channel(self.channel.as_deref())?;
        let cast_at = self.cast_at.as_deref().map(parse_cast_at).transpose()?;
        Ok(Ballot {
            unit: self.unit.clone(),
            choice,
            channel,
            cast_at,
            authorization: self.authorization.clone(),
        })
    }
}

/// Parses a ballot's choice, channel and time as given, the time by `instants`.
pub(crate) fn parse_fields(
    choice: &str,
    channel: Option<&str>,
    cast_at: Option<&str>,
    instants: &mut Instants,
) -> std::result::Result<(Choice, Cast), RejectionCode> {
    let choice = Choice::parse(choice).ok_or(RejectionCode::InvalidChoice)?;
    Ok((choice, parse_cast(channel, cast_at, instants)?))
}

fn parse_cast_at(t: &str) -> std::result::Result<OffsetDateTime, RejectionCode> {
    parse_instant("cast_at", t).map_err(|_| RejectionCode::InvalidCastAt)
}

fn parse_channel(channel: Option<&str>) -> std::result::Result<Channel, RejectionCode> {
    channel.map_or(Ok(Channel::Online), |c| {
        Channel::parse(c).ok_or(RejectionCode::InvalidChannel)
    })
}

/// Parses a ballot's channel (default `online`) and time as given, the
/// time by `instants` (one for a run of ballots: it remembers their days).
pub(crate) fn parse_cast(
    channel: Option<&str>,
    cast_at: Option<&str>,
    instants: &mut Instants,
) -> std::result::Result<Cast, RejectionCode> {
    let cast_at = cast_at
        .map(|t| {
            instants
                .parse("cast_at", t)
                .map(|(seconds, nanos)| Moment { seconds, nanos })
                .map_err(|_| RejectionCode::InvalidCastAt)
        })
        .transpose()?;
    Ok(Cast {
        channel: parse_channel(channel)?,
        cast_at,
    })
}

/// A point in time as whole seconds since the Unix epoch, then nanoseconds
/// into the second: instants given with any offset compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment {
    // compared in this order
    seconds: i64,
    nanos: u32,
}

impl Moment {
    /// Whole seconds since the Unix epoch, and nanoseconds into the second.
    pub(crate) fn parts(self) -> (i64, u32) {
        (self.seconds, self.nanos)
    }

    /// The moment of [`Moment::parts`].
    pub(crate) fn from_parts(seconds: i64, nanos: u32) -> Moment {
        Moment { seconds, nanos }
    }
}

impl From<OffsetDateTime> for Moment {
    fn from(t: OffsetDateTime) -> Moment {
        Moment {
            seconds: t.unix_timestamp(),
            nanos: t.nanosecond(),
        }
    }
}

/// Turns times into [`Moment`]s as [`Moment::from`] does, remembering the
/// start of each day seen (in its offset), a day to a place by its day of
/// the year: the ballots of a vote fall on a few weeks' days, and the day's
/// start is most of the work (a tenth of a typed tally).
#[derive(Debug)]
pub(crate) struct Moments {
    /// By a day's place, the day last seen there, its offset, and its
    /// start in seconds since the epoch.
    days: [Option<(time::Date, time::UtcOffset, i64)>; DAY_PLACES],
}

/// How many days [`Moments`] remembers: a power of two, so that days
/// this many apart (and only those) share a place.
const DAY_PLACES: usize = 64;

impl Default for Moments {
    fn default() -> Moments {
        Moments {
            days: [None; DAY_PLACES],
        }
    }
}

impl Moments {
    /// The moment of `t`.
    #[inline]
    pub(crate) fn of(&mut self, t: OffsetDateTime) -> Moment {
        let (date, offset) = (t.date(), t.offset());
        let place = usize::from(date.ordinal()) % DAY_PLACES;
        let start = match self.days.get(place).copied().flatten() {
            Some((d, o, start)) if d == date && o == offset => start,
            _ => {
                let start = t.replace_time(time::Time::MIDNIGHT).unix_timestamp();
                if let Some(day) = self.days.get_mut(place) {
                    *day = Some((date, offset, start));
                }
                start
            }
        };
        let (hour, minute, second) = t.to_hms();
        Moment {
            seconds: start + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second),
            nanos: t.nanosecond(),
        }
    }
}

/// How and when a ballot was cast: what duplicate policies compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cast {
    /// The channel.
    pub channel: Channel,
    /// The time, if given.
    pub cast_at: Option<Moment>,
}

/// Which of two ballots for the same unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// The latest cast stands (ties: the later in input order).
    #[default]
    LatestWins,
    /// The first cast stands (ties: the earlier in input order).
    FirstWins,
    /// A paper ballot beats any other; among equals, the latest.
    PaperPrevails,
    /// An online ballot beats any other; among equals, the latest.
    OnlinePrevails,
}

impl DuplicatePolicy {
    /// Whether `challenger` (later in input order) replaces `standing`.
    /// Times are compared when both ballots have one; otherwise input
    /// order stands for time.
    pub fn replaces(self, standing: Cast, challenger: Cast) -> bool {
        let not_earlier = match (standing.cast_at, challenger.cast_at) {
            (Some(a), Some(b)) => b >= a,
            _ => true,
        };
        let prefer = |ch: Channel| -> Option<bool> {
            match (standing.channel == ch, challenger.channel == ch) {
                (true, false) => Some(false),
                (false, true) => Some(true),
                _ => None,
            }
        };
        match self {
            DuplicatePolicy::LatestWins => not_earlier,
            DuplicatePolicy::FirstWins => !not_earlier,
            DuplicatePolicy::PaperPrevails => prefer(Channel::Paper).unwrap_or(not_earlier),
            DuplicatePolicy::OnlinePrevails => prefer(Channel::Online).unwrap_or(not_earlier),
        }
    }
}

/// The voting window and policies of one vote. The default has no window,
/// `latest_wins` and the `ignore` treatment of owners who do not vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voting {
    /// Ballots cast before this are rejected `before_open`.
    pub opens_at: Option<OffsetDateTime>,
    /// Ballots cast after this are rejected `after_close`.
    pub closes_at: Option<OffsetDateTime>,
    /// How repeated ballots for one unit are resolved.
    pub duplicates: DuplicatePolicy,
    /// How owners who do not vote are treated; must be allowed by the rulebook.
    pub non_response: String,
}

impl Default for Voting {
    fn default() -> Voting {
        Voting {
            opens_at: None,
            closes_at: None,
            duplicates: DuplicatePolicy::default(),
            non_response: NON_RESPONSE_IGNORE.to_owned(),
        }
    }
}

/// The voting settings as given (wire shape).
#[derive(Debug, Clone, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct VotingRecord {
    /// RFC 3339 instant.
    #[json(default, skip_if = "Option::is_none")]
    pub opens_at: Option<String>,
    /// RFC 3339 instant.
    #[json(default, skip_if = "Option::is_none")]
    pub closes_at: Option<String>,
    /// Duplicate policy.
    #[json(default)]
    pub duplicates: DuplicatePolicy,
    /// Non-response treatment (default `ignore`).
    #[json(default, skip_if = "Option::is_none")]
    pub non_response: Option<String>,
}

/// The only non-response treatment the engine implements: owners who do
/// not vote neither participate nor agree.
pub const NON_RESPONSE_IGNORE: &str = "ignore";

impl VotingRecord {
    /// Parses the window; a malformed instant or a window that closes
    /// before it opens is an error.
    pub fn parse(&self) -> Result<Voting> {
        let opens_at = self
            .opens_at
            .as_deref()
            .map(|s| parse_instant("voting.opens_at", s))
            .transpose()?;
        let closes_at = self
            .closes_at
            .as_deref()
            .map(|s| parse_instant("voting.closes_at", s))
            .transpose()?;
        if let (Some(o), Some(c)) = (opens_at, closes_at) {
            if c < o {
                return Err(crate::Error::InvalidDate {
                    field: "voting.closes_at".into(),
                    value: self.closes_at.clone().unwrap_or_default(),
                    reason: "the window closes before it opens".into(),
                });
            }
        }
        Ok(Voting {
            opens_at,
            closes_at,
            duplicates: self.duplicates,
            non_response: self
                .non_response
                .clone()
                .unwrap_or_else(|| NON_RESPONSE_IGNORE.to_owned()),
        })
    }
}

/// Why a ballot was not counted. The tally still succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum RejectionCode {
    /// The unit is not in the register.
    UnknownUnit,
    /// The unit is in the register but outside the vote's scope.
    OutOfScope,
    /// Cast before the window opened.
    BeforeOpen,
    /// Cast after the window closed.
    AfterClose,
    /// The window is set but the ballot has no `cast_at`.
    MissingCastAt,
    /// `cast_at` is not an RFC 3339 instant.
    InvalidCastAt,
    /// One owner's standing ballots disagree: all of them are rejected.
    OwnerConflict,
    /// A proxy ballot without a written authorization reference.
    ProxyWithoutAuthorization,
    /// The choice is not `agree`, `against` or `abstain`.
    InvalidChoice,
    /// The channel is not `online`, `paper` or `proxy`.
    InvalidChannel,
    /// An election ballot marks more candidates than there are places.
    OverVoted,
    /// An election ballot names someone who is not a candidate.
    UnknownCandidate,
    /// An election ballot names a candidate twice.
    DuplicateCandidate,
}

impl RejectionCode {
    /// Every rejection code, in catalogue order.
    pub const ALL: [RejectionCode; 13] = [
        RejectionCode::UnknownUnit,
        RejectionCode::OutOfScope,
        RejectionCode::BeforeOpen,
        RejectionCode::AfterClose,
        RejectionCode::MissingCastAt,
        RejectionCode::InvalidCastAt,
        RejectionCode::OwnerConflict,
        RejectionCode::ProxyWithoutAuthorization,
        RejectionCode::InvalidChoice,
        RejectionCode::InvalidChannel,
        RejectionCode::OverVoted,
        RejectionCode::UnknownCandidate,
        RejectionCode::DuplicateCandidate,
    ];

    /// The stable snake_case code.
    pub const fn as_str(self) -> &'static str {
        match self {
            RejectionCode::UnknownUnit => "unknown_unit",
            RejectionCode::OutOfScope => "out_of_scope",
            RejectionCode::BeforeOpen => "before_open",
            RejectionCode::AfterClose => "after_close",
            RejectionCode::MissingCastAt => "missing_cast_at",
            RejectionCode::InvalidCastAt => "invalid_cast_at",
            RejectionCode::OwnerConflict => "owner_conflict",
            RejectionCode::ProxyWithoutAuthorization => "proxy_without_authorization",
            RejectionCode::InvalidChoice => "invalid_choice",
            RejectionCode::InvalidChannel => "invalid_channel",
            RejectionCode::OverVoted => "over_voted",
            RejectionCode::UnknownCandidate => "unknown_candidate",
            RejectionCode::DuplicateCandidate => "duplicate_candidate",
        }
    }

    /// The reason in Chinese.
    pub const fn reason_zh(self) -> &'static str {
        match self {
            RejectionCode::UnknownUnit => "名册中无此专有部分",
            RejectionCode::OutOfScope => "专有部分不在本次表决范围内",
            RejectionCode::BeforeOpen => "投票时间早于表决开始",
            RejectionCode::AfterClose => "投票时间晚于表决截止",
            RejectionCode::MissingCastAt => "表决设有期间，但选票无投票时间",
            RejectionCode::InvalidCastAt => "投票时间格式无效",
            RejectionCode::OwnerConflict => "同一业主的选票意见不一致，一并作废",
            RejectionCode::ProxyWithoutAuthorization => "委托投票缺少书面委托书",
            RejectionCode::InvalidChoice => "表决意见无效（应为同意、反对或弃权）",
            RejectionCode::InvalidChannel => "投票方式无效",
            RejectionCode::OverVoted => "所选候选人多于应选名额",
            RejectionCode::UnknownCandidate => "所选之人不是候选人",
            RejectionCode::DuplicateCandidate => "同一候选人被重复选择",
        }
    }

    /// The reason in English.
    pub const fn reason_en(self) -> &'static str {
        match self {
            RejectionCode::UnknownUnit => "the unit is not in the register",
            RejectionCode::OutOfScope => "the unit is outside the scope of this vote",
            RejectionCode::BeforeOpen => "cast before voting opened",
            RejectionCode::AfterClose => "cast after voting closed",
            RejectionCode::MissingCastAt => "the vote has a window but the ballot has no time",
            RejectionCode::InvalidCastAt => "the time cast is not a valid RFC 3339 instant",
            RejectionCode::OwnerConflict => "the same owner's ballots disagree; all are rejected",
            RejectionCode::ProxyWithoutAuthorization => "a proxy ballot without written authorization",
            RejectionCode::InvalidChoice => "the choice is not agree, against or abstain",
            RejectionCode::InvalidChannel => "the channel is not online, paper or proxy",
            RejectionCode::OverVoted => "more candidates marked than there are places",
            RejectionCode::UnknownCandidate => "names someone who is not a candidate",
            RejectionCode::DuplicateCandidate => "names a candidate twice",
        }
    }
}

impl fmt::Display for RejectionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Where each of `fields` is a key of the JSON object `json` (`None` if not).
    pub(crate) fn key_places(json: &str, fields: &[&str]) -> Vec<Option<usize>> {
        fields.iter().map(|f| json.find(&format!("\"{f}\":"))).collect()
    }

    #[test]
    fn the_ballot_table_columns_are_the_records_fields_in_order() {
        let record = BallotRecord {
            unit: "1".into(),
            choice: "agree".into(),
            channel: Some("proxy".into()),
            cast_at: Some("2026-04-01T10:00:00+08:00".into()),
            authorization: Some("A-1".into()),
        };
        let json = crate::json::to_string(&record);
        let places = key_places(&json, &BALLOT_FIELDS);
        assert!(places.iter().all(Option::is_some) && places.is_sorted(), "{json}");
        assert_eq!(json.matches("\":").count(), BALLOT_FIELDS.len(), "{json}");
    }

    fn at(s: &str) -> OffsetDateTime {
        parse_instant("t", s).unwrap()
    }

    #[test]
    fn record_parsing_rejects_instead_of_failing() {
        let rec = |choice: &str, channel: Option<&str>, cast_at: Option<&str>| BallotRecord {
            unit: "1".into(),
            choice: choice.into(),
            channel: channel.map(Into::into),
            cast_at: cast_at.map(Into::into),
            authorization: None,
        };
        assert_eq!(rec("yes", None, None).parse(), Err(RejectionCode::InvalidChoice));
        assert_eq!(
            rec("agree", Some("fax"), None).parse(),
            Err(RejectionCode::InvalidChannel)
        );
        assert_eq!(
            rec("agree", None, Some("noon")).parse(),
            Err(RejectionCode::InvalidCastAt)
        );
        assert!(rec("abstain", Some("paper"), Some("2026-01-01T00:00:00Z"))
            .parse()
            .is_ok());
    }

    #[test]
    fn policies() {
        let early = Ballot::new("1", Choice::Agree).with_cast_at(at("2026-01-01T08:00:00+08:00"));
        let late_paper = Ballot::new("1", Choice::Against)
            .with_channel(Channel::Paper)
            .with_cast_at(at("2026-01-02T08:00:00+08:00"));
        let (early, late_paper) = (early.cast(), late_paper.cast());
        assert!(DuplicatePolicy::LatestWins.replaces(early, late_paper));
        assert!(!DuplicatePolicy::LatestWins.replaces(late_paper, early));
        assert!(DuplicatePolicy::FirstWins.replaces(late_paper, early));
        assert!(!DuplicatePolicy::FirstWins.replaces(early, late_paper));
        assert!(!DuplicatePolicy::PaperPrevails.replaces(late_paper, early));
        assert!(DuplicatePolicy::OnlinePrevails.replaces(late_paper, early));
        // equal times: input order decides
        let same = Ballot::new("1", Choice::Against).with_cast_at(at("2026-01-01T00:00:00Z"));
        let same2 = Ballot::new("1", Choice::Agree).with_cast_at(at("2026-01-01T08:00:00+08:00"));
        assert!(DuplicatePolicy::LatestWins.replaces(same.cast(), same2.cast()));
        assert!(!DuplicatePolicy::FirstWins.replaces(same.cast(), same2.cast()));
    }

    #[test]
    fn window_must_not_close_before_it_opens() {
        let v = VotingRecord {
            opens_at: Some("2026-01-02T00:00:00Z".into()),
            closes_at: Some("2026-01-01T00:00:00Z".into()),
            ..Default::default()
        };
        assert_eq!(v.parse().unwrap_err().code().as_str(), "invalid_date");
    }

    #[test]
    fn moments_remembered_by_day_are_the_moments_of_their_times() {
        let mut moments = Moments::default();
        // the same day in two offsets, days 64 and 365 apart (one place), a
        // leap day, the first second of a day, and one of them again
        for t in [
            "2026-04-13T12:00:00+08:00",
            "2026-04-13T12:00:00Z",
            "2026-06-16T00:00:00+08:00",
            "2027-04-13T23:59:59.999999999+08:00",
            "2028-02-29T00:00:01-05:30",
            "2026-04-13T00:00:00+08:00",
            "1969-12-31T23:59:59Z",
            "2026-04-13T12:00:00+08:00",
        ] {
            assert_eq!(moments.of(at(t)), Moment::from(at(t)), "{t}");
        }
    }

    proptest::proptest! {
        /// Whatever days came before, [`Moments`] gives [`Moment::from`].
        #[test]
        fn moments_agree_with_the_plain_conversion(
            start in -3_000_000_000i64..3_000_000_000,
            // within 200 days of `start`, so that days recur and share places
            times in proptest::collection::vec(
                (0i64..200 * 86_400, 0u32..1_000_000_000, 0usize..4, -86_399i32..86_400),
                1..100,
            ),
        ) {
            let mut moments = Moments::default();
            for (after, nanos, common, any) in times {
                // mostly one of a few offsets, so that a day recurs in its offset
                let offset = [28_800, 0, -19_800].get(common).copied().unwrap_or(any);
                let offset = time::UtcOffset::from_whole_seconds(offset).expect("within a day");
                let t = (OffsetDateTime::from_unix_timestamp(start + after).expect("within range")
                    + time::Duration::nanoseconds(i64::from(nanos)))
                .to_offset(offset);
                proptest::prop_assert_eq!(moments.of(t), Moment::from(t), "{}", t);
            }
        }
    }
}
