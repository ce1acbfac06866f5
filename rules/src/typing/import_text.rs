//! Helpers the typing rules share: rendering an import for some of a statement's names, and
//! finding the `if TYPE_CHECKING:` around a statement.

use tauten_engine::syntax::NodeKind;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::TextRange;
use tree_sitter::Node;

/// `import ...` / `from m import ...` with only the names in `clauses`, as written.
pub fn import_statement_for(
    statement: Node<'_>,
    source: &str,
    clauses: &[TextRange],
) -> Option<String> {
    let names: Vec<&str> = clauses
        .iter()
        .filter_map(|c| source.get(c.start..c.end))
        .collect();
    if names.is_empty() {
        return None;
    }
    match statement.kind_name() {
        "import_statement" => Some(format!("import {}", names.join(", "))),
        "import_from_statement" => {
            let module = statement.field(Field::ModuleName)?;
            let module = source.get(module.byte_range())?;
            Some(format!("from {module} import {}", names.join(", ")))
        }
        _ => None,
    }
}

/// The `if TYPE_CHECKING:` statement whose body directly holds `statement`.
pub fn enclosing_type_checking_if(statement: Node<'_>) -> Option<Node<'_>> {
    let block = statement.parent().filter(|p| p.kind_name() == "block")?;
    let if_statement = block.parent().filter(|p| p.kind_name() == "if_statement")?;
    (if_statement.field(Field::Consequence) == Some(block)).then_some(if_statement)
}
