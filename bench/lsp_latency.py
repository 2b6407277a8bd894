"""LSP latency benchmark: prints JSON (initialize, codeAction, hover, didChange -> diagnostics).

Starts the server over stdio with a tiny JSON-RPC client of its own, opens a
generated ~5,000-line backend module with real findings and measures.
Settings are the server's defaults unless ``--debounce-ms`` is given.

Two edit patterns: single edits (a new comment line) after a pause longer than
the debounce (what "diagnostics after a change" means for a user who types and
looks), and bursts typing a comment ``--burst-gap-ms`` per key, timed from the
last keystroke (those are coalesced, so they include the debounce by design).
Usage: python bench/lsp_latency.py [--server "backend-lsp serve"] [--requests 300]
(the default server command is the `backend-lsp serve` script beside this Python)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BLOCK = """
@app.get("/users/{{user_id}}/orders{i}")
def list_orders_{i}(user_id: int, db=Depends(get_db)):
    rows = db.execute(f"SELECT * FROM orders WHERE user_id = {{user_id}}").fetchall()
    result = []
    for order in db.query(Order).filter(Order.user_id == user_id).all():
        result.append({{"id": order.id, "items": len(order.items)}})
    try:
        audit_log.write(user_id)
    except Exception:
        pass
    return {{"orders": result, "raw": rows}}

"""
HEADER = "from fastapi import Depends, FastAPI\n\napp = FastAPI()\n\n"


def generate(lines: int) -> str:
    parts = [HEADER]
    i = 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append(BLOCK.format(i=i))
        i += 1
    return "".join(parts)


class Client:
    def __init__(self, command: list[str]) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("server exited")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line in (b"\r\n", b"\n"):
                break
        result: dict[str, Any] = json.loads(self.proc.stdout.read(length))
        return result

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            msg = self.read()
            if msg.get("id") == rid and "method" not in msg:
                return msg.get("result")
            self._other(msg)

    def _other(self, msg: dict[str, Any]) -> None:
        if "method" in msg and "id" in msg:  # server -> client request: answer null
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
        elif "method" in msg:
            self.notifications.append(msg)

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri: str, version: int) -> dict[str, Any]:
        while True:
            msg = self.read()
            if (
                msg.get("method") == "textDocument/publishDiagnostics"
                and msg["params"]["uri"] == uri
                and msg["params"].get("version") == version
            ):
                return msg
            self._other(msg)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


# The smallest pygls server there is: its initialize time is the floor set by importing
# pygls and lsprotocol, measured with the same client for comparison.
BARE_PYGLS = "from pygls.lsp.server import LanguageServer\nLanguageServer('bare', '0').start_io()\n"


def initialize_ms(command: list[str], params: dict[str, Any]) -> float:
    """Process start -> initialize answered, then shut the server down."""
    start = time.perf_counter()
    client = Client(command)
    client.request("initialize", params)
    elapsed = (time.perf_counter() - start) * 1000
    client.request("shutdown", None)
    client.notify("exit", None)
    client.proc.wait(timeout=10)
    return elapsed


def default_server() -> str:
    """The installed console script, as users start it; ``python -m`` when it is missing."""
    script = Path(sys.executable).with_name("backend-lsp")
    if script.is_file():
        return f"{shlex.quote(str(script))} serve"
    return f"{shlex.quote(sys.executable)} -m backend_lsp.lsp"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default=default_server())
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument(
        "--init-runs", type=int, default=3, help="extra start-ups timed (and of a bare pygls)"
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--debounce-ms", type=int, default=None, help="default: the server's")
    parser.add_argument("--pause-ms", type=int, default=300, help="quiet time before an edit")
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--burst-keys", type=int, default=5)
    parser.add_argument("--burst-gap-ms", type=int, default=40)
    parser.add_argument("--ignore", default="", help="comma-separated rule codes to skip")
    args = parser.parse_args()
    random.seed(7)
    root = Path(tempfile.mkdtemp(prefix="lsp-bench-"))
    text = generate(args.lines)
    path = root / "app.py"
    path.write_text(text)
    uri = path.as_uri()
    caps = {
        "general": {"positionEncodings": ["utf-8", "utf-16"]},
        "textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}},
        "workspace": {"workspaceEdit": {"documentChanges": True}},
    }
    analysis: dict[str, Any] = {"ignore": [c for c in args.ignore.split(",") if c]}
    if args.debounce_ms is not None:
        analysis["debounceMs"] = args.debounce_ms
    params = {
        "processId": os.getpid(),
        "rootUri": root.as_uri(),
        "capabilities": caps,
        "initializationOptions": {"analysis": analysis},
    }
    # Alternate with the bare pygls floor so both see the same machine.
    inits: list[float] = []
    floors: list[float] = []
    for _ in range(args.init_runs):
        inits.append(initialize_ms(shlex.split(args.server), params))
        floors.append(initialize_ms([sys.executable, "-c", BARE_PYGLS], params))
    start = time.perf_counter()
    client = Client(shlex.split(args.server))
    client.request("initialize", params)
    inits.append((time.perf_counter() - start) * 1000)
    client.notify("initialized", {})
    item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    start = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": item})
    first = client.wait_diagnostics(uri, 1)
    open_ms = (time.perf_counter() - start) * 1000
    line_count = text.count("\n")
    doc = {"uri": uri}
    actions: list[float] = []
    hovers: list[float] = []
    for _ in range(args.requests):
        line = random.randrange(line_count)
        rng = {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 20}}
        t = time.perf_counter()
        client.request(
            "textDocument/codeAction",
            {"textDocument": doc, "range": rng, "context": {"diagnostics": []}},
        )
        actions.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        client.request(
            "textDocument/hover",
            {"textDocument": doc, "position": {"line": line, "character": random.randrange(12)}},
        )
        hovers.append((time.perf_counter() - t) * 1000)
    version = 1

    def change(line: int, text: str, character: int = 0) -> float:
        nonlocal version
        version += 1
        point = {"line": line, "character": character}
        edit = {"range": {"start": point, "end": point}, "text": text}
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [edit]},
        )
        return time.perf_counter()

    changes: list[float] = []
    for _ in range(args.changes):
        time.sleep(args.pause_ms / 1000)
        t = change(random.randrange(5, line_count - 5), "# edited\n")
        client.wait_diagnostics(uri, version)
        changes.append((time.perf_counter() - t) * 1000)
    bursts: list[float] = []
    for _ in range(args.bursts):
        time.sleep(args.pause_ms / 1000)
        line = random.randrange(5, line_count - 5)
        t = change(line, "#\n")  # then type a comment on the new line, key by key
        for key in range(1, args.burst_keys):
            time.sleep(args.burst_gap_ms / 1000)
            t = change(line, "x", character=key)
        client.wait_diagnostics(uri, version)
        bursts.append((time.perf_counter() - t) * 1000)
    client.request("shutdown", None)
    client.notify("exit", None)
    client.proc.wait(timeout=10)
    print(
        json.dumps(
            {
                "lines": line_count,
                "findings": len(first["params"]["diagnostics"]),
                "initialize_ms": round(statistics.median(inits), 1),
                "initialize_runs_ms": [round(x, 1) for x in inits],
                "initialize_bare_pygls_ms": round(statistics.median(floors), 1) if floors else None,
                "open_to_diagnostics_ms": round(open_ms, 1),
                "code_action_ms": {"p50": pct(actions, 0.5), "p99": pct(actions, 0.99)},
                "hover_ms": {"p50": pct(hovers, 0.5), "p99": pct(hovers, 0.99)},
                "debounce_ms": "default" if args.debounce_ms is None else args.debounce_ms,
                "change_to_diagnostics_ms": {
                    "p50": pct(changes, 0.5),
                    "p95": pct(changes, 0.95),
                    "mean": round(statistics.mean(changes), 1),
                    "pause_before_ms": args.pause_ms,
                },
                "burst_last_key_to_diagnostics_ms": {
                    "p50": pct(bursts, 0.5) if bursts else None,
                    "p95": pct(bursts, 0.95) if bursts else None,
                    "keys": args.burst_keys,
                    "gap_ms": args.burst_gap_ms,
                },
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
