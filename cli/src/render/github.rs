//! `--output-format github`: GitHub Actions workflow commands, one per finding.

use std::io::Write;

use super::{Finding, Format, Totals};

/// One workflow command per finding, nothing after the last.
pub struct Commands;

impl Format for Commands {
    fn file(&mut self, out: &mut dyn Write, findings: &[Finding<'_>]) -> std::io::Result<()> {
        write(out, findings)
    }

    fn end(self: Box<Self>, _: &mut dyn Write, _: &Totals) -> std::io::Result<()> {
        Ok(())
    }
}

fn write(out: &mut dyn Write, findings: &[Finding<'_>]) -> std::io::Result<()> {
    for finding in findings {
        let d = finding.diagnostic;
        let path = finding.display_path();
        writeln!(
            out,
            "::error title=tauten ({code}),file={path},line={row},col={col},endLine={end_row},endColumn={end_col}::{path}:{row}:{col}: {code} {message}",
            code = d.code,
            row = finding.start.row,
            col = finding.start.column,
            end_row = finding.end.row,
            end_col = finding.end.column,
            message = escape(&d.message),
        )?;
    }
    Ok(())
}

/// Workflow command data escapes `%`, CR and LF.
fn escape(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}
