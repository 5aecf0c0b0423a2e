//! Money: who must approve a spending request ([`route`]), whether the
//! evidence approves it ([`approve`]), how a cost is shared exactly
//! ([`cost_split`]), and the public revenue ledger ([`revenue_summary`]).
//!
//! - Using or raising the maintenance fund is decided by the owners in the
//!   fund's 列支范围 (民法典 Art. 278 ¶1 items 5 and 6; 物权法 Art. 76 before
//!   2021). In an emergency the committee reviews the repair plan, the street
//!   office or residents' committee confirms, and the fund is used without a
//!   vote; the use is published and audited (民法典 Art. 281 ¶2).
//! - Income from common parts belongs to the owners (民法典 Art. 282); the
//!   committee may spend alone only within a limit the estate's rules set.
//! - Costs are shared in proportion to area unless agreed otherwise
//!   (民法典 Art. 283), in whole fen, by the largest-remainder rule.
//!
//! ```
//! use yeweihui::funds::{cost_split, Basis};
//! use yeweihui::register::{Register, Scope};
//! let reg = Register::from_json(r#"[{"id": "1", "area": "90"}, {"id": "2", "area": "90"}, {"id": "3", "area": "90"}]"#)?;
//! let split = cost_split("10000".parse().unwrap(), &reg, &Scope::Estate, Basis::Area, &[])?;
//! let shares: Vec<String> = split.shares.iter().map(|s| s.share.to_string()).collect();
//! assert_eq!(shares, ["3333.34", "3333.33", "3333.33"]);
//! # Ok::<(), yeweihui::Error>(())
//! ```

use crate::committee::MeetingOutcome;
use crate::error::{Error, Result};
use crate::json::{FromJson, ToJson};
use crate::matter::Matter;
use crate::quantity::Money;
use crate::register::{Register, Scope};
use crate::rulebook::{Citation, Fund, FundAction, Layer, Requirement, RulesInForce, Text};
use crate::tally::Outcome;

/// A request to spend (or raise) money.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct SpendingRequest {
    /// The fund.
    pub fund: Fund,
    /// Spend or raise.
    #[json(default)]
    pub action: FundAction,
    /// What for.
    pub purpose: String,
    /// How much.
    pub amount: Money,
    /// The units that share the cost (列支范围); default the whole estate.
    #[json(default)]
    pub scope: Scope,
    /// The emergency situation claimed, by id (e.g. `elevator_fault`).
    #[json(default, skip_if = "Option::is_none")]
    pub emergency: Option<String>,
}

/// Who must approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Approver {
    /// A resolution of the owners in scope.
    Assembly,
    /// The owners' committee alone, within its limit.
    Committee,
    /// The emergency procedure: review and confirmation, no vote.
    Emergency,
}

/// A step of a route, with its rule.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct Step {
    /// What must happen.
    pub what: Text,
    /// The rule, in Chinese.
    pub citation: String,
    /// The rule, in English.
    pub citation_en: String,
}

fn step(what: Text, citation: &Citation) -> Step {
    Step {
        what,
        citation: citation.zh.clone(),
        citation_en: citation.en.clone(),
    }
}

/// Who must approve a request, by what rule, and what must follow.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
pub struct Route {
    /// Who approves.
    pub approver: Approver,
    /// The request.
    pub request: SpendingRequest,
    /// The assembly matter (route `assembly`).
    #[json(default, skip_if = "Option::is_none")]
    pub matter: Option<Matter>,
    /// Its thresholds (route `assembly`).
    #[json(default, skip_if = "Option::is_none")]
    pub requirement: Option<Requirement>,
    /// The committee's limit for this fund, when the rules set one.
    #[json(default, skip_if = "Option::is_none")]
    pub committee_limit: Option<Money>,
    /// What must happen before the money is spent.
    pub steps: Vec<Step>,
    /// What must follow.
    pub afterwards: Vec<Step>,
    /// Why this route and not another.
    pub notes: Vec<Text>,
    /// The rules in force.
    pub layers: Vec<Layer>,
}

/// Decides who must approve a request and by what rule.
pub fn route(rules: &RulesInForce, request: &SpendingRequest) -> Result<Route> {
    crate::register::check_id("request.purpose", &request.purpose)?;
    let funds = rules.funds();
    let mut route = Route {
        approver: Approver::Assembly,
        request: request.clone(),
        matter: None,
        requirement: None,
        committee_limit: None,
        steps: Vec::new(),
        afterwards: Vec::new(),
        notes: Vec::new(),
        layers: rules.layers().to_vec(),
    };
    if let Some(situation) = &request.emergency {
        let rule = funds
            .emergency
            .as_ref()
            .filter(|_| request.fund == Fund::MaintenanceFund && request.action == FundAction::Use);
        match rule.map(|r| (r, r.situations.iter().find(|s| &s.id == situation))) {
            Some((r, Some(s))) => {
                route.approver = Approver::Emergency;
                route.steps = vec![step(r.reviewed_by.clone(), &r.citation), step(r.confirmed_by.clone(), &r.citation)];
                route.afterwards = r.afterwards.iter().map(|a| step(a.clone(), &r.citation)).collect();
                route.notes.push(Text {
                    zh: format!("紧急情况（{}）：无需业主表决", s.name.zh),
                    en: format!("emergency ({}): no owners' vote needed", s.name.en),
                });
                return Ok(route);
            }
            Some((_, None)) => route.notes.push(Text {
                zh: format!("所述情形“{situation}”不属于规定的紧急情况，按一般程序办理"),
                en: format!("the situation {situation:?} is not one that qualifies as an emergency; the normal procedure applies"),
            }),
            None => route.notes.push(Text {
                zh: "现行规则对该资金未规定紧急使用程序，按一般程序办理".into(),
                en: "the rules in force give no emergency procedure for this fund; the normal procedure applies".into(),
            }),
        }
    }
    let limit = funds.committee_limits.iter().find(|l| l.fund == request.fund);
    if let Some(l) = limit {
        route.committee_limit = Some(l.amount);
        if request.action == FundAction::Use && request.amount <= l.amount {
            route.approver = Approver::Committee;
            route.steps.push(step(
                Text {
                    zh: format!("业主委员会会议决定（限额 {} 元以内）", l.amount),
                    en: format!(
                        "a decision of the owners' committee (within its limit of {} yuan)",
                        l.amount
                    ),
                },
                &l.citation,
            ));
            return Ok(route);
        }
        route.notes.push(Text {
            zh: format!("金额超过业主委员会限额 {} 元，须经业主共同决定", l.amount),
            en: format!(
                "the amount exceeds the committee's limit of {} yuan: the owners must decide",
                l.amount
            ),
        });
    }
    let r = funds
        .routes
        .iter()
        .find(|r| r.fund == request.fund && r.action == request.action)
        .ok_or_else(|| {
            rules.missing(format!(
                "route to {} {}",
                request.action.as_str(),
                request.fund.as_str()
            ))
        })?;
    let requirement = rules.requirement(r.matter)?.clone();
    route.steps.push(step(
        Text {
            zh: format!("由列支范围内的业主共同决定：{}", r.matter.name_zh()),
            en: format!("a resolution of the owners in scope: {}", r.matter.name_en()),
        },
        &r.citation,
    ));
    route.matter = Some(r.matter);
    route.requirement = Some(requirement);
    Ok(route)
}

/// Evidence offered for a request.
#[derive(Debug, Clone, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Evidence {
    /// The owners' resolution (a `tally` outcome).
    #[json(default, skip_if = "Option::is_none")]
    pub assembly: Option<Outcome>,
    /// The committee's decision (a `committee_meeting` outcome).
    #[json(default, skip_if = "Option::is_none")]
    pub committee: Option<MeetingOutcome>,
    /// Who confirmed the emergency (reference to the confirmation).
    #[json(default, skip_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
}

/// Whether a request is approved, and what is missing.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Approval {
    /// Whether the evidence approves the request.
    pub approved: bool,
    /// What is missing or wrong.
    pub missing: Vec<Text>,
    /// The route checked against.
    pub route: Route,
}

/// Checks the evidence against the request's route.
pub fn approve(rules: &RulesInForce, request: &SpendingRequest, evidence: &Evidence) -> Result<Approval> {
    let route = route(rules, request)?;
    let mut missing = Vec::new();
    let mut need = |zh: String, en: String| missing.push(Text { zh, en });
    match route.approver {
        Approver::Assembly => match (&evidence.assembly, route.matter) {
            (None, Some(m)) => need(
                format!("缺少业主共同决定（{}）的表决结果", m.name_zh()),
                format!("no owners' resolution on {m}"),
            ),
            (Some(o), Some(m)) => {
                if o.matter != m {
                    need(
                        format!("表决事项为 {}，应为 {m}", o.matter),
                        format!("the resolution is on {}, not {m}", o.matter),
                    );
                }
                if o.scope != request.scope {
                    need(
                        "表决范围与列支范围不一致".into(),
                        format!(
                            "the resolution's scope ({}) is not the request's ({})",
                            o.scope, request.scope
                        ),
                    );
                }
                if !o.passed {
                    need(
                        "业主共同决定未通过".into(),
                        "the owners' resolution did not pass".into(),
                    );
                }
            }
            (_, None) => need("路由缺少表决事项".into(), "the route names no matter".into()),
        },
        Approver::Committee => match &evidence.committee {
            None => need("缺少业主委员会会议决定".into(), "no committee decision".into()),
            Some(c) if !c.passed => need(
                "业主委员会会议决定未通过或会议无效".into(),
                "the committee meeting was not valid or the decision did not carry".into(),
            ),
            Some(_) => {}
        },
        Approver::Emergency => {
            if !evidence.committee.as_ref().is_some_and(|c| c.passed) {
                need(
                    "缺少业主委员会对维修方案的审核决定".into(),
                    "no valid committee decision reviewing the repair plan".into(),
                );
            }
            if evidence.confirmed_by.as_deref().is_none_or(|s| s.trim().is_empty()) {
                need(
                    "缺少街道办事处或居民委员会的确认".into(),
                    "no confirmation by the street office or residents' committee".into(),
                );
            }
        }
    }
    Ok(Approval {
        approved: missing.is_empty(),
        missing,
        route,
    })
}

/// How a cost is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Basis {
    /// In proportion to area (民法典 Art. 283 default).
    #[default]
    Area,
    /// Equally per unit (where agreed).
    Unit,
}

/// One unit's share.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct Share {
    /// The unit.
    pub unit: String,
    /// Its owner (headcount slot label).
    pub owner: String,
    /// Its share.
    pub share: Money,
    /// Its fund balance before, when given.
    #[json(skip_if = "Option::is_none")]
    pub balance_before: Option<Money>,
    /// Its balance after paying its share (not below zero).
    #[json(skip_if = "Option::is_none")]
    pub balance_after: Option<Money>,
    /// What its balance lacks to pay its share (a top-up is owed).
    #[json(skip_if = "Option::is_none")]
    pub top_up: Option<Money>,
}

/// One owner's total.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct OwnerShare {
    /// The owner.
    pub owner: String,
    /// Units in scope.
    pub units: u64,
    /// The owner's total share.
    pub share: Money,
}

/// An exact split of an amount.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct CostSplit {
    /// The amount split; the shares add up to it exactly.
    pub total: Money,
    /// The basis.
    pub basis: Basis,
    /// Each unit in scope, in register order.
    pub shares: Vec<Share>,
    /// Each owner in scope, in order of first unit.
    pub by_owner: Vec<OwnerShare>,
    /// The rule applied, in Chinese.
    pub citation: String,
    /// The rule applied, in English.
    pub citation_en: String,
}

/// Splits `amount` over the units in scope: each gets its exact share
/// rounded down to the fen; the fen left over go one each to the largest
/// remainders, ties by register order. The shares add up to the amount.
/// `balances` (unit id, balance) adds each unit's fund balance effect.
pub fn cost_split(
    amount: Money,
    register: &Register,
    scope: &Scope,
    basis: Basis,
    balances: &[(String, Money)],
) -> Result<CostSplit> {
    let set = register.resolve(scope)?;
    let units: Vec<usize> = (0..register.len()).filter(|&i| set.contains(i)).collect();
    let weight = |i: usize| -> u128 {
        match basis {
            Basis::Area => u128::from(register.area_of()[i].ten_thousandths()),
            Basis::Unit => 1,
        }
    };
    let total_weight: u128 = units.iter().map(|&i| weight(i)).sum();
    if total_weight == 0 {
        return Err(Error::EmptyScope(format!("{scope} has no area to share the cost by")));
    }
    // Each balance by register position, looked up once.
    let mut balance_at: Vec<Option<Money>> = vec![None; register.len()];
    for (unit, balance) in balances {
        match register.position(unit) {
            Some(p) if set.contains(p) => balance_at[p] = Some(*balance),
            _ => {
                return Err(Error::invalid_input(
                    format!("balances[{unit:?}]"),
                    "not a unit in scope",
                ))
            }
        }
    }
    let fen = u128::from(amount.fen());
    let mut shares: Vec<(usize, u128, u128)> = units
        .iter()
        .map(|&i| {
            let exact = fen * weight(i);
            (i, exact / total_weight, exact % total_weight)
        })
        .collect();
    let given: u128 = shares.iter().map(|s| s.1).sum();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].2.cmp(&shares[a].2).then(a.cmp(&b)));
    for &k in order.iter().take((fen - given) as usize) {
        shares[k].1 += 1;
    }
    let mut by_owner: Vec<OwnerShare> = Vec::new();
    let mut owner_row = vec![usize::MAX; register.owner_count()];
    let shares = shares
        .into_iter()
        .map(|(i, share, _)| {
            let (unit, slot) = (register.id(i), register.owner_of()[i]);
            let share = Money::from_fen(u64::try_from(share).unwrap_or(u64::MAX));
            let owner = register.owner(slot).map(|o| o.label()).unwrap_or_default();
            let row = &mut owner_row[slot as usize];
            if *row == usize::MAX {
                *row = by_owner.len();
                by_owner.push(OwnerShare {
                    owner: owner.clone(),
                    units: 0,
                    share: Money::ZERO,
                });
            }
            let o = &mut by_owner[*row];
            o.units += 1;
            o.share = Money::from_fen(o.share.fen() + share.fen());
            let before = balance_at[i];
            Share {
                unit: unit.to_owned(),
                owner,
                share,
                balance_before: before,
                balance_after: before.map(|b| Money::from_fen(b.fen().saturating_sub(share.fen()))),
                top_up: before.map(|b| Money::from_fen(share.fen().saturating_sub(b.fen()))),
            }
        })
        .collect();
    let (citation, citation_en) = match basis {
        Basis::Area => (
            "民法典 第二百八十三条（按专有部分面积所占比例分摊）",
            "Civil Code Art. 283 (in proportion to area)",
        ),
        Basis::Unit => (
            "民法典 第二百八十三条（按约定：每户均摊）",
            "Civil Code Art. 283 (as agreed: equally per unit)",
        ),
    };
    Ok(CostSplit {
        total: amount,
        basis,
        shares,
        by_owner,
        citation: citation.into(),
        citation_en: citation_en.into(),
    })
}

/// One line of the public revenue ledger.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct LedgerEntry {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `income` or `cost`.
    pub kind: EntryKind,
    /// The amount.
    pub amount: Money,
    /// What it was (e.g. 广告位租金, 电梯广告).
    pub description: String,
}

/// Income or cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum EntryKind {
    /// Income from common parts.
    Income,
    /// A reasonable cost of earning it.
    Cost,
}

/// How the assembly decided to use the net income.
#[derive(Debug, Clone, PartialEq, Eq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct Allocation {
    /// What it goes to (e.g. 补充专项维修资金).
    pub to: String,
    /// How much.
    pub amount: Money,
}

/// The public revenue ledger summarised.
#[derive(Debug, Clone, PartialEq, Eq, ToJson)]
pub struct RevenueSummary {
    /// Total income.
    pub income: Money,
    /// Total costs.
    pub costs: Money,
    /// Income less costs (zero when costs exceed income).
    pub net: Money,
    /// Costs beyond income.
    pub deficit: Money,
    /// Allocated by the assembly.
    pub allocated: Money,
    /// Net not yet allocated.
    pub unallocated: Money,
    /// Whether the allocations fit within the net income.
    pub allocation_within_net: bool,
    /// Entries, in input order (none dropped).
    pub entries: u64,
    /// Whose the income is.
    pub citation: String,
    /// The same in English.
    pub citation_en: String,
}

/// The sum of amounts in fen; an absurd total is an error, never a wrap.
fn total(amounts: impl Iterator<Item = Money>) -> Result<u64> {
    amounts
        .into_iter()
        .try_fold(0u64, |acc, m| acc.checked_add(m.fen()))
        .ok_or_else(|| Error::invalid_input("entries", "the total does not fit in 64 bits of fen"))
}

/// Sums the ledger: the net income belongs to the owners jointly (民法典
/// Art. 282) and is used as the assembly decides.
pub fn revenue_summary(entries: &[LedgerEntry], allocations: &[Allocation]) -> Result<RevenueSummary> {
    for (i, e) in entries.iter().enumerate() {
        crate::calendar::parse_date(&format!("entries[{i}].date"), &e.date)?;
    }
    let income = total(entries.iter().filter(|e| e.kind == EntryKind::Income).map(|e| e.amount))?;
    let costs = total(entries.iter().filter(|e| e.kind == EntryKind::Cost).map(|e| e.amount))?;
    let allocated = total(allocations.iter().map(|a| a.amount))?;
    let net = income.saturating_sub(costs);
    Ok(RevenueSummary {
        income: Money::from_fen(income),
        costs: Money::from_fen(costs),
        net: Money::from_fen(net),
        deficit: Money::from_fen(costs.saturating_sub(income)),
        allocated: Money::from_fen(allocated),
        unallocated: Money::from_fen(net.saturating_sub(allocated)),
        allocation_within_net: allocated <= net,
        entries: entries.len() as u64,
        citation: "民法典 第二百八十二条（共有部分产生的收入，扣除合理成本之后，属于业主共有）".into(),
        citation_en:
            "Civil Code Art. 282 (income from common parts, after reasonable costs, belongs to the owners jointly)"
                .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_date;
    use crate::Rulebook;

    /// A fund and action the rules in force give no route for is named by
    /// their wire names, as the request gave them.
    #[test]
    fn a_request_with_no_route_names_its_fund_and_action() {
        let request: SpendingRequest =
            crate::json::from_str(r#"{"fund": "public_revenue", "action": "raise", "purpose": "x", "amount": "100"}"#)
                .unwrap();
        let rules = Rulebook::preset("cn-national")
            .unwrap()
            .in_force(parse_date("d", "2026-05-01").unwrap())
            .unwrap();
        let e = route(&rules, &request).unwrap_err();
        assert_eq!(e.code().as_str(), "no_law_in_force");
        assert_eq!(
            e.to_string(),
            r#"rulebook "cn-national" has no route to raise public_revenue in force on 2026-05-01"#
        );
    }
}
