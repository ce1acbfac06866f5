//! What the condition of an `if` tests, read from its text: a setting, an environment variable's
//! entries, a missing package, the platform.

use tauten_engine::syntax::NodeKind;
use tree_sitter::Node;

/// An `if` condition that reads a setting: each part of an `or`, or one part of an `and`
/// (through `not` and parentheses), is a setting read, alone or compared with a literal:
///
/// - a call of `get_option`, `getoption`, `get_setting`, `getenv` or `os.environ.get`
///   (`config.get_option("server.enableStaticServing")`, `os.getenv("X")`);
/// - an ALL_CAPS name, or a dotted name or `.value()` call starting with one
///   (`PREFECT_SERVER_EPHEMERAL_ENABLED`, `PREFECT_API_URL.value()`, `CONFIG.debug`);
/// - a dotted name through `settings`/`config`/`conf` (`settings.DEBUG`, `self.settings.x`);
/// - an attribute of `self` (`self.allow_private_urls`, not a call nor a deeper attribute).
pub fn is_setting_test(condition: &str) -> bool {
    if condition.contains('#') || condition.contains('\\') {
        return false; // a comment or a line continuation: not one of the simple shapes
    }
    let joined = condition.split_whitespace().collect::<Vec<_>>().join(" ");
    let condition = joined.as_str();
    let (parts, any) = if let Some(parts) = split_top(condition, " or ") {
        (parts, false)
    } else if let Some(parts) = split_top(condition, " and ") {
        (parts, true)
    } else {
        (vec![condition], false)
    };
    if parts.len() > 1 {
        let mut reads = parts.iter().map(|part| is_setting_test(part));
        return if any {
            reads.any(|r| r)
        } else {
            reads.all(|r| r)
        };
    }
    let mut atom = condition;
    loop {
        let before = atom;
        if let Some(rest) = atom.strip_prefix("not ") {
            atom = rest.trim();
        }
        if atom.starts_with('(') && atom.ends_with(')') && balanced(&atom[1..atom.len() - 1]) {
            atom = atom[1..atom.len() - 1].trim();
        }
        if atom == before {
            break;
        }
    }
    if atom.contains(" or ") || atom.contains(" and ") {
        return atom != condition && is_setting_test(atom);
    }
    // `<read> == "literal"`, `<read> is None`, `<read> in (...)`.
    for op in [" == ", " != ", " is not ", " is ", " not in ", " in "] {
        if let Some((left, right)) = atom.split_once(op) {
            let literal = |side: &str| {
                let side = side.trim();
                side.starts_with(['"', '\'', '(', '[', '{'])
                    || side.chars().all(|c| c.is_ascii_digit())
                    || matches!(side, "None" | "True" | "False")
            };
            return (is_setting_read(left.trim()) && literal(right))
                || (is_setting_read(right.trim()) && literal(left));
        }
    }
    is_setting_read(atom)
}

/// The iterables of the `for` statement or comprehension whose body (not its `else`) is `child`.
pub(super) fn loop_iterables<'t>(parent: Node<'t>, child: Node<'t>) -> Vec<Node<'t>> {
    let is_body =
        || (parent.child_by_field_name("body")).is_some_and(|body| body.id() == child.id());
    match parent.kind_name() {
        "for_statement" if is_body() => parent.child_by_field_name("right").into_iter().collect(),
        "list_comprehension"
        | "set_comprehension"
        | "dictionary_comprehension"
        | "generator_expression"
            if is_body() =>
        {
            let mut cursor = parent.walk();
            (parent.named_children(&mut cursor))
                .filter(|clause| clause.kind_name() == "for_in_clause")
                .filter_map(|clause| clause.child_by_field_name("right"))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// A loop's iterable that is an environment variable's entries: `os.environ.get(...)`,
/// `os.getenv(...)` or `getenv(...)`, maybe split (`.split(",")`, `.strip().split()`,
/// `.splitlines()`). Unset, it is empty or a default, as an opt-in list of paths is.
pub(super) fn is_environment_list(iterable: &str) -> bool {
    let joined: String = iterable.split_whitespace().collect();
    let mut text = joined.as_str();
    loop {
        let before = text;
        for method in [".split(", ".strip(", ".splitlines(", ".rsplit("] {
            if let Some(at) = text.rfind(method) {
                let args = &text[at + method.len()..];
                if args.ends_with(')') && balanced(&args[..args.len() - 1]) {
                    text = &text[..at];
                }
            }
        }
        if text == before {
            break;
        }
    }
    split_call(text).is_some_and(|(callee, _)| reads_environment(callee))
}

/// `os.environ.get`, `os.getenv` or a `getenv` imported from `os`.
fn reads_environment(callee: &str) -> bool {
    matches!(callee, "os.environ.get" | "os.getenv" | "getenv")
}

/// `text` as a call `callee(arguments)`, split at its first `(`: arguments balanced, nothing after
/// the closing `)`.
fn split_call(text: &str) -> Option<(&str, &str)> {
    let (callee, rest) = text.split_once('(')?;
    let arguments = rest.strip_suffix(')')?;
    balanced(arguments).then_some((callee, arguments))
}

/// An `if` condition true only when a module cannot be found: `not find_spec(...)` or
/// `find_spec(...) is None` (of `importlib.util` or imported from it), or an `or` of such tests.
pub(super) fn is_missing_module_test(condition: &str) -> bool {
    let joined = condition.split_whitespace().collect::<Vec<_>>().join(" ");
    let condition = joined.trim();
    if let Some(parts) = split_top(condition, " or ") {
        return parts.iter().all(|part| is_missing_module_test(part));
    }
    let find_spec = |call: &str| {
        split_call(call.trim())
            .is_some_and(|(callee, _)| matches!(callee, "find_spec" | "importlib.util.find_spec"))
    };
    match condition.strip_prefix("not ") {
        Some(call) => find_spec(call),
        None => condition.strip_suffix(" is None").is_some_and(find_spec),
    }
}

/// One setting read (see [`is_setting_test`]).
fn is_setting_read(atom: &str) -> bool {
    let dotted = |text: &str| {
        !text.is_empty()
            && text.split('.').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_')
            })
    };
    let all_caps = |name: &str| {
        name.len() > 1
            && name.chars().any(|c| c.is_ascii_uppercase())
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    };
    if atom.contains('(') {
        let Some((callee, arguments)) = split_call(atom) else {
            return false;
        };
        if !dotted(callee) {
            return false;
        }
        let last = callee.rsplit('.').next().unwrap_or_default();
        if matches!(last, "get_option" | "getoption" | "get_setting" | "getenv")
            || reads_environment(callee)
        {
            return true;
        }
        // `PREFECT_API_URL.value()`: a setting object read.
        return last == "value"
            && arguments.is_empty()
            && callee.split('.').next().is_some_and(all_caps);
    }
    if !dotted(atom) {
        return false;
    }
    let parts: Vec<&str> = atom.split('.').collect();
    if all_caps(parts[0]) && parts[0] != "_" {
        return true;
    }
    if parts.len() > 1
        && parts[..parts.len() - 1]
            .iter()
            .any(|p| matches!(*p, "settings" | "config" | "conf" | "SETTINGS" | "CONFIG"))
    {
        return true;
    }
    parts.len() == 2 && parts[0] == "self"
}

/// The characters of `text` outside string literals, with their byte offsets (quotes and
/// what they enclose are left out); `in_string` tells afterwards whether a string was left open.
pub(super) struct OutsideStrings<'a> {
    chars: std::str::CharIndices<'a>,
    quote: Option<char>,
}

impl<'a> OutsideStrings<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        OutsideStrings {
            chars: text.char_indices(),
            quote: None,
        }
    }

    fn in_string(&self) -> bool {
        self.quote.is_some()
    }
}

impl Iterator for OutsideStrings<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        let mut escaped = false;
        loop {
            let (i, c) = self.chars.next()?;
            match self.quote {
                Some(q) => {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == q {
                        self.quote = None;
                    }
                }
                None if c == '"' || c == '\'' => self.quote = Some(c),
                None => return Some((i, c)),
            }
        }
    }
}

/// `text` split at each `sep` outside brackets and strings, if it has one.
pub(super) fn split_top<'a>(text: &'a str, sep: &str) -> Option<Vec<&'a str>> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in OutsideStrings::new(text) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ if depth == 0 && i >= start && text[i..].starts_with(sep) => {
                parts.push(text[start..i].trim());
                start = i + sep.len();
            }
            _ => {}
        }
    }
    if parts.is_empty() {
        return None;
    }
    parts.push(text[start..].trim());
    Some(parts)
}

/// Brackets in `text` (outside strings) open and close in order.
pub(super) fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    let mut chars = OutsideStrings::new(text);
    for (_, c) in chars.by_ref() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && !chars.in_string()
}

/// `sys.platform == "win32"`, `sys.platform.startswith("win")`, `os.name == "nt"`,
/// `platform.system() == "Windows"`, `sys.platform in ("win32", "cygwin")`, either side of `==`.
/// A platform test ([`is_platform_test`]) alone or as one part of an `and` (`os.name == "nt"
/// and not os.path.exists(p)`): true only on that platform.
pub(super) fn tests_platform(condition: &str) -> bool {
    let condition = squeezed(condition);
    let condition = condition.trim();
    match split_top(condition, " and ") {
        Some(parts) => parts.iter().any(|part| is_platform_test(part)),
        None => is_platform_test(condition),
    }
}

fn is_platform_test(condition: &str) -> bool {
    let text: String = condition.chars().filter(|c| !c.is_whitespace()).collect();
    const SUBJECTS: &[&str] = &["sys.platform", "os.name", "platform.system()"];
    if text.starts_with("sys.platform.startswith(") && text.ends_with(')') {
        return true;
    }
    let Some((left, right)) = text.split_once("==").or_else(|| {
        text.strip_prefix("sys.platformin")
            .map(|rest| ("sys.platform", rest))
    }) else {
        return false;
    };
    let is_literal = |side: &str| {
        side.starts_with(['"', '\'', '(', '[', '{'])
            && !side.contains("==")
            && !side.contains("and")
            && !side.contains("or")
    };
    (SUBJECTS.contains(&left) && is_literal(right))
        || (SUBJECTS.contains(&right) && is_literal(left))
}

/// Whitespace runs of `text` made single spaces.
pub(super) fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each of `yes` passes `test`, none of `no` does.
    fn sorts(test: fn(&str) -> bool, yes: &[&str], no: &[&str]) {
        for text in yes {
            assert!(test(text), "{text}");
        }
        for text in no {
            assert!(!test(text), "not {text}");
        }
    }

    #[test]
    fn setting_tests() {
        sorts(
            is_setting_test,
            &[
                "PREFECT_SERVER_EPHEMERAL_ENABLED",
                "not api and PREFECT_SERVER_EPHEMERAL_ENABLED",
                "config.get_option(\"server.enableStaticServing\")",
                "not self.allow_private_urls",
                "(DEBUG or settings.TRACE)",
                "PREFECT_API_URL.value()",
                "os.environ.get(\"X\") == \"1\"",
                "self.settings.debug",
                "CONFIG.mode is not None",
            ],
            &[
                "path",
                "path or self.strict",
                "self.enabled()",
                "self.client.ready",
                "path.exists()",
                "X.value(1)",
                "not api",
                "self.mode == other",
                "isinstance(content, PathLike)",
            ],
        );
        sorts(
            is_missing_module_test,
            &[
                "not importlib.util.find_spec(pkg)",
                "find_spec(\"rich\") is None",
                "find_spec(\"torch\") is None or find_spec(\"transformers\") is None",
            ],
            &[
                "importlib.util.find_spec(pkg)",
                "find_spec(\"x\") is not None",
                "find_spec(\"a\") is None or ready",
                "not find_spec(a) and b(c)",
                "not find_spec(a)(b)",
            ],
        );
        sorts(
            is_environment_list,
            &[
                "os.environ.get(\"PIPECAT_SETUP_FILES\", \"\").split(os.pathsep)",
                "os.getenv(\"PLUGINS\", \"\").strip().split(\",\")",
                "os.environ.get(\"X\")",
            ],
            &[
                "DEFAULT_PATHS",
                "paths.split(\",\")",
                "os.environ",
                "os.environ.get(\"X\").split(\",\")[1:]",
                "load(os.getenv(\"X\"))",
            ],
        );
    }
}
