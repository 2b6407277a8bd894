"""JS/TS context recall benchmark: prints JSON.

For every route handler of the JS/TS fixture workspaces (Express + Prisma,
NestJS + TypeORM, CommonJS Express + Sequelize, a workspaces monorepo with
Express middleware and a Prisma package, Fastify plugins + Prisma, TypeScript project
references with a solution config and npm workspace links, fastify-plugin wrapped and
dynamically imported plugins), the context the agent would
send is compared with the workspace definitions the TypeScript language
service resolves from the handler's identifiers (tests/context/ts_oracle.cjs;
hand-written for the monorepo, tests/context/js_oracle_hand.json):
recall (mean, min) and tokens (mean, max) per workspace. TypeScript is an npm
package: ``--install`` puts it in ~/.cache/backend-lsp-bench/node with npm;
without it the answers stored in tests/context/ts_oracle_fixtures.json are
used (``--store`` rewrites them from a live TypeScript).

Usage: python bench/js_recall.py [--install] [--store] [--show-missed]
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
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "index"
TYPESCRIPT = "typescript@5.6"

sys.path.insert(0, str(REPO / "tests" / "context"))
sys.path.insert(0, str(REPO))
from jedi_oracle import recall  # noqa: E402
from route_handlers import handler_ranges  # noqa: E402
from tests.fixture_installs import install as install_fixture  # noqa: E402
from ts_oracle import (  # noqa: E402
    BENCH_NODE,
    FIXTURES,
    STORED,
    ask,
    expected_uses,
    hand_written,
    typescript_dir,
)


def install() -> None:
    BENCH_NODE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", TYPESCRIPT],
        cwd=BENCH_NODE,
        check=True,
    )


def measure(
    root: Path, typescript: Path | None, show_missed: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Recall and tokens of each handler's context in ``root``; the oracle's answers."""
    from backend_lsp.agent.workflow import ActionWorkflow
    from backend_lsp.config import resolve_settings
    from backend_lsp.context import context_to_json

    settings, _ = resolve_settings(root)
    workflow = ActionWorkflow(root, settings, cache=None)
    index = workflow.workspace_index()
    assert index is not None
    requests = handler_ranges(index)
    if hand_written(root, root.name) is not None:
        answers, source = expected_uses(root, root.name, requests), "hand-written"
    elif typescript is not None:
        answers, source = ask(typescript, root, requests), "typescript"
    else:
        answers, source = expected_uses(root, root.name, requests), "stored"
    values: list[float] = []
    spent: list[int] = []
    missed: list[str] = []
    for (rel, first, last), expected in zip(requests, answers, strict=True):
        path = root / rel
        bundle = workflow.context_bundle(path, path.read_text(), first, last, language_id=None)
        data = context_to_json(bundle, root)
        result = recall(expected, data["items"])
        values.append(result.value)
        spent.append(int(data["tokens"]))
        missed += [f"{rel}:{first} -> {p}:{n}" for p, n in sorted(result.missed)]
    figures: dict[str, Any] = {
        "oracle": source,
        "handlers": len(values),
        "definitions": sum(len(a) for a in answers),
        "recall_mean": round(statistics.mean(values), 3) if values else None,
        "recall_min": round(min(values), 3) if values else None,
        "tokens_mean": round(statistics.mean(spent)) if spent else None,
        "tokens_max": max(spent) if spent else None,
    }
    if show_missed:
        figures["missed"] = missed
    entries = [
        {"path": rel, "first": first, "last": last, "uses": sorted(map(list, answer))}
        for (rel, first, last), answer in zip(requests, answers, strict=True)
    ]
    return figures, entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--install", action="store_true", help="npm install TypeScript first")
    parser.add_argument("--store", action="store_true", help="rewrite the stored answers")
    parser.add_argument("--show-missed", action="store_true")
    args = parser.parse_args()
    if args.install:
        install()
    typescript = typescript_dir()
    if args.store and typescript is None:
        parser.error("--store needs TypeScript (--install)")
    results: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="backend-lsp-js-recall-") as tmp:
        os.environ["BACKEND_LSP_CACHE_DIR"] = str(Path(tmp) / "cache")
        for name in FIXTURES:
            root = Path(tmp) / name
            shutil.copytree(DATA / name, root)
            install_fixture(root, name)  # what npm install leaves (node_modules links)
            results[name], found = measure(root, typescript, args.show_missed)
            if results[name]["oracle"] == "typescript":
                answers[name] = found
    values = [r["recall_mean"] for r in results.values() if r["recall_mean"] is not None]
    results["recall_mean_all"] = round(statistics.mean(values), 3) if values else None
    results["load_average"] = [round(x, 2) for x in os.getloadavg()]
    if args.store:
        STORED.write_text(json.dumps(answers, indent=1) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
