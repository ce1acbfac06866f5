//! The background index of the workspace: every Python file checked once, on its own thread (one
//! worker, so typing keeps the other core), for the facts only the whole project tells (blocking
//! helpers in other modules, base classes whose annotations are read at run time). Its progress
//! and result go to the main loop, which forwards the progress as `$/progress` (the index thread
//! holds no handle on the output, so an `exit` never waits for it).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;
use lsp_types as lsp;
use tauten_engine::project::{ModuleInfo, ProjectFacts};
use tauten_engine::selection::Selectors;
use tauten_engine::Rule;
use tauten_workspace::config::Resolver;
use tauten_workspace::discovery;
use tauten_workspace::modules::ModuleNames;
use tauten_workspace::run::{self, FileJob};

/// The progress token the server asks the client to create.
pub const PROGRESS_TOKEN: &str = "tauten/index";

/// What the index thread tells the main loop.
#[derive(Debug)]
pub enum IndexEvent {
    Progress(lsp::WorkDoneProgress),
    /// The main loop ends the progress when it has taken the facts in.
    Done {
        facts: ProjectFacts,
        elapsed: Duration,
    },
}

/// What to index and with which selection.
pub struct IndexRequest {
    pub roots: Vec<PathBuf>,
    pub selectors: Selectors,
    pub rules: Vec<&'static dyn Rule>,
    /// Tell the progress as it goes.
    pub progress: bool,
}

/// Start indexing; progress and result arrive on `events`.
pub fn spawn(request: IndexRequest, events: Sender<IndexEvent>) {
    let spawned = std::thread::Builder::new()
        .name("tauten-index".into())
        .spawn(move || {
            let done = run(&request, &events);
            let _ = events.send(done);
        });
    if let Err(err) = spawned {
        eprintln!("tauten: cannot start the workspace index: {err}");
    }
}

fn run(request: &IndexRequest, events: &Sender<IndexEvent>) -> IndexEvent {
    let start = Instant::now();
    let progress = Progress {
        events: request.progress.then_some(events),
        reported: AtomicUsize::new(0),
    };
    progress.send(lsp::WorkDoneProgress::Begin(lsp::WorkDoneProgressBegin {
        title: "tauten: indexing the workspace".into(),
        cancellable: Some(false),
        message: None,
        percentage: Some(0),
    }));
    let resolver = Resolver::new(None).unwrap_or_default();
    let found = discovery::discover(&request.roots, &resolver);
    let mut names = ModuleNames::default();
    let jobs: Vec<FileJob<'static>> = found
        .files
        .iter()
        .filter_map(|file| {
            let config = resolver.config_for_file(file).unwrap_or_else(|_| {
                std::sync::Arc::new(tauten_workspace::config::defaults_for(
                    file.parent().unwrap_or(std::path::Path::new(".")),
                ))
            });
            let absolute = std::path::absolute(file).unwrap_or_else(|_| file.clone());
            (!config.is_excluded(&absolute)).then(|| {
                let module = ModuleInfo::new(names.of(file), file);
                FileJob::for_file(
                    file,
                    module,
                    &config,
                    &request.selectors,
                    &request.rules,
                    tauten_rules::registry::call_analysis(),
                )
            })
        })
        .collect();
    let total = jobs.len();
    let on_file = |done: usize| progress.files_done(done, total);
    let facts = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(|| run::index_project(&jobs, &on_file)),
        Err(_) => run::index_project(&jobs, &on_file),
    };
    IndexEvent::Done {
        facts,
        elapsed: start.elapsed(),
    }
}

/// Progress events, at most one per whole percent.
struct Progress<'a> {
    events: Option<&'a Sender<IndexEvent>>,
    reported: AtomicUsize,
}

impl Progress<'_> {
    fn files_done(&self, done: usize, total: usize) {
        let percent = done * 100 / total.max(1);
        if self.reported.fetch_max(percent, Ordering::Relaxed) < percent {
            self.send(lsp::WorkDoneProgress::Report(lsp::WorkDoneProgressReport {
                cancellable: Some(false),
                message: Some(format!("{done}/{total} files")),
                percentage: Some(percent as u32),
            }));
        }
    }

    fn send(&self, value: lsp::WorkDoneProgress) {
        if let Some(events) = self.events {
            let _ = events.send(IndexEvent::Progress(value));
        }
    }
}
