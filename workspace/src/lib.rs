//! tauten's workspace layer: everything between the pure engine (text in, facts and diagnostics
//! out) and the front ends that touches the file system. Discovery of the files to check, the
//! configuration files that apply to each, the parallel run with its project pass, the cache,
//! module names from the folders, and the one atomic writer. The CLI and the language server
//! both go through it.

pub mod cache;
pub mod changes;
pub mod config;
pub mod discovery;
pub mod modules;
pub mod packed;
pub mod run;
#[doc(hidden)]
pub mod testing;
pub mod write;
