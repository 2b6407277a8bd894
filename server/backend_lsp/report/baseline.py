"""Baselines: adopt the analyzer on an existing codebase and fail only on new findings.

The file is JSON with one entry per recorded finding (its fingerprint plus the
code, path and line text so a reviewer can read the diff of a baseline). The
fingerprint is the SARIF one, so a finding keeps its identity when lines
above it move.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from backend_lsp.report.fingerprint import fingerprints
from backend_lsp.report.model import CheckReport

FORMAT = "backend-lsp-baseline/1"


class BaselineError(Exception):
    """The baseline file is missing or not one we wrote."""


def write_baseline(target: Path, report: CheckReport) -> int:
    entries: list[dict[str, Any]] = [
        {
            "fingerprint": print_,
            "code": item.finding.code,
            "path": item.root_path or item.path,
            "line_text": item.line_text.strip(),
        }
        for item, print_ in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    payload = {"format": FORMAT, "tool_version": report.tool_version, "findings": entries}
    target.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def read_baseline(source: Path) -> Counter[str]:
    """Fingerprints in the file, counted (a fingerprint may be recorded more than once)."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"cannot read baseline {source}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"baseline {source} is not valid JSON: {error}") from error
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(entries, list):
        raise BaselineError(f"{source} is not a backend-lsp baseline (expected format {FORMAT})")
    return Counter(
        entry["fingerprint"]
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str)
    )


def filter_new(report: CheckReport, known: Counter[str]) -> int:
    """Drop findings the baseline records from ``report``; returns how many were dropped."""
    remaining = Counter(known)
    kept = []
    for item, print_ in zip(report.findings, fingerprints(report.findings), strict=True):
        if remaining[print_] > 0:
            remaining[print_] -= 1
        else:
            kept.append(item)
    hidden = len(report.findings) - len(kept)
    report.findings = kept
    return hidden
