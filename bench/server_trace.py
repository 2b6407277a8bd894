"""The language server with a per-edit timeline and a profile of every thread (bench only).

Where does change -> diagnostics go beyond the analysis? This runs the real server
(stdio) with its phases timed from inside: each didChange opens a window that the
publish of that version closes, and within it the handler's parts, the analysis
thread, rendering and the write are timed; a sampler thread records every busy
thread's stack inside the windows (sys._current_frames, ``--interval-ms``), or with
``--cprofile`` each thread's part is run under cProfile. At exit OUT gets JSON:
medians / p95 per phase and the top functions by samples (self and inclusive).

Usage: python bench/lsp_latency.py --server "python bench/server_trace.py /tmp/t.json"
(the server code is not changed: the wrapper patches methods before serving).
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import functools
import io
import json
import pstats
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from backend_lsp.lsp import diagnostics, indexing, server, session
from backend_lsp.syntax import document

IDLE = {
    ("selectors.py", "select"),
    ("threading.py", "wait"),
    ("thread.py", "_worker"),  # a pool thread waiting for work
    ("queue.py", "get"),
    ("io_.py", "readline"),
    ("thread.py", "run"),  # a pool thread inside a C call (the stdin reader's readline)
    ("indexing.py", "_loop"),  # the index thread waiting on its SimpleQueue
}


class Trace:
    def __init__(self, interval: float, use_cprofile: bool) -> None:
        self.interval = interval
        self.active = False
        self.edit: dict[str, float] = {}
        self.edits: list[dict[str, float]] = []
        self.samples: Counter[tuple[str, ...]] = Counter()
        self.tops: Counter[str] = Counter()
        self.busy: Counter[str] = Counter()
        self.threads: dict[int, str] = {}
        self.profiles: dict[str, cProfile.Profile] = {}
        self.use_cprofile = use_cprofile
        self.lock = threading.Lock()

    def begin(self) -> None:
        if not self.active:
            self.edit = {"t0": time.perf_counter()}
            self.active = True

    def add(self, name: str, seconds: float) -> None:
        if self.active:
            self.edit[name] = self.edit.get(name, 0.0) + seconds * 1000

    def mark(self, name: str) -> None:
        if self.active:
            self.edit[name] = (time.perf_counter() - self.edit["t0"]) * 1000

    def end(self) -> None:
        if self.active:
            self.mark("written")
            self.edits.append(self.edit)
            self.active = False

    def profiled(self, part: str, call: Callable[[], Any]) -> Any:
        if not (self.use_cprofile and self.active):
            return call()
        with self.lock:
            profile = self.profiles.setdefault(part, cProfile.Profile())
        return profile.runcall(call)

    def sample_forever(self) -> None:
        me = threading.get_ident()
        while True:
            time.sleep(self.interval)
            if not self.active:
                continue
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                stack: list[str] = []
                f: Any = frame
                while f is not None:
                    code = f.f_code
                    stack.append(f"{code.co_filename.rsplit('/', 1)[-1]}:{code.co_name}")
                    f = f.f_back
                top = tuple(stack[0].split(":", 1))
                if top in IDLE:
                    continue
                name = self.threads.get(ident) or _thread_name(ident)
                self.busy[name] += 1
                self.tops[stack[0]] += 1
                for entry in set(stack):
                    self.samples[(name, entry)] += 1

    def report(self) -> dict[str, Any]:
        def stats(values: list[float]) -> dict[str, float]:
            ordered = sorted(values)
            return {
                "p50": round(ordered[len(ordered) // 2], 2),
                "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            }

        names = sorted({k for e in self.edits for k in e if k != "t0"})
        phases = {n: stats([e[n] for e in self.edits if n in e]) for n in names}
        total = sum(self.busy.values()) or 1
        inclusive = [
            {"thread": t, "where": w, "share": round(n / total, 3)}
            for (t, w), n in self.samples.most_common(60)
        ]
        out: dict[str, Any] = {
            "edits": len(self.edits),
            "phases_ms": phases,
            "busy_samples": dict(self.busy),
            "self_top": [(w, round(n / total, 3)) for w, n in self.tops.most_common(40)],
            "inclusive_top": inclusive,
            "per_edit": [
                {k: round(v, 1) for k, v in e.items() if k != "t0" and "@" not in k}
                for e in self.edits
            ],
        }
        for part, profile in self.profiles.items():
            text = io.StringIO()
            pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(45)
            out[f"cprofile_{part}"] = text.getvalue().splitlines()
        return out


def _thread_name(ident: int) -> str:
    for thread in threading.enumerate():
        if thread.ident == ident:
            return thread.name.split("_")[0]
    return str(ident)


def timed(trace: Trace, owner: Any, attr: str, name: str, *, first: bool = False) -> None:
    original = getattr(owner, attr)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if first:
            trace.begin()
        start = time.perf_counter()
        try:
            return trace.profiled(name, lambda: original(*args, **kwargs))
        finally:
            trace.add(name, time.perf_counter() - start)
            trace.mark(f"{name}@end")

    setattr(owner, attr, wrapper)


def install(trace: Trace) -> None:
    from backend_lsp.lsp.documents import DocumentStore

    timed(trace, DocumentStore, "change", "store_change", first=True)
    timed(trace, diagnostics.DiagnosticsManager, "schedule", "schedule")
    timed(trace, indexing.WorkspaceIndexes, "document_changed", "index_document_changed")
    timed(trace, session.Session, "helpers_changed", "helpers_changed")
    timed(trace, document.ParsedDocument, "snapshot", "snapshot")
    timed(trace, diagnostics, "analyse_snapshot", "analyse")
    timed(trace, diagnostics.DiagnosticsManager, "_store", "store_result")
    timed(trace, diagnostics.DiagnosticsManager, "diagnostics_text", "render_text")
    original = server.BackendProtocol.send_notification_text

    def send(self: Any, method: str, params: str) -> None:
        start = time.perf_counter()
        original(self, method, params)
        trace.add("send", time.perf_counter() - start)
        if method == "textDocument/publishDiagnostics" and '"version"' in params[:400]:
            trace.end()

    server.BackendProtocol.send_notification_text = send  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--interval-ms", type=float, default=1.0)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    trace = Trace(args.interval_ms / 1000, args.cprofile)
    install(trace)
    if not args.cprofile:
        threading.Thread(target=trace.sample_forever, daemon=True, name="sampler").start()

    def dump() -> None:
        with open(args.out, "w") as handle:
            json.dump(trace.report(), handle, indent=1)

    atexit.register(dump)
    try:
        server.serve()
    finally:
        dump()


if __name__ == "__main__":
    main()
