"""The analyzer re-checks an agent edit before it is offered (issue 10).

Only proved data flows count (findings that carry a ``flow``): a flow the action was
shown in the selection and that survives the edit, or a new flow in the lines the edit
touched. Flows are matched by code and step texts without line numbers, so moving code
does not make an old flow look new.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from backend_lsp.analysis.explain.markdown import flow_chain
from backend_lsp.analysis.model import Edit, Finding
from backend_lsp.text import LineIndex

_LINE = re.compile(r"\s*\((?:built on )?line \d+\)")


def flow_key(finding: Finding) -> tuple[str, ...]:
    """Offset- and line-free identity of a flow finding."""
    return (finding.code, *(_LINE.sub("", step.message) for step in finding.flow))


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
) -> list[str]:
    """One line per flow the edit left or added (empty: nothing to say).

    ``asked``: the flow findings the model was shown; ``before``: every finding of the text
    the edits apply to; ``analyze``: the analyzer on a text of the same file.
    """
    if not edits:
        return []
    asked_keys = {flow_key(f) for f in asked if f.flow}
    known = {flow_key(f) for f in before if f.flow}
    index = LineIndex.from_text(after_text)
    lines = [(index.line_of(start), index.line_of(end)) for start, end in touched(edits)]
    out: list[str] = []
    for finding in analyze(after_text):
        if not finding.flow:
            continue
        key = flow_key(finding)
        first, last = index.line_of(finding.start), index.line_of(finding.end)
        where = f"line {first + 1}: {finding.code} {finding.name}"
        if key in asked_keys:
            out.append(f"{where} is still there after the edit: {flow_chain(finding)}")
        elif key not in known and any(a <= last and first <= b for a, b in lines):
            out.append(f"{where} is new in the edited lines: {flow_chain(finding)}")
    return out
