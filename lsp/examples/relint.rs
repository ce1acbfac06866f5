//! Times what the language server does per edit on one file: the semantic model alone, and the
//! whole lint (model, rules, noqa), over an already parsed text; then keystrokes in function bodies
//! as the server handles them; then each rule alone.
//!
//! `cargo run --release -p tauten-lsp --example relint -- [FILE] [ITERATIONS]`
//! (default: the pandas `frame.py` of the benchmark corpus, 50 iterations).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tauten_engine::document::Document;
use tauten_engine::driver;
use tauten_engine::selection::Selectors;
use tauten_engine::semantic::{ModelOptions, SemanticModel};
use tauten_engine::{Context, TextRange};
use tauten_workspace::run::FileJob;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/work/main/.corpus/pandas/pandas/core/frame.py".into()),
    );
    let iterations: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(50);
    let text = std::fs::read_to_string(&path).expect("readable file");
    let parsed = tauten_engine::parse::parse(&text, None);
    let rules = tauten_rules::registry::all_rules();
    let config = tauten_workspace::config::defaults_for(path.parent().unwrap_or(Path::new(".")));
    let facts = tauten_workspace::modules::file_facts(&path);
    let job = FileJob::for_file(
        &path,
        facts.module.clone(),
        &config,
        &Selectors::default(),
        &rules,
        tauten_rules::registry::call_analysis(),
    );
    let options = ModelOptions::new(&job.settings, &facts);

    let model = time(iterations, || {
        std::hint::black_box(SemanticModel::build_with(
            &parsed.tree,
            &text,
            &path,
            &options,
        ));
    });
    let mut found = 0;
    let lint = time(iterations, || {
        found =
            driver::lint_parsed(&path, &text, &parsed, job.rule_set(), &job.settings, &facts).len();
    });
    println!(
        "{} ({} rules, {found} findings)",
        path.display(),
        job.rules.len()
    );
    report("model", &model);
    report("lint", &lint);

    // Keystrokes: a character typed at the end of an identifier in a function body and deleted
    // again, as the server handles them (incremental parse and model update, then the rules).
    let mut doc = Document::new(text.clone());
    driver::lint_document(&path, &mut doc, job.rule_set(), &job.settings, &facts);
    let spots = tauten_engine::testing::identifiers_in_bodies(&text);
    let (mut edit_times, mut lint_times) = (Vec::new(), Vec::new());
    for i in 0..iterations {
        let spot = spots[i * 97 % spots.len()];
        for (range, typed) in [
            (TextRange::new(spot.end, spot.end), "x"),
            (TextRange::new(spot.end, spot.end + 1), ""),
        ] {
            let start = Instant::now();
            doc.edit(range, typed);
            edit_times.push(start.elapsed());
            let start = Instant::now();
            std::hint::black_box(driver::lint_document(
                &path,
                &mut doc,
                job.rule_set(),
                &job.settings,
                &facts,
            ));
            lint_times.push(start.elapsed());
        }
    }
    edit_times.sort();
    lint_times.sort();
    report("edit", &edit_times);
    report("relint", &lint_times);
    println!("model: {:?}", doc.stats());

    // Each rule alone, over one model built up front.
    let semantic = SemanticModel::build_with(&parsed.tree, &text, &path, &options);
    let derived = tauten_engine::rule::Derived::new(job.calls);
    let ctx = Context {
        path: &path,
        source: &text,
        derived: &derived,
        tree: &parsed.tree,
        semantic: &semantic,
        settings: &job.settings,
        module: &facts.module,
        project: &facts.project,
    };
    for rule in &job.rules {
        let times = time(iterations, || {
            let mut found = Vec::new();
            rule.check(&ctx, &mut found);
            std::hint::black_box(found);
        });
        report(rule.meta().code, &times);
    }
}

fn time(iterations: usize, mut f: impl FnMut()) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn report(what: &str, times: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{what:>6}: min {:.2} ms, median {:.2} ms",
        ms(times[0]),
        ms(times[times.len() / 2])
    );
}
