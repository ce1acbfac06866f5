//! `tauten split`: plan the split of an oversized module, show it, and write it all or nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use tauten_engine::semantic::{ModelOptions, SemanticModel};
use tauten_engine::split::{self, Plan, SplitOptions};
use tauten_engine::{parse, project, source};
use tauten_workspace::config::Resolver;

use crate::args::{ListFormat, SplitArgs};
use crate::error::CliError;
use crate::EXIT_CLEAN;
use tauten_workspace::changes::Changes;

pub fn run(args: &SplitArgs) -> Result<u8, CliError> {
    let path = &args.path;
    let bytes = std::fs::read(path).map_err(|e| CliError::Path(path.clone(), e.to_string()))?;
    let (text, encoding) =
        source::decode(&bytes).map_err(|e| CliError::Path(path.clone(), e.to_string()))?;
    if parse::parse(&text, None).has_errors() {
        return Err(CliError::Path(
            path.clone(),
            "has syntax errors; not split".into(),
        ));
    }
    // As a package, the code moves one level deeper: so do its relative imports, and what stays
    // becomes the package's `__init__`.
    let as_package = args.package && (args.write || args.diff);
    let text = if as_package {
        split::package::deepen_relative_imports(&text)
    } else {
        text
    };
    let parsed = parse::parse(&text, None);
    let resolver = Resolver::new(args.config.as_deref())?;
    let config = resolver.config_for(path)?;
    let settings = config.lint.clone();
    let module_name = tauten_workspace::modules::module_name(path);
    let facts = project::FileFacts {
        module: project::ModuleInfo {
            name: module_name.clone(),
            is_package_init: as_package,
        },
        project: Default::default(),
    };
    let model = SemanticModel::build_with(
        &parsed.tree,
        &text,
        path,
        &ModelOptions::new(&settings, &facts),
    );
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .ok_or_else(|| CliError::Path(path.clone(), "not a module file".into()))?;
    if stem == "__init__" {
        return Err(CliError::Path(
            path.clone(),
            "splitting a package's __init__.py is not supported".into(),
        ));
    }
    if stem == "__main__" && args.package {
        return Err(CliError::Path(
            path.clone(),
            "--package would turn __main__.py into a directory, which `python -m` cannot run"
                .into(),
        ));
    }
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let existing: BTreeSet<String> = std::fs::read_dir(&directory)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.strip_suffix(".py")
                        .or(name.strip_suffix(".pyi"))
                        .unwrap_or(&name)
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default();
    let options = SplitOptions {
        max_lines: args.max_lines.unwrap_or(settings.module_size.max_lines),
        into: args.into,
        existing,
        keep: args.keep.clone(),
    };
    let mut graph = split::build_graph(&text, &parsed.tree, &model);
    // Strings in the project that patch one of the module's names (`mock.patch("pkg.mod.x")`):
    // what reads that name stays together, so that one target still reaches it all.
    let dotted = module_name.clone().unwrap_or_else(|| stem.clone());
    let root = project_root(&directory);
    // As `tauten check` finds them: ignore files and excludes respected, symbolic links not
    // followed (a link out of the project must not be written through).
    let project_files =
        tauten_workspace::discovery::discover(std::slice::from_ref(&root), &resolver).files;
    let names: Vec<String> = graph.binders.keys().cloned().collect();
    let patches = project_patches(&project_files, path, &dotted, &names);
    let patched: BTreeSet<String> = (patches.iter())
        .map(|(_, _, target)| target[dotted.len() + 1..].to_owned())
        .collect();
    graph.keep_readers_together(&patched.into_iter().collect::<Vec<_>>());
    let (mut plan, mut assignment) = split::plan(&graph, &text, &stem, &options);
    if let Some(plan_file) = &args.plan_file {
        let json = std::fs::read_to_string(plan_file)
            .map_err(|e| CliError::Path(plan_file.clone(), e.to_string()))?;
        let mut edited: Plan = serde_json::from_str(&json)
            .map_err(|e| CliError::Path(plan_file.clone(), format!("not a plan: {e}")))?;
        edited.module = stem.clone();
        assignment = split::assignment_from_plan(&graph, &edited)
            .map_err(|e| CliError::Path(plan_file.clone(), e))?;
        for (p, part) in edited.parts.iter_mut().enumerate() {
            part.lines = graph
                .units
                .iter()
                .zip(&assignment)
                .filter(|(_, a)| **a == Some(p))
                .map(|(u, _)| u.lines)
                .sum();
        }
        edited.total_lines = plan.total_lines;
        edited.max_lines = plan.max_lines;
        edited.rest_lines = plan.total_lines - edited.parts.iter().map(|p| p.lines).sum::<usize>();
        edited.cross_references = split::plan::cross_references(&graph, &assignment);
        edited.dominant_class = plan.dominant_class.clone();
        plan = edited;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io = |e: std::io::Error| CliError::Io(e.to_string());
    if !args.write && !args.diff {
        match args.output_format {
            ListFormat::Text => out.write_all(plan.to_text().as_bytes()).map_err(io)?,
            ListFormat::Json => {
                let json =
                    serde_json::to_string_pretty(&plan).map_err(|e| CliError::Io(e.to_string()))?;
                writeln!(out, "{json}").map_err(io)?;
            }
        }
        return Ok(EXIT_CLEAN);
    }
    if plan.parts.is_empty() {
        writeln!(out, "{}", plan.to_text().trim_end()).map_err(io)?;
        return Ok(EXIT_CLEAN);
    }
    let in_package = module_name.as_deref().is_some_and(|m| m.contains('.'));
    let layout = if as_package {
        split::Layout::Package
    } else {
        split::Layout::Siblings { in_package }
    };
    let applied = split::apply(
        &text,
        &parsed.tree,
        &graph,
        &model,
        &plan,
        &assignment,
        layout,
    )
    .map_err(|e| CliError::Path(path.clone(), e))?;
    let cwd = std::env::current_dir().ok();
    let display = |p: &Path| {
        cwd.as_deref()
            .and_then(|c| p.strip_prefix(c).ok())
            .unwrap_or(p)
            .display()
            .to_string()
    };
    // Where the outputs go: `pkg/<part>.py` and `pkg/mod.py`, or `pkg/mod/<part>.py` and
    // `pkg/mod/__init__.py`.
    let package_dir = directory.join(&stem);
    let parts_dir = if as_package {
        if package_dir.exists() {
            return Err(CliError::Path(
                package_dir,
                "already exists; refusing to turn the module into a package there".into(),
            ));
        }
        package_dir.clone()
    } else {
        directory.clone()
    };
    let original_target = if as_package {
        package_dir.join("__init__.py")
    } else {
        path.clone()
    };
    let targets: Vec<(PathBuf, String)> = applied
        .files
        .iter()
        .map(|(name, text)| (parts_dir.join(format!("{name}.py")), text.clone()))
        .collect();
    for (target, _) in &targets {
        if target.exists() {
            return Err(CliError::Path(
                target.clone(),
                "already exists; refusing to overwrite it (rename the part in a --plan-file)"
                    .into(),
            ));
        }
    }
    let mut warnings = Vec::new();
    if as_package {
        for line in split::package::file_path_reads(&text) {
            warnings.push(format!(
                "warning: {}:{line}: reads `__file__`, which is one directory deeper in the package",
                display(path)
            ));
        }
        for line in split::package::main_guard_lines(&text) {
            warnings.push(format!(
                "warning: {}:{line}: `python -m` no longer runs this block (it runs the package's __main__.py)",
                display(path)
            ));
        }
    }
    // A patch of `module.name` reaches the code that reads `name` only where that code is:
    // with --update-importers a patch string follows it there, otherwise a warning says where.
    let homes = new_homes(&applied, &dotted, as_package);
    let patch_homes: Vec<(&PathBuf, usize, &str, Option<&String>)> = (patches.iter())
        .filter_map(|(file, line, target)| {
            let name = &target[dotted.len() + 1..];
            let part = match split::plan::readers_home(&graph, &assignment, name) {
                Some(None) => return None,
                Some(Some(part)) => Some(part),
                // Read by nothing in the module, the name is patched where it always was.
                None if graph.readers_of(name).is_empty() => return None,
                None => None,
            };
            let home = part
                .and_then(|p| plan.parts.get(p)?.statements.first())
                .and_then(|moved| homes.get(moved));
            Some((file, *line, target.as_str(), home))
        })
        .collect();
    let retarget: BTreeMap<String, String> = (patch_homes.iter())
        .filter_map(|(_, _, target, home)| {
            Some((target[dotted.len() + 1..].to_owned(), (*home)?.clone()))
        })
        .collect();
    let importers = if args.update_importers {
        rewrite_importers(&project_files, path, &dotted, &homes, &retarget)?
    } else {
        Vec::new()
    };
    for (file, line, target, home) in patch_homes {
        let name = &target[dotted.len() + 1..];
        let rewritten = (importers.iter())
            .find(|i| i.path == *file)
            .and_then(|i| i.new.lines().nth(line - 1))
            .is_some_and(|text| home.is_some_and(|home| text.contains(&format!("{home}.{name}"))));
        if rewritten {
            continue;
        }
        warnings.push(match home {
            Some(home) => format!(
                "warning: {}:{line}: `{target}` patches the old location; the code that reads it is in {home}: patch `{home}.{name}`",
                display(file)
            ),
            None => format!(
                "warning: {}:{line}: `{target}` patches the old location; the code that reads it moved",
                display(file)
            ),
        });
    }
    if args.diff {
        for (target, new_text) in targets.iter().chain(
            as_package
                .then(|| (original_target.clone(), applied.original.clone()))
                .iter(),
        ) {
            let name = display(target);
            let diff = similar::TextDiff::from_lines("", new_text.as_str())
                .unified_diff()
                .context_radius(3)
                .header("/dev/null", &format!("b/{name}"))
                .to_string();
            out.write_all(diff.as_bytes()).map_err(io)?;
        }
        let original_diff = if as_package {
            let bytes =
                std::fs::read(path).map_err(|e| CliError::Path(path.clone(), e.to_string()))?;
            let old = source::decode(&bytes).map(|(t, _)| t).unwrap_or_default();
            similar::TextDiff::from_lines(old.as_str(), "")
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{}", display(path)), "/dev/null")
                .to_string()
        } else {
            crate::diff::unified(&display(path), &text, &applied.original)
        };
        out.write_all(original_diff.as_bytes()).map_err(io)?;
        for importer in &importers {
            let diff = crate::diff::unified(&display(&importer.path), &importer.old, &importer.new);
            out.write_all(diff.as_bytes()).map_err(io)?;
        }
    }
    if args.write {
        let absolute_root = std::path::absolute(&root).unwrap_or(root.clone());
        for target in targets
            .iter()
            .map(|(p, _)| p)
            .chain([&original_target])
            .chain(importers.iter().map(|i| &i.path))
        {
            let absolute = std::path::absolute(target).unwrap_or(target.clone());
            if !absolute.starts_with(&absolute_root) {
                return Err(CliError::Path(
                    target.clone(),
                    "is outside the project; refusing to write it".into(),
                ));
            }
        }
        let mut changes = Changes::default();
        if as_package {
            changes.directories.push(package_dir.clone());
            changes.removals.push(path.clone());
        }
        changes.writes = targets
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
            .collect();
        changes.writes.extend(
            importers
                .iter()
                .map(|i| (i.path.clone(), source::encode(&i.new, i.encoding))),
        );
        changes.writes.push((
            original_target.clone(),
            source::encode(&applied.original, encoding),
        ));
        changes.apply().map_err(|e| CliError::Io(e.to_string()))?;
        for (target, new_text) in &targets {
            let lines = split::line_count(new_text);
            let note = if lines > options.max_lines {
                " (over the limit)"
            } else {
                ""
            };
            writeln!(out, "wrote {} ({lines} lines){note}", display(target)).map_err(io)?;
        }
        if as_package {
            writeln!(
                out,
                "wrote {} ({} lines, re-exports {} moved names); removed {}",
                display(&original_target),
                split::line_count(&applied.original),
                applied.moved.len(),
                display(path)
            )
            .map_err(io)?;
        } else {
            writeln!(
                out,
                "rewrote {} ({} lines, re-exports {} moved names)",
                display(path),
                split::line_count(&applied.original),
                applied.moved.len()
            )
            .map_err(io)?;
        }
        for importer in &importers {
            let what = match (importer.statements, importer.patches) {
                (statements, 0) => format!(
                    "imports in {} ({})",
                    display(&importer.path),
                    counted(statements, "statement")
                ),
                (0, patches) => format!("patch targets in {} ({patches})", display(&importer.path)),
                (statements, patches) => format!(
                    "imports in {} ({}, {})",
                    display(&importer.path),
                    counted(statements, "statement"),
                    counted(patches, "patch target")
                ),
            };
            writeln!(out, "updated {what}").map_err(io)?;
        }
        if args.update_importers {
            let statements: usize = importers.iter().map(|i| i.statements).sum();
            let patches: usize = importers.iter().map(|i| i.patches).sum();
            let patches = match patches {
                0 => String::new(),
                n => format!(" and {}", counted(n, "patch target")),
            };
            writeln!(
                out,
                "updated {}{patches} in {}",
                counted(statements, "import statement"),
                counted(importers.len(), "file")
            )
            .map_err(io)?;
        }
    }
    for warning in warnings {
        eprintln!("{warning}");
    }
    Ok(EXIT_CLEAN)
}

/// Each moved name's new dotted module: a sibling of `old`, or below it when it became a package.
fn new_homes(applied: &split::Applied, old: &str, as_package: bool) -> BTreeMap<String, String> {
    let base = if as_package {
        Some(old)
    } else {
        old.rsplit_once('.').map(|(package, _)| package)
    };
    applied
        .homes
        .iter()
        .map(|(name, stem)| {
            let home = match base {
                Some(base) => format!("{base}.{stem}"),
                None => stem.clone(),
            };
            (name.clone(), home)
        })
        .collect()
}

/// The patches of `module`'s `names` in the project's `files` but `module_path` itself: file,
/// line, dotted target (see [`split::patch_targets`]).
fn project_patches(
    files: &[PathBuf],
    module_path: &Path,
    module: &str,
    names: &[String],
) -> Vec<(PathBuf, usize, String)> {
    let mut patches = Vec::new();
    for file in files.iter().filter(|f| f.as_path() != module_path) {
        if let Ok(content) = std::fs::read_to_string(file) {
            for (line, target) in split::patch_targets(&content, module, names) {
                patches.push((file.clone(), line, target));
            }
        }
    }
    patches
}

/// `n thing` or `n things`.
fn counted(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", crate::render::plural(n))
}

/// A project file whose imports of moved names change.
struct Importer {
    path: PathBuf,
    old: String,
    new: String,
    encoding: source::Encoding,
    statements: usize,
    /// Patch strings that now name the module the code they patch is in.
    patches: usize,
}

/// The project's files (but the split module) that import moved names from `old`, rewritten to
/// import them from their new homes. An error when a rewrite would not parse.
fn rewrite_importers(
    files: &[PathBuf],
    split_module: &Path,
    old: &str,
    homes: &BTreeMap<String, String>,
    retarget: &BTreeMap<String, String>,
) -> Result<Vec<Importer>, CliError> {
    let split_module = std::path::absolute(split_module).unwrap_or(split_module.to_path_buf());
    // A module outside any package is importable by its bare name only from its own directory
    // (as a script's sibling): elsewhere the same name may be another file.
    let top_level_dir = (!old.contains('.'))
        .then(|| split_module.parent())
        .flatten();
    let mut out = Vec::new();
    for file in files {
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.clone());
        if absolute == split_module {
            continue;
        }
        if top_level_dir.is_some_and(|dir| absolute.parent() != Some(dir)) {
            continue;
        }
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let Ok((text, encoding)) = source::decode(&bytes) else {
            continue;
        };
        if !text.contains("import") {
            continue;
        }
        let module = tauten_workspace::modules::module_name(file);
        let is_init = file.file_stem().is_some_and(|s| s == "__init__");
        let rewritten = split::rewrite_importers(&text, module.as_deref(), is_init, old, homes)
            .map_err(|e| CliError::Path(file.clone(), format!("{e}; nothing written")))?;
        let (statements, imported) = rewritten.map_or((0, None), |r| (r.statements, Some(r.text)));
        let (new, patches) =
            split::retarget_patch_strings(imported.as_deref().unwrap_or(&text), old, retarget);
        if statements + patches > 0 {
            out.push(Importer {
                path: file.clone(),
                old: text,
                new,
                encoding,
                statements,
                patches,
            });
        }
    }
    Ok(out)
}

/// The nearest ancestor with pyproject.toml, setup.py, setup.cfg or .git; else the directory.
fn project_root(directory: &Path) -> PathBuf {
    let absolute = std::path::absolute(directory).unwrap_or(directory.to_path_buf());
    for dir in absolute.ancestors() {
        if ["pyproject.toml", "setup.py", "setup.cfg", ".git"]
            .iter()
            .any(|m| dir.join(m).exists())
        {
            return dir.to_path_buf();
        }
    }
    absolute
}
