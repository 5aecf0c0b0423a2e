//! [`Matter`]: what the owners decide together (民法典 Art. 278 ¶1, items 1–9).

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::json::{self, FromJson, JsonKey, ToJson, Value, Writer};

/// A matter decided jointly by the owners, in the order of 民法典 Art. 278 ¶1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Matter {
    /// (1) 制定和修改业主大会议事规则.
    AmendAssemblyRules,
    /// (2) 制定和修改管理规约.
    AmendManagementCovenant,
    /// (3) 选举业主委员会或者更换业主委员会成员.
    ElectCommittee,
    /// (4) 选聘和解聘物业服务企业或者其他管理人.
    HireOrDismissManager,
    /// (5) 使用建筑物及其附属设施的维修资金.
    UseMaintenanceFund,
    /// (6) 筹集建筑物及其附属设施的维修资金.
    RaiseMaintenanceFund,
    /// (7) 改建、重建建筑物及其附属设施.
    Rebuild,
    /// (8) 改变共有部分的用途或者利用共有部分从事经营活动.
    ChangeCommonUse,
    /// (9) 有关共有和共同管理权利的其他重大事项.
    OtherMajor,
}

impl Matter {
    /// All nine matters, in statutory order.
    pub const ALL: [Matter; 9] = [
        Matter::AmendAssemblyRules,
        Matter::AmendManagementCovenant,
        Matter::ElectCommittee,
        Matter::HireOrDismissManager,
        Matter::UseMaintenanceFund,
        Matter::RaiseMaintenanceFund,
        Matter::Rebuild,
        Matter::ChangeCommonUse,
        Matter::OtherMajor,
    ];

    /// The wire name, e.g. `use_maintenance_fund`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Matter::AmendAssemblyRules => "amend_assembly_rules",
            Matter::AmendManagementCovenant => "amend_management_covenant",
            Matter::ElectCommittee => "elect_committee",
            Matter::HireOrDismissManager => "hire_or_dismiss_manager",
            Matter::UseMaintenanceFund => "use_maintenance_fund",
            Matter::RaiseMaintenanceFund => "raise_maintenance_fund",
            Matter::Rebuild => "rebuild",
            Matter::ChangeCommonUse => "change_common_use",
            Matter::OtherMajor => "other_major",
        }
    }

    /// The item number in 民法典 Art. 278 ¶1 (1–9).
    pub fn item(self) -> u8 {
        Matter::ALL.iter().position(|m| *m == self).map_or(0, |i| i as u8 + 1)
    }

    /// The statutory wording in Chinese.
    pub const fn name_zh(self) -> &'static str {
        match self {
            Matter::AmendAssemblyRules => "制定和修改业主大会议事规则",
            Matter::AmendManagementCovenant => "制定和修改管理规约",
            Matter::ElectCommittee => "选举业主委员会或者更换业主委员会成员",
            Matter::HireOrDismissManager => "选聘和解聘物业服务企业或者其他管理人",
            Matter::UseMaintenanceFund => "使用建筑物及其附属设施的维修资金",
            Matter::RaiseMaintenanceFund => "筹集建筑物及其附属设施的维修资金",
            Matter::Rebuild => "改建、重建建筑物及其附属设施",
            Matter::ChangeCommonUse => "改变共有部分的用途或者利用共有部分从事经营活动",
            Matter::OtherMajor => "有关共有和共同管理权利的其他重大事项",
        }
    }

    /// An English rendering.
    pub const fn name_en(self) -> &'static str {
        match self {
            Matter::AmendAssemblyRules => "adopting or amending the assembly's rules of procedure",
            Matter::AmendManagementCovenant => "adopting or amending the management covenant",
            Matter::ElectCommittee => "electing the owners' committee or replacing its members",
            Matter::HireOrDismissManager => "hiring or dismissing the property manager",
            Matter::UseMaintenanceFund => "using the maintenance fund",
            Matter::RaiseMaintenanceFund => "raising the maintenance fund",
            Matter::Rebuild => "altering or rebuilding the buildings and their facilities",
            Matter::ChangeCommonUse => "changing the use of common parts or using them for business",
            Matter::OtherMajor => "another major matter of common ownership and management",
        }
    }
}

impl FromStr for Matter {
    type Err = Error;
    fn from_str(s: &str) -> Result<Matter, Error> {
        Matter::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| Error::UnknownMatter(s.to_owned()))
    }
}

impl fmt::Display for Matter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Written as its wire name.
impl ToJson for Matter {
    fn to_json(&self, out: &mut Writer) {
        out.string(self.as_str());
    }
}

/// Read from its wire name.
impl FromJson for Matter {
    fn from_json(value: Value<'_>) -> std::result::Result<Matter, json::Error> {
        value.str()?.parse().map_err(|e: Error| value.error(e.to_string()))
    }
}

/// Rulebooks key requirements by matter.
impl JsonKey for Matter {
    fn from_key(key: &str) -> std::result::Result<Matter, String> {
        key.parse().map_err(|e: Error| e.to_string())
    }
}

impl AsRef<str> for Matter {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_statutory_order() {
        for (i, m) in Matter::ALL.into_iter().enumerate() {
            assert_eq!(m.item() as usize, i + 1);
            assert_eq!(m.as_str().parse::<Matter>().unwrap(), m);
        }
        assert_eq!(
            "buy_a_boat".parse::<Matter>().unwrap_err().code().as_str(),
            "unknown_matter"
        );
    }
}
