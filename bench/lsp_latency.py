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

``--cold-index N`` measures instead codeAction/hover latency while the server's
background index build runs on a cold cache over N generated files (between
its $/progress begin and end), plus the build's wall time and the server's RSS.
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
    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
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


def _progress_kind(msg: dict[str, Any]) -> str | None:
    if msg.get("method") != "$/progress":
        return None
    value = msg["params"].get("value")
    return value.get("kind") if isinstance(value, dict) else None


def _rss_mb(pid: int) -> float | None:
    """Resident set of the server and its children (the parse workers), from /proc."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
        for one in pids:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    except (OSError, ValueError):
        return None
    return round(total / 1024, 1)


def _summary(values: list[float]) -> dict[str, float] | None:
    return {"p50": pct(values, 0.5), "p99": pct(values, 0.99)} if values else None


def _latency_run(
    command: list[str], root: Path, background: bool, seconds: float | None
) -> dict[str, Any]:
    """codeAction/hover latencies while the index builds (or, with ``background`` off,
    for ``seconds``: the same machine and workspace without the index, for comparison)."""
    text = generate(500)
    path = root / "app.py"
    path.write_text(text)
    uri = path.as_uri()
    env = dict(os.environ, BACKEND_LSP_CACHE_DIR=tempfile.mkdtemp(prefix="lsp-index-cache-"))
    client = Client(command, env=env)
    params = {
        "processId": os.getpid(),
        "rootUri": root.as_uri(),
        "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}],
        "capabilities": {"window": {"workDoneProgress": True}},
        "initializationOptions": {"index": {"background": background}},
    }
    client.request("initialize", params)
    client.notify("initialized", {})
    started = time.perf_counter()
    item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": item})
    client.wait_diagnostics(uri, 1)
    line_count = text.count("\n")
    actions: list[float] = []
    hovers: list[float] = []
    peak = 0.0

    def kinds() -> set[str | None]:
        return {_progress_kind(m) for m in client.notifications}

    def more() -> bool:
        if seconds is not None:
            return time.perf_counter() - started < seconds
        return "end" not in kinds()

    while more():
        line = random.randrange(line_count)
        rng = {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 20}}
        running = seconds is not None or "begin" in kinds()
        t = time.perf_counter()
        client.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": uri}, "range": rng, "context": {"diagnostics": []}},
        )
        action = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        client.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": 4}},
        )
        hover = (time.perf_counter() - t) * 1000
        if running and more():
            actions.append(action)
            hovers.append(hover)
            if len(actions) % 50 == 0:
                peak = max(peak, _rss_mb(client.proc.pid) or 0.0)
        time.sleep(0.005)
    wall = time.perf_counter() - started
    time.sleep(0.5)
    result: dict[str, Any] = {
        "wall_s": round(wall, 2),
        "samples": len(actions),
        "code_action_ms": _summary(actions),
        "hover_ms": _summary(hovers),
        "rss_mb_peak": peak or None,
        "rss_mb_after": _rss_mb(client.proc.pid),
    }
    if background:
        found = client.request("workspace/symbol", {"query": "GET /users"})
        result["route_symbols_found"] = len(found or [])
        timings = []
        for query in ("GET /users/{user_id}/orders17", "list_orders", "lstord", "Depends"):
            t = time.perf_counter()
            client.request("workspace/symbol", {"query": query})
            timings.append((time.perf_counter() - t) * 1000)
        result["workspace_symbol_ms"] = [round(x, 1) for x in timings]
    client.request("shutdown", None)
    client.notify("exit", None)
    client.proc.wait(timeout=30)
    return result


def cold_index(args: argparse.Namespace) -> dict[str, Any]:
    """Latency while the background index of ``args.cold_index`` files builds on a cold
    cache, then over the same time with the index off (what the rest of the server costs
    on this machine now)."""
    root = Path(tempfile.mkdtemp(prefix="lsp-index-bench-"))
    for i in range(args.cold_index):
        package = root / f"pkg{i // 100:03d}"
        package.mkdir(exist_ok=True)
        (package / f"mod{i:05d}.py").write_text(HEADER + BLOCK.format(i=i) * 4)
    for package in root.iterdir():
        (package / "__init__.py").write_text("")
    command = shlex.split(args.server)
    building = _latency_run(command, root, True, None)
    without = _latency_run(command, root, False, building["wall_s"])
    return {
        "files": sum(1 for _ in root.rglob("*.py")),
        "index_build": building,
        "same_time_index_off": without,
        "target_p99_ms": 5,
    }


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
    parser.add_argument(
        "--constant", action="store_true", help="a module string constant at the top"
    )
    parser.add_argument(
        "--cold-index", type=int, default=0, metavar="N", help="latency during a cold index"
    )
    args = parser.parse_args()
    random.seed(7)
    if args.cold_index:
        print(json.dumps({"during_cold_index": cold_index(args)}, indent=2))
        return 0
    root = Path(tempfile.mkdtemp(prefix="lsp-bench-"))
    text = generate(args.lines)
    if args.constant:  # BE008's incremental guard then runs on every edit
        text = 'API_TITLE = "orders"\n' + text
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
