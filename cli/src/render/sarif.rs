//! `--output-format sarif`: a SARIF 2.1.0 log with the rules' metadata.

use std::io::Write;

use serde_json::json;
use tauten_rules::registry::all_rules;

use super::{Finding, Format, Totals};

/// Every file's findings as results, written in one log with the rules at the end.
#[derive(Default)]
pub struct Results(Vec<serde_json::Value>);

impl Format for Results {
    fn file(&mut self, _: &mut dyn Write, findings: &[Finding<'_>]) -> std::io::Result<()> {
        self.0.extend(findings.iter().map(result));
        Ok(())
    }

    fn end(self: Box<Self>, out: &mut dyn Write, _: &Totals) -> std::io::Result<()> {
        write(out, self.0)
    }
}

fn write(out: &mut dyn Write, results: Vec<serde_json::Value>) -> std::io::Result<()> {
    let rules: Vec<serde_json::Value> = all_rules()
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            json!({
                "id": meta.code,
                "name": meta.name,
                "shortDescription": {"text": meta.summary},
                "fullDescription": {"text": meta.doc, "markdown": meta.doc},
                "properties": {"family": meta.family.as_str()},
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "tauten",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/tauten/tauten",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let text = serde_json::to_string_pretty(&log).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

fn result(finding: &Finding<'_>) -> serde_json::Value {
    let d = finding.diagnostic;
    json!({
        "ruleId": d.code,
        "level": "error",
        "message": {"text": d.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": format!("file://{}", finding.absolute.display())},
                "region": {
                    "startLine": finding.start.row,
                    "startColumn": finding.start.column,
                    "endLine": finding.end.row,
                    "endColumn": finding.end.column,
                }
            }
        }],
    })
}
