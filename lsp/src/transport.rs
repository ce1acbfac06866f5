//! Reading and writing LSP messages (`Content-Length` framed JSON-RPC) on threads.
//!
//! The reader survives malformed input: a bad header or a body that is not a JSON-RPC message is
//! reported to the main loop (which logs it) and reading goes on with the next message. Only the end
//! of input (or an I/O error) stops it.

use std::io::{BufRead, Read, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::Message;

/// Bodies larger than this are skipped as malformed rather than allocated.
const MAX_BODY: usize = 256 << 20;
/// Header lines longer than this are malformed.
const MAX_HEADER_LINE: u64 = 8 << 10;

/// What the reader hands the main loop.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// Input that could not be read as a message; reading continues after it.
    Malformed(String),
}

pub struct Threads {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Threads {
    /// Wait for the writer to flush what was sent before its channel closed. The reader is left
    /// alone: it may be blocked on input that never comes, and the process is about to exit.
    pub fn join_writer(self) {
        let _ = self.writer.join();
        drop(self.reader);
    }
}

/// Start the reader over `input` and the writer over `output`.
pub fn spawn(
    input: impl BufRead + Send + 'static,
    output: impl Write + Send + 'static,
) -> (Receiver<Incoming>, Sender<Message>, Threads) {
    let (in_tx, in_rx) = crossbeam_channel::unbounded();
    let (out_tx, out_rx) = crossbeam_channel::unbounded::<Message>();
    let reader = std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || read_loop(input, &in_tx))
        .expect("spawning the reader thread");
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || {
            let mut output = output;
            for message in out_rx {
                if message.write(&mut output).is_err() {
                    break;
                }
            }
            let _ = output.flush();
        })
        .expect("spawning the writer thread");
    (in_rx, out_tx, Threads { reader, writer })
}

fn read_loop(mut input: impl BufRead, tx: &Sender<Incoming>) {
    loop {
        let incoming = match read_message(&mut input) {
            Ok(Some(message)) => Incoming::Message(message),
            Ok(None) => return,
            Err(ReadError::Malformed(why)) => Incoming::Malformed(why),
            Err(ReadError::End(why)) => {
                let _ = tx.send(Incoming::Malformed(why));
                return;
            }
        };
        if tx.send(incoming).is_err() {
            return;
        }
    }
}

enum ReadError {
    /// This message is unusable; the next one may be fine.
    Malformed(String),
    /// The input ended inside a message, or failed.
    End(String),
}

/// Read one message: headers up to an empty line, then `Content-Length` bytes of JSON.
/// `Ok(None)` at a clean end of input.
fn read_message(input: &mut impl BufRead) -> Result<Option<Message>, ReadError> {
    let mut length: Option<usize> = None;
    let mut first = true;
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .map_err(|e| ReadError::End(format!("cannot read input: {e}")))?;
        if read == 0 {
            return if first {
                Ok(None)
            } else {
                Err(ReadError::End("input ended inside a header".into()))
            };
        }
        first = false;
        if line.last() != Some(&b'\n') {
            if read as u64 == MAX_HEADER_LINE {
                return Err(ReadError::Malformed("header line too long".into()));
            }
            return Err(ReadError::End("input ended inside a header".into()));
        }
        let header = String::from_utf8_lossy(&line);
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            return Err(ReadError::Malformed(format!("malformed header {header:?}")));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            length = Some(
                value
                    .parse()
                    .map_err(|_| ReadError::Malformed(format!("bad Content-Length {value:?}")))?,
            );
        }
    }
    let Some(length) = length else {
        return Err(ReadError::Malformed(
            "a message without Content-Length".into(),
        ));
    };
    if length > MAX_BODY {
        let skipped = std::io::copy(
            &mut input.by_ref().take(length as u64),
            &mut std::io::sink(),
        )
        .map_err(|e| ReadError::End(format!("cannot read input: {e}")))?;
        if skipped < length as u64 {
            return Err(ReadError::End("input ended inside a message".into()));
        }
        return Err(ReadError::Malformed(format!(
            "a {length}-byte message skipped"
        )));
    }
    let mut body = vec![0; length];
    input
        .read_exact(&mut body)
        .map_err(|_| ReadError::End("input ended inside a message".into()))?;
    serde_json::from_slice::<Message>(&body)
        .map(Some)
        .map_err(|e| ReadError::Malformed(format!("not a JSON-RPC message: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn garbage_is_reported_and_reading_goes_on() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = Vec::new();
        input.extend_from_slice(b"\xff\xfe garbage\r\n\r\n");
        input.extend_from_slice(frame("{not json").as_bytes());
        input.extend_from_slice(frame(good).as_bytes());
        input.extend_from_slice(b"Content-Length: 99999999999999\r\n\r\nabc");
        let mut stream = std::io::Cursor::new(input);
        let mut seen = Vec::new();
        loop {
            match read_message(&mut stream) {
                Ok(Some(Message::Notification(n))) => seen.push(n.method),
                Ok(other) => {
                    assert!(other.is_none());
                    break;
                }
                Err(ReadError::Malformed(_)) => seen.push("malformed".into()),
                Err(ReadError::End(_)) => {
                    seen.push("end".into());
                    break;
                }
            }
        }
        assert_eq!(
            seen,
            ["malformed", "malformed", "malformed", "initialized", "end"]
        );
    }
}
