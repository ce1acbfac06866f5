//! `--output-format json`: an array in the shape of ruff's JSON output.

use std::io::Write;

use serde::Serialize;

use super::{Finding, Format, Totals};

#[derive(Serialize)]
struct Location {
    column: usize,
    row: usize,
}

#[derive(Serialize)]
struct JsonEdit {
    content: String,
    end_location: Location,
    location: Location,
}

#[derive(Serialize)]
struct JsonFix {
    applicability: &'static str,
    edits: Vec<JsonEdit>,
    message: String,
}

/// Field order follows ruff's output.
#[derive(Serialize)]
struct JsonFinding {
    cell: Option<usize>,
    code: &'static str,
    end_location: Location,
    filename: String,
    fix: Option<JsonFix>,
    location: Location,
    message: String,
    noqa_row: usize,
    url: Option<String>,
}

fn location(finding: &Finding<'_>, offset: usize) -> Location {
    let at = finding.lines.line_column(offset, finding.text);
    Location {
        column: at.column,
        row: at.row,
    }
}

/// Every file's findings as rows, written as one array at the end.
#[derive(Default)]
pub struct Rows(Vec<JsonFinding>);

impl Format for Rows {
    fn file(&mut self, _: &mut dyn Write, findings: &[Finding<'_>]) -> std::io::Result<()> {
        self.0.extend(findings.iter().map(row));
        Ok(())
    }

    fn end(self: Box<Self>, out: &mut dyn Write, _: &Totals) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(&self.0).map_err(std::io::Error::other)?;
        writeln!(out, "{text}")
    }
}

fn row(finding: &Finding<'_>) -> JsonFinding {
    let d = finding.diagnostic;
    JsonFinding {
        cell: None,
        code: d.code,
        end_location: Location {
            column: finding.end.column,
            row: finding.end.row,
        },
        filename: finding.absolute.display().to_string(),
        fix: d.fix.as_ref().map(|fix| JsonFix {
            applicability: match fix.applicability {
                tauten_engine::Applicability::Safe => "safe",
                tauten_engine::Applicability::Unsafe => "unsafe",
            },
            edits: fix
                .edits
                .iter()
                .map(|e| JsonEdit {
                    content: e.content.clone(),
                    end_location: location(finding, e.range.end),
                    location: location(finding, e.range.start),
                })
                .collect(),
            message: fix.title.clone(),
        }),
        location: Location {
            column: finding.start.column,
            row: finding.start.row,
        },
        message: d.message.clone(),
        noqa_row: finding.lines.line_of(d.noqa_offset) + 1,
        url: None,
    }
}
