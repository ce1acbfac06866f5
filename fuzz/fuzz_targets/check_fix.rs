//! Arbitrary bytes through decode -> analyse -> fix (all rules, unsafe fixes) -> re-parse:
//! nothing may panic, and a fixed text always parses.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tauten_engine::config::LintSettings;
use tauten_engine::driver::check_text;
use tauten_engine::fix::FixMode;
use tauten_engine::{parse, source};

fuzz_target!(|data: &[u8]| {
    let Ok((text, _)) = source::decode(data) else {
        return;
    };
    let rules = tauten_rules::registry::all_rules();
    let outcome = check_text(Path::new("fuzz.py"), &text, tauten_rules::registry::with_calls(&rules), &LintSettings::default(), &Default::default(), FixMode::Unsafe);
    if let Some(fixed) = outcome.fixed_text {
        assert!(!parse::parse(&fixed, None).has_errors(), "fixed text does not parse:\n{fixed}");
    }
});
