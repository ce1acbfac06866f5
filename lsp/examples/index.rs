//! Time the language server's workspace index on a tree, on one worker thread as the server runs
//! it: `cargo run --release -p tauten-lsp --example index -- DIR`.

use std::time::Instant;

use tauten_engine::project::ModuleInfo;
use tauten_engine::selection::Selectors;
use tauten_workspace::config::Resolver;
use tauten_workspace::discovery;
use tauten_workspace::modules::ModuleNames;
use tauten_workspace::run::{self, FileJob};

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("a directory"));
    let rules = tauten_rules::registry::all_rules();
    let resolver = Resolver::new(None).unwrap_or_default();
    let found = discovery::discover(std::slice::from_ref(&root), &resolver);
    let mut names = ModuleNames::default();
    let jobs: Vec<FileJob<'_>> = (found.files.iter())
        .map(|file| {
            let config = resolver.config_for_file(file).unwrap_or_else(|_| {
                std::sync::Arc::new(tauten_workspace::config::defaults_for(&root))
            });
            let module = ModuleInfo::new(names.of(file), file);
            FileJob::for_file(
                file,
                module,
                &config,
                &Selectors::default(),
                &rules,
                tauten_rules::registry::call_analysis(),
            )
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    let start = Instant::now();
    let facts = pool.install(|| run::index_project(&jobs, &|_| {}));
    println!(
        "{} files indexed in {:.2} s: {} blocking helpers, {} run-time classes, {} modules whose names others import",
        facts.files,
        start.elapsed().as_secs_f64(),
        facts.blocking.len(),
        facts.runtime_classes.len(),
        facts.imported_names.len()
    );
}
