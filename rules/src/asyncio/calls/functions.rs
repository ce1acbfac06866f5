//! Each module's functions with their blocking calls and the other calls they make, for the
//! module's summary: what the project-wide search follows.

use tauten_engine::callgraph::{CallSites, FunctionCalls, Gate, Guard};
use tauten_engine::module::ModuleInfo;
use tauten_engine::semantic::{Callee, SemanticModel};
use tauten_engine::settings::LintSettings;

use crate::asyncio::tables;

/// The module-level functions and methods of module-level classes of a module with a name, with
/// their calls (only as many as the model recorded: every function body, in a run with async code).
/// `sites` are what [`super::guards::call_guards`] found of the calls.
pub fn module_functions(
    semantic: &SemanticModel,
    sites: &CallSites,
    module: &ModuleInfo,
    settings: &LintSettings,
) -> Vec<FunctionCalls> {
    let Some(module) = module.name.as_deref() else {
        return Vec::new();
    };
    if semantic.calls.is_empty() {
        return Vec::new();
    }
    let generators = generator_functions(semantic);
    // Callees called at least once on the common path, per caller.
    let mut unguarded: Vec<Vec<String>> = vec![Vec::new(); semantic.functions.len()];
    let mut functions: Vec<Option<FunctionCalls>> = semantic
        .functions
        .iter()
        .zip(&generators)
        .map(|(f, &generator)| {
            // A function a decorator runs in a worker thread blocks no caller.
            let path = f.path.as_ref().filter(|_| !f.runs_in_thread);
            path.map(|path| FunctionCalls {
                name: format!("{module}.{path}"),
                is_async: f.is_async,
                blocking: None,
                blocking_guard: None,
                calls: Vec::new(),
                guarded: Vec::new(),
                context_reader: None,
                generator,
                consumed: Vec::new(),
                blocking_gate: None,
                needs: Vec::new(),
                passes: Vec::new(),
            })
        })
        .collect();
    // A call on the common path ranks first, then one made only with a parameter, then one
    // under a guard.
    let rank = |guard: &Option<Guard>, gate: &Option<Gate>| match (guard, gate) {
        (None, None) => 0,
        (None, Some(_)) => 1,
        (Some(_), _) => 2,
    };
    for (((((call, guard), &consumed), gate), passed), &no_io) in (semantic.calls.iter())
        .zip(&sites.guards)
        .zip(&sites.consumed)
        .zip(&sites.gates)
        .zip(&sites.passed)
        .zip(&sites.no_io)
    {
        let caller = &semantic.functions[call.caller as usize];
        let Some(entry) = functions[call.caller as usize].as_mut() else {
            continue;
        };
        let callee = match &call.callee {
            Callee::Local { scope, name } if *scope == SemanticModel::MODULE => {
                format!("{module}.{name}")
            }
            Callee::Local { .. } => continue,
            Callee::Method(name) => match caller.path.as_deref().and_then(|p| p.rsplit_once('.')) {
                Some((class, _)) => format!("{module}.{class}.{name}"),
                None => continue,
            },
            Callee::Qualified(name) => {
                if no_io {
                    continue;
                }
                if tables::is_blocking(name, &settings.asyncio) {
                    let better = entry.blocking.is_none()
                        || rank(guard, gate) < rank(&entry.blocking_guard, &entry.blocking_gate);
                    if better {
                        entry.blocking = Some(name.clone());
                        entry.blocking_guard = *guard;
                        entry.blocking_gate = gate.clone();
                    }
                    continue;
                }
                if tables::CONTEXT_READERS.contains(&name.as_str()) {
                    entry.context_reader.get_or_insert_with(|| name.clone());
                }
                if name.starts_with("builtins.") {
                    continue;
                }
                name.clone()
            }
        };
        let first_call = !entry.calls.contains(&callee);
        match (gate, first_call) {
            (Some(gate), true) => entry.needs.push((callee.clone(), gate.clone())),
            (None, _) if guard.is_none() => entry.needs.retain(|(name, _)| *name != callee),
            _ => {}
        }
        match guard {
            None => {
                entry.guarded.retain(|(name, _)| *name != callee);
                unguarded[call.caller as usize].push(callee.clone());
            }
            Some(guard) => {
                let seen = unguarded[call.caller as usize].contains(&callee)
                    || entry.guarded.iter().any(|(name, _)| *name == callee);
                if !seen {
                    entry.guarded.push((callee.clone(), *guard));
                }
            }
        }
        if consumed && !entry.consumed.contains(&callee) {
            entry.consumed.push(callee.clone());
        }
        match entry.calls.iter().position(|name| *name == callee) {
            Some(at) => entry.passes[at].merge(passed),
            None => {
                entry.calls.push(callee);
                entry.passes.push(*passed);
            }
        }
    }
    functions
        .into_iter()
        .flatten()
        .filter(|f| f.blocking.is_some() || !f.calls.is_empty() || f.context_reader.is_some())
        .collect()
}

/// Whether each of `semantic.functions` is a generator function (see
/// [`tauten_engine::semantic::FunctionFact::is_generator`]).
pub fn generator_functions(semantic: &SemanticModel) -> Vec<bool> {
    semantic.functions.iter().map(|f| f.is_generator).collect()
}
