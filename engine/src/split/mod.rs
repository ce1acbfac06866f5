//! Splitting an oversized module: a graph of its top-level statements, a plan that keeps
//! strongly connected statements together and orders the new modules so they import each other
//! without cycles, and the texts that apply a plan. Pure functions over text and the semantic
//! model: the caller reads and writes files.

pub mod apply;
pub mod graph;
pub mod importers;
pub mod package;
pub mod plan;

pub use apply::{apply, assignment_from_plan, patch_targets, Applied, Layout};
pub use graph::{build as build_graph, build_with_lines, Graph, Unit, UnitKind};
pub use importers::{retarget_patch_strings, rewrite_importers, Rewritten};
pub use plan::{plan, Assignment, DominantClass, MethodGroup, PartPlan, Plan, SplitOptions};

use crate::semantic::SemanticModel;

/// Lines of `source` as editors and pylint count them (a final newline ends the last line).
pub fn line_count(source: &str) -> usize {
    let bytes = source.as_bytes();
    let breaks = memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count();
    breaks + 1 - usize::from(source.ends_with(['\n', '\r']))
}

/// [`line_count`] from the line index of `source`.
pub fn lines_in(index: &crate::text::LineIndex, source: &str) -> usize {
    index.line_count() - usize::from(source.ends_with(['\n', '\r']))
}

/// Parse and analyse `source`, and plan its split: a convenience for callers holding only text.
pub fn plan_text(
    source: &str,
    module: &str,
    options: &SplitOptions,
) -> Result<(Plan, Graph), String> {
    let parsed = crate::parse::parse(source, None);
    if parsed.has_errors() {
        return Err("the module has syntax errors".into());
    }
    let model = SemanticModel::build(&parsed.tree, source, std::path::Path::new("module.py"));
    let graph = build_graph(source, &parsed.tree, &model);
    let (plan, _) = plan::plan(&graph, source, module, options);
    Ok((plan, graph))
}

impl Plan {
    /// The plan as lines of text.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}.py: {} lines (limit {})",
            self.module, self.total_lines, self.max_lines
        );
        if self.parts.is_empty() {
            let _ = writeln!(out, "no split proposed");
        } else {
            let _ = writeln!(
                out,
                "split into {} new module{}, {} lines stay in {}.py, {} cross reference{}",
                self.parts.len(),
                if self.parts.len() == 1 { "" } else { "s" },
                self.rest_lines,
                self.module,
                self.cross_references,
                if self.cross_references == 1 { "" } else { "s" },
            );
            for part in &self.parts {
                let shown: Vec<&str> = part.statements.iter().take(8).map(String::as_str).collect();
                let more = part.statements.len().saturating_sub(shown.len());
                let _ = writeln!(
                    out,
                    "  {}.py: {} lines, {} statement{}: {}{}",
                    part.name,
                    part.lines,
                    part.statements.len(),
                    if part.statements.len() == 1 { "" } else { "s" },
                    shown.join(", "),
                    if more > 0 {
                        format!(", ... ({more} more)")
                    } else {
                        String::new()
                    },
                );
            }
        }
        if let Some(class) = &self.dominant_class {
            let _ = writeln!(
                out,
                "class {} is {}% of the module ({} lines); method groups:",
                class.name, class.percent, class.lines
            );
            for group in &class.method_groups {
                let _ = writeln!(
                    out,
                    "  {}: {} method{}, {} lines",
                    group.name,
                    group.methods.len(),
                    if group.methods.len() == 1 { "" } else { "s" },
                    group.lines
                );
            }
        }
        for note in &self.notes {
            let _ = writeln!(out, "note: {note}");
        }
        out
    }

    /// A one-line summary for a diagnostic.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| format!("{} ({} lines)", p.name, p.lines))
            .collect();
        parts.push(format!("{} ({} lines stay)", self.module, self.rest_lines));
        let mut text = if self.parts.is_empty() {
            "no split found".to_owned()
        } else {
            format!(
                "split into {} modules: {}; {} cross reference{}",
                self.parts.len() + 1,
                parts.join(", "),
                self.cross_references,
                if self.cross_references == 1 { "" } else { "s" }
            )
        };
        if let Some(class) = &self.dominant_class {
            let _ = std::fmt::Write::write_fmt(
                &mut text,
                format_args!(
                    "; class {} is {}% of the module: consider mixins by method group",
                    class.name, class.percent
                ),
            );
        }
        text
    }
}

#[cfg(test)]
mod tests;
