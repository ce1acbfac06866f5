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

pub fn explain(code: &str) -> Result<u8, CliError> {
    let rule = all_rules()
        .into_iter()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code))
        .ok_or_else(|| CliError::UnknownRule(code.to_owned()))?;
    let page = rule_doc_page(rule.meta());
    let body = page
        .split_once('\n')
        .map_or(page.as_str(), |(_, rest)| rest);
    print!("{body}");
    Ok(EXIT_CLEAN)
}
