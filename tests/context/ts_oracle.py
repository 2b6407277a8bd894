"""Context recall for JS/TS against the TypeScript language service.

``ts_oracle.cjs`` asks TypeScript (``getDefinitionAtPosition``) for every
identifier in a handler's lines; each workspace definition outside the handler
is one the context should contain, as jedi's answers are for Python. The
compiler is an npm package: found through ``BACKEND_LSP_TYPESCRIPT``, the bench
cache (``bench/js_recall.py --install`` puts it there) or a global install.
Its answers for the fixtures are also stored (``ts_oracle_fixtures.json``), so
the recall test runs without it and checks the stored answers when it is there.
The monorepo fixture's ``@acme/*`` packages resolve only once installed and
built, so its oracle is written by hand (``js_oracle_hand.json``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from route_handlers import Request

SCRIPT = Path(__file__).with_name("ts_oracle.cjs")
STORED = Path(__file__).with_name("ts_oracle_fixtures.json")
HAND = Path(__file__).with_name("js_oracle_hand.json")
BENCH_NODE = Path.home() / ".cache" / "backend-lsp-bench" / "node"
# The JS/TS fixture workspaces (tests/data/index) whose context recall is measured.
FIXTURES = (
    "express_prisma",
    "nest_typeorm",
    "express_cjs",
    "node_monorepo",
    "fastify_prisma",
    "ts_references",
    "fastify_plugins",
)


def typescript_dir() -> Path | None:
    """The ``typescript`` package directory, if node and the package are installed."""
    if shutil.which("node") is None:
        return None
    candidates = [
        os.environ.get("BACKEND_LSP_TYPESCRIPT", ""),
        str(BENCH_NODE / "node_modules" / "typescript"),
    ]
    npm = shutil.which("npm")
    if npm is not None:
        done = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=False)
        candidates.append(str(Path(done.stdout.strip()) / "typescript"))
    for candidate in candidates:
        if candidate and (Path(candidate) / "lib" / "typescript.js").is_file():
            return Path(candidate)
    return None


def ask(typescript: Path, root: Path, requests: list[Request]) -> list[set[tuple[str, int]]]:
    """TypeScript's answer for each (path, first, last) of ``root``, in one node run."""
    payload = json.dumps([{"path": p, "first": f, "last": la} for p, f, la in requests])
    done = subprocess.run(
        ["node", str(SCRIPT), str(typescript), str(root)],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return [{(rel, int(line)) for rel, line in answer} for answer in json.loads(done.stdout)]


def stored(fixture: str) -> dict[Request, set[tuple[str, int]]]:
    """The stored answers for one fixture workspace."""
    data = json.loads(STORED.read_text()).get(fixture, [])
    return {(e["path"], e["first"], e["last"]): {(r, int(n)) for r, n in e["uses"]} for e in data}


def hand_written(root: Path, fixture: str) -> dict[int, set[tuple[str, int]]] | None:
    """``js_oracle_hand.json``: handler first line -> definition lines, found by their text
    (None when the fixture has no hand-written oracle)."""
    data = json.loads(HAND.read_text()).get(fixture)
    if data is None:
        return None

    def line(rel: str, text: str) -> int:
        lines = (root / rel).read_text().splitlines()
        return next(i for i, line in enumerate(lines, 1) if line.startswith(text) or text in line)

    return {
        line(e["path"], e["handler"]): {(rel, line(rel, text)) for rel, text in e["uses"]}
        for e in data
    }


def expected_uses(root: Path, fixture: str, requests: list[Request]) -> list[set[tuple[str, int]]]:
    """The oracle for each handler: hand-written where the fixture has one, else stored."""
    hand = hand_written(root, fixture)
    if hand is not None:
        return [hand[first] for _rel, first, _last in requests]
    known = stored(fixture)
    return [known[r] for r in requests]
