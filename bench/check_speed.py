"""``check`` speed on a tree of real Python files: prints JSON with times and ratios.

The tree is a copy of the .py files of this interpreter's site-packages under
``~/.cache/backend-lsp-bench/check-speed-tree`` (made once; real, varied code
nobody here wrote). In one run it measures, wall clock:
- ``parse_s``: this process reading every file ``check`` would analyse and parsing it
  with tree-sitter, one core, nothing else (the floor an analyzer is compared to);
- ``cold_s``: ``backend-lsp check`` with an empty result cache (all cores), and its CPU
  time (``cold_cpu_s``, against ``parse_cpu_s``: steadier when other jobs share the cores);
- ``warm_s``: the same again, nothing changed (cache hits);
- ``bandit_s``: ``bandit -r`` on the same tree (pip install -e '.[bench]').
Targets: cold <= 2x parse, warm <= 0.3x parse, bandit / cold >= 10.
Usage: python bench/check_speed.py [--tree DIR] [--min-files 4000] [--no-bandit]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from tree_sitter import Parser

from backend_lsp.files import IgnoreRules, iter_source_files
from backend_lsp.syntax.languages import get_language

DEFAULT_TREE = Path.home() / ".cache" / "backend-lsp-bench" / "check-speed-tree"


def make_tree(tree: Path) -> None:
    """Copy site-packages' .py files (structure kept) into ``tree``, once."""
    if tree.is_dir() and any(tree.iterdir()):
        return
    source = Path(sysconfig.get_paths()["purelib"])
    staging = tree.with_name(tree.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    for path in source.rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        target = staging / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (staging / ".git").mkdir(exist_ok=True)  # the tree is its own project root
    staging.rename(tree)


def parse_only(files: list[Path]) -> tuple[float, float]:
    """(wall, CPU) seconds to read and parse ``files`` in this process."""
    language = get_language("python")
    assert language is not None
    parser = Parser(language)
    started, cpu = time.perf_counter(), time.process_time()
    for path in files:
        parser.parse(path.read_bytes())
    return time.perf_counter() - started, time.process_time() - cpu


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=DEFAULT_TREE)
    parser.add_argument("--min-files", type=int, default=4000)
    parser.add_argument("--no-bandit", action="store_true")
    args = parser.parse_args()

    make_tree(args.tree)
    files = [p for p in iter_source_files([args.tree], args.tree, IgnoreRules(args.tree))]
    python_files = [p for p in files if p.suffix == ".py"]
    if len(python_files) < args.min_files:
        raise SystemExit(f"only {len(python_files)} Python files in {args.tree}")

    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="check-speed-cache-") as cache:
        env = {**os.environ, "BACKEND_LSP_CACHE_DIR": cache}
        check = [str(bin_dir / "backend-lsp"), "check", ".", "--exit-zero", "--format", "json"]
        check += ["--output", os.devnull]
        parse_s, parse_cpu = parse_only(files)
        cpu = children_cpu()
        cold_s = timed(check, env, args.tree)
        cold_cpu = children_cpu() - cpu
        warm_s = timed(check, env, args.tree)
    result: dict[str, object] = {
        "tree": str(args.tree),
        "files": len(files),
        "python_files": len(python_files),
        "bytes": sum(p.stat().st_size for p in files),
        "cores": os.cpu_count(),
        "parse_s": round(parse_s, 2),
        "cold_s": round(cold_s, 2),
        "warm_s": round(warm_s, 2),
        "cold_over_parse": round(cold_s / parse_s, 2),
        "warm_over_parse": round(warm_s / parse_s, 2),
        # CPU seconds (all cores): steadier than wall clock on a shared machine
        "parse_cpu_s": round(parse_cpu, 2),
        "cold_cpu_s": round(cold_cpu, 2),
        "cold_cpu_over_parse_cpu": round(cold_cpu / parse_cpu, 2),
    }
    bandit = shutil.which("bandit", path=str(bin_dir)) or shutil.which("bandit")
    if bandit and not args.no_bandit:
        bandit_s = timed([bandit, "-r", ".", "-q", "-f", "json", "-o", os.devnull], env, args.tree)
        result["bandit_s"] = round(bandit_s, 2)
        result["bandit_over_cold"] = round(bandit_s / cold_s, 2)
    result["targets"] = {
        "cold_over_parse<=2": result["cold_over_parse"] <= 2,  # type: ignore[operator]
        "warm_over_parse<=0.3": result["warm_over_parse"] <= 0.3,  # type: ignore[operator]
        "bandit_over_cold>=10": result.get("bandit_over_cold", 0) >= 10,  # type: ignore[operator]
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
