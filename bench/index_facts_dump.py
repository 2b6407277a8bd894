"""Dump every file's index facts (one JSON line per file, sorted) to prove an extractor
change keeps the facts: dump before and after, then ``diff`` the two files.

Extraction runs in-process, without the SQLite cache, so the dump is the extractor's
output alone. Prints the file count and the extraction time as JSON.

Usage: python bench/index_facts_dump.py --corpus DIR --out FILE
       python bench/index_facts_dump.py --compare BEFORE AFTER

``--compare`` checks two dumps file by file. Since extractor py-4 a symbol's bare
uses hold only names the file defines at the top or imports (the only ones
``Resolver.lookup`` can resolve), so a py-3 dump is compared with its bare uses
filtered the same way; everything else must be equal.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any


def _resolvable(facts: dict[str, Any]) -> dict[str, Any]:
    """``facts`` (JSON form) with bare uses limited to top-level and imported names."""
    keep = {s[0] for s in facts["symbols"] if s[2] is None} | {i[2] for i in facts["imports"]}
    keep.discard("*")
    out = json.loads(json.dumps(facts))
    for symbol in out["symbols"]:
        symbol[7] = [u for u in symbol[7] if "." in u or u in keep]
    out["module_uses"] = [u for u in out["module_uses"] if "." in u or u in keep]
    return out


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["skipped"] != b["skipped"] or (a["facts"] is None) != (b["facts"] is None):
        return False
    return a["facts"] is None or _resolvable(a["facts"]) == _resolvable(b["facts"])


def compare(before: Path, after: Path) -> dict[str, Any]:
    old = [json.loads(line) for line in before.open()]
    new = [json.loads(line) for line in after.open()]
    differing: list[str] = []
    if [r["path"] for r in old] != [r["path"] for r in new]:
        return {"same_files": False}
    for a, b in zip(old, new, strict=True):
        if not _same(a, b):
            differing.append(a["path"])
    return {"same_files": True, "files": len(old), "differing": differing[:20],
            "differing_count": len(differing)}  # fmt: skip


def main() -> None:
    from backend_lsp.index import WorkspaceIndex
    from backend_lsp.index.extract import extract_path

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        print(json.dumps(compare(*args.compare)))
        return
    if args.corpus is None or args.out is None:
        parser.error("--corpus and --out are required (or --compare)")
    root = args.corpus.resolve()
    rels = sorted(WorkspaceIndex(root, persist=False)._candidates())
    started = time.perf_counter()
    results = [extract_path(str(root), rel) for rel in rels]
    seconds = time.perf_counter() - started
    with args.out.open("w") as out:
        for result in results:
            facts = result.facts.to_json() if result.facts is not None else None
            out.write(json.dumps({"path": result.rel, "skipped": result.skipped, "facts": facts},
                                 sort_keys=True) + "\n")  # fmt: skip
    print(json.dumps({"files": len(rels), "extract_s": round(seconds, 3)}))


if __name__ == "__main__":
    main()
