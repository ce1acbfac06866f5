//! The data of the semantic model and the questions rules ask of it.

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::text::TextRange;

/// Index of a scope in [`SemanticModel::scopes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(pub u32);

/// Index of a binding in [`SemanticModel::bindings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BindingId(pub u32);

/// An interned identifier: [`SemanticModel::name`] gives its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameId(pub u32);

/// Index of a reference in [`SemanticModel::references`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReferenceId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
    /// PEP 695 type parameters (`def f[T]()`, `class C[T]`, `type X[T] = ...`).
    Annotation,
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    /// The node that opens the scope (the whole module for the module scope).
    pub range: TextRange,
    /// The current (at the end: final) binding of each name.
    pub(crate) names: FxHashMap<NameId, BindingId>,
    /// Every binding made in this scope, in order.
    pub bindings: Vec<BindingId>,
    /// True when a `from x import *` binds unknown names here.
    pub has_star_import: bool,
}

impl Scope {
    /// The last binding of every name, in the order they were first bound.
    pub fn final_bindings(&self) -> impl Iterator<Item = BindingId> + '_ {
        let mut ids: Vec<BindingId> = self.names.values().copied().collect();
        ids.sort();
        ids.into_iter()
    }
}

/// How an import statement spells a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// `import a` or `import a.b as c`.
    Import,
    /// `import a.b`: binds `a`, imports `a.b`.
    SubmoduleImport,
    /// `from m import x` (or `as y`).
    FromImport,
    /// `from __future__ import x`.
    Future,
}

/// What an import binding imports, and where its text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub kind: ImportKind,
    /// The module as written: `a.b`, `.m`, `..`.
    pub module: String,
    /// The imported member of a `from` import.
    pub member: Option<String>,
    /// The `as` name, when there is one.
    pub alias: Option<String>,
    /// The whole import statement.
    pub statement: TextRange,
    /// This name's clause in the statement (`a.b as c`, `x`).
    pub clause: TextRange,
}

impl Import {
    /// The qualified name as ruff and pyflakes print it: `a.b`, `.m.x`, `..x`, `os.path.join`.
    pub fn qualified_name(&self) -> String {
        match &self.member {
            None => self.module.clone(),
            Some(member) if self.module.ends_with('.') => format!("{}{member}", self.module),
            Some(member) => format!("{}.{member}", self.module),
        }
    }

    /// True for `import x as x` and `from m import x as x`: an explicit re-export.
    pub fn is_redundant_alias(&self) -> bool {
        let Some(alias) = &self.alias else {
            return false;
        };
        match &self.member {
            Some(member) => member == alias,
            None => &self.module == alias,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindingKind {
    /// Boxed: imports are few, and this keeps every binding (and the builder's tasks) small.
    Import(Box<Import>),
    Assignment,
    /// `x: int` without a value.
    Annotation,
    AugmentedAssignment,
    NamedExpr,
    FunctionDef,
    ClassDef,
    Parameter,
    LoopVar,
    WithItem,
    ExceptHandler,
    MatchCapture,
    TypeParam,
    Global,
    Nonlocal,
    /// `del x`.
    Deletion,
}

/// Facts about where a binding was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BindingFlags(pub u8);

impl BindingFlags {
    /// Made inside an `if TYPE_CHECKING:` block.
    pub const TYPE_CHECKING: u8 = 1;
    /// Made in a `try` body whose handlers catch `ImportError` or `ModuleNotFoundError`.
    pub const GUARDED_IMPORT: u8 = 1 << 1;
    /// The name is declared `global` or `nonlocal` in its scope.
    pub const GLOBAL: u8 = 1 << 2;
    /// The name is listed in the module's `__all__`.
    pub const EXPORTED: u8 = 1 << 3;

    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub name: String,
    pub kind: BindingKind,
    /// The bound name (for imports: the alias, or the dotted name).
    pub range: TextRange,
    pub scope: ScopeId,
    /// References that read this binding, or a binding it shadowed.
    pub references: Vec<ReferenceId>,
    pub flags: BindingFlags,
}

impl Binding {
    pub fn is_used(&self) -> bool {
        !self.references.is_empty()
    }

    pub fn as_import(&self) -> Option<&Import> {
        match &self.kind {
            BindingKind::Import(import) => Some(import.as_ref()),
            _ => None,
        }
    }
}

/// The context of a reference, as bit flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RefFlags(pub u16);

impl RefFlags {
    /// Inside an annotation that Python evaluates when the code runs.
    pub const RUNTIME_ANNOTATION: u16 = 1;
    /// Inside an annotation Python never evaluates (future import, local variable annotation).
    pub const TYPING_ONLY_ANNOTATION: u16 = 1 << 1;
    /// Inside a string annotation (its text parsed as an expression).
    pub const STRING_ANNOTATION: u16 = 1 << 2;
    /// Inside an `if TYPE_CHECKING:` block.
    pub const TYPE_CHECKING: u16 = 1 << 3;
    /// A name listed in `__all__`.
    pub const DUNDER_ALL: u16 = 1 << 4;
    /// A `del` target.
    pub const DELETION: u16 = 1 << 5;
    /// In a parameter or return annotation.
    pub const SIGNATURE: u16 = 1 << 6;
    /// In an annotation a library reads at run time (a pydantic field, a FastAPI route's signature):
    /// quoting it would not help.
    pub const LIBRARY_ANNOTATION: u16 = 1 << 7;

    pub fn has(self, flag: u16) -> bool {
        self.0 & flag != 0
    }

    pub fn with(self, flag: u16) -> Self {
        RefFlags(self.0 | flag)
    }

    /// True when the reference is read when the code runs (not only by type checkers). A quoted
    /// name in an annotation a library reads is: the library resolves it from the module's
    /// globals (pydantic's `"Meta"`, `model_rebuild()`).
    pub fn is_runtime(self) -> bool {
        if self.has(Self::TYPE_CHECKING) {
            return false;
        }
        if self.has(Self::LIBRARY_ANNOTATION) {
            return true;
        }
        !self.has(Self::TYPING_ONLY_ANNOTATION | Self::STRING_ANNOTATION)
    }
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub name: NameId,
    pub range: TextRange,
    pub scope: ScopeId,
    pub flags: RefFlags,
    /// The binding it resolved to, if any.
    pub binding: Option<BindingId>,
}

/// What the model needs to know of the project's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelOptions {
    /// Qualified names of base classes whose subclasses' class-level annotations are read at run
    /// time (pydantic models, SQLAlchemy declarative classes...).
    pub runtime_base_classes: Vec<String>,
    /// Qualified names of decorators that read the annotations of what they decorate.
    pub runtime_decorators: Vec<String>,
    /// Annotations are never evaluated eagerly (Python 3.14+, PEP 649), as under the future import.
    pub deferred_annotations: bool,
    /// The module's dotted name, to resolve relative imports to absolute names.
    pub module_name: Option<String>,
    pub is_package_init: bool,
    /// Record the calls of every function body, not only in modules with an `async def` (a
    /// project-wide search for blocking helpers needs the calls of modules without one).
    pub record_all_calls: bool,
}

/// A call made directly in the body of an `async def`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsyncCall {
    /// The qualified name of what is called, when it resolves (`time.sleep`, `builtins.open`).
    pub callee: Option<String>,
    /// The whole call expression.
    pub range: TextRange,
}

/// A function definition (any scope), for following calls from `async def` into sync helpers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionFact {
    pub name: String,
    pub is_async: bool,
    /// The function's own scope.
    pub scope: ScopeId,
    /// Defined inside an `if TYPE_CHECKING:` block.
    pub in_type_checking: bool,
    /// The scope it is defined in (a class scope for a method).
    pub parent: ScopeId,
    pub parent_is_class: bool,
    /// Its dotted name within the module (`f`, `C.m`): for module-level functions and methods of
    /// module-level classes, which other modules can call.
    pub path: Option<String>,
    /// Its own body (not a nested `def` or `lambda`) has a `yield`: calling it runs nothing until
    /// the generator is iterated.
    pub is_generator: bool,
    /// A decorator runs it in a worker thread (`@work(thread=True)`): calling it does not block.
    pub runs_in_thread: bool,
}

/// What a call inside a function calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callee {
    /// A function of this module, by the scope that defines it and its name.
    Local { scope: ScopeId, name: String },
    /// `self.name(...)` or `cls.name(...)`.
    Method(String),
    /// Anything else that resolves: `time.sleep`, `builtins.open`.
    Qualified(String),
}

/// A call made in a function body (recorded only in modules that have an `async def`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFact {
    /// Index into [`SemanticModel::functions`].
    pub caller: u32,
    pub callee: Callee,
    pub range: TextRange,
}

/// A module-level class: what a project-wide pass needs to follow base classes across modules.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClassFact {
    pub name: String,
    /// Absolute qualified names of the bases that resolve through imports or this module.
    pub bases: Vec<String>,
    /// Its annotations are read at run time (as far as this module alone tells).
    pub runtime: bool,
}

/// Base classes whose subclasses have their annotations read at run time, known by default.
pub const DEFAULT_RUNTIME_BASE_CLASSES: &[&str] = &[
    "msgspec.Struct",
    "pydantic.BaseModel",
    "pydantic.RootModel",
    "pydantic.main.BaseModel",
    "pydantic.v1.BaseModel",
    "pydantic_settings.BaseSettings",
    "sqlalchemy.orm.DeclarativeBase",
    "sqlalchemy.orm.DeclarativeBaseNoMeta",
    "sqlalchemy.orm.MappedAsDataclass",
    "sqlmodel.SQLModel",
];

/// Decorators that read the annotations of what they decorate, known by default. Besides these:
/// `@x.register` without arguments (functools' single dispatch), FastAPI route decorators in a
/// module that imports fastapi, typer's `@app.command()` in a module that imports typer, and attrs'
/// class decorators in a module that imports cattrs (attrs alone never evaluates annotations).
pub const DEFAULT_RUNTIME_DECORATORS: &[&str] = &[
    "functools.singledispatch",
    "pydantic.dataclasses.dataclass",
    "pydantic.validate_arguments",
    "pydantic.validate_call",
];

impl ModelOptions {
    /// The defaults plus the configured additions and the run-time base classes the project
    /// knows of; deferred annotations from Python 3.14 on.
    pub fn new(settings: &crate::settings::LintSettings, facts: &crate::facts::FileFacts) -> Self {
        let typing = &settings.typing;
        let mut runtime_base_classes: Vec<String> = DEFAULT_RUNTIME_BASE_CLASSES
            .iter()
            .map(|s| (*s).to_owned())
            .chain(typing.runtime_evaluated_base_classes.iter().cloned())
            .chain(facts.project.runtime_bases.iter().cloned())
            .collect();
        runtime_base_classes.sort();
        runtime_base_classes.dedup();
        ModelOptions {
            runtime_base_classes,
            runtime_decorators: DEFAULT_RUNTIME_DECORATORS
                .iter()
                .map(|s| (*s).to_owned())
                .chain(typing.runtime_evaluated_decorators.iter().cloned())
                .collect(),
            deferred_annotations: settings
                .target_version
                .is_some_and(|v| (v.major, v.minor) >= (3, 14)),
            module_name: facts.module.name.clone(),
            is_package_init: facts.module.is_package_init,
            record_all_calls: facts.project.has_async,
        }
    }
}

/// Everything known about the names of one module.
#[derive(Debug, Default)]
pub struct SemanticModel {
    pub scopes: Vec<Scope>,
    pub bindings: Vec<Binding>,
    pub references: Vec<Reference>,
    /// `from __future__ import annotations` is in effect.
    pub future_annotations: bool,
    /// Every `if TYPE_CHECKING:` statement (whole `if` statement ranges), in source order.
    pub type_checking_blocks: Vec<TextRange>,
    /// Classes whose class-level annotations something reads at run time (ranges of their names).
    pub runtime_evaluated_classes: Vec<TextRange>,
    /// The module-level classes, with their bases.
    pub classes: Vec<ClassFact>,
    /// Calls made directly in `async def` bodies, in source order of discovery.
    pub async_calls: Vec<AsyncCall>,
    /// Every function definition.
    pub functions: Vec<FunctionFact>,
    /// Calls in function bodies (only in modules with an `async def`).
    pub calls: Vec<CallFact>,
    /// Names listed in `__all__`, with where they are spelled.
    pub dunder_all: Vec<(String, TextRange)>,
    /// The modules of `from m import *` statements, as written (module level only: Python allows
    /// them nowhere else).
    pub star_imports: Vec<String>,
    pub(crate) comments: Vec<TextRange>,
    pub(crate) is_stub: bool,
    /// Calls in function bodies are recorded (see [`ModelOptions::record_all_calls`]).
    pub(crate) record_calls: bool,
    pub(crate) name_texts: Vec<Box<str>>,
    pub(crate) name_ids: FxHashMap<Box<str>, NameId>,
}

impl SemanticModel {
    /// Analyse a parsed module with the default options.
    pub fn build(tree: &tree_sitter::Tree, source: &str, path: &Path) -> Self {
        super::builder::build(tree, source, path, &ModelOptions::default())
    }

    /// Analyse a parsed module.
    pub fn build_with(
        tree: &tree_sitter::Tree,
        source: &str,
        path: &Path,
        options: &ModelOptions,
    ) -> Self {
        super::builder::build(tree, source, path, options)
    }

    pub const MODULE: ScopeId = ScopeId(0);

    /// The text of an interned name.
    pub fn name(&self, id: NameId) -> &str {
        &self.name_texts[id.0 as usize]
    }

    /// The last binding of `name` in `scope` (that scope only).
    pub fn lookup(&self, scope: ScopeId, name: &str) -> Option<BindingId> {
        let id = self.name_ids.get(name)?;
        self.scope(scope).names.get(id).copied()
    }

    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id.0 as usize]
    }

    pub fn binding(&self, id: BindingId) -> &Binding {
        &self.bindings[id.0 as usize]
    }

    pub fn reference(&self, id: ReferenceId) -> &Reference {
        &self.references[id.0 as usize]
    }

    /// Byte ranges of the comments that may carry directives (`noqa`), in source order.
    pub fn comments(&self) -> &[TextRange] {
        &self.comments
    }

    /// True for a `.pyi` stub.
    pub fn is_stub(&self) -> bool {
        self.is_stub
    }

    /// The class bindings whose annotations are read at run time (their subclasses' are too).
    pub(crate) fn runtime_class_bindings(&self) -> rustc_hash::FxHashSet<BindingId> {
        let names: rustc_hash::FxHashSet<TextRange> =
            self.runtime_evaluated_classes.iter().copied().collect();
        (0..self.bindings.len() as u32)
            .map(BindingId)
            .filter(|&id| {
                let b = self.binding(id);
                b.kind == BindingKind::ClassDef && names.contains(&b.range)
            })
            .collect()
    }

    /// Every scope with its id.
    pub fn scope_ids(&self) -> impl Iterator<Item = ScopeId> {
        (0..self.scopes.len() as u32).map(ScopeId)
    }
}
