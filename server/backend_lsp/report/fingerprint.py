"""Finding fingerprints that survive line shifts: shared by SARIF and baselines.

A fingerprint hashes the rule, the file (relative to the project root) and
the trimmed text of the finding's first line, plus how many earlier findings
had the same three, so two identical lines in one file stay distinct. Edits
above a finding change its line number, never its fingerprint.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from backend_lsp.report.model import LocatedFinding


def _key(item: LocatedFinding) -> tuple[str, str, str]:
    return (item.finding.code, item.root_path or item.path, item.line_text.strip())


def fingerprint(item: LocatedFinding, occurrence: int) -> str:
    key = "\0".join([*_key(item), str(occurrence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def fingerprints(items: list[LocatedFinding]) -> list[str]:
    """One fingerprint per finding, in order (findings arrive sorted per file)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for item in items:
        key = _key(item)
        result.append(fingerprint(item, seen[key]))
        seen[key] += 1
    return result
