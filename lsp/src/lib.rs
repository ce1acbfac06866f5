//! tauten's language server: the LSP protocol and open documents over the engine and the rules.
//!
//! A thin front end: text sync (incremental, into the engine's incrementally re-parsed
//! [`tauten_engine::document::Document`]), diagnostics (pushed and pulled), code actions (quick fixes,
//! `# noqa`, fix all), settings from configuration files and the editor, a background index of the
//! workspace for project-wide facts. No rule logic lives here.

pub mod document;
pub mod index;
pub mod position;
pub mod server;
pub mod settings;
pub mod transport;

/// Serve on standard input and output until `exit`; the process exit status (0 after `shutdown`,
/// 1 when the client exits without it or the input ends first).
pub fn run_stdio() -> u8 {
    let stdin = std::io::BufReader::new(std::io::stdin());
    let (incoming, outgoing, threads) = transport::spawn(stdin, std::io::stdout());
    let status = server::serve(&incoming, outgoing);
    // `serve` dropped the last sender: the writer flushes what is left and ends.
    threads.join_writer();
    status
}
