"""The analyzer re-checks an agent edit before it is offered (issue 10).

Every security rule counts, taint and pattern alike (``SECURITY_CODES``): a flow the
action was shown in the selection that survives the edit, or a security finding that is
new in the lines the edit touched (an insecure cookie, ``random`` for a token, MD5 over a
signature as much as an injection flow). Flows are matched by code and step texts without
line numbers, other findings by code, message and the text they cover, so moving code does
not make an old finding look new.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from backend_lsp.analysis.explain.markdown import flow_chain
from backend_lsp.analysis.model import Edit, Finding
from backend_lsp.text import LineIndex

_LINE = re.compile(r"\s*\((?:built on )?line \d+\)")
# Rules whose findings are security problems (CWE-linked injection, crypto, secrets, config);
# performance rules and BE007/BE015 (timeouts, swallowed errors) are not re-checked.
SECURITY_CODES = frozenset(
    {"BE001", *(f"BE{n:03d}" for n in range(8, 15)), *(f"BE{n:03d}" for n in range(16, 29))}
)


def flow_key(finding: Finding) -> tuple[str, ...]:
    """Offset- and line-free identity of a flow finding."""
    return (finding.code, *(_LINE.sub("", step.message) for step in finding.flow))


def finding_key(finding: Finding, text: bytes) -> tuple[str, ...]:
    """Offset-free identity of any security finding: its flow, else what it says and covers."""
    if finding.flow:
        return flow_key(finding)
    covered = text[finding.start : finding.end].decode("utf-8", "replace").strip()
    return (finding.code, _LINE.sub("", finding.message), covered)


def touched(edits: Sequence[Edit]) -> list[tuple[int, int]]:
    """Byte ranges the edits' new text covers in the edited text."""
    after_ranges: list[tuple[int, int]] = []
    shift = 0
    for edit in sorted(edits, key=lambda e: e.start):
        start = edit.start + shift
        size = len(edit.new_text.encode("utf-8", "surrogatepass"))
        after_ranges.append((start, start + size))
        shift += size - (edit.end - edit.start)
    return after_ranges


def remaining_flows(
    asked: Sequence[Finding],
    before: Sequence[Finding],
    edits: Sequence[Edit],
    after_text: str,
    analyze: Callable[[str], list[Finding]],
    before_text: str = "",
) -> list[str]:
    """One line per security finding the edit left or added (empty: nothing to say).

    ``asked``: the flow findings the model was shown; ``before``: every finding of the text
    the edits apply to (``before_text``); ``analyze``: the analyzer on a text of the same file.
    """
    if not edits:
        return []
    old, new = (
        before_text.encode("utf-8", "surrogatepass"),
        after_text.encode("utf-8", "surrogatepass"),
    )
    asked_keys = {flow_key(f) for f in asked if f.flow}
    known = {finding_key(f, old) for f in before if f.code in SECURITY_CODES}
    index = LineIndex.from_text(after_text)
    lines = [(index.line_of(start), index.line_of(end)) for start, end in touched(edits)]
    out: list[str] = []
    for finding in analyze(after_text):
        if finding.code not in SECURITY_CODES:
            continue
        key = finding_key(finding, new)
        first, last = index.line_of(finding.start), index.line_of(finding.end)
        where = f"line {first + 1}: {finding.code} {finding.name}"
        detail = flow_chain(finding) if finding.flow else finding.message
        if finding.flow and key in asked_keys:
            out.append(f"{where} is still there after the edit: {detail}")
        elif key not in known and any(a <= last and first <= b for a, b in lines):
            out.append(f"{where} is new in the edited lines: {detail}")
    return out
