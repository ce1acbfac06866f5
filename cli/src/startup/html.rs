//! `--html FILE`: a self-contained page (no network) with the command's import tree before and
//! after the kept fixes as icicle charts, the medians and the fixes.

use std::fmt::Write as _;
use std::path::Path;

use super::report::{shown, Report};
use crate::error::CliError;
use crate::import_tree::ImportNode;

const WIDTH: f64 = 1200.0;
const ROW: f64 = 18.0;
const MAX_DEPTH: usize = 16;
/// Narrower boxes are left out (with their children).
const MIN_WIDTH: f64 = 0.5;

/// Write the page for `report`, whose import trees are `before` and `after` (the kept fixes
/// applied; `None` when none is kept).
pub fn write(
    path: &Path,
    report: &Report,
    before: &[ImportNode],
    after: Option<&[ImportNode]>,
) -> Result<(), CliError> {
    let total: f64 = before.iter().map(|n| n.cumulative_ms).sum::<f64>().max(1.0);
    let kept: Vec<&str> = (report.fixes.iter())
        .filter(|f| f.kept)
        .map(|f| f.module.as_str())
        .collect();
    let main = &report.commands[0];
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>tauten startup: {}</title>\n<style>{STYLE}</style></head>\n<body>\n<h1>Start-up of <code>{}</code></h1>\n",
        escape(&shown(&main.command)),
        escape(&shown(&main.command)),
    );
    page.push_str("<table class=\"figures\"><tr><th>command</th><th>before</th><th>after</th><th>peak RSS</th><th>output</th></tr>\n");
    for command in &report.commands {
        let after_ms = command
            .after
            .as_ref()
            .map_or("no fix kept".into(), |a| format!("{:.0} ms", a.wall_ms));
        let rss = match &command.after {
            Some(a) => format!("{:.0} MB → {:.0} MB", command.before.rss_mb, a.rss_mb),
            None => format!("{:.0} MB", command.before.rss_mb),
        };
        let _ =
            writeln!(
            page,
            "<tr><td><code>{}</code></td><td>{:.0} ms</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&shown(&command.command)),
            command.before.wall_ms,
            after_ms,
            rss,
            if command.output_equal { "same" } else { "different" },
        );
    }
    let _ = writeln!(
        page,
        "</table>\n<p>Medians of {} alternating runs in fresh processes. Each box is a module: its width is its cumulative import time, the boxes under it the modules it imported first; hover for its times. Deferred modules are outlined.</p>",
        report.runs
    );
    let _ = writeln!(page, "<h2>Before</h2>\n{}", icicle(before, total, &kept));
    if let Some(after) = after {
        let _ = writeln!(
            page,
            "<h2>After the kept fixes</h2>\n{}",
            icicle(after, total, &[])
        );
    }
    let _ = writeln!(page, "<h2>Fixes</h2>\n<table class=\"fixes\"><tr><th></th><th>module</th><th>where</th><th>saving</th><th>why</th></tr>");
    for fix in &report.fixes {
        let _ = writeln!(
            page,
            "<tr class=\"{}\"><td>{}</td><td><code>{}</code></td><td>{}:{} {}</td><td>{}</td><td>{}</td></tr>",
            if fix.kept { "kept" } else { "dropped" },
            if fix.kept { "kept" } else { "dropped" },
            escape(&fix.module),
            escape(&fix.file.display().to_string()),
            fix.line,
            fix.code,
            fix.saving_ms.map_or(String::new(), |s| format!("{s:+.1} ms")),
            escape(fix.why.lines().next().unwrap_or_default()),
        );
    }
    let _ = write!(
        page,
        "</table>\n<script>{SCRIPT}</script>\n</body></html>\n"
    );
    std::fs::write(path, page).map_err(|e| CliError::Path(path.to_path_buf(), e.to_string()))
}

/// An SVG icicle chart of `roots` on a scale where `total_ms` fills the width, with the boxes of
/// `marked` modules outlined.
fn icicle(roots: &[ImportNode], total_ms: f64, marked: &[&str]) -> String {
    let scale = WIDTH / total_ms;
    let mut boxes = String::new();
    let mut deepest = 0;
    // (node, x, depth, who imported it)
    let mut stack: Vec<(&ImportNode, f64, usize, &str)> = Vec::new();
    let mut x = 0.0;
    for root in roots {
        stack.push((root, x, 0, "the command"));
        x += root.cumulative_ms * scale;
    }
    while let Some((node, x, depth, parent)) = stack.pop() {
        let width = node.cumulative_ms * scale;
        if width < MIN_WIDTH || depth >= MAX_DEPTH {
            continue;
        }
        deepest = deepest.max(depth);
        let top = node.module.split('.').next().unwrap_or_default();
        let outlined = marked
            .iter()
            .any(|m| node.module == *m || node.module.starts_with(&format!("{m}.")));
        let _ = write!(
            boxes,
            "<g class=\"box{}\"><title>{} (imported by {}): {:.1} ms cumulative, {:.1} ms self</title><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{}\" fill=\"{}\"/>",
            if outlined { " deferred" } else { "" },
            escape(&node.module),
            escape(parent),
            node.cumulative_ms,
            node.self_ms,
            depth as f64 * ROW,
            ROW - 1.0,
            colour(top),
        );
        if width > 40.0 {
            let _ = write!(
                boxes,
                "<text x=\"{:.1}\" y=\"{:.1}\" clip-path=\"inset(0)\">{}</text>",
                x + 3.0,
                depth as f64 * ROW + 12.5,
                escape(&label(&node.module, width)),
            );
        }
        boxes.push_str("</g>\n");
        let mut child_x = x;
        for child in &node.children {
            stack.push((child, child_x, depth + 1, &node.module));
            child_x += child.cumulative_ms * scale;
        }
    }
    let height = (deepest + 1) as f64 * ROW;
    format!(
        "<svg class=\"icicle\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n{boxes}</svg>"
    )
}

/// The module name cut to what fits in `width` pixels (about 7 per character).
fn label(module: &str, width: f64) -> String {
    let fits = ((width - 6.0) / 7.0) as usize;
    if module.chars().count() <= fits {
        module.to_owned()
    } else {
        let cut: String = module.chars().take(fits.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// A stable colour per top-level package.
fn colour(package: &str) -> String {
    let hash = package
        .bytes()
        .fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
    format!("hsl({}, 55%, 72%)", hash % 360)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font:14px sans-serif;margin:2em;color:#222}\
code{font:13px monospace}table{border-collapse:collapse;margin:1em 0}\
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}\
tr.kept td:first-child{color:#070;font-weight:bold}tr.dropped{color:#666}\
svg.icicle{display:block;border:1px solid #ddd;margin:0.5em 0}\
svg text{font:11px monospace;pointer-events:none}\
g.deferred rect{stroke:#c00;stroke-width:2}g.box:hover rect{opacity:0.7}";

/// Once the page is laid out, it notes on `<body>` how many chart boxes the browser drew with a
/// size (what the rendering test reads).
const SCRIPT: &str = "window.addEventListener('load',function(){\
var drawn=0;document.querySelectorAll('svg.icicle rect').forEach(function(r){\
var b=r.getBoundingClientRect();if(b.width>0&&b.height>0)drawn++;});\
document.body.setAttribute('data-boxes-drawn',String(drawn));});";
