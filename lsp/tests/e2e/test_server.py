"""End-to-end tests of `tauten server`, driven over stdio by pytest-lsp (and, for malformed input,
by a plain subprocess)."""

import asyncio
import json
import os
import pathlib
import subprocess

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from pytest_lsp import LanguageClient

from conftest import tauten_bin

UNUSED = "import os\nimport sys\n\nprint(sys.argv)\n"


class Editor:
    """A tiny editor buffer: applies TextEdits locally and sends them as incremental changes."""

    def __init__(self, client: LanguageClient, path: pathlib.Path, text: str):
        self.client = client
        self.uri = path.as_uri()
        self.text = text
        self.version = 1
        path.write_text(text)
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=self.uri, language_id="python", version=1, text=text
                )
            )
        )

    def offset(self, pos: types.Position) -> int:
        lines = self.text.split("\n")
        before = sum(len(line) + 1 for line in lines[: pos.line])
        # Test texts are ASCII-only, so UTF-16 columns are character columns.
        return before + pos.character

    def apply(self, edits: list[types.TextEdit]) -> None:
        # Apply from the end so earlier ranges stay valid; send each change as it is applied.
        changes = []
        for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            start, end = self.offset(edit.range.start), self.offset(edit.range.end)
            self.text = self.text[:start] + edit.new_text + self.text[end:]
            changes.append(
                types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
            )
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
                content_changes=changes,
            )
        )


async def diagnostics_for(client: LanguageClient, uri: str, version: int | None = None):
    """Wait until diagnostics for `uri` (at `version`, when given) arrive."""
    for _ in range(100):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if uri in client.diagnostics and (version is None or client.versions.get(uri) == version):
            return client.diagnostics[uri]
    raise AssertionError("no diagnostics")


async def open_unused(client: LanguageClient, workspace: pathlib.Path) -> Editor:
    editor = Editor(client, workspace / "m.py", UNUSED)
    await diagnostics_for(client, editor.uri, 1)
    return editor


@pytest.mark.asyncio
async def test_unused_import_is_reported_as_unnecessary(client: LanguageClient, workspace):
    editor = await open_unused(client, workspace)
    [diag] = client.diagnostics[editor.uri]
    assert diag.code == "TAU101"
    assert diag.source == "tauten"
    assert list(diag.tags) == [types.DiagnosticTag.Unnecessary]
    assert diag.range == types.Range(types.Position(0, 7), types.Position(0, 9))
    assert diag.code_description.href.endswith("/docs/rules/TAU101.md")
    assert "os" in diag.message


@pytest.mark.asyncio
async def test_quick_fix_applied_clears_the_diagnostic(client: LanguageClient, workspace):
    editor = await open_unused(client, workspace)
    [diag] = client.diagnostics[editor.uri]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag], only=[types.CodeActionKind.QuickFix]),
        )
    )
    titles = [a.title for a in actions]
    assert "Ignore TAU101 for this line" in titles
    [fix] = [a for a in actions if a.is_preferred]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert "os" in fix.title
    editor.apply(fix.edit.changes[editor.uri])
    assert editor.text == "import sys\n\nprint(sys.argv)\n"
    assert list(await diagnostics_for(client, editor.uri, editor.version)) == []


@pytest.mark.asyncio
async def test_noqa_action_suppresses(client: LanguageClient, workspace):
    editor = await open_unused(client, workspace)
    [diag] = client.diagnostics[editor.uri]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag]),
        )
    )
    [noqa] = [a for a in actions if a.title == "Ignore TAU101 for this line"]
    editor.apply(noqa.edit.changes[editor.uri])
    assert editor.text.startswith("import os  # noqa: TAU101\n")
    assert list(await diagnostics_for(client, editor.uri, editor.version)) == []


@pytest.mark.asyncio
async def test_fix_all(client: LanguageClient, workspace):
    text = "import os\nimport json, re\n\nprint(re)\n"
    editor = Editor(client, workspace / "all.py", text)
    assert len(await diagnostics_for(client, editor.uri, 1)) == 2
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    [fix_all] = actions
    assert fix_all.kind == "source.fixAll.tauten"
    editor.apply(fix_all.edit.changes[editor.uri])
    assert editor.text == "import re\n\nprint(re)\n"
    assert list(await diagnostics_for(client, editor.uri, editor.version)) == []


@pytest.mark.asyncio
async def test_move_to_type_checking_refactor(client: LanguageClient, workspace):
    text = (
        "from __future__ import annotations\n\nfrom collections.abc import Sequence\n\n\n"
        "def f(x: Sequence[int]) -> None:\n    pass\n"
    )
    editor = Editor(client, workspace / "t.py", text)
    [diag] = await diagnostics_for(client, editor.uri, 1)
    assert diag.code == "TAU201"
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag], only=[types.CodeActionKind.Refactor]),
        )
    )
    [move] = actions
    assert move.title == "Move to TYPE_CHECKING block"
    assert move.kind == types.CodeActionKind.RefactorRewrite
    editor.apply(move.edit.changes[editor.uri])
    assert "if TYPE_CHECKING:\n    from collections.abc import Sequence" in editor.text
    assert list(await diagnostics_for(client, editor.uri, editor.version)) == []


async def diagnostics_until(client: LanguageClient, uri: str, predicate, tries: int = 50):
    """Wait until the diagnostics published for `uri` satisfy `predicate`."""
    for _ in range(tries):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if uri in client.diagnostics and predicate(client.diagnostics[uri]):
            return client.diagnostics[uri]
    raise AssertionError(f"diagnostics never matched: {client.diagnostics.get(uri)}")


@pytest.mark.asyncio
async def test_index_finds_a_blocking_helper_of_another_module_saved_later(
    client: LanguageClient, workspace
):
    # The server indexed the (empty) workspace when it started; the helper module appears after.
    package = workspace / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    app = "from pkg.helpers import load\n\n\nasync def main():\n    load()\n"
    editor = Editor(client, package / "app.py", app)
    assert list(await diagnostics_for(client, editor.uri, 1)) == []
    (package / "helpers.py").write_text("import time\n\n\ndef load():\n    time.sleep(1)\n")
    # Saving a file indexes the workspace again; the open file is checked with what it found.
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=editor.uri))
    )
    [diag] = await diagnostics_until(client, editor.uri, lambda ds: len(ds) == 1)
    assert diag.code == "TAU510"
    assert "pkg.helpers.load -> time.sleep()" in diag.message


@pytest.mark.asyncio
async def test_blocking_chain_as_related_information(client: LanguageClient, workspace):
    text = (
        "import time\n\n\ndef read():\n    time.sleep(1)\n\n\n"
        "def load():\n    return read()\n\n\nasync def main():\n    load()\n"
    )
    editor = Editor(client, workspace / "chain.py", text)
    [diag] = await diagnostics_for(client, editor.uri, 1)
    assert diag.code == "TAU510"
    related = [(r.message, r.location.range.start.line) for r in diag.related_information]
    assert related == [("`load` calls `read`", 7), ("`read` calls `time.sleep()`", 3)]


@pytest.mark.asyncio
async def test_settings_change_ignores_a_rule(client: LanguageClient, workspace):
    editor = await open_unused(client, workspace)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"tauten": {"ignore": ["TAU101"]}})
    )
    assert list(await diagnostics_for(client, editor.uri, 1)) == []
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"tauten": {"ignore": []}})
    )
    [diag] = await diagnostics_for(client, editor.uri, 1)
    assert diag.code == "TAU101"


@pytest.mark.asyncio
async def test_config_file_change_is_picked_up(client: LanguageClient, workspace):
    editor = await open_unused(client, workspace)
    (workspace / "tauten.toml").write_text('select = ["TAU5"]\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(workspace / "tauten.toml").as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    assert list(await diagnostics_for(client, editor.uri, 1)) == []


@pytest.mark.asyncio
async def test_pull_diagnostics(client: LanguageClient, workspace):
    editor = await open_unused(client, workspace)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=editor.uri))
    )
    assert report.kind == "full"
    assert [d.code for d in report.items] == ["TAU101"]
    # A file that is not open is read from disk.
    other = workspace / "closed.py"
    other.write_text("import json\n")
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=other.as_uri()))
    )
    assert [d.code for d in report.items] == ["TAU101"]


@pytest.mark.asyncio
async def test_syntax_errors_replace_rule_diagnostics(client: LanguageClient, workspace):
    editor = Editor(client, workspace / "bad.py", "import os\ndef f(:\n    pass\n")
    diags = await diagnostics_for(client, editor.uri, 1)
    assert diags
    assert all(d.severity == types.DiagnosticSeverity.Error for d in diags)
    assert all(d.code is None for d in diags)


@pytest.mark.asyncio
async def test_unknown_method(client: LanguageClient):
    with pytest.raises(JsonRpcMethodNotFound):
        await client.protocol.send_request_async("tauten/noSuchMethod", {})


# --- plain subprocess: raw bytes on stdin ---------------------------------------------------------


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream) -> dict:
    length = None
    while True:
        line = stream.readline()
        assert line, "server closed its output"
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))


def read_response(stream, id_) -> dict:
    while True:
        message = read_message(stream)
        if message.get("id") == id_ and "method" not in message:
            return message


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
SHUTDOWN = {"jsonrpc": "2.0", "id": 99, "method": "shutdown"}
EXIT = {"jsonrpc": "2.0", "method": "exit"}


def spawn():
    return subprocess.Popen(
        [tauten_bin(), "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_garbage_on_stdin_does_not_kill_the_server():
    server = spawn()
    server.stdin.write(b"\x00\xff\xfe this is not LSP\r\n\r\n")
    server.stdin.write(b"Content-Length: 12\r\n\r\n{not json!!}")
    server.stdin.write(b"Content-Length: nope\r\n\r\n")
    server.stdin.write(frame(INITIALIZE))
    server.stdin.flush()
    capabilities = read_response(server.stdout, 1)["result"]["capabilities"]
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["textDocumentSync"]["change"] == 2
    assert capabilities["diagnosticProvider"]["identifier"] == "tauten"
    # Still serving after more garbage.
    server.stdin.write(b"Content-Length: 5\r\n\r\n[1,2]")
    server.stdin.write(frame(SHUTDOWN))
    server.stdin.flush()
    assert read_response(server.stdout, 99)["result"] is None
    server.stdin.write(frame(EXIT))
    server.stdin.flush()
    assert server.wait(timeout=10) == 0
    assert b"panicked" not in server.stderr.read()


def test_bad_params_are_invalid_params():
    server = spawn()
    server.stdin.write(frame(INITIALIZE))
    bad = {"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {"nonsense": 1}}
    server.stdin.write(frame(bad))
    server.stdin.flush()
    read_response(server.stdout, 1)
    assert read_response(server.stdout, 2)["error"]["code"] == -32602
    server.stdin.write(frame(SHUTDOWN) + frame(EXIT))
    server.stdin.flush()
    assert server.wait(timeout=10) == 0


def test_truncated_input_ends_cleanly():
    server = spawn()
    server.stdin.write(b"Content-Length: 1000\r\n\r\n{\"jsonrpc\"")
    server.stdin.close()
    assert server.wait(timeout=10) == 1
    assert b"panicked" not in server.stderr.read()


def test_exit_without_shutdown_is_status_1():
    server = spawn()
    server.stdin.write(frame(INITIALIZE))
    server.stdin.flush()
    read_response(server.stdout, 1)
    server.stdin.write(frame(EXIT))
    server.stdin.flush()
    assert server.wait(timeout=10) == 1


def test_cancelled_queued_request_is_answered_cancelled(tmp_path):
    server = spawn()
    server.stdin.write(frame(INITIALIZE))
    server.stdin.flush()
    read_response(server.stdout, 1)
    uri = (tmp_path / "big.py").as_uri()
    text = "import os\n" + "def f(x):\n    return x + 1\n" * 20000
    batch = [
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        },
        {"jsonrpc": "2.0", "id": 5, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": uri}}},
        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 5}},
    ]
    server.stdin.write(b"".join(frame(m) for m in batch))
    server.stdin.flush()
    response = read_response(server.stdout, 5)
    assert response["error"]["code"] == -32800
    server.stdin.write(frame(SHUTDOWN) + frame(EXIT))
    server.stdin.flush()
    assert server.wait(timeout=10) == 0


def test_utf8_positions_when_offered(tmp_path):
    server = spawn()
    init = dict(INITIALIZE, params={"capabilities": {"general": {"positionEncodings": ["utf-16", "utf-8"]}}})
    server.stdin.write(frame(init))
    server.stdin.flush()
    assert read_response(server.stdout, 1)["result"]["capabilities"]["positionEncoding"] == "utf-8"
    uri = (tmp_path / "u.py").as_uri()
    opened = {
        "jsonrpc": "2.0",
        "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "s = '\u00e9\U0001f600'; import os\n"}},
    }
    server.stdin.write(frame(opened))
    server.stdin.flush()
    while True:
        message = read_message(server.stdout)
        if message.get("method") == "textDocument/publishDiagnostics":
            break
    [diag] = message["params"]["diagnostics"]
    # "s = '" 5 bytes, "é" 2, the emoji 4, "'; import " 10: `os` starts at byte 21.
    assert diag["range"]["start"] == {"line": 0, "character": 21}
    server.stdin.write(frame(SHUTDOWN) + frame(EXIT))
    server.stdin.flush()
    assert server.wait(timeout=10) == 0
