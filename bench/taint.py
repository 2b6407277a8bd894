"""Taint benchmark: TPR, FPR and TPR-FPR per category on the labelled suite, time per file,
and (with --tree-files N) the time of `backend-lsp check` with the engine on vs off.

Categories named ``<category>-xmodule`` are two- and three-file projects (a handler
calling helpers in other modules, ``taint_suite/xmodule.py``); their time is not in
the per-file median.

Usage: python bench/taint.py [--per-class 24] [--tree-files 4000]
Prints one JSON object. The speed ratio is from one run: machine noise applies.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from taint_suite.generate import cases
from taint_suite.patterns import pattern_cases
from taint_suite.styles import style_cases
from taint_suite.xmodule import XCase, xmodule_cases

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.registry import analyze, select_rules
from backend_lsp.syntax.document import ParsedDocument


def _summaries(root: Path) -> Any:
    """A summary provider for the cross-module cases (None on a tree that predates it)."""
    try:
        from backend_lsp.analysis.taint.workspace import WorkspaceSummaries
    except ImportError:
        return None
    return WorkspaceSummaries(root)


def _found_across(case: XCase, rules: Any) -> bool:
    """Analyse ``app/views.py`` of a small project holding the case's other modules."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, text in {**case.files, "app/views.py": case.source}.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        document = ParsedDocument(case.source, "python")
        context = AnalysisContext(str(root / "app/views.py"), document)
        summaries = _summaries(root)
        if summaries is not None:
            context.taint_summaries = summaries
        return bool(analyze(context, rules))


def score(per_class: int, styles: bool = True) -> dict[str, Any]:
    results: dict[str, dict[str, int]] = {}
    times: list[float] = []
    misses: list[str] = []
    suite: list[Any] = [
        *cases(per_class),
        *pattern_cases(per_class),
        *(style_cases() if styles else []),
        *xmodule_cases(),
    ]
    for case in suite:
        rules = select_rules([case.code])
        if isinstance(case, XCase):
            found = _found_across(case, rules)
        else:
            started = time.perf_counter()
            document = ParsedDocument(case.source, "python")
            found = bool(analyze(AnalysisContext("app/views.py", document), rules))
            times.append(time.perf_counter() - started)
        row = results.setdefault(case.category, {"tp": 0, "fn": 0, "fp": 0, "tn": 0, "code": 0})
        if case.vulnerable:
            row["tp" if found else "fn"] += 1
        else:
            row["fp" if found else "tn"] += 1
        if found != case.vulnerable:
            misses.append(f"{case.category} {'FN' if case.vulnerable else 'FP'} {case.label}")
    categories: dict[str, Any] = {}
    for category, row in results.items():
        tpr = row["tp"] / max(1, row["tp"] + row["fn"])
        fpr = row["fp"] / max(1, row["fp"] + row["tn"])
        categories[category] = {
            "true": row["tp"] + row["fn"], "safe": row["fp"] + row["tn"],
            "tpr": round(tpr, 3), "fpr": round(fpr, 3), "score": round(tpr - fpr, 3),
        }  # fmt: skip
    mean = statistics.mean(c["score"] for c in categories.values())
    return {
        "categories": categories,
        "mean_score": round(mean, 3),
        "ms_per_file_median": round(statistics.median(times) * 1000, 2),
        "misses": misses,
    }


def speed(tree_files: int) -> dict[str, Any]:
    """`check` over a tree of real project modules (this repository's, repeated)."""
    repo = Path(__file__).resolve().parent.parent
    sources = sorted((repo / "server").rglob("*.py")) + sorted((repo / "tests").rglob("*.py"))
    sources += [Path(p) for p in ()]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(tree_files):
            original = sources[i % len(sources)]
            target = root / f"pkg{i // 200}" / f"m{i}_{original.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(original, target)
        exe = [sys.executable, "-m", "backend_lsp", "check", str(root), "--format", "json"]
        exe.append("--no-cache")  # the per-file cache would replay the other mode's results
        timings: dict[str, float] = {}
        for mode in ("off", "on", "off", "on"):
            env = {**os.environ, "BACKEND_LSP_TAINT": mode}
            started = time.perf_counter()
            subprocess.run(exe, env=env, capture_output=True, check=False, cwd=root)
            elapsed = time.perf_counter() - started
            timings[mode] = min(timings.get(mode, elapsed), elapsed)
    return {
        "tree_files": tree_files,
        "check_seconds_engine_off": round(timings["off"], 2),
        "check_seconds_engine_on": round(timings["on"], 2),
        "ratio_on_off": round(timings["on"] / timings["off"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-class", type=int, default=24)
    parser.add_argument("--tree-files", type=int, default=0)
    parser.add_argument(
        "--no-styles", action="store_true", help="leave out taint_suite/styles.py's cases"
    )
    args = parser.parse_args()
    result = score(args.per_class, not args.no_styles)
    if args.tree_files:
        result["speed"] = speed(args.tree_files)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
