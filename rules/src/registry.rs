//! Every rule tauten has, in code order.

use tauten_engine::Rule;

use crate::imports::unused_import::UnusedImport;

/// All rules, sorted by code.
pub fn all_rules() -> Vec<&'static dyn Rule> {
    vec![&UnusedImport]
}

/// The rule with this exact code.
pub fn rule_by_code(code: &str) -> Option<&'static dyn Rule> {
    all_rules().into_iter().find(|r| r.meta().code == code)
}
