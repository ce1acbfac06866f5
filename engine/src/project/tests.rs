use super::*;
use crate::callgraph::FunctionCalls;

fn info(name: &str) -> ModuleInfo {
    ModuleInfo {
        name: Some(name.into()),
        is_package_init: false,
    }
}

fn imports(pairs: &[(&str, &str)]) -> Vec<ImportedName> {
    let mut imports: Vec<ImportedName> = pairs
        .iter()
        .map(|(module, name)| ImportedName {
            module: (*module).into(),
            name: (*name).into(),
        })
        .collect();
    imports.sort();
    imports
}

fn bindings(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).into()).collect();
    names.sort();
    names
}

#[test]
fn names_other_modules_import_are_known_to_their_module() {
    let helpers = ModuleSummary {
        import_bindings: bindings(&["clean_name", "os", "_private"]),
        ..ModuleSummary::default()
    };
    let cache = ModuleSummary {
        imports: imports(&[("pkg.helpers", "clean_name"), ("os", "path")]),
        ..ModuleSummary::default()
    };
    let star = ModuleSummary {
        imports: imports(&[("pkg.helpers", "*")]),
        ..ModuleSummary::default()
    };
    let modules = [
        (info("pkg.helpers"), helpers.clone()),
        (info("pkg.cache"), cache),
        (info("pkg.star"), star),
    ];
    let facts = ProjectFacts::gather(modules.iter().map(|(i, s)| (i, s)), ProjectFlags::default());
    let view = facts.view_for(&info("pkg.helpers"), Some(&helpers));
    assert_eq!(
        view.importers_of("clean_name"),
        Some(&["pkg.cache".to_owned(), "pkg.star".to_owned()][..])
    );
    // A star import takes public names only; modules outside the project are not looked at.
    assert_eq!(view.importers_of("os"), Some(&["pkg.star".to_owned()][..]));
    assert_eq!(view.importers_of("_private"), None);
    assert!(!facts.imported_names.contains_key("os"));
    assert!(view.has_facts());
}

#[test]
fn a_star_import_of_a_module_with_dunder_all_takes_only_those() {
    let helpers = ModuleSummary {
        import_bindings: bindings(&["os"]),
        defines_all: true,
        ..ModuleSummary::default()
    };
    let star = ModuleSummary {
        imports: imports(&[("pkg.helpers", "*")]),
        ..ModuleSummary::default()
    };
    let modules = [
        (info("pkg.helpers"), helpers.clone()),
        (info("pkg.star"), star),
    ];
    let facts = ProjectFacts::gather(modules.iter().map(|(i, s)| (i, s)), ProjectFlags::default());
    let view = facts.view_for(&info("pkg.helpers"), Some(&helpers));
    assert_eq!(view.importers_of("os"), None);
    assert!(!view.has_facts());
}

fn function(name: &str, blocking: Option<&str>, calls: &[&str]) -> FunctionCalls {
    FunctionCalls {
        name: name.into(),
        is_async: false,
        blocking: blocking.map(Into::into),
        blocking_guard: None,
        calls: calls.iter().map(|c| (*c).into()).collect(),
        ..FunctionCalls::default()
    }
}

#[test]
fn views_leave_out_only_what_the_file_itself_defines() {
    // The package's `__init__` defines `pkg.C.wait`; `pkg.sub` defines `pkg.sub.load`: a name
    // prefix cannot tell them apart, the defining module can.
    let init = ModuleSummary {
        functions: vec![
            function("pkg.C.wait", Some("time.sleep"), &[]),
            function("pkg.main", None, &["pkg.sub.load", "pkg.C.wait"]),
        ],
        classes: vec![ClassFact {
            name: "Own".into(),
            bases: vec!["pkg.models.Base".into()],
            runtime: false,
        }],
        ..ModuleSummary::default()
    };
    let sub = ModuleSummary {
        functions: vec![function("pkg.sub.load", Some("builtins.open"), &[])],
        ..ModuleSummary::default()
    };
    let models = ModuleSummary {
        classes: vec![ClassFact {
            name: "Base".into(),
            bases: vec!["pydantic.BaseModel".into()],
            runtime: true,
        }],
        ..ModuleSummary::default()
    };
    let package = ModuleInfo {
        name: Some("pkg".into()),
        is_package_init: true,
    };
    let modules = [
        (package.clone(), init.clone()),
        (info("pkg.sub"), sub),
        (info("pkg.models"), models),
    ];
    let facts = ProjectFacts::gather(
        modules.iter().map(|(i, s)| (i, s)),
        ProjectFlags {
            annotations_unread: true,
            ..ProjectFlags::default()
        },
    );
    for summary in [Some(&init), None] {
        let view = facts.view_for(&package, summary);
        let blocking: Vec<&String> = view.blocking.keys().collect();
        assert_eq!(
            blocking,
            ["pkg.sub.load"],
            "with summary: {}",
            summary.is_some()
        );
        assert!(view.annotations_unread);
        assert!(view.runtime_bases.contains(&"pkg.models.Base".to_owned()));
        assert!(!view.runtime_bases.contains(&"pkg.Own".to_owned()));
    }
}

#[test]
fn modules_are_described_briefly() {
    let names: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| (*s).into()).collect();
    assert_eq!(describe_modules(&names[..1]), "`a`");
    assert_eq!(describe_modules(&names[..2]), "`a` and `b`");
    assert_eq!(describe_modules(&names[..3]), "`a`, `b` and `c`");
    assert_eq!(describe_modules(&names), "`a`, `b`, `c` and 1 more");
}

#[test]
fn callers_of_blocking_helpers_reach_only_the_modules_concerned() {
    let coroutine = |name: &str, calls: &[&str]| FunctionCalls {
        is_async: true,
        ..function(name, None, calls)
    };
    let io = ModuleSummary {
        functions: vec![
            function("app.io.fetch", Some("time.sleep"), &[]),
            function("app.io.quiet", Some("time.sleep"), &[]),
        ],
        ..ModuleSummary::default()
    };
    let api = ModuleSummary {
        functions: vec![
            coroutine("app.api.a", &["app.io.fetch"]),
            coroutine("app.api.b", &["app.io.fetch", "app.io.fetch"]),
        ],
        ..ModuleSummary::default()
    };
    let other = ModuleSummary {
        functions: vec![coroutine("app.other.c", &["app.io.quiet"])],
        ..ModuleSummary::default()
    };
    let modules = [
        (info("app.io"), io.clone()),
        (info("app.api"), api.clone()),
        (info("app.other"), other),
    ];
    let facts = ProjectFacts::gather(modules.iter().map(|(i, s)| (i, s)), ProjectFlags::default());
    assert_eq!(
        facts.blocking_callers["app.io.fetch"],
        ["app.api.a", "app.api.b"]
    );
    // The defining module sees the callers of its helpers; a caller, those of what it calls.
    let view = facts.view_for(&info("app.io"), Some(&io));
    assert_eq!(view.blocking_callers.len(), 2);
    assert!(view.has_facts());
    let view = facts.view_for(&info("app.api"), Some(&api));
    let keys: Vec<&String> = view.blocking_callers.keys().collect();
    assert_eq!(keys, ["app.io.fetch"]);
}

#[test]
fn only_calls_of_the_project_and_what_they_pass_are_kept() {
    use crate::callgraph::{Known, Passed};
    let mut passed = Passed::default();
    passed.add_position(1, Known::Nothing);
    passed.add_keyword("persist", Known::Nothing);
    let mut own = function("pkg.m.f", None, &["pkg.io.load", "json.dumps"]);
    own.passes = vec![passed, passed];
    own.consumed = vec!["pkg.io.load".into(), "json.loads".into()];
    let mut library_only = function("pkg.m.g", None, &["json.dumps"]);
    library_only.passes = vec![passed];
    let mut summary = ModuleSummary {
        functions: vec![own, library_only],
        ..ModuleSummary::default()
    };
    let roots: rustc_hash::FxHashSet<String> = ["pkg".to_owned()].into_iter().collect();
    summary.keep_project_parts(&roots);
    let own = &summary.functions[0];
    assert_eq!(own.calls, ["pkg.io.load"]);
    assert_eq!(own.passes, [passed]);
    assert_eq!(own.consumed, ["pkg.io.load"]);
    // `g` calls libraries only: it tells the project nothing.
    assert_eq!(summary.functions.len(), 1);
}

#[test]
fn functions_with_nothing_to_tell_are_dropped_unless_redefined() {
    let roots: rustc_hash::FxHashSet<String> = ["pkg".to_owned()].into_iter().collect();
    let mut reader = function("pkg.m.reader", None, &[]);
    reader.context_reader = Some("asyncio.get_running_loop".into());
    let mut summary = ModuleSummary {
        functions: vec![
            function("pkg.m.quiet", None, &["json.dumps"]),
            function("pkg.m.opens", Some("builtins.open"), &[]),
            reader,
            function("pkg.m.twice", None, &[]),
            function("pkg.m.twice", Some("time.sleep"), &[]),
        ],
        ..ModuleSummary::default()
    };
    summary.keep_project_parts(&roots);
    let kept: Vec<&str> = summary.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        kept,
        ["pkg.m.opens", "pkg.m.reader", "pkg.m.twice", "pkg.m.twice"]
    );
}
