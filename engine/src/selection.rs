//! Choosing rules by code prefix (`TAU`, `TAU1`, `TAU101`, `ALL`), the way ruff's `--select` works,
//! or by the codes of the same checks in other tools (`F401`, `TC`, `ASYNC2`, `C0302`).

use crate::meta::RuleMeta;
use crate::rule::Rule;

/// Which rules to run: `select` and `extend_select` enable, `ignore` disables; the more specific prefix
/// wins, and an ignore wins a tie.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Selectors {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The selection used when nothing is configured: every rule but the [`OPT_IN`] ones.
pub const DEFAULT_SELECT: &str = "TAU";

/// Rules that run only when a selector names their code in full (`--select TAU511`,
/// `extend-select = ["TAU511"]`): no prefix nor `ALL` enables them.
pub const OPT_IN: &[&str] = &["TAU508", "TAU511"];

/// How specific `selector` is for findings of `code` that other tools call `aliases` (its length),
/// or `None` when it does not match: a prefix of the code or of an alias (`F401` and `F` select
/// TAU101, ruff's and pyflakes' unused import).
fn specificity(selector: &str, code: &str, aliases: &[&str]) -> Option<usize> {
    if selector.eq_ignore_ascii_case("ALL") {
        return Some(0);
    }
    let matches = code.starts_with(selector) || aliases.iter().any(|a| a.starts_with(selector));
    matches.then_some(selector.len())
}

fn best_match<'a>(
    selectors: impl IntoIterator<Item = &'a String>,
    code: &str,
    aliases: &[&str],
) -> Option<usize> {
    selectors
        .into_iter()
        .filter_map(|s| specificity(s, code, aliases))
        .max()
}

/// Every equivalent's code of a rule.
fn aliases(meta: &RuleMeta) -> Vec<&'static str> {
    meta.equivalents.iter().map(|e| e.code).collect()
}

/// True when `selector` names at least one of `rules`, by its code or an equivalent's (or is `ALL`).
pub fn is_known_selector(selector: &str, rules: &[&dyn Rule]) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || (rules.iter())
            .any(|r| specificity(selector, r.meta().code, &aliases(r.meta())).is_some())
}

/// The findings of selected rules that the selection turns off by kind ([`RuleMeta::kinds`]):
/// (rule code, kind), with `None` for the rule's findings that have no kind.
pub type KindsOff = Vec<(&'static str, Option<&'static str>)>;

impl Selectors {
    /// Layer `over` on top of `self`: a new `select` replaces, extensions and ignores add up.
    pub fn overridden_by(&self, over: &Selectors) -> Selectors {
        let mut out = self.clone();
        if let Some(select) = &over.select {
            out.select = Some(select.clone());
            out.extend_select.clear();
            out.ignore.retain(|i| !select.iter().any(|s| s == i));
        }
        out.extend_select.extend(over.extend_select.iter().cloned());
        out.ignore.extend(over.ignore.iter().cloned());
        out
    }

    /// Whether the rule runs: one of its kinds of findings is enabled, or, for a rule of one
    /// kind, its code or one of its equivalents' decides.
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let kinds = meta.kinds();
        if kinds.is_empty() {
            self.enables(meta.code, &aliases(meta))
        } else {
            kinds.iter().any(|kind| self.enables(meta.code, &[kind]))
        }
    }

    /// The kinds of findings of `rules` (those that run) that the selection turns off.
    pub fn kinds_off(&self, rules: &[&dyn Rule]) -> KindsOff {
        let mut off = Vec::new();
        for meta in rules.iter().map(|r| r.meta()) {
            let kinds = meta.kinds();
            if kinds.is_empty() {
                continue;
            }
            for &kind in &kinds {
                if !self.enables(meta.code, &[kind]) {
                    off.push((meta.code, Some(kind)));
                }
            }
            if !self.enables(meta.code, &aliases(meta)) {
                off.push((meta.code, None));
            }
        }
        off
    }

    /// Whether findings of `code`, which other tools call `aliases`, are enabled.
    fn enables(&self, code: &str, aliases: &[&str]) -> bool {
        let default = [DEFAULT_SELECT.to_owned()];
        let select = self.select.as_deref().unwrap_or(&default);
        let mut enabled = best_match(select.iter().chain(&self.extend_select), code, aliases);
        if OPT_IN.contains(&code) {
            let named = select.iter().chain(&self.extend_select).any(|s| s == code);
            enabled = enabled.filter(|_| named);
        }
        let disabled = best_match(&self.ignore, code, aliases);
        match (enabled, disabled) {
            (Some(e), Some(d)) => e > d,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    pub fn apply<'r>(&self, rules: &[&'r dyn Rule]) -> Vec<&'r dyn Rule> {
        rules
            .iter()
            .copied()
            .filter(|r| self.is_enabled(r.meta()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::meta::{Equivalent, Family, FixAvailability};

    /// A rule's metadata with its code and, for TAU101 and TAU201, their equivalents.
    fn rule(code: &'static str) -> RuleMeta {
        const UNUSED: &[Equivalent] = &[
            Equivalent {
                tool: "ruff",
                code: "F401",
            },
            Equivalent {
                tool: "pylint",
                code: "W0611",
            },
        ];
        const TYPING: &[Equivalent] = &[
            Equivalent {
                tool: "ruff",
                code: "TC001",
            },
            Equivalent {
                tool: "ruff",
                code: "TC002",
            },
            Equivalent {
                tool: "ruff",
                code: "TC003",
            },
        ];
        RuleMeta {
            code,
            name: "a-rule",
            family: Family::Imports,
            fix: FixAvailability::None,
            summary: "",
            doc: "",
            equivalents: match code {
                "TAU101" => UNUSED,
                "TAU201" => TYPING,
                _ => &[],
            },
        }
    }

    fn sel(select: Option<&[&str]>, ignore: &[&str]) -> Selectors {
        Selectors {
            select: select.map(|s| s.iter().map(|x| x.to_string()).collect()),
            extend_select: vec![],
            ignore: ignore.iter().map(|x| x.to_string()).collect(),
        }
    }

    #[test]
    fn prefixes_select_and_specific_ignores_win() {
        assert!(sel(None, &[]).is_enabled(&rule("TAU101")));
        assert!(sel(Some(&["TAU1"]), &[]).is_enabled(&rule("TAU101")));
        assert!(!sel(Some(&["TAU2"]), &[]).is_enabled(&rule("TAU101")));
        assert!(!sel(Some(&["TAU"]), &["TAU101"]).is_enabled(&rule("TAU101")));
        assert!(sel(Some(&["TAU101"]), &["TAU1"]).is_enabled(&rule("TAU101")));
        assert!(!sel(Some(&["TAU101"]), &["TAU101"]).is_enabled(&rule("TAU101")));
        assert!(sel(Some(&["ALL"]), &[]).is_enabled(&rule("TAU501")));
    }

    #[test]
    fn other_tools_codes_select_and_ignore_their_equivalents() {
        assert!(sel(Some(&["F401"]), &[]).is_enabled(&rule("TAU101")));
        assert!(sel(Some(&["F"]), &[]).is_enabled(&rule("TAU101")));
        assert!(!sel(Some(&["F401"]), &[]).is_enabled(&rule("TAU201")));
        assert!(sel(Some(&["TC"]), &[]).is_enabled(&rule("TAU201")));
        assert!(!sel(None, &["W0611"]).is_enabled(&rule("TAU101")));
        // The more specific selector wins, whichever tool's code it is.
        assert!(sel(Some(&["TAU101"]), &["F"]).is_enabled(&rule("TAU101")));
        assert!(!sel(Some(&["TAU1"]), &["F401"]).is_enabled(&rule("TAU101")));
        assert!(!sel(Some(&["TC"]), &[]).is_enabled(&rule("TAU511")));
    }

    struct One(&'static RuleMeta);

    impl Rule for One {
        fn meta(&self) -> &'static RuleMeta {
            self.0
        }
        fn check(&self, _: &crate::Context<'_>, _: &mut Vec<crate::Diagnostic>) {}
    }

    #[test]
    fn one_of_several_codes_of_a_tool_selects_that_kind_of_findings() {
        // TAU201 is ruff's TC001 (first-party), TC002 (third-party) and TC003 (standard library).
        let typing: &'static RuleMeta = Box::leak(Box::new(rule("TAU201")));
        let kinds_off = |selectors: &Selectors| selectors.kinds_off(&[&One(typing)]);
        assert_eq!(typing.kinds(), ["TC001", "TC002", "TC003"]);
        assert_eq!(rule("TAU101").kinds(), Vec::<&str>::new());
        let no_stdlib = sel(None, &["TC003"]);
        assert!(no_stdlib.is_enabled(typing));
        assert_eq!(
            kinds_off(&no_stdlib),
            [("TAU201", Some("TC003")), ("TAU201", None)]
        );
        let only_third_party = sel(Some(&["TC002"]), &[]);
        assert!(only_third_party.is_enabled(typing));
        assert_eq!(
            kinds_off(&only_third_party),
            [("TAU201", Some("TC001")), ("TAU201", Some("TC003"))]
        );
        assert!(!sel(None, &["TC00"]).is_enabled(typing));
        assert_eq!(kinds_off(&sel(None, &[])), []);
    }

    #[test]
    fn opt_in_rules_need_their_full_code() {
        assert!(!sel(None, &[]).is_enabled(&rule("TAU511")));
        assert!(!sel(Some(&["TAU5"]), &[]).is_enabled(&rule("TAU511")));
        assert!(!sel(Some(&["ALL"]), &[]).is_enabled(&rule("TAU511")));
        assert!(sel(Some(&["TAU511"]), &[]).is_enabled(&rule("TAU511")));
        assert!(sel(Some(&["TAU511"]), &["TAU5"]).is_enabled(&rule("TAU511")));
        assert!(!sel(Some(&["TAU511"]), &["TAU511"]).is_enabled(&rule("TAU511")));
        let extended = Selectors {
            extend_select: vec!["TAU511".into()],
            ..Selectors::default()
        };
        assert!(extended.is_enabled(&rule("TAU511")));
        assert!(extended.is_enabled(&rule("TAU510")));
    }

    #[test]
    fn cli_select_replaces_config_select() {
        let config = sel(Some(&["TAU2"]), &["TAU101"]);
        let cli = sel(Some(&["TAU1"]), &[]);
        let merged = config.overridden_by(&cli);
        assert!(!merged.is_enabled(&rule("TAU201")));
        assert!(!merged.is_enabled(&rule("TAU101")));
        assert!(merged.is_enabled(&rule("TAU102")));
    }
}
