//! An elevator repair for building 3 of the sample estate (翠湖苑): who must
//! approve it, the same request as an emergency, and how the 86,000.00 yuan
//! cost is shared by area among the building's units, exactly to the fen.
//!
//! Run from the repository root: `cargo run --example elevator_repair`

use yeweihui::calendar::parse_date;
use yeweihui::funds::{cost_split, route, Basis, SpendingRequest};
use yeweihui::register::{Register, Scope};
use yeweihui::rulebook::{Fund, FundAction};
use yeweihui::{csv, Rulebook};

fn main() -> Result<(), yeweihui::Error> {
    let register = Register::new(&csv::units_from_csv(include_str!("data/units.csv"))?)?;
    let rules = Rulebook::preset("cn-national")?.in_force(parse_date("decided_on", "2026-05-20")?)?;
    let building_3 = Scope::Buildings(vec!["3".into()]);
    let amount = "86000"
        .parse()
        .map_err(|e| yeweihui::Error::invalid_input("amount", format!("{e}")))?;
    let request = SpendingRequest {
        fund: Fund::MaintenanceFund,
        action: FundAction::Use,
        purpose: "3号楼1、2号电梯曳引机更换".into(),
        amount,
        scope: building_3.clone(),
        emergency: None,
    };

    let normal = route(&rules, &request)?;
    println!("== 一般程序 / normal procedure: {:?}", normal.approver);
    for s in &normal.steps {
        println!("  - {} ({})", s.what.zh, s.citation);
    }
    if let Some(req) = &normal.requirement {
        if let Some(p) = &req.participation {
            println!("  participation: area {}, owners {}", p.area, p.owners);
        }
        println!(
            "  approval: area {}, owners {} of those taking part",
            req.approval.area, req.approval.owners
        );
    }

    let urgent = route(
        &rules,
        &SpendingRequest {
            emergency: Some("elevator_fault".into()),
            ..request.clone()
        },
    )?;
    println!("\n== 紧急情况 / emergency: {:?}", urgent.approver);
    for s in urgent.steps.iter().chain(&urgent.afterwards) {
        println!("  - {} / {}", s.what.zh, s.what.en);
    }

    let split = cost_split(amount, &register, &building_3, Basis::Area, &[])?;
    let sum: u64 = split.shares.iter().map(|s| s.share.fen()).sum();
    println!(
        "\n== 费用分摊 / cost shares ({}): {} units, {} owners",
        split.citation,
        split.shares.len(),
        split.by_owner.len()
    );
    for s in split.shares.iter().take(6) {
        println!("  {:8} {:>10} 元  ({})", s.unit, s.share.to_string(), s.owner);
    }
    println!("  ... total {} 元 = {} fen, exactly the amount", split.total, sum);
    Ok(())
}
