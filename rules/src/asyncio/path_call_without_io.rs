use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds the path calls ruff's ASYNC240 reports inside `async def` that do no disk I/O.
    ///
    /// ## What it does
    /// Reports `os.path.abspath`, `os.path.expanduser`, `os.path.normpath`, `os.path.relpath`,
    /// `pathlib.Path.absolute` and `pathlib.Path.expanduser` called inside `async def`, resolved
    /// as TAU505 resolves its calls. It exists for parity with ruff: ASYNC240 reports these with
    /// the calls that touch the file system, and `# noqa: ASYNC240` silences this rule too.
    ///
    /// Not in the default selection: it runs only when selected by its full code (`--select
    /// TAU508`, `extend-select = ["TAU508"]`); no prefix (`TAU5`) nor `ALL` enables it.
    ///
    /// ## Why is this bad?
    /// It is not, as far as blocking goes: in CPython `normpath` is string work; `abspath`,
    /// `Path.absolute` and `relpath` add `os.getcwd()` for a relative path (one system call
    /// answered from the kernel's memory); `expanduser` reads `$HOME` (the password database only
    /// for `~user`, or without `$HOME`). Hand-judged on real async code, every such finding was a
    /// call that does not wait for a disk, which is why TAU505 does not report them. Select this
    /// rule to keep a code base that ruff's ASYNC240 gates clean for both tools.
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// async def where(name):
    ///     return os.path.abspath(name)
    /// ```
    ///
    /// ## Fix safety
    /// No fix: there is nothing to move to a thread. TAU510 never follows these calls and no
    /// chain ends in one.
    pub struct PathCallWithoutIo {
        code: "TAU508",
        name: "path-call-without-io",
        family: Async,
        fix: None,
        equivalents: [("ruff", "ASYNC240")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    blocking::check_with(
        meta,
        |name| blocking::in_table(blocking::PATH_RUFF_PARITY, name),
        |name| {
            let work = match name {
                "os.path.normpath" => "string work only",
                "os.path.expanduser" | "pathlib.Path.expanduser" => "it reads `$HOME`",
                _ => "string work and `os.getcwd()`",
            };
            format!(
                "`{name}()` does no disk I/O ({work}): reported inside `async def` for parity \
                 with ruff's ASYNC240, not a blocking call"
            )
        },
        blocking::Offer::None,
        blocking::Paths::All,
        ctx,
        out,
    );
}
