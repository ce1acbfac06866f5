//! Choosing rules by code prefix (`TAU`, `TAU1`, `TAU101`, `ALL`), the way ruff's `--select` works.

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

/// How specific `selector` is for `code` (its length), or `None` when it does not match.
fn specificity(selector: &str, code: &str) -> Option<usize> {
    if selector.eq_ignore_ascii_case("ALL") {
        return Some(0);
    }
    code.starts_with(selector).then_some(selector.len())
}

fn best_match<'a>(selectors: impl IntoIterator<Item = &'a String>, code: &str) -> Option<usize> {
    selectors
        .into_iter()
        .filter_map(|s| specificity(s, code))
        .max()
}

/// True when `selector` names at least one of `rules` (or is `ALL`).
pub fn is_known_selector(selector: &str, rules: &[&dyn Rule]) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || rules.iter().any(|r| r.meta().code.starts_with(selector))
}

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

    pub fn is_enabled(&self, code: &str) -> bool {
        let default = [DEFAULT_SELECT.to_owned()];
        let select = self.select.as_deref().unwrap_or(&default);
        let mut enabled = best_match(select.iter().chain(&self.extend_select), code);
        if OPT_IN.contains(&code) {
            let named = select.iter().chain(&self.extend_select).any(|s| s == code);
            enabled = enabled.filter(|_| named);
        }
        let disabled = best_match(&self.ignore, code);
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
            .filter(|r| self.is_enabled(r.meta().code))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(select: Option<&[&str]>, ignore: &[&str]) -> Selectors {
        Selectors {
            select: select.map(|s| s.iter().map(|x| x.to_string()).collect()),
            extend_select: vec![],
            ignore: ignore.iter().map(|x| x.to_string()).collect(),
        }
    }

    #[test]
    fn prefixes_select_and_specific_ignores_win() {
        assert!(sel(None, &[]).is_enabled("TAU101"));
        assert!(sel(Some(&["TAU1"]), &[]).is_enabled("TAU101"));
        assert!(!sel(Some(&["TAU2"]), &[]).is_enabled("TAU101"));
        assert!(!sel(Some(&["TAU"]), &["TAU101"]).is_enabled("TAU101"));
        assert!(sel(Some(&["TAU101"]), &["TAU1"]).is_enabled("TAU101"));
        assert!(!sel(Some(&["TAU101"]), &["TAU101"]).is_enabled("TAU101"));
        assert!(sel(Some(&["ALL"]), &[]).is_enabled("TAU501"));
    }

    #[test]
    fn opt_in_rules_need_their_full_code() {
        assert!(!sel(None, &[]).is_enabled("TAU511"));
        assert!(!sel(Some(&["TAU5"]), &[]).is_enabled("TAU511"));
        assert!(!sel(Some(&["ALL"]), &[]).is_enabled("TAU511"));
        assert!(sel(Some(&["TAU511"]), &[]).is_enabled("TAU511"));
        assert!(sel(Some(&["TAU511"]), &["TAU5"]).is_enabled("TAU511"));
        assert!(!sel(Some(&["TAU511"]), &["TAU511"]).is_enabled("TAU511"));
        let extended = Selectors {
            extend_select: vec!["TAU511".into()],
            ..Selectors::default()
        };
        assert!(extended.is_enabled("TAU511"));
        assert!(extended.is_enabled("TAU510"));
    }

    #[test]
    fn cli_select_replaces_config_select() {
        let config = sel(Some(&["TAU2"]), &["TAU101"]);
        let cli = sel(Some(&["TAU1"]), &[]);
        let merged = config.overridden_by(&cli);
        assert!(!merged.is_enabled("TAU201"));
        assert!(!merged.is_enabled("TAU101"));
        assert!(merged.is_enabled("TAU102"));
    }
}
