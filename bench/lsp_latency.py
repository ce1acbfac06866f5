#!/usr/bin/env python3
"""Language server latency: time from a one-character `didChange` to the `publishDiagnostics` for
that version, for `tauten server` and `ruff server`, on one large file (pandas/core/frame.py).

A plain JSON-RPC client over the server's stdio. Each server gets a fresh temporary workspace holding
the file and a pyproject.toml selecting the same rule families (tauten: all TAU rules; ruff: F401, TC,
ASYNC). After the first diagnostics arrive, N edits alternately insert and delete one character,
each sent after the previous one's diagnostics arrived (the file is back to its original text after
every second edit), at varying lines over the whole file, in two series:

- `comment`: at the end of a comment line;
- `identifier`: at the end of the target of an assignment (`name = ...`), which renames a variable.

tauten carries its findings over edits inside comments that hold no directive (nothing a rule reads
changes) and lints the whole module again for any other edit; the identifier series measures that.

    python3 bench/lsp_latency.py --tauten target/release/tauten --ruff .venv-lsp/bin/ruff \\
        --file .corpus/pandas/pandas/core/frame.py -n 200
"""

import argparse
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PYPROJECT = """\
[tool.tauten]
select = ["TAU"]

[tool.ruff.lint]
select = ["F401", "TC", "ASYNC"]
"""


class Server:
    def __init__(self, cmd, cwd):
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    def send(self, message):
        message = dict(message, jsonrpc="2.0")
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return time.perf_counter()

    def notify(self, method, params):
        return self.send({"method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        id_ = self.next_id
        self.send({"id": id_, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == id_ and "method" not in m)[1]

    def wait(self, predicate, timeout=120):
        deadline = time.perf_counter() + timeout
        while True:
            item = self.messages.get(timeout=max(0.01, deadline - time.perf_counter()))
            if item is None:
                raise RuntimeError("server exited")
            at, message = item
            if "method" in message and "id" in message:
                # A request from the server (configuration, registration): answer it.
                result = [None] * len(message.get("params", {}).get("items", [])) or None
                self.send({"id": message["id"], "result": result})
                continue
            if message.get("method") == "window/logMessage" and "indexed" in message["params"]["message"]:
                print(f"  ({message['params']['message']})", file=sys.stderr)
            if predicate(message):
                return at, message

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def comment_lines(text):
    lines = text.split("\n")
    return [
        (i, len(line))
        for i, line in enumerate(lines)
        if line.strip().startswith("#") and line.isascii() and "noqa" not in line
    ]


ASSIGNMENT = re.compile(r"^\s*([A-Za-z_]\w*)\s*=[^=]")
KEYWORDS = {"True", "False", "None"}


def identifier_ends(text):
    """(line, column just after the name) of simple assignment targets."""
    out = []
    for i, line in enumerate(text.split("\n")):
        m = ASSIGNMENT.match(line)
        if m and line.isascii() and m.group(1) not in KEYWORDS:
            out.append((i, m.end(1)))
    return out


def rss_mb(pid):
    """The resident set size of a process, in MB (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def measure(cmd, source: Path, n: int, warmup: int, kind: str, workspace=None):
    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as tmp:
        if workspace:
            # The file in place, in its project: the server indexes the whole workspace.
            root = workspace.resolve()
            path = source.resolve()
        else:
            root = Path(tmp)
            (root / "pyproject.toml").write_text(PYPROJECT)
            path = root / "frame.py"
            shutil.copyfile(source, path)
        text = path.read_text()
        uri = path.as_uri()
        server = Server(cmd, root)
        server.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}],
                "capabilities": {
                    "textDocument": {"publishDiagnostics": {"versionSupport": True}},
                    "general": {"positionEncodings": ["utf-16"]},
                },
                "initializationOptions": {"select": ["TAU"]} if workspace else None,
            },
        )
        server.notify("initialized", {})
        version = 1
        server.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}},
        )
        is_diag = lambda v: lambda m: (  # noqa: E731
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version", v) == v
        )
        _, first = server.wait(is_diag(version))
        count = len(first["params"]["diagnostics"])
        if workspace:
            # Let the background index finish (it publishes again when it changes something).
            time.sleep(float(os.environ.get("INDEX_WAIT", "0")))
        rss_start = rss_mb(server.proc.pid)
        spots = comment_lines(text) if kind == "comment" else identifier_ends(text)
        latencies = []
        for i in range(warmup + n):
            line, end = spots[(i // 2) * 97 % len(spots)]
            if i % 2 == 0:
                change = {"range": {"start": {"line": line, "character": end}, "end": {"line": line, "character": end}}, "text": "x"}
            else:
                change = {"range": {"start": {"line": line, "character": end}, "end": {"line": line, "character": end + 1}}, "text": ""}
            version += 1
            sent = server.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            arrived, message = server.wait(is_diag(version))
            if i >= warmup:
                latencies.append((arrived - sent) * 1000)
            if (kind == "comment" or i % 2 == 1) and i >= warmup:
                # The text is the original again: the same findings (counted once the index is in).
                if i <= warmup + 1:
                    count = len(message["params"]["diagnostics"])
                assert len(message["params"]["diagnostics"]) == count, "diagnostics changed"
        rss_end = rss_mb(server.proc.pid)
        server.close()
        return latencies, count, (rss_start, rss_end)


def summary(latencies):
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": statistics.median(ordered), "p95": pick(0.95), "max": ordered[-1], "mean": statistics.fmean(ordered)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tauten", default="target/release/tauten")
    parser.add_argument("--ruff", default=shutil.which("ruff"))
    parser.add_argument("--file", type=Path, default=Path(".corpus/pandas/pandas/core/frame.py"))
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--kinds", default="comment,identifier")
    parser.add_argument(
        "--workspace",
        type=Path,
        help="open --file in place with this folder as the workspace (tauten indexes it); "
        "INDEX_WAIT=seconds waits for the index before the edits",
    )
    args = parser.parse_args()
    servers = [("tauten server", [os.path.abspath(args.tauten), "server"])]
    if args.ruff:
        servers.append(("ruff server", [os.path.abspath(args.ruff), "server"]))
    lines = sum(1 for _ in args.file.open())
    print(f"{args.file} ({lines} lines), {args.n} one-character edits after {args.warmup} warm-up edits\n")
    print("| server | edits | diagnostics | p50 ms | p95 ms | max ms | mean ms | RSS MB before, after |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind in args.kinds.split(","):
        for label, cmd in servers:
            latencies, count, rss = measure(cmd, args.file, args.n, args.warmup, kind, args.workspace)
            s = summary(latencies)
            print(
                f"| {label} | {kind} | {count} | {s['p50']:.1f} | {s['p95']:.1f} | {s['max']:.1f} | {s['mean']:.1f} "
                f"| {rss[0]:.0f}, {rss[1]:.0f} |"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
