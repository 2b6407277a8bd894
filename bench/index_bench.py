"""Workspace index and context benchmark: prints JSON.

Measured in one run, so ratios compare like with like on a noisy machine:
- cold index of a large real tree (the Django sdist, fetched with ``pip download``
  into ~/.cache/backend-lsp-bench/index/) next to a single-process raw
  tree-sitter read+parse of the same files;
- warm restart (nothing changed), also with the query view and its routes built as the
  server does before it answers (`*_ready_s`), and a one-file update (index + query view);
- context assembly p95 on a ~1,000-file real app (pretix from the realworld
  cache when present, else the Django tree) for random function selections;
- peak RSS of this process (the 2,823-file tree and the ~1,000-file app indexed);
- context recall against jedi and tokens per context on the fixture workspaces.

Usage: python bench/index_bench.py [--corpus DIR] [--app DIR] [--samples 60]
       [--parts index,context,recall]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BENCH_CACHE = Path.home() / ".cache" / "backend-lsp-bench"
DJANGO = "django==5.2.19"


def fetch_django() -> Path:
    folder = BENCH_CACHE / "index"
    folder.mkdir(parents=True, exist_ok=True)
    tree = next((p for p in folder.glob("django-*") if p.is_dir()), None)
    if tree is not None:
        return tree
    archive = next(iter(folder.glob("django-*.tar.gz")), None)
    if archive is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", DJANGO, "--no-deps",
             "--no-binary=:all:", "-d", str(folder)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        archive = next(iter(folder.glob("django-*.tar.gz")))
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return next(p for p in folder.glob("django-*") if p.is_dir())


def raw_parse(root: Path, rels: list[str]) -> float:
    """Single process: read every file and parse it with tree-sitter, nothing else."""
    import tree_sitter_python
    from tree_sitter import Language, Parser

    parser = Parser(Language(tree_sitter_python.language()))
    started = time.perf_counter()
    for rel in rels:
        parser.parse((root / rel).read_bytes())
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _ready(index: Any) -> float:
    """Seconds to build the query view and resolve its routes after a build, the way the
    server publishes an index (``lsp/indexing.py``: no collection while the view is built,
    then the long-lived index frozen out of later collections)."""
    gc.disable()
    try:
        started = time.perf_counter()
        index.view().routes  # noqa: B018 - resolve routes once, as a running server does
        return time.perf_counter() - started
    finally:
        gc.freeze()
        gc.enable()


def index_figures(corpus: Path, cache: Path) -> dict[str, Any]:
    from backend_lsp.index import WorkspaceIndex

    cold_index = WorkspaceIndex(corpus, cache_dir=cache / "default")
    cold = cold_index.build()
    cold_view = _ready(cold_index)
    rels = sorted(cold_index.files)
    raw = raw_parse(corpus, rels)
    serial_index = WorkspaceIndex(corpus, cache_dir=cache / "serial")
    serial = serial_index.build(workers=1)
    serial_index.close()
    warm_index = WorkspaceIndex(corpus, cache_dir=cache / "default")
    warm = warm_index.build()
    warm_view = _ready(warm_index)
    target = corpus / rels[len(rels) // 2]
    original = target.read_text()
    updates: list[float] = []
    routes_after: list[float] = []
    for i in range(20):
        text = original + f"\n\ndef bench_added_{i}(x):\n    return x + {i}\n"
        started = time.perf_counter()
        warm_index.update(target, text)
        updates.append(time.perf_counter() - started)
        started = time.perf_counter()
        warm_index.view().routes  # noqa: B018 - the first route query after the edit
        routes_after.append(time.perf_counter() - started)
    warm_index.update(target, original)
    cold_index.close()
    warm_index.close()
    return {
        "corpus": str(corpus),
        "files": cold.files,
        "indexed": len(rels),
        "cold_s": round(cold.seconds, 3),
        "cold_files_per_s": round(cold.files / cold.seconds),
        "cold_in_process_s": round(serial.seconds, 3),
        "raw_parse_s": round(raw, 3),
        "cold_vs_raw": round(cold.seconds / raw, 2),
        "cold_in_process_vs_raw": round(serial.seconds / raw, 2),
        "warm_s": round(warm.seconds, 3),
        "warm_parsed": warm.parsed,
        "warm_vs_cold": round(warm.seconds / cold.seconds, 3),
        # Start-up as the server has it: the build, then the query view and its routes.
        "cold_ready_s": round(cold.seconds + cold_view, 3),
        "warm_ready_s": round(warm.seconds + warm_view, 3),
        "warm_ready_vs_cold_ready": round(
            (warm.seconds + warm_view) / (cold.seconds + cold_view), 3
        ),
        "update_ms_median": round(statistics.median(updates) * 1000, 2),
        "update_ms_max": round(max(updates) * 1000, 2),
        "routes_after_update_ms_median": round(statistics.median(routes_after) * 1000, 2),
        "routes": len(warm_index.view().routes.routes),
        "cpus": os.cpu_count(),
    }


def context_figures(app: Path, cache: Path, samples: int) -> dict[str, Any]:
    from backend_lsp.context import gather_context
    from backend_lsp.index import WorkspaceIndex
    from backend_lsp.syntax.document import ParsedDocument

    index = WorkspaceIndex(app, cache_dir=cache / "app")
    stats = index.build()
    functions = [
        (rel, s)
        for rel, facts in index.files.items()
        for s in facts.symbols
        if s.kind in ("function", "method") and s.end_line - s.start_line >= 3
    ]
    random.Random(7).shuffle(functions)
    index.view().routes  # noqa: B018 - resolved once, as a running server has them
    times: list[float] = []
    tokens: list[int] = []
    for rel, symbol in functions[:samples]:
        path = app / rel
        document = ParsedDocument(path.read_text(), "python")
        document.root  # noqa: B018 - the server's open documents are parsed already
        started = time.perf_counter()
        bundle = gather_context(
            app, path, document, symbol.start_line, symbol.end_line,
            budget_tokens=12_000, findings=[], index=index,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
        tokens.append(bundle.tokens)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    index.close()
    return {
        "app": str(app),
        "files": stats.files,
        "samples": len(times),
        "context_ms_p50": round(statistics.median(times) * 1000, 2),
        "context_ms_p95": round(percentile(times, 0.95) * 1000, 2),
        "context_tokens_median": int(statistics.median(tokens)),
        "rss_mb_after_app": round(rss_mb, 1),
    }


def recall_figures(extra: list[Path], limit: int = 25) -> dict[str, Any]:
    """Mean jedi recall and tokens per handler context: fixtures, plus real apps (sampled)."""
    sys.path.insert(0, str(REPO / "tests" / "context"))
    from jedi_oracle import oracle, recall
    from route_handlers import handler_ranges

    from backend_lsp.agent.workflow import ActionWorkflow
    from backend_lsp.config import resolve_settings
    from backend_lsp.context import context_to_json

    results: dict[str, Any] = {}
    fixtures = [
        REPO / "tests" / "data" / "index" / n for n in ("fastapi_sqlmodel/backend", "django_drf")
    ]
    for root in [*fixtures, *extra]:
        name = root.name if root in extra else str(root.relative_to(REPO / "tests" / "data"))
        settings, _ = resolve_settings(root)
        workflow = ActionWorkflow(root, settings, cache=None)
        index = workflow.workspace_index()
        assert index is not None
        values: list[float] = []
        spent: list[int] = []
        for rel, first, last in handler_ranges(index)[:limit]:
            path = root / rel
            bundle = workflow.context_bundle(path, path.read_text(), first, last, language_id=None)
            data = context_to_json(bundle, root)
            values.append(recall(oracle(root, path, first, last), data["items"]).value)
            spent.append(int(data["tokens"]))
        if not values:
            continue
        results[name] = {
            "handlers": len(values),
            "recall_mean": round(statistics.mean(values), 3),
            "tokens_mean": round(statistics.mean(spent)),
            "tokens_max": max(spent),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, help="large tree for the cold index")
    parser.add_argument("--app", type=Path, help="~1,000-file app for context latency")
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument(
        "--parts", default="index,context,recall", help="comma-separated subset to measure"
    )
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    corpus = (args.corpus or fetch_django()).resolve()
    pretix = BENCH_CACHE / "realworld" / "pretix-2026.8.0"
    app = (args.app or (pretix if pretix.is_dir() else corpus)).resolve()
    with tempfile.TemporaryDirectory(prefix="backend-lsp-index-bench-") as tmp:
        os.environ["BACKEND_LSP_CACHE_DIR"] = tmp
        cache = Path(tmp)
        figures: dict[str, Any] = {}
        if "index" in parts:
            figures["index"] = index_figures(corpus, cache)
        if "context" in parts:
            figures["context"] = context_figures(app, cache, args.samples)
        if "recall" in parts:
            figures["recall"] = recall_figures(
                [p for p in (BENCH_CACHE / "realworld" / "lnbits-1.6.2",) if p.is_dir()]
            )
        figures["rss_mb_peak_self"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        )
        figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
