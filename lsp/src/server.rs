//! The main loop: message dispatch, document state, diagnostics and code actions.

use std::collections::{HashMap, HashSet, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use serde_json::Value;
use tauten_engine::driver;
use tauten_engine::fix::FixMode;
use tauten_engine::project::{FileFacts, ProjectFacts, ProjectView};
use tauten_engine::selection::is_known_selector;
use tauten_engine::{Applicability, Diagnostic, Rule, TextRange};
use tauten_workspace::config::Resolver;
use tauten_workspace::run::{self, FileJob};

use crate::document::OpenDocument;
use crate::index::{self, IndexEvent};
use crate::position::{self, Encoding};
use crate::settings::ClientSettings;
use crate::transport::Incoming;

/// Where each rule's documentation page lives.
pub const RULE_DOCS: &str = "https://github.com/tauten/tauten/blob/main/docs/rules/";
/// The code action kind of "fix all".
pub const FIX_ALL: &str = "source.fixAll.tauten";
const CONFIG_FILES: [&str; 2] = ["pyproject.toml", "tauten.toml"];
const WATCH_REGISTRATION: &str = "tauten-watch-config";
/// The fixes also offered as refactorings, with their titles: the moves no other server offers.
const REFACTORS: &[(&str, &str)] = &[
    ("TAU201", "Move to TYPE_CHECKING block"),
    ("TAU301", "Defer this import to where it is used"),
];
/// The purpose of the request that creates the index's progress token.
const INDEX_PROGRESS: &str = "index progress";

/// What linting one version of a document found.
#[derive(Debug, Clone, Default)]
struct LintResult {
    version: i32,
    diagnostics: Vec<Diagnostic>,
    /// When non-empty, no rule ran.
    syntax_errors: Vec<TextRange>,
}

struct Doc {
    open: OpenDocument,
    lint: Option<LintResult>,
}

pub struct Server {
    out: Sender<Message>,
    initialized: bool,
    shutdown: bool,
    /// The change being handled is followed, in the queue, by another change to the same document.
    superseded: bool,
    encoding: Encoding,
    settings: ClientSettings,
    resolver: Resolver,
    rules: Vec<&'static dyn Rule>,
    docs: HashMap<lsp::Uri, Doc>,
    /// Clients that can be asked for `workspace/configuration`.
    pull_configuration: bool,
    watch_dynamically: bool,
    /// Push diagnostics (`publishDiagnostics`); off when the client pulls them.
    push: bool,
    /// The client can be asked to pull diagnostics again (`workspace/diagnostic/refresh`).
    refresh: bool,
    next_id: i32,
    /// Our requests awaiting a response, by id: what to do with it.
    pending: HashMap<RequestId, &'static str>,
    /// Configuration files whose errors were already shown.
    reported: HashSet<PathBuf>,
    /// The workspace folders, indexed in the background.
    roots: Vec<PathBuf>,
    /// The client shows server-initiated `$/progress`.
    progress: bool,
    /// What the last index of the workspace found.
    project: Option<Arc<ProjectFacts>>,
    /// An index is running; `reindex` asks for another when it ends (files changed meanwhile).
    indexing: bool,
    reindex: bool,
    index_events: (Sender<IndexEvent>, Receiver<IndexEvent>),
}

/// Run the server until `exit` or the end of input; the process exit status (0 after a `shutdown`).
pub fn serve(incoming: &Receiver<Incoming>, out: Sender<Message>) -> u8 {
    let mut server = Server::new(out);
    let index_events = server.index_events.1.clone();
    let mut queue: VecDeque<Message> = VecDeque::new();
    loop {
        if queue.is_empty() {
            crossbeam_channel::select! {
                recv(incoming) -> message => match message {
                    Ok(message) => server.accept(message, &mut queue),
                    Err(_) => return server.exit_status(),
                },
                recv(index_events) -> event => {
                    if let Ok(event) = event {
                        server.on_index_event(event);
                    }
                    continue;
                }
            }
        }
        while let Ok(message) = incoming.try_recv() {
            server.accept(message, &mut queue);
        }
        let Some(message) = queue.pop_front() else {
            continue;
        };
        // A change already followed by another change to the same document is applied, but its
        // diagnostics would be stale on arrival: only the last of a burst is linted and published.
        server.superseded = superseded_change(&message, &queue);
        if let Some(status) = server.handle(message) {
            return status;
        }
    }
}

impl Server {
    fn new(out: Sender<Message>) -> Self {
        Server {
            out,
            initialized: false,
            shutdown: false,
            superseded: false,
            encoding: Encoding::Utf16,
            settings: ClientSettings::default(),
            resolver: Resolver::default(),
            rules: tauten_rules::registry::all_rules(),
            docs: HashMap::new(),
            pull_configuration: false,
            watch_dynamically: false,
            push: true,
            refresh: false,
            next_id: 0,
            pending: HashMap::new(),
            reported: HashSet::new(),
            roots: Vec::new(),
            progress: false,
            project: None,
            indexing: false,
            reindex: false,
            index_events: crossbeam_channel::unbounded(),
        }
    }

    fn exit_status(&self) -> u8 {
        if self.shutdown {
            0
        } else {
            1
        }
    }

    /// Take a message off the wire: cancellations act on the queue at once, the rest wait their turn.
    fn accept(&mut self, incoming: Incoming, queue: &mut VecDeque<Message>) {
        let message = match incoming {
            Incoming::Message(message) => message,
            Incoming::Malformed(why) => {
                self.log(
                    lsp::MessageType::ERROR,
                    format!("ignored malformed input: {why}"),
                );
                return;
            }
        };
        if let Message::Notification(n) = &message {
            if n.method == notif::Cancel::METHOD {
                if let Ok(params) = serde_json::from_value::<lsp::CancelParams>(n.params.clone()) {
                    let id: RequestId = match params.id {
                        lsp::NumberOrString::Number(n) => n.into(),
                        lsp::NumberOrString::String(s) => s.into(),
                    };
                    let queued = queue
                        .iter()
                        .position(|m| matches!(m, Message::Request(r) if r.id == id));
                    if let Some(at) = queued {
                        queue.remove(at);
                        self.respond_err(id, ErrorCode::RequestCanceled, "request cancelled");
                    }
                }
                return;
            }
        }
        queue.push_back(message);
    }

    /// Handle one message; `Some(status)` when the server must exit.
    fn handle(&mut self, message: Message) -> Option<u8> {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let method = request.method.clone();
                let outcome = catch_unwind(AssertUnwindSafe(|| self.on_request(request)));
                if let Err(panic) = outcome {
                    let why = panic_message(&panic);
                    self.log(
                        lsp::MessageType::ERROR,
                        format!("tauten panicked handling {method}: {why}"),
                    );
                    self.respond_err(
                        id,
                        ErrorCode::InternalError,
                        &format!("internal error: {why}"),
                    );
                }
                None
            }
            Message::Notification(n) => {
                if n.method == notif::Exit::METHOD {
                    return Some(self.exit_status());
                }
                let method = n.method.clone();
                let outcome = catch_unwind(AssertUnwindSafe(|| self.on_notification(n)));
                if let Err(panic) = outcome {
                    let why = panic_message(&panic);
                    self.log(
                        lsp::MessageType::ERROR,
                        format!("tauten panicked handling {method}: {why}"),
                    );
                }
                None
            }
            Message::Response(response) => {
                self.on_response(response);
                None
            }
        }
    }

    // --- requests ---------------------------------------------------------------------------

    fn on_request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if !self.initialized {
            if method == req::Initialize::METHOD {
                match serde_json::from_value::<lsp::InitializeParams>(params) {
                    Ok(params) => {
                        let result = self.initialize(params);
                        self.respond(id, result);
                    }
                    Err(e) => self.respond_err(id, ErrorCode::InvalidParams, &e.to_string()),
                }
            } else {
                self.respond_err(
                    id,
                    ErrorCode::ServerNotInitialized,
                    "the server is not initialized",
                );
            }
            return;
        }
        if self.shutdown {
            self.respond_err(id, ErrorCode::InvalidRequest, "the server is shutting down");
            return;
        }
        match method.as_str() {
            req::Initialize::METHOD => {
                self.respond_err(id, ErrorCode::InvalidRequest, "already initialized");
            }
            req::Shutdown::METHOD => {
                self.shutdown = true;
                self.respond(id, Value::Null);
            }
            req::CodeActionRequest::METHOD => {
                with_params(self, id, params, |s, p| s.code_actions(p));
            }
            req::DocumentDiagnosticRequest::METHOD => {
                with_params(self, id, params, |s, p| s.pull_diagnostics(p));
            }
            _ => self.respond_err(
                id,
                ErrorCode::MethodNotFound,
                &format!("unknown method {method}"),
            ),
        }
    }

    fn initialize(&mut self, params: lsp::InitializeParams) -> lsp::InitializeResult {
        let caps = &params.capabilities;
        self.encoding = Encoding::negotiate(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let workspace = caps.workspace.as_ref();
        self.pull_configuration = workspace.and_then(|w| w.configuration).unwrap_or(false);
        self.watch_dynamically = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        // A client that pulls diagnostics would show pushed ones twice.
        self.push = caps
            .text_document
            .as_ref()
            .and_then(|t| t.diagnostic.as_ref())
            .is_none();
        self.refresh = workspace
            .and_then(|w| w.diagnostic.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        self.progress = caps
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        #[allow(deprecated)] // `rootUri` is how older clients name the one folder
        let root = params.root_uri.as_ref();
        self.roots = match &params.workspace_folders {
            Some(folders) => folders.iter().map(|f| path_of(&f.uri)).collect(),
            None => root.map(path_of).into_iter().collect(),
        };
        if let Some(settings) = params
            .initialization_options
            .as_ref()
            .and_then(ClientSettings::from_value)
        {
            self.set_settings(settings);
        }
        self.resolver = self.new_resolver();
        self.initialized = true;
        let sync = lsp::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
            save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                lsp::SaveOptions {
                    include_text: Some(false),
                },
            )),
            ..Default::default()
        };
        let code_actions = lsp::CodeActionOptions {
            code_action_kinds: Some(vec![
                lsp::CodeActionKind::QUICKFIX,
                lsp::CodeActionKind::new(FIX_ALL),
                lsp::CodeActionKind::REFACTOR_REWRITE,
            ]),
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        };
        let diagnostics = lsp::DiagnosticOptions {
            identifier: Some("tauten".into()),
            inter_file_dependencies: false,
            workspace_diagnostics: false,
            work_done_progress_options: Default::default(),
        };
        lsp::InitializeResult {
            capabilities: lsp::ServerCapabilities {
                position_encoding: Some(self.encoding.kind()),
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(sync)),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                    code_actions,
                )),
                diagnostic_provider: Some(lsp::DiagnosticServerCapabilities::Options(diagnostics)),
                ..Default::default()
            },
            server_info: Some(lsp::ServerInfo {
                name: "tauten".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }
    }

    fn pull_diagnostics(
        &mut self,
        params: lsp::DocumentDiagnosticParams,
    ) -> Result<lsp::DocumentDiagnosticReportResult, (ErrorCode, String)> {
        let uri = params.text_document.uri;
        if !self.docs.contains_key(&uri) {
            // Not open: lint the file as saved.
            let path = path_of(&uri);
            let text = std::fs::read(&path)
                .ok()
                .and_then(|b| tauten_engine::source::decode(&b).ok())
                .map(|(text, _)| text)
                .ok_or_else(|| {
                    (
                        ErrorCode::InvalidParams,
                        format!("cannot read {}", path.display()),
                    )
                })?;
            self.docs.insert(
                uri.clone(),
                Doc {
                    open: OpenDocument::new(path, text, 0),
                    lint: None,
                },
            );
            let items = self.lsp_diagnostics(&uri);
            self.docs.remove(&uri);
            return Ok(full_report(items, None));
        }
        let items = self.lsp_diagnostics(&uri);
        let version = self.docs.get(&uri).map(|d| d.open.version.to_string());
        Ok(full_report(items, version))
    }

    fn code_actions(
        &mut self,
        params: lsp::CodeActionParams,
    ) -> Result<Option<lsp::CodeActionResponse>, (ErrorCode, String)> {
        let uri = params.text_document.uri;
        self.ensure_linted(&uri);
        let Some(doc) = self.docs.get(&uri) else {
            return Ok(None);
        };
        let only = params.context.only.as_deref();
        let wants = |kind: &str| {
            only.is_none_or(|only| {
                only.iter().any(|o| {
                    let o = o.as_str();
                    kind == o
                        || kind
                            .strip_prefix(o)
                            .is_some_and(|rest| rest.starts_with('.'))
                })
            })
        };
        let rope = doc.open.rope();
        let start = position::offset(rope, params.range.start, self.encoding);
        let end = position::offset(rope, params.range.end, self.encoding).max(start);
        let lint = doc.lint.clone().unwrap_or_default();
        let mut actions = Vec::new();
        for d in &lint.diagnostics {
            if d.range.start > end || d.range.end < start {
                continue;
            }
            let diagnostic = self.lsp_diagnostic(&uri, &doc.open, d);
            if let Some(fix) = &d.fix {
                let edits = tauten_engine::fix::ordered(&[fix]);
                let edit = self.workspace_edit(&uri, &doc.open, &edits);
                if wants(lsp::CodeActionKind::QUICKFIX.as_str()) {
                    actions.push(lsp::CodeAction {
                        title: fix.title.clone(),
                        kind: Some(lsp::CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic.clone()]),
                        edit: Some(edit.clone()),
                        is_preferred: Some(fix.applicability == Applicability::Safe),
                        ..Default::default()
                    });
                }
                let refactor = REFACTORS.iter().find(|(code, _)| *code == d.code);
                if let (Some((_, title)), true) = (
                    refactor,
                    wants(lsp::CodeActionKind::REFACTOR_REWRITE.as_str()),
                ) {
                    actions.push(lsp::CodeAction {
                        title: (*title).into(),
                        kind: Some(lsp::CodeActionKind::REFACTOR_REWRITE),
                        diagnostics: Some(vec![diagnostic.clone()]),
                        edit: Some(edit),
                        ..Default::default()
                    });
                }
            }
            if wants(lsp::CodeActionKind::QUICKFIX.as_str()) {
                let engine = doc.open.engine();
                let noqa = tauten_engine::noqa::suppression_edit(
                    &engine.parsed().tree,
                    engine.text(),
                    d.noqa_offset,
                    d.code,
                );
                if let Some(noqa) = noqa {
                    actions.push(lsp::CodeAction {
                        title: format!("Ignore {} for this line", d.code),
                        kind: Some(lsp::CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic]),
                        edit: Some(self.workspace_edit(&uri, &doc.open, &[&noqa])),
                        ..Default::default()
                    });
                }
            }
        }
        let mode = if self.settings.unsafe_fixes {
            FixMode::Unsafe
        } else {
            FixMode::Safe
        };
        let fixable = lint
            .diagnostics
            .iter()
            .any(|d| d.fix.as_ref().is_some_and(|f| mode.allows(f.applicability)));
        if fixable && wants(FIX_ALL) {
            if let Some(edit) = self.fix_all(&uri, mode) {
                actions.push(lsp::CodeAction {
                    title: "Fix all auto-fixable problems (tauten)".into(),
                    kind: Some(lsp::CodeActionKind::new(FIX_ALL)),
                    edit: Some(edit),
                    ..Default::default()
                });
            }
        }
        Ok(Some(
            actions
                .into_iter()
                .map(lsp::CodeActionOrCommand::CodeAction)
                .collect(),
        ))
    }

    /// The edit that applies every fix `mode` allows, in passes, as the CLI's `--fix` does: one
    /// replacement of the span between the first and the last changed byte.
    fn fix_all(&mut self, uri: &lsp::Uri, mode: FixMode) -> Option<lsp::WorkspaceEdit> {
        let job = self.job_for(&self.docs.get(uri)?.open.path.clone());
        let doc = &self.docs.get(uri)?.open;
        let text = doc.text();
        let facts = self.facts_for(&job, text);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            driver::check_text(&doc.path, text, job.rule_set(), &job.settings, &facts, mode)
        }));
        let fixed = match outcome {
            Ok(outcome) => outcome.fixed_text?,
            Err(panic) => {
                let why = panic_message(&panic);
                self.log(
                    lsp::MessageType::ERROR,
                    format!("tauten panicked fixing {}: {why}", uri.as_str()),
                );
                return None;
            }
        };
        let edit = minimal_edit(text, &fixed);
        Some(self.workspace_edit(uri, doc, &[&edit]))
    }

    /// `edits` in the order they are made (see [`tauten_engine::fix::ordered`]).
    fn workspace_edit(
        &self,
        uri: &lsp::Uri,
        doc: &OpenDocument,
        edits: &[&tauten_engine::Edit],
    ) -> lsp::WorkspaceEdit {
        let merged = merge_insertions(edits);
        let edits = merged
            .iter()
            .map(|e| lsp::TextEdit {
                range: position::range(doc.rope(), e.range, self.encoding),
                new_text: e.content.clone(),
            })
            .collect();
        lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }
    }

    // --- notifications ----------------------------------------------------------------------

    fn on_notification(&mut self, n: Notification) {
        if !self.initialized {
            return;
        }
        let method = n.method.clone();
        match method.as_str() {
            notif::Initialized::METHOD => self.on_initialized(),
            notif::DidOpenTextDocument::METHOD => {
                if let Some(p) = self.params::<lsp::DidOpenTextDocumentParams>(n) {
                    let doc = p.text_document;
                    let open = OpenDocument::new(path_of(&doc.uri), doc.text, doc.version);
                    self.docs.insert(doc.uri.clone(), Doc { open, lint: None });
                    self.publish(&doc.uri);
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Some(p) = self.params::<lsp::DidChangeTextDocumentParams>(n) {
                    let uri = p.text_document.uri;
                    let encoding = self.encoding;
                    let Some(doc) = self.docs.get_mut(&uri) else {
                        self.log(
                            lsp::MessageType::WARNING,
                            format!("change to a document not open: {}", uri.as_str()),
                        );
                        return;
                    };
                    // Findings survive edits inside plain comments away from them: carry them
                    // over (shifted) instead of linting the whole module again.
                    let current = doc.open.version;
                    let mut carried = doc
                        .lint
                        .take()
                        .filter(|l| l.version == current && l.syntax_errors.is_empty());
                    for change in &p.content_changes {
                        let applied = doc.open.apply(change, encoding);
                        carried = carried.zip(applied).and_then(|(mut lint, edit)| {
                            let clear = edit.plain_comment
                                && lint.diagnostics.iter().all(|d| {
                                    let extent = d.extent();
                                    extent.end < edit.lines.start || extent.start > edit.lines.end
                                });
                            clear.then(|| {
                                for d in &mut lint.diagnostics {
                                    d.shift(edit.range.end, edit.delta());
                                }
                                lint
                            })
                        });
                    }
                    doc.open.version = p.text_document.version;
                    doc.lint = carried.map(|lint| LintResult {
                        version: doc.open.version,
                        ..lint
                    });
                    if !self.superseded {
                        self.publish(&uri);
                    }
                }
            }
            notif::DidSaveTextDocument::METHOD => {
                if let Some(p) = self.params::<lsp::DidSaveTextDocumentParams>(n) {
                    let uri = p.text_document.uri;
                    if is_config_file(&uri) {
                        self.reload_configuration();
                    } else if self.docs.contains_key(&uri) {
                        self.publish(&uri);
                        // What the saved file tells other modules (its blocking helpers); a
                        // client that watches `*.py` for us reports the save as a change too.
                        if !self.watch_dynamically {
                            self.start_index();
                        }
                    }
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Some(p) = self.params::<lsp::DidCloseTextDocumentParams>(n) {
                    let uri = p.text_document.uri;
                    if self.docs.remove(&uri).is_some() {
                        self.notify::<notif::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
                            uri,
                            diagnostics: Vec::new(),
                            version: None,
                        });
                    }
                }
            }
            notif::DidChangeConfiguration::METHOD => {
                if let Some(p) = self.params::<lsp::DidChangeConfigurationParams>(n) {
                    match ClientSettings::from_value(&p.settings) {
                        Some(settings) => {
                            self.set_settings(settings);
                            self.republish_all();
                        }
                        None if self.pull_configuration => self.request_configuration(),
                        None => {}
                    }
                }
            }
            notif::DidChangeWatchedFiles::METHOD => {
                if let Some(p) = self.params::<lsp::DidChangeWatchedFilesParams>(n) {
                    if p.changes.iter().any(|c| is_config_file(&c.uri)) {
                        self.reload_configuration();
                    }
                    if p.changes.iter().any(|c| c.uri.as_str().ends_with(".py")) {
                        self.start_index();
                    }
                }
            }
            _ => {}
        }
    }

    fn on_initialized(&mut self) {
        if self.pull_configuration {
            self.request_configuration();
        }
        self.start_index();
        if self.watch_dynamically {
            let watchers = CONFIG_FILES
                .iter()
                .map(|name| format!("**/{name}"))
                .chain(["**/*.py".to_owned()])
                .map(|pattern| lsp::FileSystemWatcher {
                    glob_pattern: lsp::GlobPattern::String(pattern),
                    kind: None,
                })
                .collect();
            let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
            let params = lsp::RegistrationParams {
                registrations: vec![lsp::Registration {
                    id: WATCH_REGISTRATION.into(),
                    method: notif::DidChangeWatchedFiles::METHOD.into(),
                    register_options: serde_json::to_value(options).ok(),
                }],
            };
            self.request::<req::RegisterCapability>(params, "register");
        }
    }

    fn request_configuration(&mut self) {
        let params = lsp::ConfigurationParams {
            items: vec![lsp::ConfigurationItem {
                scope_uri: None,
                section: Some("tauten".into()),
            }],
        };
        self.request::<req::WorkspaceConfiguration>(params, "configuration");
    }

    fn on_response(&mut self, response: Response) {
        let Some(purpose) = self.pending.remove(&response.id) else {
            return;
        };
        if let Some(error) = response.error {
            self.log(
                lsp::MessageType::WARNING,
                format!("the client refused {purpose}: {}", error.message),
            );
            if purpose == INDEX_PROGRESS {
                self.spawn_index(false);
            }
            return;
        }
        if purpose == INDEX_PROGRESS {
            self.spawn_index(true);
            return;
        }
        if purpose == "configuration" {
            let first = response
                .result
                .as_ref()
                .and_then(Value::as_array)
                .and_then(|items| items.first())
                .and_then(ClientSettings::from_value);
            if let Some(settings) = first {
                if settings != self.settings {
                    self.set_settings(settings);
                    self.republish_all();
                }
            }
        }
    }

    fn set_settings(&mut self, settings: ClientSettings) {
        let s = &settings.selectors;
        for selector in s
            .select
            .iter()
            .flatten()
            .chain(&s.extend_select)
            .chain(&s.ignore)
        {
            if !is_known_selector(selector, &self.rules) {
                self.log(
                    lsp::MessageType::WARNING,
                    format!("unknown rule selector {selector:?} in the editor settings"),
                );
            }
        }
        self.settings = settings;
    }

    // --- the workspace index ------------------------------------------------------------------

    /// Index the workspace in the background (again, once the running index ends, if one runs).
    fn start_index(&mut self) {
        if self.roots.is_empty() {
            return;
        }
        if self.indexing {
            self.reindex = true;
            return;
        }
        self.indexing = true;
        if self.progress {
            let params = lsp::WorkDoneProgressCreateParams {
                token: lsp::NumberOrString::String(index::PROGRESS_TOKEN.into()),
            };
            self.request::<req::WorkDoneProgressCreate>(params, INDEX_PROGRESS);
        } else {
            self.spawn_index(false);
        }
    }

    fn spawn_index(&mut self, progress: bool) {
        let request = index::IndexRequest {
            roots: self.roots.clone(),
            selectors: self.settings.selectors.clone(),
            rules: self.rules.clone(),
            progress,
        };
        index::spawn(request, self.index_events.0.clone());
    }

    fn on_index_event(&mut self, event: IndexEvent) {
        let (facts, elapsed) = match event {
            IndexEvent::Progress(value) => {
                self.notify::<notif::Progress>(lsp::ProgressParams {
                    token: lsp::NumberOrString::String(index::PROGRESS_TOKEN.into()),
                    value: lsp::ProgressParamsValue::WorkDone(value),
                });
                return;
            }
            IndexEvent::Done { facts, elapsed } => (facts, elapsed),
        };
        self.indexing = false;
        self.log(
            lsp::MessageType::INFO,
            format!(
                "indexed {} files in {} ms: {} blocking functions, {} classes with run-time annotations",
                facts.files,
                elapsed.as_millis(),
                facts.blocking.len(),
                facts.runtime_classes.len()
            ),
        );
        let changed = self.project.as_deref() != Some(&facts);
        let files = facts.files;
        self.project = Some(Arc::new(facts));
        if self.progress {
            self.notify::<notif::Progress>(lsp::ProgressParams {
                token: lsp::NumberOrString::String(index::PROGRESS_TOKEN.into()),
                value: lsp::ProgressParamsValue::WorkDone(lsp::WorkDoneProgress::End(
                    lsp::WorkDoneProgressEnd {
                        message: Some(format!("{files} files")),
                    },
                )),
            });
        }
        if changed {
            self.republish_changed();
        }
        if std::mem::take(&mut self.reindex) {
            self.start_index();
        }
    }

    /// Check every open document again, and publish those whose findings changed (project facts
    /// rarely change what a file shows; an editor need not redraw for nothing).
    fn republish_changed(&mut self) {
        let uris: Vec<lsp::Uri> = self.docs.keys().cloned().collect();
        let mut any = false;
        for uri in uris {
            let Some(before) = self.docs.get_mut(&uri).and_then(|doc| doc.lint.take()) else {
                continue;
            };
            self.ensure_linted(&uri);
            let after = self.docs.get(&uri).and_then(|doc| doc.lint.as_ref());
            let same = after.is_some_and(|after| {
                after.diagnostics == before.diagnostics
                    && after.syntax_errors == before.syntax_errors
            });
            if !same {
                any = true;
                if self.push {
                    self.publish(&uri);
                }
            }
        }
        if any && !self.push && self.refresh {
            self.request::<req::WorkspaceDiagnosticRefresh>((), "diagnostic refresh");
        }
    }

    fn new_resolver(&self) -> Resolver {
        Resolver::new(None).unwrap_or_default()
    }

    fn reload_configuration(&mut self) {
        self.resolver = self.new_resolver();
        self.reported.clear();
        self.log(
            lsp::MessageType::INFO,
            "configuration changed; checking open documents again".into(),
        );
        self.republish_all();
    }

    fn republish_all(&mut self) {
        if !self.push && self.refresh {
            self.request::<req::WorkspaceDiagnosticRefresh>((), "diagnostic refresh");
        }
        let uris: Vec<lsp::Uri> = self.docs.keys().cloned().collect();
        for uri in uris {
            if let Some(doc) = self.docs.get_mut(&uri) {
                doc.lint = None;
            }
            self.publish(&uri);
        }
    }

    // --- linting ----------------------------------------------------------------------------

    /// The rules and settings for `path`: its configuration file's, overridden by the editor's.
    fn job_for(&mut self, path: &Path) -> FileJob<'static> {
        let config = match self.resolver.config_for(path) {
            Ok(config) => config,
            Err(err) => {
                if self.reported.insert(err.path.clone()) {
                    self.show(
                        lsp::MessageType::ERROR,
                        format!("tauten: {err}; using the defaults"),
                    );
                }
                Arc::new(tauten_workspace::config::defaults_for(
                    path.parent().unwrap_or(Path::new(".")),
                ))
            }
        };
        let rules = &self.rules;
        if let Err(err) = config.validate_selectors(|s| is_known_selector(s, rules)) {
            if self.reported.insert(err.path.clone()) {
                self.show(lsp::MessageType::WARNING, format!("tauten: {err}"));
            }
        }
        let module = tauten_workspace::modules::module_info(path);
        let mut job = FileJob::for_file(
            path,
            module,
            &config,
            &self.settings.selectors,
            &self.rules,
            tauten_rules::registry::call_analysis(),
        );
        if config.is_excluded(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())) {
            job.rules.clear();
        }
        job
    }

    /// What `job`'s file is checked with: its module, and what the workspace index knows of the
    /// project (every other module's facts: the open text may call anything by now).
    fn facts_for(&self, job: &FileJob<'_>, text: &str) -> FileFacts {
        let mut project = match &self.project {
            Some(project) => project.view_for(&job.module, None),
            None => ProjectView::default(),
        };
        // The index saw the file as saved; its unsaved text may read annotations.
        project.annotations_unread &= !run::reads_annotations(text.as_bytes());
        FileFacts {
            module: job.module.clone(),
            project,
        }
    }

    /// Lint `uri` unless its current version already was.
    fn ensure_linted(&mut self, uri: &lsp::Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        if doc
            .lint
            .as_ref()
            .is_some_and(|l| l.version == doc.open.version)
        {
            return;
        }
        let path = doc.open.path.clone();
        let job = self.job_for(&path);
        let facts = self.facts_for(&job, self.docs[uri].open.text());
        let doc = self.docs.get_mut(uri).expect("looked up above");
        let version = doc.open.version;
        let open = &mut doc.open;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            #[cfg(test)]
            if open.text().contains("TAUTEN_TEST_PANIC") {
                panic!("a rule panicked (test)");
            }
            let parsed = open.engine().parsed();
            if parsed.has_errors() {
                return LintResult {
                    version,
                    diagnostics: Vec::new(),
                    syntax_errors: parsed.errors.clone(),
                };
            }
            let path = open.path.clone();
            let diagnostics = driver::lint_document(
                &path,
                open.engine_mut(),
                job.rule_set(),
                &job.settings,
                &facts,
            );
            LintResult {
                version,
                diagnostics,
                syntax_errors: Vec::new(),
            }
        }));
        let result = match outcome {
            Ok(result) => result,
            Err(panic) => {
                let why = panic_message(&panic);
                self.log(
                    lsp::MessageType::ERROR,
                    format!("tauten panicked checking {}: {why}", uri.as_str()),
                );
                LintResult {
                    version,
                    ..Default::default()
                }
            }
        };
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.lint = Some(result);
        }
    }

    fn lsp_diagnostics(&mut self, uri: &lsp::Uri) -> Vec<lsp::Diagnostic> {
        self.ensure_linted(uri);
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        let Some(lint) = &doc.lint else {
            return Vec::new();
        };
        let syntax = lint.syntax_errors.iter().map(|range| lsp::Diagnostic {
            range: position::range(doc.open.rope(), *range, self.encoding),
            severity: Some(lsp::DiagnosticSeverity::ERROR),
            source: Some("tauten".into()),
            message: "syntax error: no rule checks this file until it parses".into(),
            ..Default::default()
        });
        syntax
            .chain(
                lint.diagnostics
                    .iter()
                    .map(|d| self.lsp_diagnostic(uri, &doc.open, d)),
            )
            .collect()
    }

    fn lsp_diagnostic(
        &self,
        uri: &lsp::Uri,
        doc: &OpenDocument,
        d: &Diagnostic,
    ) -> lsp::Diagnostic {
        let href = format!("{RULE_DOCS}{}.md", d.code).parse().ok();
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .related
            .iter()
            .map(|r| lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: uri.clone(),
                    range: position::range(doc.rope(), r.range, self.encoding),
                },
                message: r.message.clone(),
            })
            .collect();
        lsp::Diagnostic {
            range: position::range(doc.rope(), d.range, self.encoding),
            severity: Some(lsp::DiagnosticSeverity::WARNING),
            code: Some(lsp::NumberOrString::String(d.code.into())),
            code_description: href.map(|href| lsp::CodeDescription { href }),
            source: Some("tauten".into()),
            message: d.message.clone(),
            tags: (d.code == "TAU101").then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        }
    }

    fn publish(&mut self, uri: &lsp::Uri) {
        if !self.push {
            if let Some(doc) = self.docs.get_mut(uri) {
                // Linted when pulled.
                doc.lint = doc.lint.take().filter(|l| l.version == doc.open.version);
            }
            return;
        }
        let diagnostics = self.lsp_diagnostics(uri);
        let version = self.docs.get(uri).map(|d| d.open.version);
        self.notify::<notif::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        });
    }

    // --- plumbing ---------------------------------------------------------------------------

    fn params<P: serde::de::DeserializeOwned>(&mut self, n: Notification) -> Option<P> {
        match serde_json::from_value(n.params) {
            Ok(p) => Some(p),
            Err(e) => {
                self.log(
                    lsp::MessageType::ERROR,
                    format!("bad parameters for {}: {e}", n.method),
                );
                None
            }
        }
    }

    fn send(&self, message: Message) {
        let _ = self.out.send(message);
    }

    fn respond(&self, id: RequestId, result: impl serde::Serialize) {
        self.send(Message::Response(Response::new_ok(id, result)));
    }

    fn respond_err(&self, id: RequestId, code: ErrorCode, message: &str) {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message.to_owned(),
        )));
    }

    fn notify<N: notif::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_owned(),
            params,
        )));
    }

    fn request<R: req::Request>(&mut self, params: R::Params, purpose: &'static str) {
        self.next_id += 1;
        let id = RequestId::from(format!("tauten-{}", self.next_id));
        self.pending.insert(id.clone(), purpose);
        self.send(Message::Request(Request::new(
            id,
            R::METHOD.to_owned(),
            params,
        )));
    }

    fn log(&self, typ: lsp::MessageType, message: String) {
        eprintln!("tauten: {message}");
        if self.initialized {
            self.notify::<notif::LogMessage>(lsp::LogMessageParams { typ, message });
        }
    }

    fn show(&self, typ: lsp::MessageType, message: String) {
        self.log(typ, message.clone());
        self.notify::<notif::ShowMessage>(lsp::ShowMessageParams { typ, message });
    }
}

/// True when `message` is a `didChange` and `queue` holds a later `didChange` of the same document.
fn superseded_change(message: &Message, queue: &VecDeque<Message>) -> bool {
    let uri_of_change = |m: &Message| match m {
        Message::Notification(n) if n.method == notif::DidChangeTextDocument::METHOD => {
            n.params["textDocument"]["uri"].as_str().map(str::to_owned)
        }
        _ => None,
    };
    let Some(uri) = uri_of_change(message) else {
        return false;
    };
    queue
        .iter()
        .any(|m| uri_of_change(m).is_some_and(|u| u == uri))
}

/// Decode a request's parameters, run `f`, respond with its result or error.
fn with_params<P, R>(
    server: &mut Server,
    id: RequestId,
    params: Value,
    f: impl FnOnce(&mut Server, P) -> Result<R, (ErrorCode, String)>,
) where
    P: serde::de::DeserializeOwned,
    R: serde::Serialize,
{
    match serde_json::from_value::<P>(params) {
        Ok(params) => match f(server, params) {
            Ok(result) => server.respond(id, result),
            Err((code, message)) => server.respond_err(id, code, &message),
        },
        Err(e) => server.respond_err(
            id,
            ErrorCode::InvalidParams,
            &format!("invalid parameters: {e}"),
        ),
    }
}

fn full_report(
    items: Vec<lsp::Diagnostic>,
    result_id: Option<String>,
) -> lsp::DocumentDiagnosticReportResult {
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
        lsp::RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

fn is_config_file(uri: &lsp::Uri) -> bool {
    let path = uri.as_str();
    CONFIG_FILES
        .iter()
        .any(|name| path.ends_with(&format!("/{name}")))
}

/// The file a document URI names: the decoded path of a `file:` URI; for other schemes (unsaved
/// buffers), a path made of the URI's last segment, relative to the working directory.
pub fn path_of(uri: &lsp::Uri) -> PathBuf {
    let text = uri.as_str();
    let decoded = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    if let Some(rest) = text.strip_prefix("file://") {
        // Skip an authority (`file://host/path`); `file:///path` has an empty one.
        let path = rest.find('/').map_or(rest, |slash| &rest[slash..]);
        let path = path.split(['?', '#']).next().unwrap_or(path);
        return PathBuf::from(decoded(path));
    }
    let last = text.rsplit(['/', ':']).next().unwrap_or("untitled.py");
    PathBuf::from(decoded(last))
}

/// One edit turning `old` into `new`: the span between their common prefix and common suffix.
fn minimal_edit(old: &str, new: &str) -> tauten_engine::Edit {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    tauten_engine::Edit::replacement(
        TextRange::new(prefix, old.len() - suffix),
        &new[prefix..new.len() - suffix],
    )
}

/// Insertions at one offset (a new block's opening, then its lines) joined into one edit:
/// clients differ in how they order text edits at one position. `edits` must be in the order
/// they are made.
fn merge_insertions(edits: &[&tauten_engine::Edit]) -> Vec<tauten_engine::Edit> {
    let mut merged: Vec<tauten_engine::Edit> = Vec::new();
    for &edit in edits {
        match merged.last_mut() {
            Some(last) if last.range.is_empty() && last.range == edit.range => {
                last.content.push_str(&edit.content);
            }
            _ => merged.push(edit.clone()),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn insertions_at_one_offset_merge_in_the_order_the_fix_applies_them() {
        use tauten_engine::{Applicability, Edit, Fix};
        let text = "import a\nx = 1\n";
        // A new block's line (joinable) listed before its opening; built as a literal, not by
        // `Fix::new` (which sorts). The engine makes the opening first, so the merged edit
        // must too, whatever order the fix lists them in.
        let fix = Fix {
            title: "t".into(),
            applicability: Applicability::Safe,
            edits: vec![
                Edit::joinable_insertion(9, "    import b\n"),
                Edit::insertion(9, "if TYPE_CHECKING:\n"),
            ],
        };
        let merged = merge_insertions(&tauten_engine::fix::ordered(&[&fix]));
        assert_eq!(merged.len(), 1);
        let mut by_lsp = text.to_string();
        by_lsp.insert_str(9, &merged[0].content);
        assert_eq!(by_lsp, tauten_engine::fix::apply(text, &[&fix]));
        assert_eq!(by_lsp, "import a\nif TYPE_CHECKING:\n    import b\nx = 1\n");
    }

    /// A server on a thread, driven through channels.
    struct Harness {
        to_server: Sender<Incoming>,
        from_server: Receiver<Message>,
        next_id: i32,
        /// What `request` skipped while waiting for its response.
        seen: Vec<Message>,
    }

    impl Harness {
        /// A server initialized with no capabilities.
        fn start() -> Self {
            let harness = harness_with(json!({"capabilities": {}}));
            harness.notify("initialized", json!({}));
            harness
        }

        /// The next message that `pick` accepts; the others are kept in `seen`.
        fn next<T>(&mut self, mut pick: impl FnMut(&Message) -> Option<T>) -> T {
            loop {
                let message = self.from_server.recv().unwrap();
                match pick(&message) {
                    Some(found) => return found,
                    None => self.seen.push(message),
                }
            }
        }

        fn notify(&self, method: &str, params: Value) {
            let n = Notification::new(method.into(), params);
            self.to_server
                .send(Incoming::Message(Message::Notification(n)))
                .unwrap();
        }

        fn request(&mut self, method: &str, params: Value) -> Value {
            self.next_id += 1;
            let id = RequestId::from(self.next_id);
            let r = Request::new(id.clone(), method.into(), params);
            self.to_server
                .send(Incoming::Message(Message::Request(r)))
                .unwrap();
            loop {
                match self.from_server.recv().unwrap() {
                    Message::Response(r) if r.id == id => return r.result.unwrap_or(Value::Null),
                    other => self.seen.push(other),
                }
            }
        }

        fn diagnostics(&mut self, version: i32) -> Value {
            loop {
                match self.from_server.recv().unwrap() {
                    Message::Notification(n)
                        if n.method == "textDocument/publishDiagnostics"
                            && n.params["version"] == json!(version) =>
                    {
                        return n.params["diagnostics"].clone();
                    }
                    other => self.seen.push(other),
                }
            }
        }

        fn open(&mut self, uri: &str, text: &str) -> Value {
            self.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
            );
            self.diagnostics(1)
        }
    }

    #[test]
    fn clients_that_pull_get_no_pushed_diagnostics() {
        let mut server =
            harness_with(json!({"capabilities": {"textDocument": {"diagnostic": {}}}}));
        let uri = "file:///tmp/tauten-pull/m.py";
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "import os\n"}}),
        );
        let report = server.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        );
        assert_eq!(report["kind"], "full");
        assert_eq!(report["items"][0]["code"], "TAU101");
        server.request("shutdown", Value::Null);
        // Nothing but responses came back.
        for message in server.seen.drain(..).chain(server.from_server.try_iter()) {
            assert!(
                !matches!(&message, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"),
                "{message:?}"
            );
        }
    }

    fn harness_with(initialize: Value) -> Harness {
        let (to_server, incoming) = crossbeam_channel::unbounded();
        let (out, from_server) = crossbeam_channel::unbounded();
        std::thread::spawn(move || serve(&incoming, out));
        let mut server = Harness {
            to_server,
            from_server,
            next_id: 0,
            seen: Vec::new(),
        };
        server.request("initialize", initialize);
        server
    }

    #[test]
    fn the_workspace_index_finds_blocking_helpers_in_other_modules_and_reports_progress() {
        let root = std::env::temp_dir().join(format!("tauten-index-{}", std::process::id()));
        let package = root.join("pkg");
        std::fs::create_dir_all(&package).unwrap();
        std::fs::write(package.join("__init__.py"), "").unwrap();
        std::fs::write(
            package.join("helpers.py"),
            "import time\n\n\ndef load():\n    time.sleep(1)\n",
        )
        .unwrap();
        let app = "from pkg.helpers import load\n\n\nasync def main():\n    load()\n";
        std::fs::write(package.join("app.py"), app).unwrap();
        let root_uri = format!("file://{}", root.display());
        let mut server = harness_with(json!({
            "capabilities": {"window": {"workDoneProgress": true}},
            "workspaceFolders": [{"uri": root_uri, "name": "w"}],
        }));
        server.notify("initialized", json!({}));
        // The server asks for a progress token before it indexes.
        let create = server.next(|m| match m {
            Message::Request(r) if r.method == "window/workDoneProgress/create" => Some(r.clone()),
            _ => None,
        });
        assert_eq!(create.params["token"], index::PROGRESS_TOKEN);
        server
            .to_server
            .send(Incoming::Message(Message::Response(Response::new_ok(
                create.id,
                Value::Null,
            ))))
            .unwrap();
        let progress_kind = |m: &Message| match m {
            Message::Notification(n) if n.method == "$/progress" => {
                n.params["value"]["kind"].as_str().map(str::to_owned)
            }
            _ => None,
        };
        assert_eq!(server.next(progress_kind), "begin");
        let last = std::iter::from_fn(|| Some(server.next(progress_kind)))
            .find(|kind| kind != "report")
            .unwrap();
        assert_eq!(last, "end");
        // Opened once the index is in: the helper of the other module is known to block.
        let uri = format!("{root_uri}/pkg/app.py");
        let diagnostics = server.open(&uri, app);
        std::fs::remove_dir_all(&root).ok();
        assert_eq!(diagnostics[0]["code"], "TAU510", "{diagnostics}");
        assert!(diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("time.sleep()"));
    }

    #[test]
    fn a_heavy_import_can_be_deferred_as_a_refactoring() {
        let mut server = harness_with(json!({
            "capabilities": {},
            "initializationOptions": {"select": ["TAU301"]},
        }));
        server.notify("initialized", json!({}));
        let uri = "file:///tmp/defer/m.py";
        let text = "import pandas\n\n\ndef frame():\n    return pandas.DataFrame()\n";
        let diagnostics = server.open(uri, text);
        assert_eq!(diagnostics[0]["code"], "TAU301", "{diagnostics}");
        let actions = server.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": at(0, 8), "end": at(0, 8)},
                "context": {"diagnostics": [], "only": ["refactor.rewrite"]},
            }),
        );
        assert_eq!(actions.as_array().unwrap().len(), 1, "{actions}");
        assert_eq!(actions[0]["title"], "Defer this import to where it is used");
        let edits = &actions[0]["edit"]["changes"][uri];
        assert!(edits.to_string().contains("import pandas"), "{edits}");
    }

    #[test]
    fn a_blocking_chain_points_at_each_helper() {
        let mut server = Harness::start();
        let text = "import time\n\n\ndef read():\n    time.sleep(1)\n\n\ndef load():\n    return read()\n\n\nasync def main():\n    load()\n";
        let diagnostics = server.open("file:///tmp/chain/m.py", text);
        assert_eq!(diagnostics[0]["code"], "TAU510");
        let related = &diagnostics[0]["relatedInformation"];
        assert_eq!(related[0]["message"], "`load` calls `read`");
        assert_eq!(related[0]["location"]["range"]["start"], at(7, 4));
        assert_eq!(related[1]["message"], "`read` calls `time.sleep()`");
        assert_eq!(related[1]["location"]["range"]["start"], at(3, 4));
        assert_eq!(related[1]["location"]["uri"], "file:///tmp/chain/m.py");
    }

    #[test]
    fn a_panic_while_linting_is_logged_and_the_server_goes_on() {
        let mut server = Harness::start();
        let diagnostics = server.open("file:///tmp/p/m.py", "import os  # TAUTEN_TEST_PANIC\n");
        assert_eq!(diagnostics, json!([]));
        let logged = server
            .seen
            .iter()
            .chain(server.from_server.try_iter().collect::<Vec<_>>().iter())
            .any(|m| {
                matches!(m, Message::Notification(n) if n.method == "window/logMessage"
                && n.params["message"].as_str().unwrap_or("").contains("panicked"))
            });
        assert!(logged);
        assert_eq!(
            server
                .open("file:///tmp/p/n.py", "import os\n")
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_burst_of_changes_is_published_once() {
        let (to_server, incoming) = crossbeam_channel::unbounded();
        let (out, from_server) = crossbeam_channel::unbounded();
        let uri = "file:///tmp/b/m.py";
        let mut messages = vec![
            Message::Request(Request::new(
                1.into(),
                "initialize".into(),
                json!({"capabilities": {}}),
            )),
            Message::Notification(Notification::new(
                "textDocument/didOpen".into(),
                json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": ""}}),
            )),
        ];
        for (version, text) in [(2, "i"), (3, "import"), (4, "import os\n")] {
            messages.push(Message::Notification(Notification::new(
                "textDocument/didChange".into(),
                json!({"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [{"text": text}]}),
            )));
        }
        // Queued before the server starts: it sees the whole burst at once.
        for message in messages {
            to_server.send(Incoming::Message(message)).unwrap();
        }
        drop(to_server);
        serve(&incoming, out);
        let versions: Vec<Value> = from_server
            .try_iter()
            .filter_map(|m| match m {
                Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                    Some(n.params["version"].clone())
                }
                _ => None,
            })
            .collect();
        assert_eq!(versions, [json!(1), json!(4)]);
    }

    #[test]
    fn requests_before_initialize_are_refused() {
        let (to_server, incoming) = crossbeam_channel::unbounded();
        let (out, from_server) = crossbeam_channel::unbounded();
        let server = std::thread::spawn(move || serve(&incoming, out));
        let r = Request::new(1.into(), "textDocument/diagnostic".into(), json!({}));
        to_server
            .send(Incoming::Message(Message::Request(r)))
            .unwrap();
        let Message::Response(response) = from_server.recv().unwrap() else {
            panic!("expected a response");
        };
        assert_eq!(
            response.error.unwrap().code,
            ErrorCode::ServerNotInitialized as i32
        );
        // The end of input without shutdown: status 1.
        drop(to_server);
        assert_eq!(server.join().unwrap(), 1);
    }

    #[test]
    fn settings_from_initialization_options_and_workspace_configuration() {
        let mut server = harness_with(json!({
            "capabilities": {},
            "initializationOptions": {"settings": {"ignore": ["TAU101"]}},
        }));
        assert_eq!(server.open("file:///tmp/s/m.py", "import os\n"), json!([]));

        let mut server =
            harness_with(json!({"capabilities": {"workspace": {"configuration": true}}}));
        server.notify("initialized", json!({}));
        let Message::Request(asked) = server.from_server.recv().unwrap() else {
            panic!("expected workspace/configuration");
        };
        assert_eq!(asked.method, "workspace/configuration");
        assert_eq!(asked.params["items"][0]["section"], "tauten");
        let answer = Response::new_ok(asked.id, json!([{"extendSelect": [], "ignore": "TAU1"}]));
        server
            .to_server
            .send(Incoming::Message(Message::Response(answer)))
            .unwrap();
        assert_eq!(server.open("file:///tmp/s/m.py", "import os\n"), json!([]));
    }

    fn at(line: u32, character: u32) -> Value {
        json!({"line": line, "character": character})
    }

    #[test]
    fn findings_carried_over_comment_edits_equal_a_fresh_lint() {
        let uri = "file:///tmp/tauten-carry/m.py";
        let mut server = Harness::start();
        let text = "# head\nx = 1\nimport os\nimport sys  # keep\n# tail\nprint(sys)\n";
        let first = server.open(uri, text);
        assert_eq!(first.as_array().unwrap().len(), 1);
        // Before the finding, after it, and on the finding's own line (linted again).
        let edits = [
            (at(0, 6), at(0, 6), "ed more"),
            (at(4, 6), at(4, 6), " end"),
            (at(0, 3), at(0, 5), ""),
            (at(3, 18), at(3, 18), "!"),
            (at(2, 0), at(2, 0), "# c\n"),
            // Last, carried over again: the comparison below checks the shifted findings and fixes.
            (at(5, 10), at(5, 10), " more"),
            (at(0, 1), at(0, 1), " x"),
        ];
        let mut version = 1;
        let mut diagnostics = Value::Null;
        for (start, end, new_text) in edits {
            version += 1;
            server.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [{"range": {"start": start, "end": end}, "text": new_text}]}),
            );
            diagnostics = server.diagnostics(version);
        }
        let range = json!({"start": at(0, 0), "end": at(9, 0)});
        let actions = server.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
        );
        let final_text =
            "# x hed more\nx = 1\n# c\nimport os\nimport sys  # keep!\n# tail end more\nprint(sys)\n";
        let mut fresh = Harness::start();
        let fresh_uri = "file:///tmp/tauten-carry/m.py";
        assert_eq!(fresh.open(fresh_uri, final_text), diagnostics);
        let fresh_actions = fresh.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": fresh_uri}, "range": range, "context": {"diagnostics": []}}),
        );
        assert_eq!(actions, fresh_actions);
        assert_eq!(diagnostics[0]["range"]["start"], at(3, 7));
    }

    #[test]
    fn minimal_edits_cover_only_the_change() {
        let edit = minimal_edit("import os\nimport sys\nx = sys\n", "import sys\nx = sys\n");
        assert_eq!(edit.range, TextRange::new(7, 17));
        assert_eq!(edit.content, "");
        let edit = minimal_edit("a é b", "a è b");
        let mut out = "a é b".to_owned();
        out.replace_range(edit.range.start..edit.range.end, &edit.content);
        assert_eq!(out, "a è b");
        let edit = minimal_edit("same", "same");
        assert!(edit.range.is_empty() && edit.content.is_empty());
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: lsp::Uri = "file:///home/me/my%20project/m%C3%A9.py".parse().unwrap();
        assert_eq!(path_of(&uri), PathBuf::from("/home/me/my project/mé.py"));
        let untitled: lsp::Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&untitled), PathBuf::from("Untitled-1"));
    }
}
