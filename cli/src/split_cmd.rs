//! `tauten split`: plan the split of an oversized module, show it, and write it all or nothing.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use tauten_engine::config::Resolver;
use tauten_engine::semantic::{ModelOptions, SemanticModel};
use tauten_engine::split::{self, Plan, SplitOptions};
use tauten_engine::{parse, project, source};

use crate::args::{ListFormat, SplitArgs};
use crate::error::CliError;
use crate::EXIT_CLEAN;

pub fn run(args: &SplitArgs) -> Result<u8, CliError> {
    if args.update_importers {
        return Err(CliError::Io(
            "--update-importers is not implemented yet: the original module re-exports every moved name, so importers keep working without it".into(),
        ));
    }
    let path = &args.path;
    let bytes = std::fs::read(path).map_err(|e| CliError::Path(path.clone(), e.to_string()))?;
    let (text, encoding) =
        source::decode(&bytes).map_err(|e| CliError::Path(path.clone(), e.to_string()))?;
    let parsed = parse::parse(&text, None);
    if parsed.has_errors() {
        return Err(CliError::Path(
            path.clone(),
            "has syntax errors; not split".into(),
        ));
    }
    let resolver = Resolver::new(args.config.as_deref())?;
    let config = resolver.config_for(path)?;
    let mut settings = config.lint.clone();
    let module_name = project::module_name(path);
    settings.module_name = module_name.clone();
    let model = SemanticModel::build_with(
        &parsed.tree,
        &text,
        path,
        &ModelOptions::from_settings(&settings),
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
    };
    let graph = split::build_graph(&text, &parsed.tree, &model);
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
    let applied = split::apply(
        &text,
        &parsed.tree,
        &graph,
        &model,
        &plan,
        &assignment,
        split::Layout::Siblings { in_package },
    )
    .map_err(|e| CliError::Path(path.clone(), e))?;
    let display = |p: &Path| p.display().to_string();
    let targets: Vec<(PathBuf, String)> = applied
        .files
        .iter()
        .map(|(name, text)| (directory.join(format!("{name}.py")), text.clone()))
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
    // Strings that patch the old location of a moved name.
    let dotted = module_name.clone().unwrap_or_else(|| stem.clone());
    let root = project_root(&directory);
    let mut warnings = Vec::new();
    for file in python_files(&root) {
        if let Ok(content) = std::fs::read_to_string(&file) {
            for (line, target) in split::patch_targets(&content, &dotted, &applied.moved) {
                warnings.push(format!(
                    "warning: {}:{line}: `{target}` patches the old location; the code that reads it moved",
                    display(&file)
                ));
            }
        }
    }
    if args.diff {
        for (target, new_text) in &targets {
            let name = display(target);
            let diff = similar::TextDiff::from_lines("", new_text.as_str())
                .unified_diff()
                .context_radius(3)
                .header("/dev/null", &format!("b/{name}"))
                .to_string();
            out.write_all(diff.as_bytes()).map_err(io)?;
        }
        let diff = crate::diff::unified(&display(path), &text, &applied.original);
        out.write_all(diff.as_bytes()).map_err(io)?;
    }
    if args.write {
        let absolute_root = std::path::absolute(&root).unwrap_or(root.clone());
        for (target, _) in &targets {
            let absolute = std::path::absolute(target).unwrap_or(target.clone());
            if !absolute.starts_with(&absolute_root) {
                return Err(CliError::Path(
                    target.clone(),
                    "is outside the project; refusing to write it".into(),
                ));
            }
        }
        let mut writes: Vec<(PathBuf, Vec<u8>)> = targets
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
            .collect();
        writes.push((path.clone(), source::encode(&applied.original, encoding)));
        write_all_or_nothing(&writes).map_err(|e| CliError::Io(format!("nothing written: {e}")))?;
        for (target, new_text) in &targets {
            let lines = split::line_count(new_text);
            let note = if lines > options.max_lines {
                " (over the limit)"
            } else {
                ""
            };
            writeln!(out, "wrote {} ({lines} lines){note}", display(target)).map_err(io)?;
        }
        writeln!(
            out,
            "rewrote {} ({} lines, re-exports {} moved names)",
            display(path),
            split::line_count(&applied.original),
            applied.moved.len()
        )
        .map_err(io)?;
    }
    for warning in warnings {
        eprintln!("{warning}");
    }
    Ok(EXIT_CLEAN)
}

/// Write every file under a temporary name first, then rename them all; on any error remove what
/// was written (new files) and leave the original untouched.
fn write_all_or_nothing(writes: &[(PathBuf, Vec<u8>)]) -> std::io::Result<()> {
    let mut temps: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for (path, bytes) in writes {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tmp = dir.join(format!(".{name}.tauten-split-{}.tmp", std::process::id()));
            let mut file = std::fs::File::create(&tmp)?;
            temps.push(tmp.clone());
            file.write_all(bytes)?;
            file.sync_all()?;
            if let Ok(meta) = std::fs::metadata(path) {
                std::fs::set_permissions(&tmp, meta.permissions())?;
            }
        }
        Ok(())
    })();
    if let Err(err) = result {
        for tmp in &temps {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(err);
    }
    let mut renamed: Vec<&PathBuf> = Vec::new();
    for ((path, _), tmp) in writes.iter().zip(&temps) {
        if let Err(err) = std::fs::rename(tmp, path) {
            // Undo: remove the new files already in place (the original is renamed last).
            for done in renamed {
                let _ = std::fs::remove_file(done);
            }
            for tmp in &temps {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(err);
        }
        renamed.push(path);
    }
    Ok(())
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

/// Python files under `root`, skipping hidden directories and virtual environments.
fn python_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.')
                    && ![
                        "venv",
                        "node_modules",
                        "__pycache__",
                        "site-packages",
                        "build",
                        "dist",
                    ]
                    .contains(&name.as_str())
                {
                    stack.push(path);
                }
            } else if name.ends_with(".py") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
