//! What CPython rejects that tree-sitter-python accepts silently, found in a parsed tree.
//!
//! tree-sitter recovers from, or simply allows, a few constructs that CPython's compiler refuses:
//! a block left with only comments (an `IndentationError`), `await await x`, `await` or `async
//! with`/`async for` outside an `async def`, `return` outside a function, a `from __future__`
//! import after other statements, `import a,` without parentheses,
//! and PEP 810 `lazy` imports where Python forbids them. Fixes can produce each of these (removing
//! the last statement of a block, turning a blocking call into an awaited one, moving imports), so
//! the driver treats a fix that adds one like a fix that breaks the syntax.

use crate::syntax::NodeKind;
use tree_sitter::{Node, Tree};

use crate::text::TextRange;

/// A construct CPython rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Problem {
    /// A block (function, class, `if`, loop, `with`, `try` clause, `case` body) with no statement.
    EmptyBlock,
    /// `await` directly applied to another `await` (`await await x`; `await (await x)` is fine)
    /// or to a unary operation (`await -x`), which tree-sitter accepts as its operand.
    AwaitOperand,
    /// `await`, `async with` or `async for` outside an `async def` body (at module level, in a
    /// plain `def`, a lambda or a class body).
    AsyncOutsideAsyncFunction,
    /// `return` outside a function (at module level or in a class body).
    ReturnOutsideFunction,
    /// A `from __future__` import that is not at the top of the module.
    MisplacedFutureImport,
    /// `import a,` / `from x import a,`: a trailing comma without parentheses.
    ImportTrailingComma,
    /// A PEP 810 `lazy` import inside a function, class or `try` statement, of `*`, or of `__future__`.
    InvalidLazyImport,
}

impl Problem {
    pub fn describe(self) -> &'static str {
        match self {
            Problem::EmptyBlock => "block without statements",
            Problem::AwaitOperand => "`await` of an unparenthesised `await`",
            Problem::AsyncOutsideAsyncFunction => "`await` or `async` outside an async function",
            Problem::ReturnOutsideFunction => "`return` outside a function",
            Problem::MisplacedFutureImport => {
                "`from __future__` import not at the top of the module"
            }
            Problem::ImportTrailingComma => "trailing comma in an import without parentheses",
            Problem::InvalidLazyImport => "`lazy` import where Python forbids it",
        }
    }
}

/// One construct CPython rejects, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Invalid {
    pub problem: Problem,
    pub range: TextRange,
}

/// Where the code being walked runs, for `await` and `async`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Module,
    AsyncFunction,
    /// A plain `def` or a lambda: `await` is refused there.
    Other,
    /// A class body: neither `await` nor `return`.
    Class,
    /// Inside a `try` statement at module level (for `lazy` imports); otherwise like `Module`.
    ModuleTry,
}

/// Every construct of `tree` (parsed from `source`) that CPython rejects, in walk order. Iterative:
/// one cursor, a stack of scopes as deep as the tree.
pub fn check(tree: &Tree, source: &str) -> Vec<Invalid> {
    let mut found = Vec::new();
    let root = tree.root_node();
    check_module_level_futures(root, &mut found);
    let mut cursor = root.walk();
    // The scope of each node on the path from the root to the cursor.
    let mut scopes: Vec<Scope> = vec![Scope::Module];
    loop {
        let node = cursor.node();
        let scope = *scopes.last().expect("the root's scope stays");
        inspect(node, scope, source, &mut found);
        if cursor.goto_first_child() {
            let child_scope = scope_of_child(node, cursor.field_name(), scope);
            scopes.push(child_scope);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                scopes.pop();
                let parent = cursor.node().parent().expect("a sibling has a parent");
                let parent_scope = *scopes.last().expect("the root's scope stays");
                scopes.push(scope_of_child(parent, cursor.field_name(), parent_scope));
                break;
            }
            if !cursor.goto_parent() {
                return found;
            }
            scopes.pop();
        }
    }
}

/// The scope of a child of `parent` (in `parent_scope`) reached through `field`.
fn scope_of_child(parent: Node<'_>, field: Option<&str>, parent_scope: Scope) -> Scope {
    match (parent.kind_name(), field) {
        ("function_definition", Some("body")) => {
            if is_async(parent) {
                Scope::AsyncFunction
            } else {
                Scope::Other
            }
        }
        ("lambda", Some("body")) => Scope::Other,
        ("class_definition", Some("body")) => Scope::Class,
        ("try_statement", _) if parent_scope == Scope::Module => Scope::ModuleTry,
        _ => parent_scope,
    }
}

fn is_async(node: Node<'_>) -> bool {
    node.child(0).is_some_and(|c| c.kind_name() == "async")
}

fn inspect(node: Node<'_>, scope: Scope, source: &str, found: &mut Vec<Invalid>) {
    let mut push = |problem, node: Node<'_>| {
        found.push(Invalid {
            problem,
            range: TextRange::of_node(node),
        })
    };
    if !node.is_named() {
        return; // keywords (the `await` token has the kind of its expression)
    }
    match node.kind_name() {
        "block" => {
            let mut cursor = node.walk();
            let empty = node
                .named_children(&mut cursor)
                .all(|c| c.kind_name() == "comment");
            if empty {
                // An empty block may have no extent: report its header's statement instead.
                push(Problem::EmptyBlock, node.parent().unwrap_or(node));
            }
        }
        "await" => {
            if scope != Scope::AsyncFunction {
                push(Problem::AsyncOutsideAsyncFunction, node);
            }
            // tree-sitter's `await` takes any primary expression, CPython's only a primary (so
            // not `await x` nor `-x`); `await x ** 2` is valid though tree-sitter nests it oddly.
            if node
                .named_child(0)
                .is_some_and(|c| matches!(c.kind_name(), "await" | "unary_operator"))
            {
                push(Problem::AwaitOperand, node);
            }
        }
        "return_statement" if !matches!(scope, Scope::AsyncFunction | Scope::Other) => {
            push(Problem::ReturnOutsideFunction, node);
        }
        "with_statement" | "for_statement" | "for_in_clause"
            if is_async(node) && scope != Scope::AsyncFunction =>
        {
            push(Problem::AsyncOutsideAsyncFunction, node);
        }
        "import_statement" | "import_from_statement" | "future_import_statement" => {
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
            let parenthesized = children.iter().any(|c| c.kind_name() == "(");
            if !parenthesized && children.last().is_some_and(|c| c.kind_name() == ",") {
                push(Problem::ImportTrailingComma, node);
            }
            if !crate::parse::is_lazy_import(source, node.start_byte()) {
                return;
            }
            if node.kind_name() == "future_import_statement" {
                push(Problem::InvalidLazyImport, node);
                return;
            }
            // Module scope includes module-level `if` and `with` blocks, not `try` statements.
            let at_module_level = scope == Scope::Module;
            let star = children.iter().any(|c| c.kind_name() == "wildcard_import");
            if !at_module_level || star {
                push(Problem::InvalidLazyImport, node);
            }
        }
        _ => {}
    }
}

/// `from __future__` imports: only at module level, after nothing but the docstring, comments and
/// other future imports.
fn check_module_level_futures(root: Node<'_>, found: &mut Vec<Invalid>) {
    let mut cursor = root.walk();
    let mut top = true;
    for (index, child) in root.named_children(&mut cursor).enumerate() {
        match child.kind_name() {
            "comment" => {}
            "future_import_statement" => {
                if !top {
                    found.push(Invalid {
                        problem: Problem::MisplacedFutureImport,
                        range: TextRange::of_node(child),
                    });
                }
            }
            "expression_statement"
                if index == first_statement_index(root)
                    && child.named_child_count() == 1
                    && child.named_child(0).is_some_and(|s| {
                        matches!(s.kind_name(), "string" | "concatenated_string")
                    }) => {}
            _ => top = false,
        }
    }
    // Nested future imports (in a function, a class, an `if`) are always refused.
    if root.child_count() == 0 {
        return;
    }
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind_name() == "future_import_statement" {
                if node.kind_name() != "module" {
                    found.push(Invalid {
                        problem: Problem::MisplacedFutureImport,
                        range: TextRange::of_node(child),
                    });
                }
            } else if is_statement_container(child) {
                stack.push(child);
            }
        }
    }
}

/// Index (among named children) of the module's first child that is not a comment.
fn first_statement_index(root: Node<'_>) -> usize {
    let mut cursor = root.walk();
    let found = root
        .named_children(&mut cursor)
        .position(|c| c.kind_name() != "comment")
        .unwrap_or(0);
    found
}

/// Nodes that can hold statements (compound statements and their clauses and blocks).
fn is_statement_container(node: Node<'_>) -> bool {
    matches!(
        node.kind_name(),
        "block"
            | "function_definition"
            | "class_definition"
            | "decorated_definition"
            | "if_statement"
            | "elif_clause"
            | "else_clause"
            | "for_statement"
            | "while_statement"
            | "with_statement"
            | "try_statement"
            | "except_clause"
            | "except_group_clause"
            | "finally_clause"
            | "match_statement"
            | "case_clause"
    )
}

/// True when the text `after` has a construct CPython rejects that `before` did not have: for
/// some problem, more occurrences (locations move with edits, so counts are compared).
pub fn adds_problems(before: &[Invalid], after: &[Invalid]) -> bool {
    let counts = |list: &[Invalid]| {
        let mut counts = std::collections::BTreeMap::<Problem, usize>::new();
        for invalid in list {
            *counts.entry(invalid.problem).or_default() += 1;
        }
        counts
    };
    let (before, after) = (counts(before), counts(after));
    after
        .iter()
        .any(|(problem, n)| *n > before.get(problem).copied().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(source: &str) -> Vec<Problem> {
        let parsed = crate::parse::parse(source, None);
        assert!(
            !parsed.has_errors(),
            "tree-sitter should accept this silently: {source:?}"
        );
        let mut found: Vec<Problem> = check(&parsed.tree, source)
            .into_iter()
            .map(|i| i.problem)
            .collect();
        found.sort();
        found
    }

    #[test]
    fn valid_code_has_no_problem() {
        let source = "\"\"\"Doc.\"\"\"\n# c\nfrom __future__ import annotations\nimport os\n\n\
            async def f(x):\n    await x\n    await (await x)\n    y = [await z for z in x]\n    \
            async with x:\n        pass\n    async for a in x:\n        pass\n    \
            return {a async for a in x}\n\n\
            def g():\n    # comment\n    pass\n\nclass A:\n    x = 1\n\n\
            match x:\n    case 1:\n        pass\n\nlambda: 1\n";
        assert_eq!(problems(source), vec![]);
    }

    #[test]
    fn blocks_with_only_comments_are_empty() {
        for source in [
            "def f(self):\n    # only a comment\n\nx = 1\n",
            "def f(self):\n    # only a comment\n",
            "def f():\n\nx = 1\n",
            "class A:\n    # c\n",
            "if x:\n    # c\nelse:\n    pass\n",
            "for a in b:\n    # c\n",
            "while x:\n    # c\n",
            "with x:\n    # c\n",
            "try:\n    # c\nexcept E:\n    pass\n",
            "try:\n    pass\nexcept E:\n    # c\n",
            "try:\n    pass\nfinally:\n    # c\n",
            "match x:\n    case 1:\n        # c\n",
        ] {
            // tree-sitter accepts every one of these without an error node.
            assert_eq!(problems(source), vec![Problem::EmptyBlock], "{source:?}");
        }
    }

    #[test]
    fn await_of_await_needs_parentheses() {
        assert_eq!(
            problems("async def f(x):\n    await await x\n"),
            vec![Problem::AwaitOperand]
        );
        assert_eq!(problems("async def f(x):\n    await (await x)\n"), vec![]);
        assert_eq!(
            problems("async def f(x):\n    await -x\n"),
            vec![Problem::AwaitOperand]
        );
        assert_eq!(problems("async def f(x):\n    await (-x)\n"), vec![]);
        assert_eq!(problems("async def f(x):\n    await x ** 2\n"), vec![]);
    }

    #[test]
    fn await_only_in_async_function_bodies() {
        let outside = Problem::AsyncOutsideAsyncFunction;
        assert_eq!(problems("await x\n"), vec![outside]);
        assert_eq!(problems("def f(x):\n    await x\n"), vec![outside]);
        assert_eq!(
            problems("async def f(x):\n    def g():\n        await x\n"),
            vec![outside]
        );
        assert_eq!(
            problems("async def f(x):\n    return lambda: await x\n"),
            vec![outside]
        );
        assert_eq!(
            problems("async def f(x):\n    class A:\n        y = await x\n"),
            vec![outside]
        );
        assert_eq!(
            problems("def f(x):\n    async with x:\n        pass\n"),
            vec![outside]
        );
        assert_eq!(
            problems("def f(x):\n    async for a in x:\n        pass\n"),
            vec![outside]
        );
        assert_eq!(
            problems("def f(x):\n    return [a async for a in x]\n"),
            vec![outside]
        );
        assert_eq!(problems("[await a for a in x]\n"), vec![outside]);
        // A nested function's defaults and decorators run in the enclosing async body.
        assert_eq!(
            problems("async def f(x):\n    @d(await x)\n    def g(y=await x):\n        pass\n"),
            vec![]
        );
    }

    #[test]
    fn return_only_in_functions() {
        let outside = Problem::ReturnOutsideFunction;
        assert_eq!(problems("return 1\n"), vec![outside]);
        assert_eq!(problems("if x:\n    return\n"), vec![outside]);
        assert_eq!(problems("class A:\n    return 1\n"), vec![outside]);
        assert_eq!(
            problems("def f():\n    class A:\n        return 1\n"),
            vec![outside]
        );
        assert_eq!(problems("def f():\n    return 1\n"), vec![]);
        assert_eq!(
            problems("class A:\n    async def f(self):\n        return 1\n"),
            vec![]
        );
    }

    #[test]
    fn future_imports_only_at_the_top() {
        assert_eq!(
            problems("import os\nfrom __future__ import annotations\n"),
            vec![Problem::MisplacedFutureImport]
        );
        assert_eq!(
            problems("def f():\n    from __future__ import annotations\n"),
            vec![Problem::MisplacedFutureImport]
        );
        assert_eq!(
            problems(
                "'''doc'''\nfrom __future__ import annotations\nfrom __future__ import division\n"
            ),
            vec![]
        );
    }

    #[test]
    fn trailing_commas_in_imports_need_parentheses() {
        let comma = Problem::ImportTrailingComma;
        assert_eq!(problems("import a,\n"), vec![comma]);
        assert_eq!(problems("from x import a,\n"), vec![comma]);
        assert_eq!(problems("from x import a, b\n"), vec![]);
        assert_eq!(problems("from x import (a,)\n"), vec![]);
        assert_eq!(problems("from x import (\n    a,\n)\n"), vec![]);
    }

    #[test]
    fn lazy_imports_only_at_module_level_outside_try() {
        let invalid = Problem::InvalidLazyImport;
        assert_eq!(
            problems("lazy import json\nlazy from os import path\n"),
            vec![]
        );
        assert_eq!(problems("with x:\n    lazy import json\n"), vec![]);
        assert_eq!(problems("if x:\n    lazy import json\n"), vec![]);
        assert_eq!(problems("def f():\n    lazy import json\n"), vec![invalid]);
        assert_eq!(problems("class A:\n    lazy import json\n"), vec![invalid]);
        assert_eq!(
            problems("try:\n    lazy import json\nexcept ImportError:\n    pass\n"),
            vec![invalid]
        );
        assert_eq!(problems("lazy from json import *\n"), vec![invalid]);
        assert_eq!(
            problems("lazy from __future__ import annotations\n"),
            vec![invalid]
        );
    }

    #[test]
    fn only_new_problems_count() {
        let at = |problem, start| Invalid {
            problem,
            range: TextRange::new(start, start + 1),
        };
        let before = [at(Problem::EmptyBlock, 10)];
        assert!(!adds_problems(&before, &[at(Problem::EmptyBlock, 3)]));
        assert!(adds_problems(
            &before,
            &[at(Problem::EmptyBlock, 3), at(Problem::EmptyBlock, 30)]
        ));
        assert!(adds_problems(&before, &[at(Problem::AwaitOperand, 3)]));
        assert!(!adds_problems(&before, &[]));
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let mut source = String::from("x = ");
        source.push_str(&"(".repeat(5000));
        source.push('1');
        source.push_str(&")".repeat(5000));
        source.push('\n');
        let parsed = crate::parse::parse(&source, None);
        assert!(check(&parsed.tree, &source).is_empty());
    }

    mod through_the_driver {
        use std::path::Path;

        use crate::config::LintSettings;
        use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
        use crate::driver::check_text;
        use crate::fix::FixMode;
        use crate::rule::{Context, Family, FixAvailability, Rule, RuleMeta};
        use crate::text::TextRange;

        static META: RuleMeta = RuleMeta {
            code: "TAU998",
            name: "test-line-remover",
            family: Family::Imports,
            fix: FixAvailability::Always,
            summary: "test",
            doc: "test",
            equivalents: &[],
        };

        /// Reports every line containing `drop me`; its fix deletes the whole line, as a careless
        /// fix would (no `pass` left behind).
        struct LineRemover;

        impl Rule for LineRemover {
            fn meta(&self) -> &'static RuleMeta {
                &META
            }

            fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
                let mut start = 0;
                for line in ctx.source.split_inclusive('\n') {
                    if line.contains("drop me") {
                        let range = TextRange::new(start, start + line.len());
                        let fix =
                            Fix::new("remove", Applicability::Safe, vec![Edit::deletion(range)]);
                        out.push(Diagnostic::new(&META, "drop", range).with_fix(Some(fix)));
                    }
                    start += line.len();
                }
            }
        }

        fn fix(source: &str) -> crate::driver::Outcome {
            check_text(
                Path::new("t.py"),
                source,
                crate::rule::RuleSet {
                    rules: &[&LineRemover],
                    calls: &crate::callgraph::NoCallAnalysis,
                    kinds_off: &[],
                },
                &LintSettings::default(),
                &crate::project::FileFacts::default(),
                FixMode::Safe,
            )
        }

        #[test]
        fn a_fix_leaving_a_comment_only_block_is_dropped() {
            let source =
                "def f(self):\n    # a comment\n    x = 1  # drop me\n\ny = 2  # drop me\n";
            let outcome = fix(source);
            assert!(!outcome.dropped.is_empty(), "{outcome:?}");
            assert!(outcome.dropped.iter().all(|d| d.code == "TAU998"));
            assert_eq!(
                outcome.fixed_text.as_deref(),
                Some("def f(self):\n    # a comment\n    x = 1  # drop me\n\n")
            );
        }

        #[test]
        fn a_problem_the_original_had_does_not_block_fixes() {
            // `await` at module level is refused by CPython, but it was there before the fix.
            let source = "await x\ny = 2  # drop me\n";
            let outcome = fix(source);
            assert!(outcome.dropped.is_empty(), "{outcome:?}");
            assert_eq!(outcome.fixed_text.as_deref(), Some("await x\n"));
        }
    }
}
