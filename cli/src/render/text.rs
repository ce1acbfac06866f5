//! Human output: full reports rendered with miette (snippet, label, help), one-line findings,
//! and the summary.

use std::io::Write;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};
use tauten_engine::config::ConfigError;
use tauten_engine::Applicability;

use super::{plural, Finding, Format, RenderOptions, Totals};

fn handler() -> GraphicalReportHandler {
    let colours = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout());
    let theme = if colours {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
}

fn fix_help(finding: &Finding<'_>) -> Option<String> {
    let fix = finding.diagnostic.fix.as_ref()?;
    let kind = match fix.applicability {
        Applicability::Safe => "safe fix",
        Applicability::Unsafe => "unsafe fix, needs --unsafe-fixes",
    };
    Some(format!("{} ({kind})", fix.title))
}

/// Full reports: each finding with its snippet, then the summary.
pub struct Full<'o> {
    options: &'o RenderOptions,
    handler: GraphicalReportHandler,
}

impl<'o> Full<'o> {
    pub fn new(options: &'o RenderOptions) -> Self {
        Full {
            options,
            handler: handler(),
        }
    }
}

impl Format for Full<'_> {
    fn file(&mut self, out: &mut dyn Write, findings: &[Finding<'_>]) -> std::io::Result<()> {
        let Some(first) = findings.first() else {
            return Ok(());
        };
        // miette needs owned source text: one shared copy for the file's findings.
        let text = std::sync::Arc::new(first.text.to_owned());
        for finding in findings {
            let report = Report::new(diagnostic(finding, self.options))
                .with_source_code(NamedSource::new(finding.display_path(), text.clone()));
            let mut rendered = String::new();
            (self.handler)
                .render_report(&mut rendered, report.as_ref())
                .map_err(std::io::Error::other)?;
            writeln!(out, "{rendered}")?;
        }
        Ok(())
    }

    fn end(self: Box<Self>, out: &mut dyn Write, totals: &Totals) -> std::io::Result<()> {
        write_summary(out, totals, self.options)
    }
}

/// A finding as miette shows it: code, message, labels and the fix as help (miette appends the
/// line and column to the source's name).
fn diagnostic(finding: &Finding<'_>, options: &RenderOptions) -> MietteDiagnostic {
    let d = finding.diagnostic;
    let marker = if finding.is_fixable(options.unsafe_fixes) {
        "[*] "
    } else {
        ""
    };
    let mut diagnostic = MietteDiagnostic::new(format!("{} {marker}{}", d.code, d.message))
        .with_label(LabeledSpan::at(d.range.start..d.range.end, d.name));
    // Related places (a chain's steps, a grouped helper's call sites) as more labels.
    for related in &d.related {
        diagnostic = diagnostic.and_label(LabeledSpan::at(
            related.range.start..related.range.end,
            related.message.clone(),
        ));
    }
    if let Some(help) = fix_help(finding) {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// One line per finding, then the summary.
pub struct Concise<'o>(pub &'o RenderOptions);

impl Format for Concise<'_> {
    fn file(&mut self, out: &mut dyn Write, findings: &[Finding<'_>]) -> std::io::Result<()> {
        for finding in findings {
            let marker = if finding.is_fixable(self.0.unsafe_fixes) {
                "[*] "
            } else {
                ""
            };
            writeln!(
                out,
                "{}:{}:{}: {} {marker}{}",
                finding.display_path(),
                finding.start.row,
                finding.start.column,
                finding.diagnostic.code,
                finding.diagnostic.message
            )?;
        }
        Ok(())
    }

    fn end(self: Box<Self>, out: &mut dyn Write, totals: &Totals) -> std::io::Result<()> {
        write_summary(out, totals, self.0)
    }
}

/// `Found N errors.`, what `--fix` could do, and what was fixed.
fn write_summary(
    out: &mut dyn Write,
    totals: &Totals,
    options: &RenderOptions,
) -> std::io::Result<()> {
    let Totals {
        findings: remaining,
        safe,
        with_unsafe,
        fixed,
    } = *totals;
    if options.quiet {
        return Ok(());
    }
    if remaining == 0 && fixed == 0 {
        if options.had_error {
            return Ok(());
        }
        return writeln!(out, "All checks passed!");
    }
    if fixed > 0 {
        writeln!(out, "Fixed {fixed} error{}.", plural(fixed))?;
    }
    if remaining > 0 {
        writeln!(out, "Found {remaining} error{}.", plural(remaining))?;
    }
    if safe > 0 && options.fix_mode == tauten_engine::fix::FixMode::Off {
        writeln!(out, "[*] {safe} fixable with the `--fix` option.")?;
    }
    if with_unsafe > safe && !options.unsafe_fixes {
        let hidden = with_unsafe - safe;
        writeln!(
            out,
            "({hidden} more fix{} available with `--fix --unsafe-fixes`.)",
            if hidden == 1 { "" } else { "es" }
        )?;
    }
    Ok(())
}

/// A configuration error with the offending key or value underlined.
pub fn render_config_error(error: &ConfigError, span: std::ops::Range<usize>) -> String {
    let mut diagnostic =
        MietteDiagnostic::new(error.message.clone()).with_label(LabeledSpan::at(span, "here"));
    if let Some(help) = &error.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    let report = Report::new(diagnostic).with_source_code(NamedSource::new(
        error.path.display().to_string(),
        error.source_text.clone(),
    ));
    let mut rendered = String::new();
    let theme = GraphicalTheme::unicode_nocolor();
    let _ = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .render_report(&mut rendered, report.as_ref());
    format!("error: invalid configuration\n{rendered}")
}
