//! The semantic model on small programs: what each name resolves to, and in which context.

use std::path::Path;

use super::*;
use crate::parse::parse;

fn model(source: &str) -> SemanticModel {
    model_at(source, "test.py")
}

fn model_at(source: &str, path: &str) -> SemanticModel {
    let parsed = parse(source, None);
    assert!(!parsed.has_errors(), "test source does not parse");
    SemanticModel::build(&parsed.tree, source, Path::new(path))
}

/// The final module-level binding of `name`.
fn module_binding<'m>(m: &'m SemanticModel, name: &str) -> &'m Binding {
    let id = m
        .lookup(SemanticModel::MODULE, name)
        .unwrap_or_else(|| panic!("no module binding {name}"));
    m.binding(id)
}

/// The context flags of every reference to `name`, in source order.
fn reference_flags(m: &SemanticModel, name: &str) -> Vec<RefFlags> {
    let mut refs: Vec<&Reference> = m
        .references
        .iter()
        .filter(|r| m.name(r.name) == name)
        .collect();
    refs.sort_by_key(|r| r.range.start);
    refs.into_iter().map(|r| r.flags).collect()
}

#[test]
fn imports_bind_their_visible_names() {
    let m = model("import a.b.c\nimport d.e as f\nfrom .g import h as i\nfrom j import k\n");
    let abc = module_binding(&m, "a").as_import().unwrap();
    assert_eq!(abc.kind, ImportKind::SubmoduleImport);
    assert_eq!(abc.qualified_name(), "a.b.c");
    assert_eq!(
        module_binding(&m, "f")
            .as_import()
            .unwrap()
            .qualified_name(),
        "d.e"
    );
    assert_eq!(
        module_binding(&m, "i")
            .as_import()
            .unwrap()
            .qualified_name(),
        ".g.h"
    );
    assert_eq!(
        module_binding(&m, "k")
            .as_import()
            .unwrap()
            .qualified_name(),
        "j.k"
    );
    assert!(m.lookup(SemanticModel::MODULE, "d").is_none());
}

#[test]
fn function_bodies_see_later_module_bindings() {
    let m = model("def f():\n    return os.sep\nimport os\n");
    assert!(module_binding(&m, "os").is_used());
    // Module-level code runs in order: a use before the import does not reach it.
    let m = model("print(os)\nimport os\n");
    assert!(!module_binding(&m, "os").is_used());
}

#[test]
fn shadowing_inherits_references() {
    let m = model("import os\nos.getcwd()\nimport os\n");
    assert!(module_binding(&m, "os").is_used());
    let m = model("import json\njson = None\n");
    assert_eq!(module_binding(&m, "json").kind, BindingKind::Assignment);
}

#[test]
fn class_scope_is_invisible_to_methods() {
    let m = model("class C:\n    import x\n    def f(self):\n        return x\n");
    let class_scope = m
        .scope_ids()
        .find(|s| m.scope(*s).kind == ScopeKind::Class)
        .unwrap();
    let x = m.lookup(class_scope, "x").unwrap();
    assert!(!m.binding(x).is_used());
}

#[test]
fn comprehension_targets_stay_in_their_scope_but_walrus_escapes() {
    let m = model("ys = [y for y in range(3) if (last := y)]\nprint(last)\n");
    assert!(m.lookup(SemanticModel::MODULE, "y").is_none());
    assert!(module_binding(&m, "last").is_used());
}

#[test]
fn annotation_contexts() {
    let m = model(
        "from typing import TYPE_CHECKING\nimport a, b, c, d\nif TYPE_CHECKING:\n    import e\n\
         def f(x: a.A) -> 'b.B':\n    y: c.C = 1\n    return d.D\nz: e.E\n",
    );
    assert!(reference_flags(&m, "a")[0].has(RefFlags::RUNTIME_ANNOTATION));
    assert!(reference_flags(&m, "b")[0].has(RefFlags::STRING_ANNOTATION));
    assert!(reference_flags(&m, "c")[0].has(RefFlags::TYPING_ONLY_ANNOTATION));
    assert!(reference_flags(&m, "d")[0].is_runtime());
    assert!(module_binding(&m, "e")
        .flags
        .has(BindingFlags::TYPE_CHECKING));
    assert!(reference_flags(&m, "e")[0].has(RefFlags::RUNTIME_ANNOTATION));
}

#[test]
fn future_annotations_are_deferred_and_typing_only() {
    let m = model(
        "from __future__ import annotations\ndef f(x: Later) -> None: ...\nfrom m import Later\n",
    );
    assert!(m.future_annotations);
    let later = module_binding(&m, "Later");
    assert!(later.is_used());
    let flags = m.reference(later.references[0]).flags;
    assert!(flags.has(RefFlags::TYPING_ONLY_ANNOTATION));
}

#[test]
fn string_annotation_offsets_point_into_the_string() {
    let source = "import os\nx: 'os.PathLike' = None\n";
    let m = model(source);
    let os = module_binding(&m, "os");
    let range = m.reference(os.references[0]).range;
    assert_eq!(&source[range.start..range.end], "os");
}

#[test]
fn dunder_all_forms() {
    let m = model(
        "from m import a, b, c, d, e\n__all__ = ['a'] + ['b']\n__all__ += ('c',)\n__all__.extend(['d'])\n",
    );
    for name in ["a", "b", "c", "d"] {
        assert!(
            module_binding(&m, name).flags.has(BindingFlags::EXPORTED),
            "{name}"
        );
    }
    assert!(!module_binding(&m, "e").is_used());
}

#[test]
fn guarded_imports_and_globals() {
    let m = model("try:\n    import a\nexcept (ImportError, ValueError):\n    a = None\ndef f():\n    global g\n    import g\n");
    let first_a = m.bindings.iter().find(|b| b.name == "a").unwrap();
    assert!(first_a.flags.has(BindingFlags::GUARDED_IMPORT));
    let g = m
        .bindings
        .iter()
        .find(|b| b.name == "g" && b.as_import().is_some())
        .unwrap();
    assert!(g.flags.has(BindingFlags::GLOBAL));
}

#[test]
fn other_bindings() {
    let m = model(
        "for i in x: pass\nwith open(p) as (f, g): pass\ntry: pass\nexcept E as err: pass\n\
         def fn(a, *args, b=1, **kw): pass\nclass K: pass\nn += 1\nmatch v:\n    case [first, *rest]: pass\n",
    );
    let kinds: Vec<(&str, &BindingKind)> = m
        .bindings
        .iter()
        .map(|b| (b.name.as_str(), &b.kind))
        .collect();
    for (name, kind) in [
        ("i", BindingKind::LoopVar),
        ("f", BindingKind::WithItem),
        ("g", BindingKind::WithItem),
        ("err", BindingKind::ExceptHandler),
        ("fn", BindingKind::FunctionDef),
        ("args", BindingKind::Parameter),
        ("kw", BindingKind::Parameter),
        ("K", BindingKind::ClassDef),
        ("n", BindingKind::AugmentedAssignment),
        ("first", BindingKind::MatchCapture),
        ("rest", BindingKind::MatchCapture),
    ] {
        assert!(
            kinds.contains(&(name, &kind)),
            "{name}: {kind:?} missing in {kinds:?}"
        );
    }
}

#[test]
fn deep_expressions_do_not_overflow_the_stack() {
    let depth = 10_000;
    let source = format!(
        "import os\nx = {}os{}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let parsed = parse(&source, None);
    let m = SemanticModel::build(&parsed.tree, &source, Path::new("deep.py"));
    assert!(module_binding(&m, "os").is_used());
    let source = format!("import os\nx = {}os\n", "-".repeat(depth));
    let parsed = parse(&source, None);
    let m = SemanticModel::build(&parsed.tree, &source, Path::new("deep.py"));
    assert!(module_binding(&m, "os").is_used());
}

#[test]
fn typing_generic_names_are_sorted() {
    let names = super::builder::typing_generics();
    assert!(names.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn future_imports_count_only_at_module_level() {
    // Python refuses them anywhere else; a function body must not turn on deferred annotations
    // (an edit inside a body would otherwise change the whole module's model).
    let m = model("def f():\n    from __future__ import annotations\n    return 1\n");
    assert!(!m.future_annotations);
    assert!(model("from __future__ import annotations\n").future_annotations);
}

#[test]
fn annotated_parameters_type_their_method_calls() {
    let m = model(
        "import typing\nimport pathlib\nfrom pathlib import Path\nfrom typing import Optional, Union\nimport httpx\n\
         async def f(a: Path, b: pathlib.Path, c: Path | None, d: Optional[Path], e: \"Path\",\n\
         \x20           g: typing.Union[None, Path], h: httpx.Client = None, i: str = '', *j: Path, k=Path()):\n\
         \x20   a.read_text(); b.read_text(); c.read_text(); d.read_text(); e.read_text()\n\
         \x20   g.read_text(); h.get(); i.read_text(); j.read_text(); k.read_text()\n",
    );
    let callees: Vec<Option<&str>> = m.async_calls.iter().map(|c| c.callee.as_deref()).collect();
    let path = Some("pathlib.Path.read_text");
    assert_eq!(
        callees,
        [
            path,
            path,
            path,
            path,
            path,
            path,
            Some("httpx.Client.get"),
            None,
            None,
            None
        ]
    );
}
