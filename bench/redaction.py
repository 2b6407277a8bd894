"""Redaction recall per secret family and false redactions on look-alikes, as JSON.

Run: ``python bench/redaction.py``. A secret counts as caught when no part of
it of 6 characters survives (other than text also found
around it) ``Redactor.redact``; a look-alike counts
as falsely redacted when redaction changes it at all.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from redaction_corpus import Case, lookalike_cases, secret_cases

from backend_lsp.agent.redaction import Redactor

_FRAGMENT = 6


def leaked(case: Case) -> bool:
    """True when the redacted text still holds the secret or a piece of it."""
    out = Redactor().redact(case.text)
    secret = case.secret
    if len(secret) <= _FRAGMENT:
        return secret in out
    around = case.text.replace(secret, "\0")  # text that may stay, e.g. a later "https://"
    return any(
        piece in out and piece not in around
        for piece in (secret[i : i + _FRAGMENT] for i in range(len(secret) - _FRAGMENT + 1))
    )


def measure() -> dict[str, object]:
    """The figures the targets are checked against."""
    secrets = secret_cases()
    lookalikes = lookalike_cases()
    per_family: dict[str, list[bool]] = defaultdict(list)
    missed: list[dict[str, str]] = []
    for case in secrets:
        caught = not leaked(case)
        per_family[case.family].append(caught)
        if not caught:
            missed.append(
                {"family": case.family, "language": case.language, "text": case.text[:120]}
            )
    false = [c for c in lookalikes if Redactor().redact(c.text) != c.text]
    caught_total = sum(sum(v) for v in per_family.values())
    return {
        "secrets": len(secrets),
        "families": len(per_family),
        "lookalikes": len(lookalikes),
        "recall": round(caught_total / len(secrets), 4),
        "false_redaction_rate": round(len(false) / len(lookalikes), 4),
        "recall_per_family": {k: round(sum(v) / len(v), 3) for k, v in sorted(per_family.items())},
        "cases_per_family": {k: len(v) for k, v in sorted(per_family.items())},
        "missed": missed,
        "false_redactions": [{"family": c.family, "text": c.text[:120]} for c in false],
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
