"""Every finding ``check`` reports on the speed tree and the real corpus, as JSON lines.

For proving a speed change changed nothing: run before and after, then ``diff``
(or ``cmp``) the two outputs. No result cache is read or written, and the run is
in-process with one worker unless ``--jobs`` says otherwise, so the output
depends only on the analyzer and the files.
Usage: python bench/findings_dump.py OUT [--tree DIR] [--jobs N] [--no-corpus]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from backend_lsp.config import AnalysisSettings
from backend_lsp.report.collect import collect
from backend_lsp.report.json_report import finding_to_dict

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from check_speed import DEFAULT_TREE, make_tree  # noqa: E402
from realworld import APPS, fetch  # noqa: E402


def dump(folder: Path, label: str, jobs: int, out: list[str]) -> None:
    report = collect(
        [folder], folder, AnalysisSettings(), cwd=folder, use_cache=False, workers=jobs
    )
    for item in report.findings:
        out.append(json.dumps({"tree": label, **finding_to_dict(item)}, sort_keys=True))
    for skipped in report.skipped:
        out.append(json.dumps({"tree": label, "skipped": str(skipped)}, sort_keys=True))
    out.append(json.dumps({"tree": label, "files_checked": report.files_checked}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--tree", type=Path, default=DEFAULT_TREE)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--no-corpus", action="store_true")
    args = parser.parse_args()
    make_tree(args.tree)
    lines: list[str] = []
    dump(args.tree, "speed-tree", args.jobs, lines)
    if not args.no_corpus:
        for app in APPS:
            dump(fetch(app), app.name, args.jobs, lines)
    args.out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"{len(lines)} lines -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
