//! `tauten rules` and `tauten explain`.

use std::io::Write;

use tauten_engine::FixAvailability;
use tauten_rules::registry::{all_rules, rule_doc_page};

use crate::args::ListFormat;
use crate::error::CliError;
use crate::EXIT_CLEAN;

fn fix_word(fix: FixAvailability) -> &'static str {
    match fix {
        FixAvailability::None => "no",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::Always => "always",
    }
}

pub fn list(format: ListFormat) -> Result<u8, CliError> {
    let rules = all_rules();
    let mut out = std::io::stdout().lock();
    let io = |err: std::io::Error| CliError::Io(err.to_string());
    match format {
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = rules
                .iter()
                .map(|rule| {
                    let meta = rule.meta();
                    serde_json::json!({
                        "code": meta.code,
                        "name": meta.name,
                        "family": meta.family.as_str(),
                        "fix": fix_word(meta.fix),
                        "summary": meta.summary,
                        "equivalents": meta.equivalents.iter()
                            .map(|e| serde_json::json!({"tool": e.tool, "code": e.code}))
                            .collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)
                .map_err(|e| CliError::Io(e.to_string()))?;
            writeln!(out).map_err(io)?;
        }
        ListFormat::Text => {
            for rule in &rules {
                let meta = rule.meta();
                let equivalents: Vec<String> = meta
                    .equivalents
                    .iter()
                    .map(|e| format!("{} {}", e.tool, e.code))
                    .collect();
                writeln!(
                    out,
                    "{code}  {name:<40} {family:<13} fix: {fix:<9} {summary}\n        same as: {equivalents}",
                    code = meta.code,
                    name = meta.name,
                    family = meta.family.as_str(),
                    fix = fix_word(meta.fix),
                    summary = meta.summary,
                    equivalents = if equivalents.is_empty() { "none".into() } else { equivalents.join(", ") },
                )
                .map_err(io)?;
            }
        }
    }
    Ok(EXIT_CLEAN)
}

/// The documentation of the rule with `code`, or of every rule that is the same check as another
/// tool's `code` (`explain F401`), each after a line naming it.
pub fn explain(code: &str) -> Result<u8, CliError> {
    let rules = all_rules();
    let own: Vec<_> = (rules.iter())
        .filter(|r| r.meta().code.eq_ignore_ascii_case(code))
        .collect();
    let theirs: Vec<_> = (rules.iter())
        .filter(|r| (r.meta().equivalents.iter()).any(|e| e.code.eq_ignore_ascii_case(code)))
        .collect();
    let (found, foreign) = if own.is_empty() {
        (theirs, true)
    } else {
        (own, false)
    };
    if found.is_empty() {
        return Err(CliError::UnknownRule(code.to_owned()));
    }
    for (i, rule) in found.into_iter().enumerate() {
        let meta = rule.meta();
        if i > 0 {
            println!();
        }
        if foreign {
            let same: Vec<_> = (meta.equivalents.iter())
                .filter(|e| e.code.eq_ignore_ascii_case(code))
                .collect();
            let tools: Vec<&str> = same.iter().map(|e| e.tool).collect();
            println!(
                "{} ({}) is tauten's {} ({}):\n",
                same[0].code,
                tools.join(", "),
                meta.code,
                meta.name
            );
        }
        let page = rule_doc_page(meta);
        let body = page
            .split_once('\n')
            .map_or(page.as_str(), |(_, rest)| rest);
        print!("{body}");
    }
    Ok(EXIT_CLEAN)
}
