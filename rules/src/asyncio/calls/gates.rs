//! Calls made only when a parameter is given a value ([`Gate`]), and what each call passes to
//! the function it calls ([`Passed`]).

use tauten_engine::callgraph::{Gate, Known, Passed};
use tauten_engine::semantic::SemanticModel;
use tauten_engine::syntax::NodeKind;
use tree_sitter::{Node, Tree};

use super::conditions::{balanced, split_top, squeezed, OutsideStrings};

/// The parameters of a `function_definition` that have no default or default to `None`,
/// `False`, `0` or an empty literal (`""`, `()`, `[]`, `{}`), with their positions among a
/// call's positional arguments: a call that does not give one a true value leaves it false.
pub(super) fn gating_parameters(function: Node<'_>, source: &str) -> Vec<Gate> {
    let Some(parameters) = function.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut position: u8 = 0;
    let mut keyword_only = false;
    let mut first = true;
    let mut cursor = parameters.walk();
    for parameter in parameters.named_children(&mut cursor) {
        let kind = parameter.kind_name();
        let is_first = std::mem::take(&mut first);
        match kind {
            "list_splat_pattern" | "keyword_separator" => {
                keyword_only = true;
                continue;
            }
            "dictionary_splat_pattern" | "positional_separator" | "comment" => continue,
            _ => {}
        }
        let name = match kind {
            "identifier" => Some(parameter),
            "typed_parameter" => parameter.named_child(0),
            _ => parameter.child_by_field_name("name"),
        }
        .map(|name| &source[name.byte_range()]);
        let Some(name) = name else { continue };
        if is_first && matches!(name, "self" | "cls") {
            continue; // the receiver of a method call, not among its arguments
        }
        let default = parameter.child_by_field_name("value");
        if default.is_none_or(|value| literal_value(value, source) != Known::Nothing) {
            found.push(Gate {
                parameter: name.to_owned(),
                position: (!keyword_only).then_some(position),
                truth: true,
            });
        }
        if !keyword_only {
            position = position.saturating_add(1);
        }
    }
    found
}

/// The parameter (of `gating`) that `condition` tests as given: `p` (a test of truth),
/// `p is not None`, or an `and` with such a test among its operands.
fn tested_parameter(condition: &str, gating: &[Gate]) -> Option<Gate> {
    let condition = condition.trim();
    let condition = condition
        .strip_prefix('(')
        .and_then(|inner| inner.strip_suffix(')'))
        .filter(|inner| balanced(inner))
        .unwrap_or(condition);
    let operands = split_top(condition, " and ").unwrap_or_else(|| vec![condition]);
    operands.into_iter().find_map(|operand| {
        let (name, truth) = match operand.strip_suffix(" is not None") {
            Some(name) => (name.trim(), false),
            None => (operand.trim(), true),
        };
        let gate = gating.iter().find(|gate| gate.parameter == name)?;
        Some(Gate {
            truth,
            ..gate.clone()
        })
    })
}

/// Whether `name` may be bound again in `body` (assigned, a loop or `with` target, `:=`,
/// `del`ed): then a test of it no longer tells what the caller passed.
fn rebinds(body: &str, name: &str) -> bool {
    let bytes = body.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
        let end = at + name.len();
        // Not part of a longer name, nor an attribute (`self.p = ...` binds no parameter).
        let attribute = body[..at].trim_end().ends_with('.');
        if (at > 0 && word(bytes[at - 1])) || bytes.get(end).is_some_and(|&b| word(b)) || attribute
        {
            return false;
        }
        let before = body[..at].trim_end();
        let after = body[end..].trim_start();
        // Inside brackets, `p=` is a keyword argument of a call.
        let depth = before.bytes().fold(0i32, |depth, b| match b {
            b'(' | b'[' | b'{' => depth + 1,
            b')' | b']' | b'}' => depth - 1,
            _ => depth,
        });
        let assigned = after.starts_with('=') && !after.starts_with("==") && depth <= 0
            || after.starts_with(":=")
            || ["+=", "-=", "*=", "/=", "|=", "&=", "%=", "^=", "//=", "**=", "<<=", ">>=", "@="]
                .iter()
                .any(|op| after.starts_with(op))
            // `a, p = ...`, `p, a = ...`; not `f(p, a=1)`
            || depth <= 0
                && (after.starts_with(',') || before.ends_with(','))
                && after.split('\n').next().is_some_and(|line| {
                    line.contains('=') && !line.contains("==") && !line.contains('(')
                });
        assigned
            || in_line_target(body, at)
            || before.ends_with("for")
            || before.ends_with(" as")
            || before.ends_with("del")
            || before.ends_with("global")
            || before.ends_with("nonlocal")
    })
}

/// Whether the name at byte `at` of `body` is in the target of its line's statement when that
/// target is bracketed or a loop's: `(a, p) = ...`, `[a, p] = ...`, `for a, p in ...:`.
fn in_line_target(body: &str, at: usize) -> bool {
    let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = body[line_start..].split('\n').next().unwrap_or_default();
    let indent = line.len() - line.trim_start().len();
    let (statement, at) = (&line[indent..], at - line_start - indent);
    if let Some(target) = statement.strip_prefix("for ") {
        return target
            .find(" in ")
            .is_some_and(|end| at < "for ".len() + end);
    }
    if !statement.starts_with(['(', '[']) {
        return false;
    }
    let mut depth = 0i32;
    for (i, c) in OutsideStrings::new(statement) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    let rest = statement[i + 1..].trim_start();
                    return at < i && rest.starts_with('=') && !rest.starts_with("==");
                }
            }
            _ => {}
        }
    }
    false
}

/// The gate of `call` in the function with `body` and `gating` parameters: the innermost `if` or `elif` holding the call in its body
/// (not in an `else`) that tests one of the function's gating parameters as given.
pub(super) fn argument_gate(
    gating: &[Gate],
    body: Node<'_>,
    ancestors: &[Node<'_>],
    call: Node<'_>,
    source: &str,
) -> Option<Gate> {
    if gating.is_empty() {
        return None;
    }
    let mut child = call;
    for &parent in ancestors.iter().rev() {
        if parent.id() == body.id() {
            return None;
        }
        match parent.kind_name() {
            "function_definition" | "lambda" | "class_definition" => return None,
            "if_statement" | "elif_clause"
                if parent
                    .child_by_field_name("consequence")
                    .is_some_and(|c| c.id() == child.id()) =>
            {
                let condition = parent.child_by_field_name("condition")?;
                let tested = tested_parameter(&source[condition.byte_range()], gating);
                if let Some(gate) = tested {
                    if !rebinds(&source[body.byte_range()], &gate.parameter) {
                        return Some(gate);
                    }
                }
            }
            _ => {}
        }
        child = parent;
    }
    None
}

/// What a call passes: the positional arguments and keywords it may give a true value, and
/// whether it unpacks any. `known` tells what an argument is whenever the call is made.
pub fn passed_of(call: Node<'_>, source: &str, known: impl Fn(Node<'_>) -> Known) -> Passed {
    let mut passed = Passed::default();
    let Some(arguments) = call.child_by_field_name("arguments") else {
        return passed;
    };
    if arguments.kind_name() != "argument_list" {
        passed.add_position(0, Known::Nothing); // `f(x for x in y)`
        return passed;
    }
    let mut position = 0;
    let mut cursor = arguments.walk();
    for argument in arguments.named_children(&mut cursor) {
        match argument.kind_name() {
            "keyword_argument" => {
                if let (Some(name), Some(value)) = (
                    argument.child_by_field_name("name"),
                    argument.child_by_field_name("value"),
                ) {
                    passed.add_keyword(&source[name.byte_range()], known(value));
                }
            }
            "list_splat" | "dictionary_splat" => passed.splat = true,
            "comment" => {}
            _ => {
                passed.add_position(position, known(argument));
                position += 1;
            }
        }
    }
    passed
}

/// What a literal is: `None`; `False`, `0`, an empty string, tuple, list or dict; or anything.
pub(super) fn literal_value(node: Node<'_>, source: &str) -> Known {
    match squeezed(&source[node.byte_range()]).as_str() {
        "None" => Known::IsNone,
        "False" | "0" | "\"\"" | "''" | "()" | "[]" | "{}" => Known::IsFalse,
        _ => Known::Nothing,
    }
}

/// What the argument `value` of a call made directly in the body of the function with scope
/// `scope` is whenever the call is made: a literal's value, or that of a name every binding of
/// which in that function assigns a false literal (not a parameter, nor `global`/`nonlocal`,
/// nor a loop or `with` target). Not an empty list or dict: whoever it is passed to may fill it
/// (`cache = {}; for x in xs: f(x, cache=cache)`).
pub(super) fn argument_value(
    value: Node<'_>,
    source: &str,
    tree: &Tree,
    semantic: &SemanticModel,
    scope: tauten_engine::semantic::ScopeId,
) -> Known {
    let literal = literal_value(value, source);
    if literal != Known::Nothing || value.kind_name() != "identifier" {
        return literal;
    }
    let name = &source[value.byte_range()];
    let root = tree.root_node();
    let node_at =
        |range: tauten_engine::TextRange| root.descendant_for_byte_range(range.start, range.end);
    let mut known = Known::Nothing;
    let bindings = (semantic.scope(scope).bindings.iter())
        .map(|&id| semantic.binding(id))
        .filter(|binding| binding.name == name);
    for binding in bindings {
        if binding.kind != tauten_engine::semantic::BindingKind::Assignment
            || binding
                .flags
                .has(tauten_engine::semantic::BindingFlags::GLOBAL)
        {
            return Known::Nothing;
        }
        let assigned = node_at(binding.range)
            .filter(|target| target.kind_name() == "identifier")
            .and_then(|target| {
                let assignment = target.parent()?;
                let left = assignment.child_by_field_name("left")?;
                (assignment.kind_name() == "assignment" && left.id() == target.id())
                    .then(|| assignment.child_by_field_name("right"))?
            });
        let Some(assigned) = assigned else {
            return Known::Nothing;
        };
        let this = literal_value(assigned, source);
        if this == Known::Nothing || matches!(assigned.kind_name(), "list" | "dictionary") {
            return Known::Nothing;
        }
        if known != Known::IsFalse {
            known = this;
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_tested_as_given_gate_the_calls_under_them() {
        let source = "def f(self, a, b=None, *, c=False, d=1):\n    if b is not None and a:\n        g()\n    if c:\n        h()\n    if d:\n        k()\n";
        let parsed = tauten_engine::parse::parse(source, None);
        let function = parsed.tree.root_node().child(0).unwrap();
        let gating = gating_parameters(function, source);
        let gate = |parameter: &str, position, truth| Gate {
            parameter: parameter.into(),
            position,
            truth,
        };
        // `d` defaults to a true value: not passing it makes the call.
        assert_eq!(
            gating,
            [
                gate("a", Some(0), true),
                gate("b", Some(1), true),
                gate("c", None, true)
            ]
        );
        assert_eq!(
            tested_parameter("b is not None and a", &gating),
            Some(gate("b", Some(1), false))
        );
        assert_eq!(
            tested_parameter("(c)", &gating),
            Some(gate("c", None, true))
        );
        assert_eq!(tested_parameter("not c", &gating), None);
        assert_eq!(tested_parameter("b or a", &gating), None);
        assert!(rebinds("if b is None:\n    b = 1\n", "b"));
        assert!(rebinds("for b in x:\n    pass\n", "b"));
        assert!(!rebinds("if b == 1:\n    g(b=2)\n", "b"));
        assert!(!rebinds("return open(b, encoding=\"utf-8\")\n", "b"));
        assert!(rebinds("a, b = 1, 2\n", "b"));
        assert!(rebinds("(a, b) = 1, 2\n", "b"));
        assert!(rebinds("if x:\n    [a, b] = pair\n", "b"));
        assert!(rebinds("for a, b in pairs:\n    pass\n", "b"));
        assert!(rebinds("for (a, b) in pairs:\n    pass\n", "b"));
        assert!(!rebinds("for a in b:\n    pass\n", "b"));
        assert!(!rebinds("(a, b) == c\n", "b"));
        assert!(!rebinds("(f(a), b)\nx = 1\n", "b"));
        assert!(!rebinds("[a, b]\n", "b"));
        assert!(!rebinds("if b:\n    message.b = load(b)\n", "b"));
    }
}
