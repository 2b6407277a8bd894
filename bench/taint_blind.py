"""Score the taint rules on the blind, hand-written suite in bench/taint_blind/.

Why: bench/taint.py scores a suite generated from the templates the engine was
tuned on; this one was written without reading the engine, its rules or its
suites, so it measures how the rules generalise to code written differently.

Each case file starts with ``# blind: <category> <tp|safe>``. The analyzer runs
once, exactly as ``backend-lsp check --format json --exit-zero`` does, and a
case counts as flagged when a finding of one of its category's codes (from the
README rules table) is reported in that file. Prints a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "bench" / "taint_blind"

# Category -> rule codes, taken from the README rules table.
CATEGORY_CODES: dict[str, frozenset[str]] = {
    "sqli": frozenset({"BE001"}),
    "cmdi": frozenset({"BE016"}),
    "codei": frozenset({"BE017"}),
    "pathtrav": frozenset({"BE018"}),
    "ssrf": frozenset({"BE019"}),
    "xss": frozenset({"BE020"}),
    "redirect": frozenset({"BE021"}),
    "xxe": frozenset({"BE022"}),
    "xpath": frozenset({"BE023"}),
    "ldap": frozenset({"BE024"}),
    "cookie": frozenset({"BE025"}),
    "weakrand": frozenset({"BE026"}),
    # Weak hashing of tokens/signatures is BE027; of passwords, BE014.
    "weakhash": frozenset({"BE027", "BE014"}),
    "trustbound": frozenset({"BE028"}),
    "deser": frozenset({"BE013"}),
}

HEADER = re.compile(r"^#\s*blind:\s*(\w+)\s+(tp|safe)\s*$")


def load_cases() -> dict[str, tuple[str, str]]:
    """Map each case's path (relative to the repo root) to (category, label)."""
    cases: dict[str, tuple[str, str]] = {}
    for path in sorted(SUITE.rglob("*.py")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        m = HEADER.match(first)
        if not m or m.group(1) not in CATEGORY_CODES:
            raise SystemExit(f"bad header in {path}: {first!r}")
        cases[path.relative_to(ROOT).as_posix()] = (m.group(1), m.group(2))
    return cases


def run_check() -> dict[str, set[str]]:
    """Run the CLI once over the suite; return the codes found per file."""
    exe = Path(sys.executable).with_name("backend-lsp")
    cmd = [str(exe), "check", "bench/taint_blind", "--format", "json", "--exit-zero"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found: dict[str, set[str]] = defaultdict(set)
    for f in json.loads(out):
        found[Path(f["path"]).as_posix()].add(f["code"])
    return found


def score(cases: dict[str, tuple[str, str]], found: dict[str, set[str]]) -> dict[str, object]:
    """Per-category TPR/FPR and the lists of misses and false alarms."""
    per: dict[str, dict[str, object]] = {}
    missed: dict[str, list[str]] = defaultdict(list)
    false_alarms: dict[str, list[str]] = defaultdict(list)
    for cat, codes in CATEGORY_CODES.items():
        tp = fn = fp = tn = 0
        for path, (c, label) in cases.items():
            if c != cat:
                continue
            flagged = bool(found.get(path, set()) & codes)
            name = Path(path).name
            if label == "tp":
                tp += flagged
                fn += not flagged
                if not flagged:
                    missed[cat].append(name)
            else:
                fp += flagged
                tn += not flagged
                if flagged:
                    false_alarms[cat].append(name)
        tpr = tp / (tp + fn) if tp + fn else 0.0
        fpr = fp / (fp + tn) if fp + tn else 0.0
        per[cat] = {
            "tp": tp,
            "fn": fn,
            "fp": fp,
            "tn": tn,
            "tpr": round(tpr, 3),
            "fpr": round(fpr, 3),
            "tpr_minus_fpr": round(tpr - fpr, 3),
        }
    scored = [v["tpr_minus_fpr"] for v in per.values() if v["tp"] + v["fn"]]  # type: ignore[operator]
    totals = {k: sum(v[k] for v in per.values()) for k in ("tp", "fn", "fp", "tn")}  # type: ignore[misc]
    return {
        "cases": len(cases),
        "totals": totals,
        "mean_tpr_minus_fpr": round(sum(scored) / len(scored), 3) if scored else 0.0,  # type: ignore[arg-type]
        "per_category": per,
        "missed_tp": dict(missed),
        "flagged_safe": dict(false_alarms),
    }


def main() -> None:
    """Entry point: print the JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indent", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(score(load_cases(), run_check()), indent=args.indent))


if __name__ == "__main__":
    main()
