//! Builds the [`SemanticModel`] in one iterative walk over the tree: an explicit task stack instead
//! of recursion, and a queue of deferred bodies (functions, lambdas, deferred annotations).

use crate::syntax::NodeKind;
use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

use tree_sitter::{Node, Tree, TreeCursor};

use super::model::{
    Binding, BindingFlags, BindingId, BindingKind, Import, ImportKind, ModelOptions, NameId,
    RefFlags, Reference, ReferenceId, Scope, ScopeId, ScopeKind, SemanticModel,
};
use crate::parse::node_text;
use crate::syntax::{kind_ids, Field, NodeFields};
use crate::text::TextRange;

/// How deep string annotations may nest inside each other (`"List['Foo']"`).
const MAX_STRING_ANNOTATION_DEPTH: u8 = 4;

/// The context a node is visited in.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    scope: ScopeId,
    refs: RefFlags,
    binding: u8,
    /// Inside an annotation: string literals are string annotations.
    annotation: bool,
    /// Annotations here are read at run time (a pydantic model's body, a FastAPI route's signature).
    runtime_annotations: bool,
    /// Directly in the body of an `async def` (not in a nested `def`, `lambda` or class body).
    in_async: bool,
    /// The function whose body this is (index into the model's functions), or `NO_FUNCTION`.
    function: u32,
}

const NO_FUNCTION: u32 = u32::MAX;

enum Task<'t> {
    /// A sequence of statements (`module`, `block`).
    Block(Node<'t>, Ctx),
    Stmt(Node<'t>, Ctx),
    /// The definition of a `decorated_definition`; `runtime_annotations` says whether its
    /// decorators read its annotations; the flag, whether one runs it in a worker thread.
    Decorated(Node<'t>, Ctx, bool),
    Expr(Node<'t>, Ctx),
    /// An annotation (`type` node or bare expression) to visit now or to defer.
    Annotation(Node<'t>, Ctx),
    /// Bind every name in an assignment-like target.
    Bind(Node<'t>, Ctx, BindingKind),
    /// Bind a single identifier node.
    BindName(Node<'t>, Ctx, BindingKind),
    /// Bind a class whose annotations are read at run time (so its subclasses' are too).
    BindRuntimeClass(Node<'t>, Ctx),
    /// Bind the names of a `case` pattern.
    Pattern(Node<'t>, Ctx),
}

/// Work that runs after the enclosing scope is complete.
enum Deferred<'t> {
    Function {
        body: Option<Node<'t>>,
        params: Vec<Param<'t>>,
        is_async: bool,
        scope: ScopeId,
        ctx: Ctx,
        function: u32,
    },
    Lambda {
        body: Option<Node<'t>>,
        params: Vec<Param<'t>>,
        scope: ScopeId,
        ctx: Ctx,
    },
    Annotation {
        node: Node<'t>,
        ctx: Ctx,
    },
    StringAnnotation {
        node: Node<'t>,
        ctx: Ctx,
    },
}

/// A parameter to bind when its function's body runs, found while its signature was visited (so
/// the parameter list is walked once, while it is in cache).
enum Param<'t> {
    /// The parameter's name.
    Name(TextRange),
    /// A (Python 2) tuple parameter, bound as an assignment target.
    Tuple(Node<'t>),
}

struct Builder<'t, 's, 'o> {
    source: &'s str,
    root: Node<'t>,
    model: SemanticModel,
    tasks: Vec<Task<'t>>,
    deferred: VecDeque<Deferred<'t>>,
    /// Names declared `global`/`nonlocal`, per scope.
    globals: FxHashMap<ScopeId, FxHashSet<NameId>>,
    /// A cursor reused for walking children (creating one allocates).
    cursor: Option<TreeCursor<'t>>,
    options: &'o ModelOptions,
    /// Record the calls of function bodies (only modules with an `async def` need them).
    record_calls: bool,
    /// Classes of this module known to have their annotations read at run time.
    runtime_classes: FxHashSet<BindingId>,
    /// The scope of each module-level class, with its name.
    module_classes: FxHashMap<ScopeId, String>,
    /// Parsed string annotations, by wrapped text.
    annotation_trees: FxHashMap<String, Option<Tree>>,
}

pub(super) fn build(
    tree: &Tree,
    source: &str,
    path: &Path,
    options: &ModelOptions,
) -> SemanticModel {
    let root = tree.root_node();
    let model = SemanticModel {
        is_stub: path.extension().is_some_and(|e| e == "pyi"),
        record_calls: options.record_all_calls
            || memchr::memmem::find(source.as_bytes(), b"async def").is_some(),
        ..SemanticModel::default()
    };
    let mut builder = Builder::new(source, root, model, options);
    let module = builder.push_scope(ScopeKind::Module, None, TextRange::of_node(root));
    let ctx = Ctx {
        scope: module,
        refs: RefFlags::default(),
        binding: 0,
        annotation: false,
        runtime_annotations: false,
        in_async: false,
        function: NO_FUNCTION,
    };
    builder.tasks.push(Task::Block(root, ctx));
    builder.run();
    builder.run_all_deferred();
    builder.resolve_dunder_all();
    builder.finish()
}

/// Analyse the body of `function` (a `function_definition` node of the current tree) again, into a
/// model that has everything else already: its scope `scope` (emptied by the caller), its entry
/// `index` in the model's functions, and no trace of the old body. Used after an edit inside the
/// body (see `splice`).
pub(super) fn reanalyse_body(
    model: SemanticModel,
    function: Node<'_>,
    source: &str,
    options: &ModelOptions,
    index: u32,
) -> SemanticModel {
    let fact = &model.functions[index as usize];
    let (scope, parent, type_checking) = (fact.scope, fact.parent, fact.in_type_checking);
    let root = {
        let mut root = function;
        while let Some(parent) = root.parent() {
            root = parent;
        }
        root
    };
    let mut builder = Builder::new(source, root, model, options);
    builder.runtime_classes = builder.model.runtime_class_bindings();
    let ctx = Ctx {
        scope: parent,
        refs: RefFlags(if type_checking {
            RefFlags::TYPE_CHECKING
        } else {
            0
        }),
        binding: if type_checking {
            BindingFlags::TYPE_CHECKING
        } else {
            0
        },
        annotation: false,
        runtime_annotations: false,
        in_async: false,
        function: NO_FUNCTION,
    };
    let mut signature_tasks = Vec::new();
    let params = function
        .field(Field::Parameters)
        .map(|params| builder.parameters(params, ctx, &mut signature_tasks))
        .unwrap_or_default();
    builder.deferred.push_back(Deferred::Function {
        body: function.field(Field::Body),
        params,
        is_async: is_async(function),
        scope,
        ctx,
        function: index,
    });
    builder.run_all_deferred();
    builder.finish()
}

/// The comments that may hold a directive: for each spelling of `noqa` or `tauten:` in the text,
/// the comment node around it (if it is in a comment, not a string).
///
/// A comment runs from a `#` to the end of its line, so only the text after the first `#` of a
/// line is searched (no lowercased copy of the whole text).
fn directive_comments(root: Node<'_>, source: &str) -> Vec<TextRange> {
    let bytes = source.as_bytes();
    let mut comments: Vec<TextRange> = Vec::new();
    let mut from = 0;
    while let Some(hash) = memchr::memchr(b'#', &bytes[from..]).map(|at| from + at) {
        let end = memchr::memchr(b'\n', &bytes[hash..]).map_or(bytes.len(), |at| hash + at);
        for needle in [&b"noqa"[..], b"tauten:"] {
            for at in find_ignoring_ascii_case(&bytes[hash..end], needle) {
                let at = hash + at;
                let Some(node) = root.descendant_for_byte_range(at, at + needle.len()) else {
                    continue;
                };
                if node.kind_name() == "comment" {
                    comments.push(TextRange::of_node(node));
                }
            }
        }
        from = end;
    }
    comments.sort();
    comments.dedup();
    comments
}

/// The offsets of `needle` (lowercase ASCII) in `haystack`, ignoring ASCII case.
fn find_ignoring_ascii_case<'h>(
    haystack: &'h [u8],
    needle: &'h [u8],
) -> impl Iterator<Item = usize> + 'h {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(move |(_, window)| window.eq_ignore_ascii_case(needle))
        .map(|(at, _)| at)
}

impl<'t, 's, 'o> Builder<'t, 's, 'o> {
    fn new(
        source: &'s str,
        root: Node<'t>,
        model: SemanticModel,
        options: &'o ModelOptions,
    ) -> Self {
        Builder {
            source,
            root,
            record_calls: model.record_calls,
            model,
            tasks: Vec::new(),
            deferred: VecDeque::new(),
            globals: FxHashMap::default(),
            cursor: None,
            options,
            runtime_classes: FxHashSet::default(),
            module_classes: FxHashMap::default(),
            annotation_trees: FxHashMap::default(),
        }
    }

    /// Run deferred work (and the work it defers) until none is left.
    fn run_all_deferred(&mut self) {
        while let Some(deferred) = self.deferred.pop_front() {
            self.run_deferred(deferred);
            self.run();
        }
    }

    fn finish(mut self) -> SemanticModel {
        self.model.type_checking_blocks.sort();
        self.model.comments = directive_comments(self.root, self.source);
        self.model
    }

    fn text(&self, node: Node<'_>) -> &'s str {
        node_text(node, self.source)
    }

    fn intern(&mut self, name: &str) -> NameId {
        if let Some(id) = self.model.name_ids.get(name) {
            return *id;
        }
        let id = NameId(self.model.name_texts.len() as u32);
        self.model.name_texts.push(name.into());
        self.model.name_ids.insert(name.into(), id);
        id
    }

    fn push_scope(
        &mut self,
        kind: ScopeKind,
        parent: Option<ScopeId>,
        range: TextRange,
    ) -> ScopeId {
        let id = ScopeId(self.model.scopes.len() as u32);
        self.model.scopes.push(Scope {
            kind,
            parent,
            range,
            names: FxHashMap::default(),
            bindings: Vec::new(),
            has_star_import: false,
        });
        id
    }

    fn scope_kind(&self, id: ScopeId) -> ScopeKind {
        self.model.scopes[id.0 as usize].kind
    }

    fn run(&mut self) {
        while let Some(task) = self.tasks.pop() {
            match task {
                Task::Block(node, ctx) => self.block(node, ctx),
                Task::Stmt(node, ctx) => self.stmt(node, ctx),
                Task::Decorated(node, ctx, thread_worker) => match node.kind_name() {
                    "function_definition" => self.function(node, ctx, thread_worker),
                    "class_definition" => self.class(node, ctx),
                    _ => self.stmt(node, ctx),
                },
                Task::Expr(node, ctx) => self.expr(node, ctx),
                Task::Annotation(node, ctx) => self.annotation(node, ctx),
                Task::Bind(node, ctx, kind) => self.bind_target(node, ctx, kind),
                Task::BindName(node, ctx, kind) => {
                    let name = self.text(node).to_owned();
                    self.add_binding(name, kind, TextRange::of_node(node), ctx);
                }
                Task::Pattern(node, ctx) => self.pattern(node, ctx),
                Task::BindRuntimeClass(node, ctx) => {
                    let name = self.text(node).to_owned();
                    let id = self.add_binding(
                        name,
                        BindingKind::ClassDef,
                        TextRange::of_node(node),
                        ctx,
                    );
                    self.runtime_classes.insert(id);
                }
            }
        }
    }

    /// Push tasks so that they run in the order given.
    fn push_in_order(&mut self, tasks: Vec<Task<'t>>) {
        self.tasks.extend(tasks.into_iter().rev());
    }

    fn block(&mut self, node: Node<'t>, ctx: Ctx) {
        self.push_children(node, |child| Task::Stmt(child, ctx));
    }

    /// Push a task for each named child of `node`, to run in source order.
    fn push_children(&mut self, node: Node<'t>, task: impl Fn(Node<'t>) -> Task<'t>) {
        let start = self.tasks.len();
        let cursor = self.cursor.get_or_insert_with(|| node.walk());
        cursor.reset(node);
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                if child.is_named() && !child.is_extra() {
                    self.tasks.push(task(child));
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        self.tasks[start..].reverse();
    }

    /// The named children of `node` (comments included), walked with the shared cursor.
    fn children(&mut self, node: Node<'t>) -> Vec<Node<'t>> {
        let cursor = self.cursor.get_or_insert_with(|| node.walk());
        cursor.reset(node);
        let mut out = Vec::new();
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                if child.is_named() {
                    out.push(child);
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }

    fn stmt(&mut self, node: Node<'t>, ctx: Ctx) {
        match node.kind_name() {
            "import_statement" => self.import(node, ctx),
            "import_from_statement" => self.import_from(node, ctx),
            "future_import_statement" => self.future_import(node, ctx),
            "expression_statement" => {
                self.dunder_all_mutation(node, ctx);
                self.push_children(node, |child| match child.kind_name() {
                    "assignment" | "augmented_assignment" => Task::Stmt(child, ctx),
                    _ => Task::Expr(child, ctx),
                });
            }
            "assignment" => self.assignment(node, ctx),
            "augmented_assignment" => self.augmented_assignment(node, ctx),
            "function_definition" => self.function(node, undecorated(ctx), false),
            "class_definition" => self.class(node, undecorated(ctx)),
            "decorated_definition" => {
                let mut tasks = Vec::new();
                let mut runtime = false;
                let mut thread_worker = false;
                for child in self.children(node) {
                    match child.kind_name() {
                        "decorator" => {
                            runtime |= self.is_runtime_decorator(child, ctx.scope);
                            thread_worker |= is_thread_worker_decorator(self.text(child));
                            tasks.push(Task::Expr(child, ctx));
                        }
                        "comment" => {}
                        _ => tasks.push(Task::Decorated(
                            child,
                            Ctx {
                                runtime_annotations: runtime,
                                ..ctx
                            },
                            thread_worker,
                        )),
                    }
                }
                self.push_in_order(tasks);
            }
            "if_statement" => self.if_statement(node, ctx),
            "for_statement" => {
                let mut tasks = Vec::new();
                if let Some(right) = node.field(Field::Right) {
                    tasks.push(Task::Expr(right, ctx));
                }
                if let Some(left) = node.field(Field::Left) {
                    tasks.push(Task::Bind(left, ctx, BindingKind::LoopVar));
                }
                if let Some(body) = node.field(Field::Body) {
                    tasks.push(Task::Block(body, ctx));
                }
                if let Some(alt) = node.field(Field::Alternative) {
                    tasks.push(Task::Stmt(alt, ctx));
                }
                self.push_in_order(tasks);
            }
            "try_statement" => self.try_statement(node, ctx),
            "except_clause" | "except_group_clause" => self.except_clause(node, ctx),
            "with_statement" => self.with_statement(node, ctx),
            "match_statement" => self.match_statement(node, ctx),
            "global_statement" | "nonlocal_statement" => {
                let names: Vec<NameId> = self
                    .children(node)
                    .into_iter()
                    .filter(|c| c.kind_name() == "identifier")
                    .map(|c| {
                        let text = node_text(c, self.source);
                        self.intern(text)
                    })
                    .collect();
                if ctx.scope != SemanticModel::MODULE {
                    self.globals.entry(ctx.scope).or_default().extend(names);
                }
            }
            "delete_statement" => self.delete(node, ctx),
            "type_alias_statement" => self.type_alias(node, ctx),
            "block" | "else_clause" | "finally_clause" | "elif_clause" => {
                // Clauses reached directly (e.g. a loop's `else`): their blocks run in this scope.
                let mut tasks = Vec::new();
                for child in self.children(node) {
                    match child.kind_name() {
                        "block" => tasks.push(Task::Block(child, ctx)),
                        "comment" => {}
                        _ if node.kind_name() == "block" => tasks.push(Task::Stmt(child, ctx)),
                        _ => tasks.push(Task::Expr(child, ctx)),
                    }
                }
                self.push_in_order(tasks);
            }
            "comment" | "pass_statement" | "break_statement" | "continue_statement" => {}
            _ => {
                // return, raise, assert, print, exec, while, and anything else: their parts are
                // expressions and blocks in this scope (comments are skipped: they read nothing).
                self.push_children(node, |child| match child.kind_name() {
                    "block" => Task::Block(child, ctx),
                    "else_clause" | "elif_clause" | "finally_clause" => Task::Stmt(child, ctx),
                    _ => Task::Expr(child, ctx),
                });
            }
        }
    }

    // ----- imports -----

    fn import(&mut self, node: Node<'t>, ctx: Ctx) {
        let statement = TextRange::of_node(node);
        let mut cursor = node.walk();
        let names: Vec<Node<'t>> = node.fields(Field::Name, &mut cursor).collect();
        for name in names {
            let clause = TextRange::of_node(name);
            match name.kind_name() {
                "aliased_import" => {
                    let (Some(module), Some(alias)) =
                        (name.field(Field::Name), name.field(Field::Alias))
                    else {
                        continue;
                    };
                    let alias_text = self.text(alias).to_owned();
                    let import = Import {
                        kind: ImportKind::Import,
                        module: compact(self.text(module)),
                        member: None,
                        alias: Some(alias_text.clone()),
                        statement,
                        clause,
                    };
                    self.add_binding(
                        alias_text,
                        BindingKind::Import(Box::new(import)),
                        TextRange::of_node(alias),
                        ctx,
                    );
                }
                "dotted_name" => {
                    let module = compact(self.text(name));
                    let first = module.split('.').next().unwrap_or_default().to_owned();
                    let kind = if module.contains('.') {
                        ImportKind::SubmoduleImport
                    } else {
                        ImportKind::Import
                    };
                    let import = Import {
                        kind,
                        module,
                        member: None,
                        alias: None,
                        statement,
                        clause,
                    };
                    self.add_binding(first, BindingKind::Import(Box::new(import)), clause, ctx);
                }
                _ => {}
            }
        }
    }

    fn import_from(&mut self, node: Node<'t>, ctx: Ctx) {
        let statement = TextRange::of_node(node);
        let Some(module_node) = node.field(Field::ModuleName) else {
            return;
        };
        let module = compact(self.text(module_node));
        let mut cursor = node.walk();
        let names: Vec<Node<'t>> = node.fields(Field::Name, &mut cursor).collect();
        if names.is_empty() {
            let mut cursor = node.walk();
            if node
                .named_children(&mut cursor)
                .any(|c| c.kind_name() == "wildcard_import")
            {
                self.model.scopes[ctx.scope.0 as usize].has_star_import = true;
                self.model.star_imports.push(module);
            }
            return;
        }
        for name in names {
            let clause = TextRange::of_node(name);
            let (member, alias_node) = match name.kind_name() {
                "aliased_import" => (name.field(Field::Name), name.field(Field::Alias)),
                _ => (Some(name), None),
            };
            let Some(member) = member else { continue };
            let member_text = compact(self.text(member));
            let (bound, range) = match alias_node {
                Some(alias) => (self.text(alias).to_owned(), TextRange::of_node(alias)),
                None => (member_text.clone(), TextRange::of_node(member)),
            };
            let import = Import {
                kind: ImportKind::FromImport,
                module: module.clone(),
                member: Some(member_text),
                alias: alias_node.map(|a| self.text(a).to_owned()),
                statement,
                clause,
            };
            self.add_binding(bound, BindingKind::Import(Box::new(import)), range, ctx);
        }
    }

    fn future_import(&mut self, node: Node<'t>, ctx: Ctx) {
        let statement = TextRange::of_node(node);
        let mut cursor = node.walk();
        let names: Vec<Node<'t>> = node.fields(Field::Name, &mut cursor).collect();
        for name in names {
            let member = match name.kind_name() {
                "aliased_import" => name.field(Field::Name),
                _ => Some(name),
            };
            let Some(member) = member else { continue };
            let text = self.text(member).to_owned();
            // Python accepts future imports only at the top of a module; elsewhere they are
            // errors that change nothing.
            if text == "annotations" && ctx.scope == SemanticModel::MODULE {
                self.model.future_annotations = true;
            }
            let import = Import {
                kind: ImportKind::Future,
                module: "__future__".into(),
                member: Some(text.clone()),
                alias: None,
                statement,
                clause: TextRange::of_node(name),
            };
            self.add_binding(
                text,
                BindingKind::Import(Box::new(import)),
                TextRange::of_node(member),
                ctx,
            );
        }
    }

    // ----- assignments -----

    fn assignment(&mut self, node: Node<'t>, ctx: Ctx) {
        let left = node.field(Field::Left);
        let right = node.field(Field::Right);
        let annotation = node.field(Field::Type);
        if let (Some(left), Some(right)) = (left, right) {
            if ctx.scope == SemanticModel::MODULE && self.text(left) == "__all__" {
                self.collect_dunder_all(right);
            }
        }
        // `X: TypeAlias = value`: the value is a type.
        let value_ctx = Ctx {
            annotation: annotation.is_some_and(|a| self.text(a).ends_with("TypeAlias")),
            ..ctx
        };
        let mut tasks = Vec::new();
        if let Some(right) = right {
            tasks.push(match right.kind_name() {
                "assignment" | "augmented_assignment" => Task::Stmt(right, ctx),
                _ => Task::Expr(right, value_ctx),
            });
        }
        if let Some(annotation) = annotation {
            tasks.push(Task::Annotation(
                annotation,
                self.variable_annotation_ctx(ctx),
            ));
        }
        if let Some(left) = left {
            let kind = if right.is_none() && annotation.is_some() {
                BindingKind::Annotation
            } else {
                BindingKind::Assignment
            };
            tasks.push(Task::Bind(left, ctx, kind));
        }
        self.push_in_order(tasks);
    }

    /// Variable annotations in function bodies are never evaluated.
    fn variable_annotation_ctx(&self, ctx: Ctx) -> Ctx {
        let mut ctx = ctx;
        if matches!(
            self.scope_kind(ctx.scope),
            ScopeKind::Function | ScopeKind::Lambda
        ) {
            ctx.refs = ctx.refs.with(RefFlags::TYPING_ONLY_ANNOTATION);
        }
        ctx
    }

    fn augmented_assignment(&mut self, node: Node<'t>, ctx: Ctx) {
        let left = node.field(Field::Left);
        let right = node.field(Field::Right);
        if let (Some(left), Some(right)) = (left, right) {
            if ctx.scope == SemanticModel::MODULE && self.text(left) == "__all__" {
                self.collect_dunder_all(right);
            }
        }
        let mut tasks = Vec::new();
        if let Some(right) = right {
            tasks.push(Task::Expr(right, ctx));
        }
        if let Some(left) = left {
            // `x += 1` reads `x`, then binds it.
            tasks.push(Task::Expr(left, ctx));
            if left.kind_name() == "identifier" {
                tasks.push(Task::BindName(left, ctx, BindingKind::AugmentedAssignment));
            }
        }
        self.push_in_order(tasks);
    }

    fn delete(&mut self, node: Node<'t>, ctx: Ctx) {
        let mut targets = Vec::new();
        let mut stack = self.children(node);
        while let Some(target) = stack.pop() {
            match target.kind_name() {
                "expression_list" | "tuple" | "list" | "parenthesized_expression" => {
                    stack.extend(self.children(target));
                }
                _ => targets.push(target),
            }
        }
        targets.sort_by_key(|t| t.start_byte());
        for target in targets {
            if target.kind_name() == "identifier" {
                let name = self.text(target).to_owned();
                let range = TextRange::of_node(target);
                self.add_reference(&name, range, ctx.scope, ctx.refs.with(RefFlags::DELETION));
                self.add_binding(name, BindingKind::Deletion, range, ctx);
            } else {
                self.tasks.push(Task::Expr(target, ctx));
            }
        }
    }

    /// Bind the names of an assignment target; the rest of it (subscripts, attributes) is read.
    fn bind_target(&mut self, node: Node<'t>, ctx: Ctx, kind: BindingKind) {
        let mut tasks = Vec::new();
        let mut stack = vec![node];
        let mut names = Vec::new();
        while let Some(target) = stack.pop() {
            match target.kind_name() {
                "identifier" => names.push(target),
                "pattern_list"
                | "tuple_pattern"
                | "list_pattern"
                | "tuple"
                | "list"
                | "expression_list"
                | "parenthesized_expression"
                | "list_splat_pattern"
                | "list_splat"
                | "as_pattern_target" => {
                    stack.extend(self.children(target));
                }
                "comment" => {}
                _ => tasks.push(Task::Expr(target, ctx)),
            }
        }
        names.sort_by_key(|n| n.start_byte());
        tasks.extend(
            names
                .into_iter()
                .map(|n| Task::BindName(n, ctx, kind.clone())),
        );
        self.push_in_order(tasks);
    }

    // ----- __all__ -----

    /// Record the string names of an `__all__` value (list, tuple, and `+` of those).
    fn collect_dunder_all(&mut self, value: Node<'t>) {
        let mut stack = vec![value];
        while let Some(node) = stack.pop() {
            match node.kind_name() {
                "list"
                | "tuple"
                | "parenthesized_expression"
                | "binary_operator"
                | "expression_list"
                | "argument_list" => stack.extend(self.children(node)),
                "string" => {
                    if let Some(name) = plain_string_value(node, self.source) {
                        self.model.dunder_all.push((name, TextRange::of_node(node)));
                    }
                }
                _ => {}
            }
        }
    }

    /// `__all__.append("x")` and `__all__.extend([...])` at module level.
    fn dunder_all_mutation(&mut self, stmt: Node<'t>, ctx: Ctx) {
        if ctx.scope != SemanticModel::MODULE {
            return;
        }
        let Some(call) = stmt.named_child(0).filter(|c| c.kind_name() == "call") else {
            return;
        };
        let Some(function) = call
            .field(Field::Function)
            .filter(|f| f.kind_name() == "attribute")
        else {
            return;
        };
        let (Some(object), Some(method)) = (
            function.field(Field::Object),
            function.field(Field::Attribute),
        ) else {
            return;
        };
        if self.text(object) != "__all__" || !matches!(self.text(method), "append" | "extend") {
            return;
        }
        if let Some(args) = call.field(Field::Arguments) {
            self.collect_dunder_all(args);
        }
    }

    fn resolve_dunder_all(&mut self) {
        let names = std::mem::take(&mut self.model.dunder_all);
        for (name, range) in &names {
            let id = self.add_reference(
                name,
                *range,
                SemanticModel::MODULE,
                RefFlags(RefFlags::DUNDER_ALL),
            );
            if let Some(binding) = self.model.references[id.0 as usize].binding {
                self.model.bindings[binding.0 as usize].flags.0 |= BindingFlags::EXPORTED;
            }
        }
        self.model.dunder_all = names;
    }

    // ----- definitions -----

    fn function(&mut self, node: Node<'t>, ctx: Ctx, runs_in_thread: bool) {
        let scope = self.push_scope(
            ScopeKind::Function,
            Some(ctx.scope),
            TextRange::of_node(node),
        );
        let mut tasks = Vec::new();
        let params = node
            .field(Field::Parameters)
            .map(|params| self.parameters(params, ctx, &mut tasks))
            .unwrap_or_default();
        if let Some(returns) = node.field(Field::ReturnType) {
            tasks.push(Task::Annotation(returns, signature(ctx)));
        }
        if let Some(name) = node.field(Field::Name) {
            tasks.push(Task::BindName(name, ctx, BindingKind::FunctionDef));
        }
        self.push_in_order(tasks);
        let function = self.model.functions.len() as u32;
        let name = node
            .field(Field::Name)
            .map(|n| self.text(n).to_owned())
            .unwrap_or_default();
        let path = if ctx.scope == SemanticModel::MODULE {
            Some(name.clone())
        } else {
            self.module_classes
                .get(&ctx.scope)
                .map(|class| format!("{class}.{name}"))
        };
        let is_async = is_async(node);
        self.model.functions.push(super::model::FunctionFact {
            name,
            is_async,
            scope,
            in_type_checking: ctx.binding & BindingFlags::TYPE_CHECKING != 0,
            parent: ctx.scope,
            parent_is_class: self.scope_kind(ctx.scope) == ScopeKind::Class,
            path,
            is_generator: false,
            runs_in_thread,
        });
        self.deferred.push_back(Deferred::Function {
            body: node.field(Field::Body),
            params,
            is_async,
            scope,
            ctx,
            function,
        });
    }

    /// Defaults are evaluated, and annotations visited, in the scope that defines the function; the
    /// parameters to bind in the function's own scope are returned.
    fn parameters(
        &mut self,
        params: Node<'t>,
        ctx: Ctx,
        tasks: &mut Vec<Task<'t>>,
    ) -> Vec<Param<'t>> {
        let mut names = Vec::new();
        for param in self.children(params) {
            if let Some(annotation) = param.field(Field::Type) {
                tasks.push(Task::Annotation(annotation, signature(ctx)));
            }
            if let Some(value) = param.field(Field::Value) {
                tasks.push(Task::Expr(value, ctx));
            }
            names.extend(self.parameter(param));
        }
        names
    }

    /// What a parameter binds.
    fn parameter(&mut self, param: Node<'t>) -> Option<Param<'t>> {
        let name = match param.kind_name() {
            "identifier" => Some(param),
            "default_parameter" | "typed_default_parameter" => param.field(Field::Name),
            "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                let mut found = None;
                let mut stack = vec![param];
                while let Some(n) = stack.pop() {
                    if n.kind_name() == "identifier" {
                        found = Some(n);
                        break;
                    }
                    if n.kind_name() == "type" {
                        continue;
                    }
                    stack.extend(self.children(n).into_iter().rev());
                }
                found
            }
            "tuple_pattern" => return Some(Param::Tuple(param)),
            _ => None,
        };
        name.filter(|n| n.kind_name() == "identifier")
            .map(|n| Param::Name(TextRange::of_node(n)))
    }

    /// Bind each parameter name in the function's own scope.
    fn bind_parameters(&mut self, params: Vec<Param<'t>>, ctx: Ctx) {
        for param in params {
            match param {
                Param::Name(range) => {
                    let text = self.source[range.start..range.end].to_owned();
                    self.add_binding(text, BindingKind::Parameter, range, ctx);
                }
                Param::Tuple(node) => self.bind_target(node, ctx, BindingKind::Parameter),
            }
        }
    }

    fn class(&mut self, node: Node<'t>, ctx: Ctx) {
        let mut tasks = Vec::new();
        // Decorated with a runtime decorator (set by the caller), or deriving from a runtime base.
        let runtime = ctx.runtime_annotations
            || node
                .field(Field::Superclasses)
                .is_some_and(|bases| self.has_runtime_base(bases, ctx.scope));
        if let Some(bases) = node.field(Field::Superclasses) {
            tasks.push(Task::Expr(
                bases,
                Ctx {
                    runtime_annotations: false,
                    ..ctx
                },
            ));
        }
        let scope = self.push_scope(ScopeKind::Class, Some(ctx.scope), TextRange::of_node(node));
        if let (true, Some(name)) = (ctx.scope == SemanticModel::MODULE, node.field(Field::Name)) {
            self.module_classes
                .insert(scope, self.text(name).to_owned());
        }
        if let Some(body) = node.field(Field::Body) {
            let body_ctx = Ctx {
                scope,
                runtime_annotations: runtime,
                in_async: false,
                function: NO_FUNCTION,
                ..ctx
            };
            tasks.push(Task::Block(body, body_ctx));
        }
        if let Some(name) = node.field(Field::Name) {
            if runtime {
                self.model
                    .runtime_evaluated_classes
                    .push(TextRange::of_node(name));
            }
            if ctx.scope == SemanticModel::MODULE {
                let bases = node
                    .field(Field::Superclasses)
                    .map(|bases| {
                        let mut cursor = bases.walk();
                        let bases: Vec<Node<'_>> = bases.named_children(&mut cursor).collect();
                        bases
                            .into_iter()
                            .filter_map(|b| self.qualified_name(b, ctx.scope))
                            .collect()
                    })
                    .unwrap_or_default();
                self.model.classes.push(super::model::ClassFact {
                    name: self.text(name).to_owned(),
                    bases,
                    runtime,
                });
            }
            let kind = if runtime {
                Task::BindRuntimeClass(
                    name,
                    Ctx {
                        runtime_annotations: false,
                        ..ctx
                    },
                )
            } else {
                Task::BindName(
                    name,
                    Ctx {
                        runtime_annotations: false,
                        ..ctx
                    },
                    BindingKind::ClassDef,
                )
            };
            tasks.push(kind);
        }
        self.push_in_order(tasks);
    }

    /// The qualified name an expression (`a`, `a.b.c`) refers to through this module's imports,
    /// or `None` when its first name is not an import.
    fn qualified_name(&self, expr: Node<'_>, scope: ScopeId) -> Option<String> {
        let mut parts = Vec::new();
        let mut node = expr;
        while node.kind_name() == "attribute" {
            parts.push(self.text(node.field(Field::Attribute)?));
            node = node.field(Field::Object)?;
        }
        if node.kind_name() != "identifier" {
            return None;
        }
        parts.reverse();
        self.qualified_parts(self.text(node), &parts, scope)
    }

    /// The qualified name of `first.parts...`, as [`Self::qualified_name`].
    fn qualified_parts(&self, first: &str, parts: &[&str], scope: ScopeId) -> Option<String> {
        let binding = self.lookup_from(first, scope)?;
        let binding = &self.model.bindings[binding.0 as usize];
        if binding.kind == BindingKind::ClassDef && binding.scope == SemanticModel::MODULE {
            // A class of this module: `module.Class`.
            let module = self.options.module_name.as_deref()?;
            let mut qualified = format!("{module}.{}", binding.name);
            for part in parts {
                qualified.push('.');
                qualified.push_str(part);
            }
            return Some(qualified);
        }
        let import = binding.as_import()?;
        let mut qualified = match import.kind {
            // `import a.b` binds `a`: the name reaches the package `a`.
            ImportKind::SubmoduleImport => import
                .module
                .split('.')
                .next()
                .unwrap_or_default()
                .to_owned(),
            _ => self.absolute(&import.qualified_name())?,
        };
        for part in parts {
            qualified.push('.');
            qualified.push_str(part);
        }
        Some(qualified)
    }

    /// What a call inside a function calls: a function of this module, a method through
    /// `self`/`cls`, or a qualified name.
    fn callee(&self, function: Node<'_>, scope: ScopeId) -> Option<super::model::Callee> {
        use super::model::Callee;
        if function.kind_name() == "identifier" {
            if let Some(binding) = self.lookup_from(self.text(function), scope) {
                let binding = &self.model.bindings[binding.0 as usize];
                if binding.kind == BindingKind::FunctionDef {
                    return Some(Callee::Local {
                        scope: binding.scope,
                        name: binding.name.clone(),
                    });
                }
            }
        }
        if function.kind_name() == "attribute" {
            let object = function.field(Field::Object)?;
            if object.kind_name() == "identifier" && matches!(self.text(object), "self" | "cls") {
                return Some(Callee::Method(
                    self.text(function.field(Field::Attribute)?).to_owned(),
                ));
            }
        }
        self.callee_name(function, scope).map(Callee::Qualified)
    }

    /// The qualified name of a called expression: through imports (`time.sleep`), builtins
    /// (`builtins.open`), and a method of a constructed object (`pathlib.Path("x").read_text` is
    /// `pathlib.Path.read_text`).
    fn callee_name(&self, function: Node<'_>, scope: ScopeId) -> Option<String> {
        if function.kind_name() == "identifier" {
            let name = self.text(function);
            if self.lookup_from(name, scope).is_none() && BUILTIN_CALLEES.contains(&name) {
                return Some(format!("builtins.{name}"));
            }
        }
        if function.kind_name() == "attribute" {
            let object = function.field(Field::Object)?;
            if object.kind_name() == "call" {
                let class = self.qualified_name(object.field(Field::Function)?, scope)?;
                let method = self.text(function.field(Field::Attribute)?);
                return Some(format!("{class}.{method}"));
            }
            if object.kind_name() == "identifier" {
                if let Some(class) = self.constructed_type(object, scope) {
                    let method = self.text(function.field(Field::Attribute)?);
                    return Some(format!("{class}.{method}"));
                }
            }
        }
        self.qualified_name(function, scope)
    }

    /// What a variable holds when it was bound to a constructor call of an imported class, or is a
    /// parameter annotated with one: `client = httpx.Client()`, `with httpx.Client() as client:`
    /// and `def f(client: httpx.Client)` make `client` an `httpx.Client`.
    fn constructed_type(&self, variable: Node<'_>, scope: ScopeId) -> Option<String> {
        let binding = self.lookup_from(self.text(variable), scope)?;
        let binding = &self.model.bindings[binding.0 as usize];
        if !matches!(
            binding.kind,
            BindingKind::Assignment | BindingKind::WithItem | BindingKind::Parameter
        ) {
            return None;
        }
        let name = self
            .root
            .descendant_for_byte_range(binding.range.start, binding.range.end)?;
        let parent = name.parent()?;
        let call = match parent.kind_name() {
            "assignment" if parent.field(Field::Left) == Some(name) => {
                parent.field(Field::Right)?
            }
            "as_pattern_target" => parent.parent()?.named_child(0)?,
            "typed_parameter" | "typed_default_parameter"
                if binding.kind == BindingKind::Parameter =>
            {
                let annotation = parent.field(Field::Type)?.named_child(0)?;
                return self.annotated_type(annotation, scope, 0);
            }
            _ => return None,
        };
        if call.kind_name() != "call" {
            return None;
        }
        self.qualified_name(call.field(Field::Function)?, scope)
            .map(constructed_class)
    }

    /// The class a parameter annotation names, through imports: `Path`, `pathlib.Path`,
    /// `Path | None`, `Optional[Path]`, `Union[Path, None]`, `"Path"`. `None` for anything else.
    fn annotated_type(&self, annotation: Node<'_>, scope: ScopeId, depth: u8) -> Option<String> {
        if depth > 4 {
            return None;
        }
        let is_none = |n: Node<'_>| n.kind_name() == "none";
        match annotation.kind_name() {
            "identifier" | "attribute" => self.qualified_name(annotation, scope),
            "binary_operator" => {
                let (left, right) = (
                    annotation.field(Field::Left)?,
                    annotation.field(Field::Right)?,
                );
                if self.text(annotation.child_by_field_name("operator")?) != "|" {
                    return None;
                }
                match (is_none(left), is_none(right)) {
                    (false, true) => self.annotated_type(left, scope, depth + 1),
                    (true, false) => self.annotated_type(right, scope, depth + 1),
                    _ => None,
                }
            }
            "subscript" | "generic_type" => {
                // `typing.Optional[X]` is a subscript; `Optional[X]` a generic type whose
                // parameters are `type` nodes.
                let (generic, arguments) = if annotation.kind_name() == "subscript" {
                    let mut cursor = annotation.walk();
                    let arguments: Vec<Node<'_>> = annotation
                        .children_by_field_name("subscript", &mut cursor)
                        .collect();
                    (annotation.field(Field::Value)?, arguments)
                } else {
                    let parameters = annotation.named_child(1)?;
                    let mut cursor = parameters.walk();
                    let arguments: Vec<Node<'_>> = parameters
                        .named_children(&mut cursor)
                        .filter_map(|t| {
                            if t.kind_name() == "type" {
                                t.named_child(0)
                            } else {
                                Some(t)
                            }
                        })
                        .collect();
                    (annotation.named_child(0)?, arguments)
                };
                let generic = self.qualified_name(generic, scope)?;
                let generic = generic
                    .strip_prefix("typing.")
                    .or_else(|| generic.strip_prefix("typing_extensions."))?;
                let arguments: Vec<Node<'_>> = match arguments.as_slice() {
                    [tuple] if tuple.kind_name() == "tuple" => {
                        let mut cursor = tuple.walk();
                        tuple.named_children(&mut cursor).collect()
                    }
                    _ => arguments,
                };
                let inner = match (generic, arguments.as_slice()) {
                    ("Optional", [inner]) => *inner,
                    ("Union", [a, b]) if is_none(*b) => *a,
                    ("Union", [a, b]) if is_none(*a) => *b,
                    _ => return None,
                };
                self.annotated_type(inner, scope, depth + 1)
            }
            "string" => {
                let mut cursor = annotation.walk();
                let parts: Vec<Node<'_>> = annotation.named_children(&mut cursor).collect();
                let [_, content, _] = parts.as_slice() else {
                    return None;
                };
                if content.kind_name() != "string_content" {
                    return None;
                }
                let text = self.text(*content).trim();
                let mut names = text.split('.');
                let first = names.next()?;
                let rest: Vec<&str> = names.collect();
                let dotted = std::iter::once(first).chain(rest.iter().copied());
                if !dotted.clone().all(is_identifier) {
                    return None;
                }
                self.qualified_parts(first, &rest, scope)
            }
            _ => None,
        }
    }

    /// `.m.x` made absolute against this module's package (`pkg.m.x`); absolute names unchanged.
    fn absolute(&self, name: &str) -> Option<String> {
        crate::module::absolute_module(
            name,
            self.options.module_name.as_deref(),
            self.options.is_package_init,
        )
    }

    /// The binding `name` resolves to from `scope` right now.
    fn lookup_from(&self, name: &str, scope: ScopeId) -> Option<BindingId> {
        let name = self.model.name_ids.get(name)?;
        let mut current = Some(scope);
        while let Some(id) = current {
            let s = &self.model.scopes[id.0 as usize];
            if id == scope || s.kind != ScopeKind::Class {
                if let Some(binding) = s.names.get(name) {
                    return Some(*binding);
                }
            }
            current = s.parent;
        }
        None
    }

    /// A base (in `class C(...)`) that is a configured runtime base class, or a class of this
    /// module already known to be one.
    fn has_runtime_base(&self, bases: Node<'_>, scope: ScopeId) -> bool {
        let mut cursor = bases.walk();
        let bases: Vec<Node<'_>> = bases.named_children(&mut cursor).collect();
        bases.into_iter().any(|base| {
            if base.kind_name() == "identifier" {
                if let Some(binding) = self.lookup_from(self.text(base), scope) {
                    if self.runtime_classes.contains(&binding) {
                        return true;
                    }
                }
            }
            let base = if base.kind_name() == "subscript" {
                base.field(Field::Value).unwrap_or(base)
            } else {
                base
            };
            self.qualified_name(base, scope)
                .is_some_and(|q| self.options.runtime_base_classes.contains(&q))
        })
    }

    /// A decorator that reads the annotations of what it decorates.
    fn is_runtime_decorator(&self, decorator: Node<'_>, scope: ScopeId) -> bool {
        let Some(mut expr) = decorator.named_child(0) else {
            return false;
        };
        let called = expr.kind_name() == "call";
        if called {
            let Some(function) = expr.field(Field::Function) else {
                return false;
            };
            expr = function;
        }
        let imports = |package: &str| {
            self.model.bindings.iter().any(|b| {
                b.as_import().is_some_and(|i| {
                    i.module == package || i.module.starts_with(&format!("{package}."))
                })
            })
        };
        if let Some(qualified) = self.qualified_name(expr, scope) {
            if self.options.runtime_decorators.contains(&qualified) {
                return true;
            }
            let attrs = qualified.starts_with("attr.") || qualified.starts_with("attrs.");
            if attrs && imports("cattrs") {
                return true;
            }
        }
        let Some(method) = (expr.kind_name() == "attribute")
            .then(|| expr.field(Field::Attribute))
            .flatten()
            .map(|a| self.text(a))
        else {
            return false;
        };
        // `@fn.register` (single dispatch reads the first parameter's annotation; with an
        // argument, `@fn.register(int)`, it does not).
        if method == "register" && !called {
            return true;
        }
        const ROUTES: &[&str] = &[
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "head",
            "options",
            "trace",
            "api_route",
            "websocket",
        ];
        (called && ROUTES.contains(&method) && imports("fastapi"))
            || (called && matches!(method, "command" | "callback") && imports("typer"))
    }

    fn type_alias(&mut self, node: Node<'t>, ctx: Ctx) {
        // `type X = ...`: the value is evaluated lazily, on access.
        if let Some(left) = node.field(Field::Left) {
            let mut stack = vec![left];
            while let Some(n) = stack.pop() {
                if n.kind_name() == "identifier" {
                    self.tasks
                        .push(Task::BindName(n, ctx, BindingKind::Assignment));
                    break;
                }
                stack.extend(self.children(n).into_iter().rev());
            }
        }
        if let Some(right) = node.field(Field::Right) {
            // Resolved after the module (the value may name later definitions), but a use at run
            // time: `__value__` is evaluated on access, and pydantic and friends do access it.
            let ctx = Ctx {
                annotation: true,
                refs: ctx.refs.with(RefFlags::RUNTIME_ANNOTATION),
                ..ctx
            };
            self.deferred
                .push_back(Deferred::Annotation { node: right, ctx });
        }
    }

    // ----- control flow -----

    fn if_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let mut tasks = Vec::new();
        if self.condition_and_body(node, ctx, &mut tasks) {
            self.model
                .type_checking_blocks
                .push(TextRange::of_node(node));
        }
        let mut cursor = node.walk();
        let alternatives: Vec<Node<'t>> = node.fields(Field::Alternative, &mut cursor).collect();
        for alt in alternatives {
            if alt.kind_name() == "elif_clause" {
                self.condition_and_body(alt, ctx, &mut tasks);
            } else {
                tasks.push(Task::Stmt(alt, ctx));
            }
        }
        self.push_in_order(tasks);
    }

    /// The condition and body of an `if` or `elif`, the body marked as a `TYPE_CHECKING` block when
    /// the condition is one; true in that case.
    fn condition_and_body(&self, clause: Node<'t>, ctx: Ctx, tasks: &mut Vec<Task<'t>>) -> bool {
        let condition = clause.field(Field::Condition);
        let type_checking = condition.is_some_and(|c| self.is_type_checking(c));
        if let Some(condition) = condition {
            tasks.push(Task::Expr(condition, ctx));
        }
        if let Some(body) = clause.field(Field::Consequence) {
            let mut body_ctx = ctx;
            if type_checking {
                body_ctx.refs = body_ctx.refs.with(RefFlags::TYPE_CHECKING);
                body_ctx.binding |= BindingFlags::TYPE_CHECKING;
            }
            tasks.push(Task::Block(body, body_ctx));
        }
        type_checking
    }

    /// `TYPE_CHECKING`, or any `x.TYPE_CHECKING`.
    fn is_type_checking(&self, condition: Node<'_>) -> bool {
        match condition.kind_name() {
            "identifier" => self.text(condition) == "TYPE_CHECKING",
            "attribute" => condition
                .field(Field::Attribute)
                .is_some_and(|a| self.text(a) == "TYPE_CHECKING"),
            _ => false,
        }
    }

    fn try_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let children = self.children(node);
        let guarded = children
            .iter()
            .filter(|c| matches!(c.kind_name(), "except_clause" | "except_group_clause"))
            .any(|c| self.handles_import_error(*c));
        let mut tasks = Vec::new();
        for child in children {
            match child.kind_name() {
                "block" => {
                    let mut body_ctx = ctx;
                    if guarded {
                        body_ctx.binding |= BindingFlags::GUARDED_IMPORT;
                    }
                    tasks.push(Task::Block(child, body_ctx));
                }
                "comment" => {}
                _ => tasks.push(Task::Stmt(child, ctx)),
            }
        }
        self.push_in_order(tasks);
    }

    /// True when an `except` clause names `ImportError` or `ModuleNotFoundError`.
    fn handles_import_error(&self, clause: Node<'_>) -> bool {
        let Some(value) = clause.field(Field::Value).or_else(|| {
            let mut cursor = clause.walk();
            let first = clause
                .named_children(&mut cursor)
                .find(|c| !matches!(c.kind_name(), "block" | "comment"));
            first
        }) else {
            return false;
        };
        let mut stack = vec![value];
        while let Some(n) = stack.pop() {
            match n.kind_name() {
                "identifier" => {
                    if matches!(self.text(n), "ImportError" | "ModuleNotFoundError") {
                        return true;
                    }
                }
                "attribute" => {
                    if let Some(attr) = n.field(Field::Attribute) {
                        stack.push(attr);
                    }
                }
                "tuple" | "parenthesized_expression" | "expression_list" => {
                    let mut cursor = n.walk();
                    stack.extend(n.named_children(&mut cursor));
                }
                _ => {}
            }
        }
        false
    }

    fn except_clause(&mut self, node: Node<'t>, ctx: Ctx) {
        let mut tasks = Vec::new();
        let alias = node.field(Field::Alias);
        for child in self.children(node) {
            if Some(child) == alias {
                if child.kind_name() == "identifier" {
                    tasks.push(Task::BindName(child, ctx, BindingKind::ExceptHandler));
                } else {
                    tasks.push(Task::Bind(child, ctx, BindingKind::ExceptHandler));
                }
                continue;
            }
            match child.kind_name() {
                "block" => tasks.push(Task::Block(child, ctx)),
                "comment" => {}
                // Older grammars: `except E as name` parses as an `as_pattern`.
                "as_pattern" => {
                    for part in self.children(child) {
                        if part.kind_name() == "as_pattern_target" {
                            tasks.push(Task::Bind(part, ctx, BindingKind::ExceptHandler));
                        } else {
                            tasks.push(Task::Expr(part, ctx));
                        }
                    }
                }
                _ => tasks.push(Task::Expr(child, ctx)),
            }
        }
        self.push_in_order(tasks);
    }

    fn with_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let mut tasks = Vec::new();
        for child in self.children(node) {
            match child.kind_name() {
                "with_clause" => {
                    for item in self.children(child) {
                        let Some(value) = item.field(Field::Value) else {
                            continue;
                        };
                        self.with_item_value(value, ctx, &mut tasks);
                    }
                }
                "block" => tasks.push(Task::Block(child, ctx)),
                _ => {}
            }
        }
        self.push_in_order(tasks);
    }

    fn with_item_value(&mut self, value: Node<'t>, ctx: Ctx, tasks: &mut Vec<Task<'t>>) {
        if value.kind_name() == "as_pattern" {
            for part in self.children(value) {
                if part.kind_name() == "as_pattern_target" {
                    tasks.push(Task::Bind(part, ctx, BindingKind::WithItem));
                } else {
                    tasks.push(Task::Expr(part, ctx));
                }
            }
        } else {
            tasks.push(Task::Expr(value, ctx));
        }
    }

    fn match_statement(&mut self, node: Node<'t>, ctx: Ctx) {
        let mut tasks = Vec::new();
        if let Some(subject) = node.field(Field::Subject) {
            tasks.push(Task::Expr(subject, ctx));
        }
        for child in self.children(node) {
            if child.kind_name() != "block" {
                continue;
            }
            for case in self.children(child) {
                if case.kind_name() != "case_clause" {
                    continue;
                }
                for part in self.children(case) {
                    match part.kind_name() {
                        "case_pattern" => tasks.push(Task::Pattern(part, ctx)),
                        "if_clause" => tasks.push(Task::Expr(part, ctx)),
                        "block" => tasks.push(Task::Block(part, ctx)),
                        _ => {}
                    }
                }
            }
        }
        self.push_in_order(tasks);
    }

    /// A `case` pattern: bare names capture, dotted names and class names are read.
    fn pattern(&mut self, node: Node<'t>, ctx: Ctx) {
        let mut stack = vec![node];
        let mut tasks = Vec::new();
        while let Some(n) = stack.pop() {
            match n.kind_name() {
                "dotted_name" => {
                    let parts = self.children(n);
                    let is_capture = parts.len() == 1
                        && n.parent().is_some_and(|p| p.kind_name() == "case_pattern")
                        && n.parent()
                            .and_then(|p| p.parent())
                            .is_some_and(|g| g.kind_name() != "class_pattern");
                    if let Some(first) = parts.first() {
                        if is_capture {
                            tasks.push(Task::BindName(*first, ctx, BindingKind::MatchCapture));
                        } else {
                            tasks.push(Task::Expr(*first, ctx));
                        }
                    }
                }
                "class_pattern" => {
                    for (i, part) in self.children(n).into_iter().enumerate() {
                        if i == 0 && part.kind_name() == "dotted_name" {
                            if let Some(first) = part.named_child(0) {
                                tasks.push(Task::Expr(first, ctx));
                            }
                        } else {
                            stack.push(part);
                        }
                    }
                }
                "keyword_pattern" => {
                    // `name=pattern`: the keyword is not a reference.
                    for part in self.children(n).into_iter().skip(1) {
                        stack.push(part);
                    }
                }
                "as_pattern" => {
                    for part in self.children(n) {
                        if part.kind_name() == "as_pattern_target" {
                            tasks.push(Task::Bind(part, ctx, BindingKind::MatchCapture));
                        } else {
                            stack.push(part);
                        }
                    }
                }
                "splat_pattern" => {
                    for part in self.children(n) {
                        if part.kind_name() == "identifier" {
                            tasks.push(Task::BindName(part, ctx, BindingKind::MatchCapture));
                        }
                    }
                }
                "identifier" => tasks.push(Task::BindName(n, ctx, BindingKind::MatchCapture)),
                "string"
                | "concatenated_string"
                | "integer"
                | "float"
                | "true"
                | "false"
                | "none"
                | "comment" => {}
                _ => stack.extend(self.children(n)),
            }
        }
        self.push_in_order(tasks);
    }

    // ----- expressions -----

    fn expr(&mut self, node: Node<'t>, ctx: Ctx) {
        // The most common kinds first, by id (cheaper than comparing kind names).
        let kind = node.kind_id();
        let ids = kind_ids();
        if kind == ids.identifier {
            let name = node_text(node, self.source);
            self.add_reference(name, TextRange::of_node(node), ctx.scope, ctx.refs);
            return;
        }
        if kind == ids.attribute {
            if let Some(object) = node.field(Field::Object) {
                self.tasks.push(Task::Expr(object, ctx));
            }
            return;
        }
        match node.kind_name() {
            "identifier" => {
                let name = node_text(node, self.source);
                self.add_reference(name, TextRange::of_node(node), ctx.scope, ctx.refs);
            }
            "attribute" => {
                if let Some(object) = node.field(Field::Object) {
                    self.tasks.push(Task::Expr(object, ctx));
                }
            }
            "keyword_argument" => {
                if let Some(value) = node.field(Field::Value) {
                    self.tasks.push(Task::Expr(value, ctx));
                }
            }
            "string" => {
                if ctx.annotation {
                    self.deferred
                        .push_back(Deferred::StringAnnotation { node, ctx });
                } else {
                    self.string_interpolations(node, ctx);
                }
            }
            "lambda" => {
                let mut tasks = Vec::new();
                let params = node
                    .field(Field::Parameters)
                    .map(|params| self.parameters(params, ctx, &mut tasks))
                    .unwrap_or_default();
                self.push_in_order(tasks);
                let scope =
                    self.push_scope(ScopeKind::Lambda, Some(ctx.scope), TextRange::of_node(node));
                self.deferred.push_back(Deferred::Lambda {
                    body: node.field(Field::Body),
                    params,
                    scope,
                    ctx,
                });
            }
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => self.comprehension(node, ctx),
            "yield" => {
                // In the function's own scope (not a lambda's): the function is a generator.
                if let Some(function) = self.model.functions.get_mut(ctx.function as usize) {
                    if function.scope == ctx.scope {
                        function.is_generator = true;
                    }
                }
                self.push_children(node, |child| Task::Expr(child, ctx));
            }
            "named_expression" => {
                let mut tasks = Vec::new();
                if let Some(value) = node.field(Field::Value) {
                    tasks.push(Task::Expr(value, ctx));
                }
                if let Some(name) = node.field(Field::Name) {
                    let mut target = ctx;
                    while self.scope_kind(target.scope) == ScopeKind::Comprehension {
                        match self.model.scopes[target.scope.0 as usize].parent {
                            Some(parent) => target.scope = parent,
                            None => break,
                        }
                    }
                    tasks.push(Task::BindName(name, target, BindingKind::NamedExpr));
                }
                self.push_in_order(tasks);
            }
            "subscript" if ctx.annotation => self.annotation_subscript(node, ctx),
            "subscript" if self.is_typing_generic(node) => {
                let ctx = Ctx {
                    annotation: true,
                    ..ctx
                };
                self.annotation_subscript(node, ctx);
            }
            "call" => self.call(node, ctx),
            "member_type" => {
                // `a.b` in a type: only the first part is a name.
                if let Some(first) = node.named_child(0) {
                    self.tasks.push(Task::Expr(first, ctx));
                }
            }
            "comment" | "integer" | "float" | "true" | "false" | "none" | "ellipsis"
            | "escape_sequence" | "string_content" | "string_start" | "string_end" => {}
            _ => self.push_children(node, |child| Task::Expr(child, ctx)),
        }
    }

    /// `Callable[...]`, `typing.Union[...]`, `list[...]`: a subscript whose slice is a type even
    /// outside an annotation (its strings are string annotations).
    fn is_typing_generic(&self, node: Node<'_>) -> bool {
        let Some(value) = node.field(Field::Value) else {
            return false;
        };
        let name = match value.kind_name() {
            "identifier" => self.text(value),
            "attribute" => match value.field(Field::Attribute) {
                Some(attr) => self.text(attr),
                None => return false,
            },
            _ => return false,
        };
        TYPING_GENERICS.binary_search(&name).is_ok()
    }

    /// `cast("T", x)`, `TypeVar("T", "A", bound="B")`: arguments that are types.
    fn call(&mut self, node: Node<'t>, ctx: Ctx) {
        let (Some(function), Some(args)) =
            (node.field(Field::Function), node.field(Field::Arguments))
        else {
            return;
        };
        if ctx.function != NO_FUNCTION && self.record_calls {
            if let Some(callee) = self.callee(function, ctx.scope) {
                self.model.calls.push(super::model::CallFact {
                    caller: ctx.function,
                    callee,
                    range: TextRange::of_node(node),
                });
            }
        }
        if ctx.in_async {
            let callee = self.callee_name(function, ctx.scope);
            self.model.async_calls.push(super::model::AsyncCall {
                callee,
                range: TextRange::of_node(node),
            });
        }
        let ids = kind_ids();
        let name = if function.kind_id() == ids.identifier {
            self.text(function)
        } else if function.kind_id() == ids.attribute {
            function
                .field(Field::Attribute)
                .map_or("", |a| self.text(a))
        } else {
            ""
        };
        if !matches!(
            name,
            "cast" | "TypeVar" | "NewType" | "TypedDict" | "NamedTuple"
        ) {
            // An ordinary call: its parts are plain expressions.
            self.push_children(node, |child| Task::Expr(child, ctx));
            return;
        }
        let type_ctx = Ctx {
            annotation: true,
            ..ctx
        };
        let mut tasks = vec![Task::Expr(function, ctx)];
        let mut positional = 0;
        for arg in self.children(args) {
            if matches!(name, "TypedDict" | "NamedTuple") {
                // Functional forms: field types are the dict values / second tuple items, and keywords.
                let is_fields = arg.kind_name() != "keyword_argument" && {
                    positional += 1;
                    positional == 2
                };
                if is_fields {
                    self.functional_fields(arg, ctx, type_ctx, &mut tasks);
                } else {
                    let keyword_is_type = arg.kind_name() == "keyword_argument"
                        && arg.field(Field::Name).map(|n| self.text(n)) != Some("total");
                    tasks.push(Task::Expr(
                        arg,
                        if keyword_is_type { type_ctx } else { ctx },
                    ));
                }
                continue;
            }
            let is_type = match arg.kind_name() {
                "keyword_argument" => {
                    let keyword = arg.field(Field::Name).map(|n| self.text(n));
                    name == "TypeVar" && keyword == Some("bound")
                }
                "comment" => continue,
                _ => {
                    positional += 1;
                    match name {
                        "cast" => positional == 1,
                        "TypeVar" => positional > 1,
                        "NewType" => positional == 2,
                        _ => false,
                    }
                }
            };
            tasks.push(Task::Expr(arg, if is_type { type_ctx } else { ctx }));
        }
        self.push_in_order(tasks);
    }

    /// `{"a": int}` (TypedDict) or `[("a", int)]` (NamedTuple): keys are values, the rest are types.
    fn functional_fields(
        &mut self,
        fields: Node<'t>,
        ctx: Ctx,
        type_ctx: Ctx,
        tasks: &mut Vec<Task<'t>>,
    ) {
        for field in self.children(fields) {
            match field.kind_name() {
                "pair" => {
                    if let Some(key) = field.field(Field::Key) {
                        tasks.push(Task::Expr(key, ctx));
                    }
                    if let Some(value) = field.field(Field::Value) {
                        tasks.push(Task::Expr(value, type_ctx));
                    }
                }
                "tuple" => {
                    for (i, item) in self.children(field).into_iter().enumerate() {
                        tasks.push(Task::Expr(item, if i == 1 { type_ctx } else { ctx }));
                    }
                }
                _ => tasks.push(Task::Expr(field, ctx)),
            }
        }
    }

    /// In a type, `Literal[...]` holds values, not types; `Annotated[T, ...]` holds a type then values.
    fn annotation_subscript(&mut self, node: Node<'t>, ctx: Ctx) {
        let Some(value) = node.field(Field::Value) else {
            return;
        };
        let head = match value.kind_name() {
            "attribute" => value.field(Field::Attribute).map(|a| self.text(a)),
            "identifier" => Some(self.text(value)),
            _ => None,
        };
        let mut tasks = vec![Task::Expr(value, ctx)];
        let mut cursor = node.walk();
        let slices: Vec<Node<'t>> = node.fields(Field::Subscript, &mut cursor).collect();
        let plain = Ctx {
            annotation: false,
            ..ctx
        };
        for (i, slice) in slices.into_iter().enumerate() {
            let slice_ctx = match head {
                Some("Literal") => plain,
                Some("Annotated") if i > 0 => plain,
                _ => ctx,
            };
            tasks.push(Task::Expr(slice, slice_ctx));
        }
        self.push_in_order(tasks);
    }

    fn string_interpolations(&mut self, node: Node<'t>, ctx: Ctx) {
        // Only f-strings (and t-strings) have interpolations: skip the others without a walk.
        let prefix = self.text(node).bytes().take_while(u8::is_ascii_alphabetic);
        if !prefix
            .into_iter()
            .any(|b| matches!(b, b'f' | b'F' | b't' | b'T'))
        {
            return;
        }
        self.push_children(node, |child| Task::Expr(child, ctx));
    }

    fn comprehension(&mut self, node: Node<'t>, ctx: Ctx) {
        let scope = self.push_scope(
            ScopeKind::Comprehension,
            Some(ctx.scope),
            TextRange::of_node(node),
        );
        let inner = Ctx { scope, ..ctx };
        let body = node.field(Field::Body);
        let mut tasks = Vec::new();
        let mut first_clause = true;
        for child in self.children(node) {
            if Some(child) == body {
                continue;
            }
            match child.kind_name() {
                "for_in_clause" => {
                    if let Some(right) = child.field(Field::Right) {
                        // The first iterable is evaluated in the enclosing scope.
                        tasks.push(Task::Expr(right, if first_clause { ctx } else { inner }));
                    }
                    if let Some(left) = child.field(Field::Left) {
                        tasks.push(Task::Bind(left, inner, BindingKind::LoopVar));
                    }
                    first_clause = false;
                }
                "if_clause" => tasks.push(Task::Expr(child, inner)),
                _ => {}
            }
        }
        if let Some(body) = body {
            tasks.push(Task::Expr(body, inner));
        }
        self.push_in_order(tasks);
    }

    /// Visit an annotation now (evaluated at run time) or defer it (under the future import, or never evaluated).
    fn annotation(&mut self, node: Node<'t>, ctx: Ctx) {
        let mut ctx = Ctx {
            annotation: true,
            ..ctx
        };
        let deferred = self.model.future_annotations
            || self.model.is_stub
            || self.options.deferred_annotations;
        if ctx.runtime_annotations
            && !self.model.is_stub
            && !ctx.refs.has(RefFlags::TYPING_ONLY_ANNOTATION)
        {
            // Read at run time by a library, even when Python itself defers it: resolve later,
            // but as a run-time use.
            ctx.refs = ctx
                .refs
                .with(RefFlags::RUNTIME_ANNOTATION)
                .with(RefFlags::LIBRARY_ANNOTATION);
            if deferred {
                self.deferred.push_back(Deferred::Annotation { node, ctx });
            } else {
                self.tasks.push(Task::Expr(node, ctx));
            }
            return;
        }
        if deferred {
            ctx.refs = ctx.refs.with(RefFlags::TYPING_ONLY_ANNOTATION);
        }
        if ctx.refs.has(RefFlags::TYPING_ONLY_ANNOTATION) {
            self.deferred.push_back(Deferred::Annotation { node, ctx });
        } else {
            ctx.refs = ctx.refs.with(RefFlags::RUNTIME_ANNOTATION);
            self.tasks.push(Task::Expr(node, ctx));
        }
    }

    fn run_deferred(&mut self, deferred: Deferred<'t>) {
        match deferred {
            Deferred::Function {
                body,
                params,
                is_async,
                scope,
                ctx,
                function,
            } => {
                let inner = Ctx {
                    scope,
                    refs: RefFlags(ctx.refs.0 & RefFlags::TYPE_CHECKING),
                    binding: ctx.binding & BindingFlags::TYPE_CHECKING,
                    annotation: false,
                    runtime_annotations: false,
                    in_async: is_async,
                    function,
                };
                self.bind_parameters(params, inner);
                if let Some(body) = body {
                    self.tasks.push(Task::Block(body, inner));
                }
            }
            Deferred::Lambda {
                body,
                params,
                scope,
                ctx,
            } => {
                let inner = Ctx {
                    scope,
                    annotation: false,
                    in_async: false,
                    function: NO_FUNCTION,
                    ..ctx
                };
                self.bind_parameters(params, inner);
                if let Some(body) = body {
                    self.tasks.push(Task::Expr(body, inner));
                }
            }
            Deferred::Annotation { node, ctx } => self.tasks.push(Task::Expr(node, ctx)),
            Deferred::StringAnnotation { node, ctx } => self.string_annotation(node, ctx, 0),
        }
    }

    /// The tree of a wrapped string annotation, `None` when it does not parse. Each text is parsed
    /// once per model (the same annotation is often written many times).
    fn parse_annotation(&mut self, wrapped: &str) -> Option<Tree> {
        if let Some(tree) = self.annotation_trees.get(wrapped) {
            return tree.clone();
        }
        let parsed = crate::parse::parse(wrapped, None);
        let tree = (!parsed.has_errors()).then_some(parsed.tree);
        self.annotation_trees
            .insert(wrapped.to_owned(), tree.clone());
        tree
    }

    /// Parse a string annotation's text and reference the names in it.
    fn string_annotation(&mut self, node: Node<'_>, ctx: Ctx, depth: u8) {
        if depth >= MAX_STRING_ANNOTATION_DEPTH {
            return;
        }
        let Some((content, content_start, exact)) = string_content(node, self.source) else {
            return;
        };
        let wrapped = format!("({content}\n)");
        let Some(tree) = self.parse_annotation(&wrapped) else {
            return;
        };
        let outer = TextRange::of_node(node);
        let refs = ctx.refs.with(RefFlags::STRING_ANNOTATION);
        let mut stack = vec![(tree.root_node(), true)];
        while let Some((n, is_type)) = stack.pop() {
            match n.kind_name() {
                "identifier" => {
                    let range = if exact {
                        let start = content_start + n.start_byte() - 1;
                        TextRange::new(start, start + n.byte_range().len())
                    } else {
                        outer
                    };
                    self.add_reference(node_text(n, &wrapped), range, ctx.scope, refs);
                }
                "attribute" => {
                    if let Some(object) = n.field(Field::Object) {
                        stack.push((object, is_type));
                    }
                }
                "keyword_argument" => {
                    if let Some(value) = n.field(Field::Value) {
                        stack.push((value, false));
                    }
                }
                "string" => {
                    if is_type {
                        // A string inside a string annotation: parse again, text-exactness lost.
                        let text = node_text(n, &wrapped);
                        if let Some(value) = plain_string_literal_value(text) {
                            self.nested_string_annotation(&value, outer, ctx, depth + 1);
                        }
                    }
                }
                "subscript" => {
                    let head = n.field(Field::Value);
                    let head_name = head.and_then(|h| match h.kind_name() {
                        "attribute" => h.field(Field::Attribute).map(|a| node_text(a, &wrapped)),
                        "identifier" => Some(node_text(h, &wrapped)),
                        _ => None,
                    });
                    if let Some(head) = head {
                        stack.push((head, is_type));
                    }
                    let mut cursor = n.walk();
                    for (i, slice) in n.fields(Field::Subscript, &mut cursor).enumerate() {
                        let slice_is_type = is_type
                            && !matches!(
                                (head_name, i),
                                (Some("Literal"), _) | (Some("Annotated"), 1..)
                            );
                        stack.push((slice, slice_is_type));
                    }
                }
                _ => {
                    let mut cursor = n.walk();
                    for child in n.named_children(&mut cursor) {
                        stack.push((child, is_type));
                    }
                }
            }
        }
    }

    fn nested_string_annotation(&mut self, value: &str, outer: TextRange, ctx: Ctx, depth: u8) {
        if depth >= MAX_STRING_ANNOTATION_DEPTH {
            return;
        }
        let wrapped = format!("({value}\n)");
        let Some(tree) = self.parse_annotation(&wrapped) else {
            return;
        };
        let refs = ctx.refs.with(RefFlags::STRING_ANNOTATION);
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            match n.kind_name() {
                "identifier" => {
                    self.add_reference(node_text(n, &wrapped), outer, ctx.scope, refs);
                }
                "attribute" => stack.extend(n.field(Field::Object)),
                "keyword_argument" | "string" => {}
                _ => {
                    let mut cursor = n.walk();
                    stack.extend(n.named_children(&mut cursor));
                }
            }
        }
    }

    // ----- bindings and references -----

    fn add_binding(
        &mut self,
        name: String,
        kind: BindingKind,
        range: TextRange,
        ctx: Ctx,
    ) -> BindingId {
        let id = BindingId(self.model.bindings.len() as u32);
        let name_id = self.intern(&name);
        let scope_index = ctx.scope.0 as usize;
        let mut flags = ctx.binding;
        if self
            .globals
            .get(&ctx.scope)
            .is_some_and(|g| g.contains(&name_id))
        {
            flags |= BindingFlags::GLOBAL;
        }
        let mut references = Vec::new();
        let shadowed = self.model.scopes[scope_index].names.get(&name_id).copied();
        if let Some(shadowed) = shadowed {
            if kind == BindingKind::Annotation {
                // `x: int` after `x = ...` annotates, it does not rebind.
                return shadowed;
            }
            let old = &self.model.bindings[shadowed.0 as usize];
            if old.kind != BindingKind::Deletion {
                references.clone_from(&old.references);
                flags |= old.flags.0 & BindingFlags::GLOBAL;
            }
        }
        self.model.bindings.push(Binding {
            name,
            kind,
            range,
            scope: ctx.scope,
            references,
            flags: BindingFlags(flags),
        });
        let scope = &mut self.model.scopes[scope_index];
        scope.bindings.push(id);
        scope.names.insert(name_id, id);
        id
    }

    /// Resolve `name` from `scope` outward (class scopes are seen only from their own body).
    /// With `import a as b` and `import a.c` in one scope, a use of `b` may be a use of `a.c`
    /// (`b.c.f()`): the submodule import counts as used too.
    fn aliased_submodule(&self, binding: BindingId) -> Option<BindingId> {
        let b = &self.model.bindings[binding.0 as usize];
        let BindingKind::Import(import) = &b.kind else {
            return None;
        };
        if import.kind != ImportKind::Import {
            return None;
        }
        let last = import.module.rsplit('.').next()?;
        if last == b.name {
            return None;
        }
        let name_id = self.model.name_ids.get(last)?;
        let other = *self.model.scopes[b.scope.0 as usize].names.get(name_id)?;
        let BindingKind::Import(sub) = &self.model.bindings[other.0 as usize].kind else {
            return None;
        };
        let same_root = sub.module.split('.').next() == import.module.split('.').next();
        (sub.kind == ImportKind::SubmoduleImport && same_root).then_some(other)
    }

    fn add_reference(
        &mut self,
        name: &str,
        range: TextRange,
        scope: ScopeId,
        flags: RefFlags,
    ) -> ReferenceId {
        let id = ReferenceId(self.model.references.len() as u32);
        let name = self.intern(name);
        // String annotations are evaluated against the module's globals (`typing.get_type_hints`),
        // so a module binding wins over a local one, as in ruff.
        let mut found = flags
            .has(RefFlags::STRING_ANNOTATION)
            .then(|| self.model.scopes[0].names.get(&name).copied())
            .flatten();
        let mut current = if found.is_some() { None } else { Some(scope) };
        while let Some(scope_id) = current {
            let s = &self.model.scopes[scope_id.0 as usize];
            // A class body's names are visible from that body only, and not to a deferred function
            // signature (ruff resolves those as from inside the function).
            let visible =
                s.kind != ScopeKind::Class || (scope_id == scope && !is_deferred_signature(flags));
            if visible {
                if let Some(binding) = s.names.get(&name).copied() {
                    // A bare `x: int` declares, it does not bind: look further out.
                    if self.model.bindings[binding.0 as usize].kind != BindingKind::Annotation {
                        found = Some(binding);
                        break;
                    }
                }
            }
            current = s.parent;
        }
        if let Some(binding) = found {
            self.model.bindings[binding.0 as usize].references.push(id);
            if let Some(submodule) = self.aliased_submodule(binding) {
                self.model.bindings[submodule.0 as usize]
                    .references
                    .push(id);
            }
        }
        self.model.references.push(Reference {
            name,
            range,
            scope,
            flags,
            binding: found,
        });
        id
    }
}

/// Builtins that blocking-call rules look for.
const BUILTIN_CALLEES: &[&str] = &["input", "open"];

/// `async def`.
fn is_async(function: Node<'_>) -> bool {
    function
        .child(0)
        .is_some_and(|first| first.kind_name() == "async")
}

/// A definition's annotations are read at run time only because of its own decorators (see
/// [`Task::Decorated`]), not because it sits in such a class's body.
/// The class a constructor call builds: the callee itself, or the class of an alternative
/// constructor (`redis.Redis.from_url(...)` builds a `redis.Redis`).
fn constructed_class(callee: String) -> String {
    match callee.strip_suffix(".from_url") {
        Some(class) => class.to_owned(),
        None => callee,
    }
}

/// A decorator that makes calling the function start it in a worker thread and return at once:
/// one called with `thread=True` (textual's `@work(thread=True)`).
fn is_thread_worker_decorator(text: &str) -> bool {
    text.contains("thread=True") || text.contains("thread = True")
}

fn undecorated(ctx: Ctx) -> Ctx {
    Ctx {
        runtime_annotations: false,
        ..ctx
    }
}

/// A signature annotation resolved after its scope is complete.
fn is_deferred_signature(flags: RefFlags) -> bool {
    flags.has(RefFlags::SIGNATURE)
        && flags.has(RefFlags::TYPING_ONLY_ANNOTATION | RefFlags::STRING_ANNOTATION)
}

/// The context of a function signature's annotations.
fn signature(ctx: Ctx) -> Ctx {
    Ctx {
        refs: ctx.refs.with(RefFlags::SIGNATURE),
        ..ctx
    }
}

/// Subscriptable names whose subscripts are types (typing, collections.abc and PEP 585 builtins).
/// Sorted, for binary search.
const TYPING_GENERICS: &[&str] = &[
    "AbstractSet",
    "Annotated",
    "AsyncContextManager",
    "AsyncGenerator",
    "AsyncIterable",
    "AsyncIterator",
    "Awaitable",
    "ByteString",
    "Callable",
    "ChainMap",
    "ClassVar",
    "Collection",
    "Concatenate",
    "Container",
    "ContextManager",
    "Coroutine",
    "Counter",
    "DefaultDict",
    "Deque",
    "Dict",
    "Final",
    "FrozenSet",
    "Generator",
    "Generic",
    "ItemsView",
    "Iterable",
    "Iterator",
    "KeysView",
    "List",
    "Literal",
    "Mapping",
    "MappingView",
    "MutableMapping",
    "MutableSequence",
    "MutableSet",
    "NotRequired",
    "Optional",
    "OrderedDict",
    "Protocol",
    "ReadOnly",
    "Required",
    "Reversible",
    "Sequence",
    "Set",
    "Tuple",
    "Type",
    "TypeGuard",
    "TypeIs",
    "Union",
    "Unpack",
    "ValuesView",
    "frozenset",
    "type",
];

#[cfg(test)]
pub(super) fn typing_generics() -> &'static [&'static str] {
    TYPING_GENERICS
}

/// `a . b` as written in an import, without the spaces.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\\')
        .collect()
}

/// The value of a string literal without prefixes other than `r`/`u`, escapes or interpolations.
fn plain_string_value(node: Node<'_>, source: &str) -> Option<String> {
    plain_string_literal_value(node_text(node, source))
}

fn plain_string_literal_value(text: &str) -> Option<String> {
    if text.starts_with(['f', 'F', 'b', 'B']) {
        return None;
    }
    let raw = text.starts_with(['r', 'R']);
    let body = text.trim_start_matches(['r', 'R', 'u', 'U']);
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(inner) = body.strip_prefix(quote).and_then(|b| b.strip_suffix(quote)) {
            return Some(if raw {
                inner.to_owned()
            } else {
                unescape(inner)
            });
        }
    }
    None
}

/// Undo the common backslash escapes of a string literal (enough for names and brackets).
fn unescape(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\n') => {}
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A string annotation's content, the byte offset where it starts, and whether offsets map exactly.
fn string_content(node: Node<'_>, source: &str) -> Option<(String, usize, bool)> {
    let text = node_text(node, source);
    let prefix_len = text.find(['"', '\'']).unwrap_or(0);
    let prefix = &text[..prefix_len];
    if prefix.chars().any(|c| matches!(c, 'f' | 'F' | 'b' | 'B')) {
        return None;
    }
    let value = plain_string_literal_value(text)?;
    let exact = !text.contains('\\');
    let quote_len =
        if text[prefix_len..].starts_with("\"\"\"") || text[prefix_len..].starts_with("'''") {
            3
        } else {
            1
        };
    Some((value, node.start_byte() + prefix_len + quote_len, exact))
}

/// An ASCII Python identifier (what a dotted name in a string annotation is made of).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
