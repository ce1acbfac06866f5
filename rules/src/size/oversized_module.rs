use tauten_engine::split::{build_with_lines, plan, SplitOptions};
use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

declare_rule! {
    /// Finds modules too large to read, review or import cheaply, and proposes how to split them.
    ///
    /// ## What it does
    /// Reports a module with more than `max-lines` lines (default 1000) or more than `max-bytes`
    /// bytes (default 100 KiB), at its first line. The message carries a proposed split: how many
    /// modules, their suggested names and sizes, and how many references would cross between them.
    ///
    /// ## Why is this bad?
    /// Importing any name of a huge module runs all of it. Large modules also hide their structure:
    /// groups of functions that never use each other are easier to read, test and import apart.
    ///
    /// ## How the split is planned
    /// The planner builds a graph of the module's top-level statements: an edge for every reference
    /// (at run time or in annotations only, also from inside function bodies) from one statement to
    /// a name another binds. Imports are not nodes: each new module gets the imports it needs.
    /// Statements that reference each other at run time (mutual recursion, a class and the factory
    /// it calls) form strongly connected components and stay together. Components are placed in
    /// dependency order and cut into parts of balanced size where the fewest references cross, so
    /// that new modules import only earlier ones (typing-only references may point back, under
    /// `if TYPE_CHECKING:`). Module-level code with effects (calls, `if __name__ == "__main__":`,
    /// `__all__`, statements reading `__name__` or `globals()`) stays where it is, and so does every
    /// statement that needs such code at run time (a new module must not import the old one).
    /// Names come from the parts' most frequent identifier words. When one class is more than 60%
    /// of the module, the message says so: moving statements cannot shrink it, but its methods could
    /// be grouped into mixins.
    ///
    /// `tauten split PATH` prints the plan (`--output-format json` for an editable plan) and writes
    /// it with `--write`: new sibling modules with exactly the imports they need, and the original
    /// module re-exporting every moved name (`from .mod_part import name as name`), so importers
    /// keep working. See docs/split.md.
    ///
    /// ## Example
    /// A 3,000-line `utils.py` with string helpers, date helpers and a CLI entry point is reported
    /// as, for instance, `split into 3 modules: utils_text (1200 lines), utils_date (900 lines),
    /// utils (900 lines stay); 4 cross references`.
    ///
    /// ## Options
    /// `[tool.tauten.module-size] max-lines = 1000`, `max-bytes = 102400`.
    ///
    /// ## Fix
    /// None: the split rewrites several files; run `tauten split` to apply it.
    pub struct OversizedModule {
        code: "TAU401",
        name: "oversized-module",
        family: ModuleSize,
        fix: None,
        equivalents: [("pylint", "C0302")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let limits = &ctx.settings.module_size;
    let lines = ctx.lines();
    let line_count = tauten_engine::split::lines_in(lines, ctx.source);
    let bytes = ctx.source.len();
    let too_long = line_count > limits.max_lines;
    let too_big = bytes > limits.max_bytes;
    if !too_long && !too_big {
        return;
    }
    // Over the byte limit only: plan with as many lines as fit in the byte limit on average.
    let max_lines = if too_long {
        limits.max_lines
    } else {
        (line_count * limits.max_bytes / bytes.max(1)).max(1)
    };
    let module = ctx
        .path
        .file_stem()
        .map_or_else(|| "module".to_owned(), |s| s.to_string_lossy().into_owned());
    let graph = build_with_lines(ctx.source, ctx.tree, ctx.semantic, lines);
    let options = SplitOptions {
        max_lines,
        ..SplitOptions::default()
    };
    let (plan, _) = plan(&graph, ctx.source, &module, &options);
    let size = if too_long {
        format!("{line_count} lines (limit {})", limits.max_lines)
    } else {
        format!("{bytes} bytes (limit {})", limits.max_bytes)
    };
    let first = lines.line_range(0, ctx.source);
    let end = first.start
        + ctx.source[first.start..first.end]
            .trim_end_matches(['\n', '\r'])
            .len();
    let first_line = tauten_engine::TextRange::new(first.start, end);
    out.push(Diagnostic::new(
        meta,
        format!("Module has {size}: {}", plan.summary()),
        first_line,
    ));
}
