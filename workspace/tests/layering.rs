//! The layering: no import cycles between the top-level modules of the engine and of the
//! workspace layer (each module's `crate::` paths outside test code form a graph without
//! cycles), and an engine that does no I/O.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module -> the modules of the same crate it names through `crate::`.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    let mut files: Vec<PathBuf> = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap();
        let first = relative.components().next().unwrap();
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let used = graph.entry(module.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect();
            if !name.is_empty() && name != module {
                used.insert(name);
            }
        }
    }
    graph
}

/// A cycle of `graph`, if it has one (depth-first, with an explicit stack of open modules).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for start in graph.keys() {
        if done.contains(start.as_str()) {
            continue;
        }
        // (module, its dependencies not yet visited)
        let mut path: Vec<(&str, Vec<&str>)> = vec![(start, deps(graph, start))];
        while let Some((module, pending)) = path.last_mut() {
            let module = *module;
            match pending.pop() {
                Some(next) if path.iter().any(|(open, _)| *open == next) => {
                    let from = path.iter().position(|(open, _)| *open == next).unwrap();
                    let mut cycle: Vec<String> =
                        path[from..].iter().map(|(m, _)| m.to_string()).collect();
                    cycle.push(next.to_owned());
                    return Some(cycle);
                }
                Some(next) if !done.contains(next) => path.push((next, deps(graph, next))),
                Some(_) => {}
                None => {
                    done.insert(module);
                    path.pop();
                }
            }
        }
    }
    None
}

fn deps<'g>(graph: &'g BTreeMap<String, BTreeSet<String>>, module: &str) -> Vec<&'g str> {
    graph
        .get(module)
        .map(|d| d.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn the_engine_and_the_workspace_layer_have_no_import_cycles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for src in ["engine/src", "workspace/src"] {
        let graph = module_graph(&root.join(src));
        assert!(graph.len() > 5, "{src}: modules not found");
        if let Some(cycle) = find_cycle(&graph) {
            panic!("{src}: import cycle {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn a_cycle_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", &["b"][..]),
        ("b", &["c"][..]),
        ("c", &["a"][..]),
        ("d", &[][..]),
    ]
    .iter()
    .map(|(m, d)| (m.to_string(), d.iter().map(|s| s.to_string()).collect()))
    .collect();
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

/// The engine's code outside tests names no file-system, environment or process API: reading,
/// walking, statting and writing files are this layer's.
#[test]
fn the_engine_does_no_io() {
    const IO: &[&str] = &[
        "std::fs",
        "fs::read",
        "fs::write",
        "File::",
        "read_dir(",
        ".is_file()",
        ".is_dir()",
        ".exists()",
        ".metadata()",
        "std::env::",
        "std::process",
        "std::net",
        "std::io::stdin",
        "std::io::stdout",
    ];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/src");
    let mut found = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if !name.ends_with(".rs") || name == "tests.rs" || name.ends_with("_tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (number, line) in code.lines().enumerate() {
                let line = line.split("//").next().unwrap_or_default();
                if let Some(api) = IO.iter().find(|api| line.contains(*api)) {
                    found.push(format!("{}:{}: {api}", path.display(), number + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the engine does I/O:\n{}",
        found.join("\n")
    );
}
