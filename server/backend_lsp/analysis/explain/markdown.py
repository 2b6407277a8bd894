"""Markdown building blocks shared by every hover kind.

Hovers are read at a glance: one heading line, a few bullets, code in
backticks, nothing long. Every piece of source text that reaches the hover
goes through ``code()``, and the finished text through ``mask_secrets()``,
so a credential in a SQL string or a default argument is never echoed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from backend_lsp.analysis.model import Finding

MAX_CODE = 80
MAX_ITEMS = 6
MASK = "****"


def code(text: str, limit: int = MAX_CODE) -> str:
    """Inline code span: one line, bounded length, backticks that cannot break out."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    fence = "``" if "`" in flat else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def join_codes(items: Iterable[str], limit: int = MAX_ITEMS) -> str:
    """``a``, ``b``, ... with a count of what was left out."""
    unique = list(dict.fromkeys(i for i in items if i))
    shown = ", ".join(code(item) for item in unique[:limit])
    hidden = len(unique) - limit
    return f"{shown} (+{hidden} more)" if hidden > 0 else shown


def finding_line(finding: Finding) -> str:
    """One bullet per finding: code linked to its documentation, first sentence."""
    message = finding.message.strip()
    first = re.split(r"(?<=[.!?])\s", message, maxsplit=1)[0]
    label = f"[{finding.code}]({finding.doc_url})" if finding.doc_url else finding.code
    line = f"- {label} {finding.severity.label}: {first}"
    if finding.flow:  # the path the analyzer proved, one numbered step per line
        line += "\n" + "\n".join(
            f"  {i}. {step.message}" for i, step in enumerate(finding.flow, start=1)
        )
    return line


MAX_FLOW_STEPS = 5


def flow_chain(finding: Finding, limit: int = MAX_FLOW_STEPS) -> str:
    """The proved path on one line, source -> ... -> sink ('' for a finding without one).

    Steps name their lines already; a long flow keeps its ends (where the data enters and
    where it lands) and counts the copies left out between them.
    """
    steps = [" ".join(step.message.split()) for step in finding.flow]
    if len(steps) > limit:
        hidden = len(steps) - (limit - 1)
        steps = [*steps[: limit - 2], f"… {hidden} more step(s)", steps[-1]]
    return " -> ".join(steps)


def findings_section(findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    lines = ["", f"**Findings ({len(findings)})**"]
    lines.extend(finding_line(f) for f in findings[:MAX_ITEMS])
    if len(findings) > MAX_ITEMS:
        lines.append(f"- … {len(findings) - MAX_ITEMS} more")
    return lines


def overlapping(findings: list[Finding], start: int, end: int) -> list[Finding]:
    """Findings whose range touches [start, end]."""
    return [f for f in findings if f.start <= end and f.end >= start]


def mask_secrets(text: str) -> str:
    """Replace anything that looks like a credential with a fixed mask."""
    spans = _secret_spans(text)
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            start = last
        if start >= end:
            continue
        out.append(text[last:start])
        out.append(MASK)
        last = end
    out.append(text[last:])
    return "".join(out)


def _secret_spans(text: str) -> list[tuple[int, int]]:
    from backend_lsp.analysis.secrets import find_secrets

    return [(m.start, m.end) for m in find_secrets(text)]
