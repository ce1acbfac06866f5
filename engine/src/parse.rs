//! Parsing Python with tree-sitter: one parser per thread, syntax errors as data, incremental re-parse.

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree};

use crate::text::TextRange;

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the bundled tree-sitter-python grammar matches the tree-sitter version");
    parser
}

/// A parsed module: the tree, and where tree-sitter had to recover from errors.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub tree: Tree,
    /// ERROR and MISSING nodes, in source order. Empty when the text is valid Python (as far as the grammar knows).
    pub errors: Vec<TextRange>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Parse `text`. With `old`, a previous tree of this document already adjusted by `Tree::edit`,
/// tree-sitter reuses what the edit left untouched.
pub fn parse(text: &str, old: Option<&Tree>) -> Parsed {
    let tree = PARSER.with(|parser| {
        let mut parser = parser.borrow_mut();
        match parser.parse(text, old) {
            Some(tree) => tree,
            // Only a cancellation or timeout makes tree-sitter give up; we set neither, but retry clean.
            None => {
                parser.reset();
                parser
                    .parse(text, None)
                    .expect("parsing without timeout or cancellation always yields a tree")
            }
        }
    });
    let errors = syntax_errors(&tree);
    Parsed { tree, errors }
}

/// Every ERROR and MISSING node of `tree`, found without recursion.
pub fn syntax_errors(tree: &Tree) -> Vec<TextRange> {
    let mut errors = Vec::new();
    if !tree.root_node().has_error() {
        return errors;
    }
    let mut stack: Vec<Node<'_>> = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            errors.push(TextRange::of_node(node));
            continue;
        }
        if !node.has_error() {
            continue;
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    errors.sort();
    errors
}

/// The source text of `node`.
pub fn node_text<'s>(node: Node<'_>, source: &'s str) -> &'s str {
    source.get(node.byte_range()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_code_has_no_errors() {
        assert!(!parse("import os\nos.getcwd()\n", None).has_errors());
    }

    #[test]
    fn errors_are_reported_not_panicked() {
        let parsed = parse("def f(:\n  pass\n", None);
        assert!(parsed.has_errors());
    }

    #[test]
    fn deep_nesting_parses_without_overflow() {
        let depth = 10_000;
        let text = format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth));
        let parsed = parse(&text, None);
        // tree-sitter's own stack is on the heap; our error walk is iterative.
        let _ = parsed.errors.len();
    }
}
