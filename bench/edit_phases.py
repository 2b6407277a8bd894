"""Per-edit engine phases, in process: prints JSON medians / p95 in milliseconds.

Replays what the server does for one ``didChange`` of bench/lsp_latency.py (a
new comment line in the generated 5,000-line module) without the transport:
apply the edit to the live document, snapshot + incremental reparse, the
incremental analysis, and rendering the push as JSON text. ``--profile N``
prints the top N cProfile entries of the analysis phase instead.
``--workspace`` analyses as the server does inside a workspace folder: the file on disk
under a temporary root, with the session's imported-helper summaries (WorkspaceSummaries).
``--clock cpu`` times with the process's CPU clock instead of the wall clock: on a loaded
machine it leaves out the time spent waiting for a core, so before/after runs compare.
Usage: python bench/edit_phases.py [--edits 200] [--profile 25] [--workspace] [--clock cpu]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lsp_latency import generate

from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.taint.workspace import WorkspaceSummaries
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import IncrementalAnalyzer
from backend_lsp.lsp.diagnostics import DiagnosticRenderer
from backend_lsp.syntax.document import ParsedDocument, TextChange
from backend_lsp.text import Encoding


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--text", default="# edited\n", help="inserted at column 0")
    parser.add_argument("--encoding", default="utf-16")
    parser.add_argument("--profile", type=int, default=0, help="top N cProfile rows")
    parser.add_argument("--workspace", action="store_true", help="as the server: root + summaries")
    parser.add_argument(
        "--constant",
        action="store_true",
        help="a module string constant at the top (the secrets rule's guard then runs)",
    )
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    random.seed(7)
    gc.set_threshold(50_000, 10, 10)  # as the server does
    settings = AnalysisSettings()
    encoding = Encoding(args.encoding)
    text = generate(args.lines)
    if args.constant:
        text = 'API_TITLE = "orders"\n' + text
    document = ParsedDocument(text, "python", 1)
    analyzer = IncrementalAnalyzer()
    renderer = DiagnosticRenderer()
    snapshot = document.snapshot()
    path, root, summaries = "app.py", None, None
    if args.workspace:
        root = Path(tempfile.mkdtemp(prefix="edit-phases-"))
        (root / "app.py").write_text(document.text)
        path, summaries = str(root / "app.py"), WorkspaceSummaries(root)

    def analyze(snapshot: ParsedDocument) -> list[Finding]:
        return analyzer.analyze(path, snapshot, settings, root=root, summaries=summaries)

    findings = analyze(snapshot)
    renderer.render_text(findings, snapshot.index, encoding)
    phases: dict[str, list[float]] = {
        "apply": [],
        "snapshot_reparse": [],
        "analyze": [],
        "render_text": [],
        "total": [],
    }
    profile = cProfile.Profile() if args.profile else None
    reused: list[int] = []
    for _ in range(args.edits):
        line = random.randrange(5, document.index.line_count - 5)
        t0 = clock()
        offset = document.index.line_start(line)
        document.apply(TextChange(offset, offset, args.text), document.version + 1)
        t1 = clock()
        snapshot = document.snapshot()
        t2 = clock()
        if profile is not None:
            profile.enable()
        findings = analyze(snapshot)
        if profile is not None:
            profile.disable()
        t3 = clock()
        renderer.render_text(findings, snapshot.index, encoding)
        t4 = clock()
        reused.append(analyzer.last_reused)
        for name, ms in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0), strict=True):
            ms *= 1000
            phases[name].append(ms)
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
        return 0
    result = {
        "lines": document.index.line_count,
        "findings": len(findings),
        "edits": args.edits,
        "reused_chunks_p50": sorted(reused)[len(reused) // 2],
        "ms": {name: {"p50": pct(v, 0.5), "p95": pct(v, 0.95)} for name, v in phases.items()},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
