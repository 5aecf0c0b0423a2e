//! Explanations of outcomes in Chinese and English: each check with its
//! figures, its threshold, what is missing, and its citation.

use std::fmt::Write;
use std::str::FromStr;

use crate::error::Error;
use crate::json::{FromJson, ToJson};
use crate::quantity::{Area, Comparator, Threshold};
use crate::register::Scope;
use crate::tally::{Check, Outcome};

/// The language of an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, ToJson, FromJson)]
#[json(rename_all = "snake_case")]
pub enum Lang {
    /// 中文.
    #[default]
    Zh,
    /// English.
    En,
}

impl FromStr for Lang {
    type Err = Error;
    fn from_str(s: &str) -> Result<Lang, Error> {
        match s {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            _ => Err(Error::invalid_input("lang", format!("{s:?} is not \"zh\" or \"en\""))),
        }
    }
}

/// Chinese numerals for 0–99 (三, 二十一); larger numbers stay in digits.
fn zh_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[(n % 10) as usize] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n % 10 == 0 { "" } else { DIGITS[(n % 10) as usize] }
        ),
        _ => n.to_string(),
    }
}

/// A threshold in the statute's own words: 三分之二以上, 过半数, 超过五分之三.
pub fn threshold_zh(t: Threshold) -> String {
    let (n, d) = (t.ratio().numer(), t.ratio().denom());
    match (t.comparator(), n, d) {
        (Comparator::MoreThan, 1, 2) => "过半数".to_owned(),
        (Comparator::AtLeast, 1, 2) => "半数以上".to_owned(),
        (Comparator::AtLeast, ..) => format!("{}分之{}以上", zh_number(d), zh_number(n)),
        (Comparator::MoreThan, ..) => format!("超过{}分之{}", zh_number(d), zh_number(n)),
    }
}

/// A threshold in English: "at least 2/3 (inclusive)", "more than 1/2".
pub fn threshold_en(t: Threshold) -> String {
    match t.comparator() {
        Comparator::AtLeast => format!("at least {} (inclusive)", t.ratio()),
        Comparator::MoreThan => format!("more than {} (exclusive)", t.ratio()),
    }
}

/// How a check's quantity is worded.
trait Worded {
    fn zh(&self) -> String;
    fn en(&self) -> String;
    fn shortfall_zh(&self) -> String;
    fn shortfall_en(&self) -> String;
}

impl Worded for Area {
    fn zh(&self) -> String {
        format!("{self} m²")
    }
    fn en(&self) -> String {
        format!("{self} m²")
    }
    fn shortfall_zh(&self) -> String {
        format!("{} m²", self.to_string_2dp_ceil())
    }
    fn shortfall_en(&self) -> String {
        format!("{} m²", self.to_string_2dp_ceil())
    }
}

impl Worded for u64 {
    fn zh(&self) -> String {
        format!("{self} 人")
    }
    fn en(&self) -> String {
        count_en(*self, "owner", "owners")
    }
    fn shortfall_zh(&self) -> String {
        format!("{self} 名业主")
    }
    fn shortfall_en(&self) -> String {
        count_en(*self, "more owner", "more owners")
    }
}

/// A count and its English noun, singular for one: `1 day`, `15 days`.
pub(crate) fn count_en(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

fn check_line<Q: Worded>(out: &mut String, lang: Lang, what: (&str, &str), c: &Check<Q>) {
    let mark = if c.met { "✔" } else { "✘" };
    // Writing to a String cannot fail.
    let _ = match lang {
        Lang::Zh => {
            let verdict = if c.met {
                "达到".to_owned()
            } else {
                format!(
                    "未达到，还差 {}（{}）",
                    c.shortfall.shortfall_zh(),
                    if c.reachable {
                        "未表决的业主足以补足"
                    } else {
                        "未表决的业主不足以补足"
                    }
                )
            };
            writeln!(
                out,
                "{mark} {}：{}，基数 {}，要求{}；{}。依据：{}",
                what.0,
                c.measured.zh(),
                c.base.zh(),
                threshold_zh(c.required),
                verdict,
                c.citation
            )
        }
        Lang::En => {
            let verdict = if c.met {
                "met".to_owned()
            } else {
                format!(
                    "not met, needs {} ({})",
                    c.shortfall.shortfall_en(),
                    if c.reachable {
                        "owners who have not voted could supply it"
                    } else {
                        "more than the owners who have not voted hold"
                    }
                )
            };
            writeln!(
                out,
                "{mark} {}: {} of {}, required {}; {}. Rule: {}",
                what.1,
                c.measured.en(),
                c.base.en(),
                threshold_en(c.required),
                verdict,
                c.citation_en
            )
        }
    };
}

impl Outcome {
    /// A plain-text explanation: the verdict, the law, the scope, each check
    /// with its figures and citation, the votes, and every rejected ballot.
    ///
    /// ```
    /// # use yeweihui::{tally, Matter, Rulebook};
    /// # use yeweihui::ballot::{Ballot, Choice};
    /// # use yeweihui::calendar::parse_date;
    /// # use yeweihui::register::Register;
    /// # use yeweihui::tally::Motion;
    /// # use yeweihui::explain::Lang;
    /// # let register = Register::from_json(r#"[{"id": "1", "area": "100"}, {"id": "2", "area": "100"}, {"id": "3", "area": "100"}]"#)?;
    /// # let motion = Motion::new(Matter::OtherMajor, parse_date("d", "2026-01-05")?);
    /// let outcome = tally(Rulebook::preset("cn-national")?, &register, &motion, &[Ballot::new("1", Choice::Agree)])?;
    /// let text = outcome.explain(Lang::En);
    /// assert!(text.contains("needs 1 more owner"));
    /// assert!(outcome.explain(Lang::Zh).contains("民法典 第二百七十八条第二款"));
    /// # Ok::<(), yeweihui::Error>(())
    /// ```
    pub fn explain(&self, lang: Lang) -> String {
        let mut out = String::new();
        let zh = lang == Lang::Zh;
        let m = self.matter;
        let _ = if zh {
            writeln!(
                out,
                "表决事项：{}（{}）\n结论：{}\n适用规则：{}（{} / {}）",
                m.name_zh(),
                m.as_str(),
                if self.passed { "通过" } else { "未通过" },
                self.law.citation,
                self.law.rulebook,
                self.law.version
            )
        } else {
            writeln!(
                out,
                "Matter: {} ({})\nResult: {}\nLaw applied: {} ({} / {})",
                m.name_en(),
                m.as_str(),
                if self.passed { "PASSED" } else { "NOT PASSED" },
                self.law.citation_en,
                self.law.rulebook,
                self.law.version
            )
        };
        let scope_zh = match &self.scope {
            Scope::Estate => "整个物业管理区域".to_owned(),
            Scope::Buildings(b) => format!("楼栋 {}", b.join("、")),
            Scope::Units(u) => format!("指定的 {} 个专有部分", u.len()),
        };
        let b = &self.base;
        let _ = if zh {
            writeln!(
                out,
                "表决范围：{scope_zh}；专有部分 {} 个，业主 {} 人，专有部分面积 {} m²（面积与人数按区分所有权解释第八条、第九条计算）",
                b.units, b.owners, b.area
            )
        } else {
            writeln!(
                out,
                "Scope: {}; {}, {}, {} m² (area and headcount per the SPC Interpretation on Condominium Ownership, Arts. 8-9)",
                self.scope,
                count_en(b.units, "unit", "units"),
                b.owners.en(),
                b.area
            )
        };
        let c = &self.checks;
        if let Some(pa) = &c.participation_area {
            check_line(&mut out, lang, ("参与表决的专有部分面积", "Participation by area"), pa);
        }
        if let Some(po) = &c.participation_owners {
            check_line(&mut out, lang, ("参与表决的业主人数", "Participation by owners"), po);
        }
        check_line(
            &mut out,
            lang,
            ("同意的专有部分面积", "Approval by area"),
            &c.approval_area,
        );
        check_line(
            &mut out,
            lang,
            ("同意的业主人数", "Approval by owners"),
            &c.approval_owners,
        );
        let v = &self.votes;
        let s = &self.ballots;
        let _ = if zh {
            writeln!(
                out,
                "表决情况：同意 {} 人 / {} m²，反对 {} 人 / {} m²，弃权 {} 人 / {} m²\n选票：收到 {} 张，计入 {} 张，被替代 {} 张，不予计入 {} 张",
                v.agree.owners, v.agree.area, v.against.owners, v.against.area, v.abstain.owners, v.abstain.area,
                s.received, s.counted, s.superseded, s.rejected
            )
        } else {
            writeln!(
                out,
                "Votes: agree {} / {} m², against {} / {} m², abstain {} / {} m²\nBallots: {} received, {} counted, {} superseded, {} rejected",
                v.agree.owners.en(), v.agree.area, v.against.owners, v.against.area, v.abstain.owners, v.abstain.area,
                s.received, s.counted, s.superseded, s.rejected
            )
        };
        for r in &self.rejected {
            let _ = if zh {
                writeln!(out, "  不予计入：第 {} 张（{}）：{}", r.index + 1, r.unit, r.reason)
            } else {
                writeln!(out, "  rejected: ballot #{} ({}): {}", r.index + 1, r.unit, r.reason_en)
            };
        }
        for r in &self.superseded {
            let _ = if zh {
                writeln!(
                    out,
                    "  被替代：第 {} 张（{}）由第 {} 张替代",
                    r.index + 1,
                    r.unit,
                    r.by + 1
                )
            } else {
                writeln!(
                    out,
                    "  superseded: ballot #{} ({}) by ballot #{}",
                    r.index + 1,
                    r.unit,
                    r.by + 1
                )
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::Ratio;

    #[test]
    fn statutory_wording() {
        let t = |c, n, d| Threshold::new(c, Ratio::new(n, d).unwrap()).unwrap();
        assert_eq!(threshold_zh(t(Comparator::AtLeast, 2, 3)), "三分之二以上");
        assert_eq!(threshold_zh(t(Comparator::AtLeast, 3, 4)), "四分之三以上");
        assert_eq!(threshold_zh(t(Comparator::MoreThan, 1, 2)), "过半数");
        assert_eq!(threshold_zh(t(Comparator::MoreThan, 3, 5)), "超过五分之三");
        assert_eq!(threshold_zh(t(Comparator::AtLeast, 11, 20)), "二十分之十一以上");
        assert_eq!(threshold_en(t(Comparator::MoreThan, 1, 2)), "more than 1/2 (exclusive)");
        assert_eq!(zh_number(100), "100");
        assert_eq!("fr".parse::<Lang>().unwrap_err().code().as_str(), "invalid_input");
    }
}
