//! Every rule tauten has, in code order.

use tauten_engine::callgraph::CallAnalysis;
use tauten_engine::{FixAvailability, Rule, RuleMeta, RuleSet};

use crate::asyncio::blocking_file_open::BlockingFileOpen;
use crate::asyncio::blocking_http_call::BlockingHttpCall;
use crate::asyncio::blocking_input::BlockingInput;
use crate::asyncio::blocking_other_call::BlockingOtherCall;
use crate::asyncio::blocking_path_call::BlockingPathCall;
use crate::asyncio::blocking_sleep::BlockingSleep;
use crate::asyncio::blocking_subprocess::BlockingSubprocess;
use crate::asyncio::path_call_without_io::PathCallWithoutIo;
use crate::asyncio::possibly_blocking_call::PossiblyBlockingCall;
use crate::asyncio::transitive_blocking_call::TransitiveBlockingCall;
use crate::imports::unused_import::UnusedImport;
use crate::lazy::eager_reexport_of_heavy_submodule::EagerReexportOfHeavySubmodule;
use crate::lazy::heavy_import_at_module_level::HeavyImportAtModuleLevel;
use crate::size::oversized_module::OversizedModule;
use crate::typing::empty_type_checking_block::EmptyTypeCheckingBlock;
use crate::typing::runtime_import_in_type_checking_block::RuntimeImportInTypeCheckingBlock;
use crate::typing::typing_only_import::TypingOnlyImport;

/// All rules, sorted by code.
pub fn all_rules() -> Vec<&'static dyn Rule> {
    vec![
        &UnusedImport,
        &TypingOnlyImport,
        &RuntimeImportInTypeCheckingBlock,
        &EmptyTypeCheckingBlock,
        &HeavyImportAtModuleLevel,
        &EagerReexportOfHeavySubmodule,
        &OversizedModule,
        &BlockingSleep,
        &BlockingHttpCall,
        &BlockingSubprocess,
        &BlockingFileOpen,
        &BlockingPathCall,
        &BlockingInput,
        &BlockingOtherCall,
        &PathCallWithoutIo,
        &TransitiveBlockingCall,
        &PossiblyBlockingCall,
    ]
}

/// The analysis of calls the checks and the project's summaries are made with (which calls
/// block, the guards they are under): the asyncio family's, whatever rules are selected.
pub fn call_analysis() -> &'static dyn CallAnalysis {
    &crate::asyncio::calls::AsyncCalls
}

/// `rules`, checked with the registry's analysis of calls.
pub fn with_calls<'a>(rules: &'a [&'a dyn Rule]) -> RuleSet<'a> {
    RuleSet {
        rules,
        calls: call_analysis(),
        kinds_off: &[],
    }
}

/// The rule with this exact code.
pub fn rule_by_code(code: &str) -> Option<&'static dyn Rule> {
    all_rules().into_iter().find(|r| r.meta().code == code)
}

/// The Markdown page of a rule: a title, its metadata, then its documentation.
pub fn rule_doc_page(meta: &RuleMeta) -> String {
    let equivalents: Vec<String> = meta
        .equivalents
        .iter()
        .map(|e| format!("{} `{}`", e.tool, e.code))
        .collect();
    let fix = match meta.fix {
        FixAvailability::None => "no",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::Always => "always",
    };
    let body = meta.doc.split_once('\n').map_or("", |(_, rest)| rest);
    let body: String = body
        .lines()
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "<!-- Generated from the rule's doc comment in rules/src; do not edit. -->\n# {code} {name}\n\n{summary}\n\n\
         - Family: {family}\n- Fix: {fix}\n- Same check in other tools: {equivalents}\n\n{body}\n",
        code = meta.code,
        name = meta.name,
        summary = meta.summary.trim(),
        family = meta.family.as_str(),
        equivalents = if equivalents.is_empty() { "none".into() } else { equivalents.join(", ") },
        body = body.trim(),
    )
}
