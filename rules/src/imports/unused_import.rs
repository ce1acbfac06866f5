use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

declare_rule! {
    /// Finds imports that nothing in the module uses.
    ///
    /// ## What it does
    /// Reports an imported name that is never read: not at run time, not in an annotation, not in a
    /// string annotation, not through `__all__`.
    ///
    /// ## Why is this bad?
    /// Every import runs the imported module (and everything it imports) when your module is loaded:
    /// an unused import is start-up time and memory spent for nothing, and noise for readers.
    ///
    /// ## Example
    /// ```python
    /// import os
    /// import sys
    ///
    /// print(sys.argv)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import sys
    ///
    /// print(sys.argv)
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes the name from its import statement, or the whole statement when no name is
    /// left (a block left empty gets `pass`). It is safe, as ruff's F401 fix is: removing an import can
    /// only drop the imported module's side effects. In a package's `__init__.py` the fix is unsafe,
    /// since the name may be there to be re-exported.
    pub struct UnusedImport {
        code: "TAU101",
        name: "unused-import",
        family: Imports,
        fix: Sometimes,
        equivalents: [("ruff", "F401"), ("pyflakes", "F401"), ("pylint", "W0611")],
        check: check,
    }
}

fn check(_meta: &'static RuleMeta, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
