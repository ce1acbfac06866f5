//! What one module tells the project pass: a small, serialisable summary made from its tree and
//! semantic model, cached with the file's outcome, combined by [`super::ProjectFacts::gather`].

use crate::syntax::NodeKind;
use serde::{Deserialize, Serialize};
use tree_sitter::{Node, Tree};

use super::ModuleInfo;
use crate::callgraph::FunctionCalls;
use crate::semantic::{BindingKind, ClassFact, ImportKind, SemanticModel};
use crate::text::TextRange;

/// A name read from a module: `from pkg.text import clean_name` reads `clean_name` of `pkg.text`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ImportedName {
    /// The absolute module name.
    pub module: String,
    /// The name read from it; `*` for a star import.
    pub name: String,
}

/// What the project pass needs to know of one module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleSummary {
    /// Its module-level classes, with their bases (for base classes read at run time).
    pub classes: Vec<ClassFact>,
    /// Its functions' blocking calls and other calls (for blocking helpers across modules).
    pub functions: Vec<FunctionCalls>,
    /// The names it reads from other modules, sorted: `from m import n`; `m.n` after `import m`
    /// (and `m.sub.n` after `import m.sub`); `mock.patch("m.n")`, `monkeypatch.setattr(m, "n")`;
    /// `*` for `from m import *`. A superset: names of modules outside the project are dropped
    /// when summaries are put together.
    pub imports: Vec<ImportedName>,
    /// The names its module-level imports bind: what a fix could take away from importers.
    pub import_bindings: Vec<String>,
    /// It defines `__all__` (a star import of it then takes those names only).
    pub defines_all: bool,
}

impl ModuleSummary {
    /// The summary of a module from its tree and model (`functions` are the call graph's).
    pub fn of(
        tree: &Tree,
        source: &str,
        semantic: &SemanticModel,
        module: &ModuleInfo,
        functions: Vec<FunctionCalls>,
    ) -> Self {
        let mut imports = imported_names(tree, source, semantic, module);
        imports.sort();
        imports.dedup();
        let module_scope = semantic.scope(SemanticModel::MODULE);
        let mut import_bindings: Vec<String> = module_scope
            .final_bindings()
            .map(|id| semantic.binding(id))
            .filter(|b| b.as_import().is_some_and(|i| i.kind != ImportKind::Future))
            .map(|b| b.name.clone())
            .collect();
        import_bindings.sort();
        import_bindings.dedup();
        ModuleSummary {
            classes: semantic.classes.clone(),
            functions,
            imports,
            import_bindings,
            defines_all: semantic.lookup(SemanticModel::MODULE, "__all__").is_some(),
        }
    }
}

impl ModuleSummary {
    /// Forget the names read from modules outside `roots` (the first components of a project's
    /// module names), and its functions' calls of functions outside them (only the project's own
    /// functions can be helpers, or have parameters that gate a chain), and the functions then
    /// left with nothing to tell: a run keeps every module's summary, and most of what modules
    /// read and call comes from libraries.
    pub fn keep_project_parts(&mut self, roots: &rustc_hash::FxHashSet<String>) {
        let in_project = |name: &str| roots.contains(name.split('.').next().unwrap_or_default());
        self.imports.retain(|imported| in_project(&imported.module));
        self.imports.shrink_to_fit();
        for function in &mut self.functions {
            // Only calls of the project's functions can reach its helpers.
            if function.passes.is_empty() {
                function.calls.retain(|callee| in_project(callee));
            } else {
                let kept: Vec<(String, crate::callgraph::Passed)> = (function.calls.drain(..))
                    .zip(function.passes.drain(..))
                    .filter(|(callee, _)| in_project(callee))
                    .collect();
                (function.calls, function.passes) = kept.into_iter().unzip();
            }
            function.calls.shrink_to_fit();
            function.guarded.retain(|(callee, _)| in_project(callee));
            function.needs.retain(|(callee, _)| in_project(callee));
            function.consumed.retain(|callee| in_project(callee));
            if function.passes.iter().all(|p| *p == Default::default()) {
                function.passes = Vec::new(); // read as passing nothing
            }
        }
        // A function that blocks nowhere, reads no context and calls none of the project's
        // functions is no helper and reaches none. One that shares its name with another
        // function of the module stays: which definition the project sees is the first one.
        let mut names: Vec<&str> = self.functions.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        let redefined: rustc_hash::FxHashSet<String> = (names.windows(2))
            .filter(|pair| pair[0] == pair[1])
            .map(|pair| pair[0].to_owned())
            .collect();
        self.functions.retain(|f| {
            f.blocking.is_some()
                || f.context_reader.is_some()
                || !f.calls.is_empty()
                || redefined.contains(&f.name)
        });
        self.functions.shrink_to_fit();
    }
}

/// Every name `semantic`'s module reads from another module (see [`ModuleSummary::imports`]).
fn imported_names(
    tree: &Tree,
    source: &str,
    semantic: &SemanticModel,
    module: &ModuleInfo,
) -> Vec<ImportedName> {
    let mut found = Vec::new();
    let mut push = |module: String, name: &str| {
        if !module.is_empty() && !name.is_empty() {
            found.push(ImportedName {
                module,
                name: name.to_owned(),
            });
        }
    };
    for star in &semantic.star_imports {
        if let Some(from) = module.absolute(star) {
            push(from, "*");
        }
    }
    let root = tree.root_node();
    for binding in &semantic.bindings {
        let BindingKind::Import(import) = &binding.kind else {
            continue;
        };
        let Some(absolute) = module.absolute(&import.module) else {
            continue;
        };
        // The module the bound name stands for, which attribute reads on it look into.
        let base = match (import.kind, &import.member) {
            (ImportKind::Future, _) => continue,
            (ImportKind::FromImport, Some(member)) => {
                push(absolute.clone(), member);
                format!("{absolute}.{member}")
            }
            (ImportKind::SubmoduleImport, _) => {
                absolute.split('.').next().unwrap_or_default().to_owned()
            }
            _ => absolute,
        };
        for reference in &binding.references {
            let range = semantic.reference(*reference).range;
            let mut base = base.clone();
            for attribute in attribute_chain(source, range) {
                push(base.clone(), attribute);
                base.push('.');
                base.push_str(attribute);
            }
        }
    }
    if memchr::memmem::find(source.as_bytes(), b"patch").is_some()
        || memchr::memmem::find(source.as_bytes(), b"setattr").is_some()
    {
        patched_names(root, source, semantic, module, &mut push);
    }
    found
}

/// The attributes read after the name at `range`: `["b", "x"]` for `a.b.x` at `a`. Read from
/// the text (whitespace and line continuations may sit around the dots; a comment between ends
/// the chain), which costs no tree lookup per reference.
fn attribute_chain(source: &str, range: TextRange) -> Vec<&str> {
    let skip_space = |from: usize| {
        from + source[from..]
            .find(|c: char| !matches!(c, ' ' | '\t' | '\n' | '\r' | '\\' | '\x0c'))
            .unwrap_or(source.len() - from)
    };
    let mut chain = Vec::new();
    let mut at = range.end;
    loop {
        let dot = skip_space(at);
        if source.as_bytes().get(dot) != Some(&b'.') {
            return chain;
        }
        let start = skip_space(dot + 1);
        let end = start
            + source[start..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(source.len() - start);
        if end == start {
            return chain;
        }
        chain.push(&source[start..end]);
        at = end;
    }
}

/// Names that tests patch by path: `patch("a.b.name")`, `mocker.patch("a.b.name")`,
/// `monkeypatch.setattr("a.b.name", v)`, `monkeypatch.setattr(a.b, "name", v)`,
/// `patch.object(a.b, "name")`. Such a patch needs the name to stay in the module.
fn patched_names(
    root: Node<'_>,
    source: &str,
    semantic: &SemanticModel,
    module: &ModuleInfo,
    push: &mut impl FnMut(String, &str),
) {
    let mut cursor = root.walk();
    // Pre-order over the whole tree, without recursion.
    'walk: loop {
        let node = cursor.node();
        if node.kind_name() == "call" {
            patched_in_call(node, source, semantic, module, push);
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}

fn patched_in_call(
    call: Node<'_>,
    source: &str,
    semantic: &SemanticModel,
    module: &ModuleInfo,
    push: &mut impl FnMut(String, &str),
) {
    let (Some(function), Some(arguments)) = (
        call.child_by_field_name("function"),
        call.child_by_field_name("arguments"),
    ) else {
        return;
    };
    let callee = &source[function.byte_range()];
    let last = callee.rsplit('.').next().unwrap_or(callee);
    if !matches!(last, "patch" | "setattr" | "delattr" | "object" | "dict") {
        return;
    }
    let mut cursor = arguments.walk();
    let positional: Vec<Node<'_>> = arguments
        .named_children(&mut cursor)
        .filter(|a| a.kind_name() != "keyword_argument" && a.kind_name() != "comment")
        .take(2)
        .collect();
    match positional.as_slice() {
        [target, second, ..]
            if second.kind_name() == "string" && target.kind_name() != "string" =>
        {
            // `setattr(a.b, "name", ...)`, `patch.object(a.b, "name")`.
            if let (Some(of), Some(name)) = (
                module_path(*target, source, semantic, module),
                string_text(*second, source),
            ) {
                if is_dotted(name) {
                    push_every_split(&format!("{of}.{name}"), push);
                }
            }
        }
        [target, ..] if target.kind_name() == "string" && last != "object" => {
            // `patch("a.b.name")`, `monkeypatch.setattr("a.b.name", v)`.
            if let Some(path) = string_text(*target, source).filter(|t| is_dotted(t)) {
                push_every_split(path, push);
            }
        }
        _ => {}
    }
}

/// Every way `a.b.C.m` can be a name read from a module: `b` of `a`, `C` of `a.b`, `m` of `a.b.C`
/// (only the splits whose module is in the project are kept when summaries are put together):
/// `patch("pkg.mod.Path.cwd")` needs `Path` to stay in `pkg.mod`.
fn push_every_split(path: &str, push: &mut impl FnMut(String, &str)) {
    let mut dots = path.match_indices('.').map(|(at, _)| at).peekable();
    while let Some(at) = dots.next() {
        let end = dots.peek().copied().unwrap_or(path.len());
        push(path[..at].to_owned(), &path[at + 1..end]);
    }
}

/// The module an expression names through an import binding: `b` after `from a import b`
/// gives `a.b`; `a.b` after `import a.b` gives `a.b`.
fn module_path(
    node: Node<'_>,
    source: &str,
    semantic: &SemanticModel,
    module: &ModuleInfo,
) -> Option<String> {
    let text = &source[node.byte_range()];
    if !is_dotted(text) {
        return None;
    }
    let (first, rest) = match text.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (text, None),
    };
    let binding = semantic.binding(semantic.lookup(SemanticModel::MODULE, first)?);
    let import = binding.as_import()?;
    let absolute = module.absolute(&import.module)?;
    let base = match (import.kind, &import.member) {
        (ImportKind::FromImport, Some(member)) => format!("{absolute}.{member}"),
        (ImportKind::SubmoduleImport, _) => first.to_owned(),
        _ => absolute,
    };
    Some(match rest {
        Some(rest) => format!("{base}.{rest}"),
        None => base,
    })
}

/// The text of a plain string literal (no prefix, no interpolation).
fn string_text<'s>(node: Node<'_>, source: &'s str) -> Option<&'s str> {
    let text = &source[node.byte_range()];
    let quote = text.chars().next()?;
    if !matches!(quote, '"' | '\'') || text.len() < 2 {
        return None;
    }
    Some(&text[1..text.len() - 1])
}

/// `a.b.c` made of identifiers only.
fn is_dotted(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantic::ModelOptions;

    fn summary(module: &str, is_init: bool, source: &str) -> ModuleSummary {
        let parsed = crate::parse::parse(source, None);
        let info = ModuleInfo {
            name: Some(module.to_owned()),
            is_package_init: is_init,
        };
        let options = ModelOptions {
            module_name: info.name.clone(),
            is_package_init: is_init,
            ..ModelOptions::default()
        };
        let path = std::path::Path::new("m.py");
        let semantic = SemanticModel::build_with(&parsed.tree, source, path, &options);
        ModuleSummary::of(&parsed.tree, source, &semantic, &info, Vec::new())
    }

    fn names(summary: &ModuleSummary) -> Vec<String> {
        summary
            .imports
            .iter()
            .map(|i| format!("{}:{}", i.module, i.name))
            .collect()
    }

    #[test]
    fn every_way_of_reading_a_name_from_a_module() {
        let source = "\
from pkg.text import clean_name
from . import helpers
from .. import store
import pkg.cli.util
import pkg.db as database
from pkg.extra import *

def f():
    helpers.slug()
    pkg.cli.util.run()
    database.connect()
";
        let summary = summary("pkg.cli.main", false, source);
        let names = names(&summary);
        for expected in [
            "pkg.text:clean_name",
            "pkg.cli:helpers",
            "pkg.cli.helpers:slug",
            "pkg:store",
            "pkg:cli",
            "pkg.cli:util",
            "pkg.cli.util:run",
            "pkg.db:connect",
            "pkg.extra:*",
        ] {
            assert!(
                names.contains(&expected.to_owned()),
                "{expected} in {names:?}"
            );
        }
        assert_eq!(
            summary.import_bindings,
            ["clean_name", "database", "helpers", "pkg", "store"]
        );
        assert!(!summary.defines_all);
    }

    #[test]
    fn patches_by_path_need_the_name() {
        let source = "\
from unittest import mock
import pkg.cli.helpers
from pkg import store

@mock.patch(\"pkg.cli.helpers.clean_name\")
def test_a(m, monkeypatch):
    monkeypatch.setattr(pkg.cli.helpers, \"slug\", None)
    monkeypatch.setattr(store, \"cache\", None)
    mock.patch.object(store, \"path\")
    monkeypatch.setattr(\"pkg.text.lower\", None)
    mocker.patch(\"pkg.toml.Path.cwd\", return_value=None)
    mock.patch.object(pkg.cli.helpers.Path, \"home\")
";
        let names = names(&summary("tests.test_x", false, source));
        for expected in [
            "pkg.cli.helpers:clean_name",
            "pkg.cli.helpers:slug",
            "pkg.store:cache",
            "pkg.store:path",
            "pkg.text:lower",
            // A method of a class the module imports: the class must stay (pydantic-settings).
            "pkg.toml:Path",
            "pkg.toml.Path:cwd",
            "pkg.cli.helpers:Path",
        ] {
            assert!(
                names.contains(&expected.to_owned()),
                "{expected} in {names:?}"
            );
        }
    }
}
