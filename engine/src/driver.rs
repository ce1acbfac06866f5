//! Running rules over one text, and fixing it: text in, findings, fixes and the module's summary out
//! (the workspace layer runs it over files).

use std::path::Path;

use crate::callgraph::CallAnalysis;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::fix::{self, FixMode};
use crate::noqa::NoqaMap;
use crate::parse::{self, Parsed};
use crate::project::{FileFacts, ModuleSummary};
use crate::rule::{Context, Derived, RuleSet};
use crate::semantic::{ModelOptions, SemanticModel};
use crate::settings::LintSettings;
use crate::text::TextRange;

/// Fix passes stop after this many, converged or not (fixes that insert at one place, such as
/// moves into a `TYPE_CHECKING` block, take one pass each).
pub const MAX_FIX_PASSES: usize = 100;

/// A fix that was not applied because the text it produced did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedFix {
    pub code: &'static str,
    pub title: String,
    pub range: TextRange,
}

/// The result of checking (and maybe fixing) one text.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Findings left in the final text (the fixed text when fixes were applied), sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The fixed text, when at least one fix was applied.
    pub fixed_text: Option<String>,
    /// Codes of the fixes applied, one entry per fix.
    pub applied: Vec<&'static str>,
    pub dropped: Vec<DroppedFix>,
    /// Where the original text fails to parse. When non-empty, no rule ran and nothing was fixed.
    pub syntax_errors: Vec<TextRange>,
    /// What the project pass needs of the module, from the text as it was before any fix (what
    /// other modules import from it must be judged on what they see now).
    pub summary: ModuleSummary,
    /// The names the rules asked whether other modules import them, in any pass (sorted);
    /// `None` when not known (an outcome from the cache). When none of them has importers, the
    /// names other modules import change nothing in the outcome.
    pub importers_asked: Option<Vec<String>>,
}

/// Lint an already parsed text.
pub fn lint_parsed(
    path: &Path,
    text: &str,
    parsed: &Parsed,
    rules: RuleSet<'_>,
    settings: &LintSettings,
    facts: &FileFacts,
) -> Vec<Diagnostic> {
    let options = ModelOptions::new(settings, facts);
    let semantic = SemanticModel::build_with(&parsed.tree, text, path, &options);
    let derived = Derived::new(rules.calls);
    let ctx = context(path, text, parsed, &semantic, &derived, settings, facts);
    check_rules(&ctx, rules)
}

/// The project pass's summary of a parsed text, without running any rule (the language
/// server's index).
pub fn summarize_parsed(
    path: &Path,
    text: &str,
    parsed: &Parsed,
    settings: &LintSettings,
    facts: &FileFacts,
    calls: &dyn CallAnalysis,
) -> ModuleSummary {
    let options = ModelOptions::new(settings, facts);
    let semantic = SemanticModel::build_with(&parsed.tree, text, path, &options);
    let derived = Derived::new(calls);
    let ctx = context(path, text, parsed, &semantic, &derived, settings, facts);
    summarize(&ctx)
}

/// The module's summary, from the context rules see of it (its call sites are shared with them).
fn summarize(ctx: &Context<'_>) -> ModuleSummary {
    let calls = ctx.derived.calls();
    let functions = calls.functions(ctx.semantic, ctx.call_sites(), ctx.module, ctx.settings);
    ModuleSummary::of(ctx.tree, ctx.source, ctx.semantic, ctx.module, functions)
}

/// Lint a document held in memory, reusing its semantic model across edits where it can (see
/// [`Document::semantic`]). The front end for editors.
pub fn lint_document(
    path: &Path,
    document: &mut Document,
    rules: RuleSet<'_>,
    settings: &LintSettings,
    facts: &FileFacts,
) -> Vec<Diagnostic> {
    let options = ModelOptions::new(settings, facts);
    document.semantic(path, &options);
    let semantic = document.cached_semantic().expect("built above");
    let derived = Derived::new(rules.calls);
    let (text, parsed) = (document.text(), document.parsed());
    let ctx = context(path, text, parsed, semantic, &derived, settings, facts);
    check_rules(&ctx, rules)
}

/// Lint, and with `summarize` also return what the project pass needs of the module.
fn lint(
    path: &Path,
    text: &str,
    parsed: &Parsed,
    rules: RuleSet<'_>,
    settings: &LintSettings,
    facts: &FileFacts,
    summarize: bool,
) -> Linted {
    let options = ModelOptions::new(settings, facts);
    let semantic = SemanticModel::build_with(&parsed.tree, text, path, &options);
    let derived = Derived::new(rules.calls);
    let ctx = context(path, text, parsed, &semantic, &derived, settings, facts);
    let summary = summarize.then(|| self::summarize(&ctx));
    let diagnostics = check_rules(&ctx, rules);
    Linted {
        diagnostics,
        summary,
        importers_asked: derived.importers_asked(),
    }
}

/// What one lint of a text gives.
struct Linted {
    diagnostics: Vec<Diagnostic>,
    /// Only when asked for.
    summary: Option<ModuleSummary>,
    /// The names rules asked about importers of ([`Context::importers_of`]).
    importers_asked: Vec<String>,
}

/// The rules' view of an analysed file.
fn context<'a>(
    path: &'a Path,
    text: &'a str,
    parsed: &'a Parsed,
    semantic: &'a SemanticModel,
    derived: &'a Derived<'a>,
    settings: &'a LintSettings,
    facts: &'a FileFacts,
) -> Context<'a> {
    Context {
        path,
        source: text,
        derived,
        tree: &parsed.tree,
        semantic,
        settings,
        module: &facts.module,
        project: &facts.project,
    }
}

/// Run `rules` over an analysed file; drop what `noqa` comments suppress; sort.
fn check_rules(ctx: &Context<'_>, set: RuleSet<'_>) -> Vec<Diagnostic> {
    let (text, semantic, rules) = (ctx.source, ctx.semantic, set.rules);
    let mut diagnostics = Vec::new();
    for rule in rules {
        rule.check(ctx, &mut diagnostics);
    }
    if !set.kinds_off.is_empty() {
        diagnostics.retain(|d| !set.kinds_off.contains(&(d.code, d.kind)));
    }
    if diagnostics.is_empty() || semantic.comments().is_empty() {
        return sorted(diagnostics);
    }
    let lines = ctx.lines();
    let noqa = NoqaMap::from_comments(text, lines, semantic.comments());
    diagnostics.retain(|d| {
        let meta = rules
            .iter()
            .find(|r| r.meta().code == d.code)
            .map(|r| r.meta());
        let aliases: Vec<&str> = meta
            .map(|m| m.equivalents.iter().map(|e| e.code).collect())
            .unwrap_or_default();
        let suppressed_at =
            |offset: usize| noqa.suppresses(lines.line_of(offset), d.code, &aliases);
        !(suppressed_at(d.noqa_offset) || d.parent_offset.is_some_and(suppressed_at))
    });
    sorted(diagnostics)
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    diagnostics
}

/// Check `text`, applying fixes allowed by `mode` in passes until none is left.
pub fn check_text(
    path: &Path,
    text: &str,
    rules: RuleSet<'_>,
    settings: &LintSettings,
    facts: &FileFacts,
    mode: FixMode,
) -> Outcome {
    let parsed = parse::parse(text, None);
    if parsed.has_errors() {
        return Outcome {
            syntax_errors: parsed.errors,
            ..Outcome::default()
        };
    }
    let mut outcome = Outcome::default();
    let mut current = text.to_owned();
    let linted = lint(path, &current, &parsed, rules, settings, facts, true);
    let mut diagnostics = linted.diagnostics;
    let mut asked = linted.importers_asked;
    outcome.summary = linted.summary.unwrap_or_default();
    if mode != FixMode::Off {
        for _ in 0..MAX_FIX_PASSES {
            let picked = fix::pick_fixes(&diagnostics, mode);
            if picked.is_empty() {
                break;
            }
            let (next, applied, next_parsed) =
                apply_checked(&current, &diagnostics, &picked, &mut outcome.dropped);
            if applied.is_empty() {
                break;
            }
            outcome.applied.extend(applied);
            current = next;
            // The check already parsed the text when every fix went in (the common case).
            let reparsed = next_parsed.unwrap_or_else(|| parse::parse(&current, None));
            let linted = lint(path, &current, &reparsed, rules, settings, facts, false);
            diagnostics = linted.diagnostics;
            asked.extend(linted.importers_asked);
        }
        if current != text {
            outcome.fixed_text = Some(current);
        }
    }
    asked.sort_unstable();
    asked.dedup();
    outcome.importers_asked = Some(asked);
    outcome.diagnostics = diagnostics;
    outcome
}

/// Apply `picked` to `text`; if the result does not parse (by tree-sitter, or by what CPython
/// also refuses: [`crate::validity`]), apply them one by one and drop those that break it.
fn apply_checked(
    text: &str,
    diagnostics: &[Diagnostic],
    picked: &[&crate::Fix],
    dropped: &mut Vec<DroppedFix>,
) -> (String, Vec<&'static str>, Option<Parsed>) {
    let code_of = |fix: &crate::Fix| {
        diagnostics
            .iter()
            .find(|d| d.fix.as_ref() == Some(fix))
            .map_or("", |d| d.code)
    };
    // What CPython would refuse in `text` already, computed only when a result has something.
    let before = std::cell::OnceCell::new();
    // The candidate's parse, when it is valid.
    let valid = |candidate: &str| {
        let parsed = parse::parse(candidate, None);
        if parsed.has_errors() {
            return None;
        }
        let after = crate::validity::check(&parsed.tree, candidate);
        let adds = !after.is_empty()
            && crate::validity::adds_problems(
                before.get_or_init(|| crate::validity::check(&parse::parse(text, None).tree, text)),
                &after,
            );
        (!adds).then_some(parsed)
    };
    let breaks = |candidate: &str| valid(candidate).is_none();
    let all = fix::apply(text, picked);
    if let Some(parsed) = valid(&all) {
        return (
            all,
            picked.iter().map(|f| code_of(f)).collect(),
            Some(parsed),
        );
    }
    // Find the culprits: keep each fix whose edits, alone, leave the text parsing.
    let mut good = Vec::new();
    for fix in picked {
        let alone = fix::apply(text, &[fix]);
        if breaks(&alone) {
            dropped.push(DroppedFix {
                code: code_of(fix),
                title: fix.title.clone(),
                range: fix.range().unwrap_or_default(),
            });
        } else {
            good.push(*fix);
        }
    }
    let combined = fix::apply(text, &good);
    if breaks(&combined) {
        // Each fix is fine alone but not all together (two removals emptying one block, say):
        // keep each fix that still leaves the text valid with those kept before it; the others
        // are retried next pass, against the new text.
        let mut kept: Vec<&crate::Fix> = Vec::new();
        for fix in good {
            kept.push(fix);
            if kept.len() > 1 && breaks(&fix::apply(text, &kept)) {
                kept.pop();
            }
        }
        return (
            fix::apply(text, &kept),
            kept.iter().map(|f| code_of(f)).collect(),
            None,
        );
    }
    (combined, good.iter().map(|f| code_of(f)).collect(), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Edit, Fix};
    use crate::rule::{Family, FixAvailability, Rule, RuleMeta};

    static BREAKER_META: RuleMeta = RuleMeta {
        code: "TAU999",
        name: "test-breaker",
        family: Family::Imports,
        fix: FixAvailability::Always,
        summary: "test",
        doc: "test",
        equivalents: &[],
    };

    /// Reports every `import` keyword; its fix puts an unclosed `(` in its place.
    struct Breaker;

    impl Rule for Breaker {
        fn meta(&self) -> &'static RuleMeta {
            &BREAKER_META
        }

        fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
            for (at, _) in ctx.source.match_indices("import ") {
                let range = TextRange::new(at, at + 6);
                let fix = Fix::new(
                    "break it",
                    Applicability::Safe,
                    vec![Edit::replacement(range, "(")],
                );
                out.push(Diagnostic::new(&BREAKER_META, "import", range).with_fix(Some(fix)));
            }
        }
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_dropped_and_reported() {
        let source = "import os\n";
        let outcome = check_text(
            Path::new("t.py"),
            source,
            crate::rule::RuleSet {
                rules: &[&Breaker],
                calls: &crate::callgraph::NoCallAnalysis,
                kinds_off: &[],
            },
            &LintSettings::default(),
            &FileFacts::default(),
            FixMode::Safe,
        );
        assert_eq!(outcome.fixed_text, None);
        assert_eq!(outcome.dropped.len(), 1);
        assert_eq!(outcome.dropped[0].code, "TAU999");
        assert_eq!(outcome.diagnostics.len(), 1);
    }

    #[test]
    fn files_with_syntax_errors_are_not_checked() {
        let outcome = check_text(
            Path::new("t.py"),
            "import (\n",
            crate::rule::RuleSet {
                rules: &[&Breaker],
                calls: &crate::callgraph::NoCallAnalysis,
                kinds_off: &[],
            },
            &LintSettings::default(),
            &FileFacts::default(),
            FixMode::Safe,
        );
        assert!(!outcome.syntax_errors.is_empty());
        assert!(outcome.diagnostics.is_empty());
        assert_eq!(outcome.fixed_text, None);
    }
}
