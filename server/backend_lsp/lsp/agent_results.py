"""Agent results that outlive their command: review diagnostics and explanations.

Everything is kept in UTF-8 byte offsets of the document's *current* text and
follows the user's edits. The model's words describe particular lines, so a
change that touches any line a result covers (its range or its fix) drops that
result; results wholly before or after the change stay, shifted. A full-text
sync drops everything for the document: we cannot tell what moved.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from backend_lsp.analysis.model import Edit, Finding
from backend_lsp.syntax.document import TextChange
from backend_lsp.text import LineIndex


@dataclass(frozen=True, slots=True)
class _Review:
    """One review finding (its fix pre-matched into byte edits: no second model call)."""

    finding: Finding
    span: tuple[int, int]
    """Whole lines covered by the finding and its fix: the region an edit must not touch."""


@dataclass(frozen=True, slots=True)
class Explanation:
    """An explanation of lines [start, end), shown by hover until those lines change."""

    start: int
    end: int
    markdown: str
    file: Path | None = None
    span: tuple[int, int] = (0, 0)


def line_span(index: LineIndex, start: int, end: int) -> tuple[int, int]:
    """[start of the first line, end of the last line] around a byte range."""
    return index.line_start(index.line_of(start)), index.line_end(index.line_of(end))


def _shift(span: tuple[int, int], start: int, end: int, delta: int) -> tuple[int, int] | None:
    """The span after replacing bytes [start, end); None when the change touches it."""
    first, last = span
    if end < first:
        return first + delta, last + delta
    if start > last:
        return span
    return None


@dataclass
class _Doc:
    diagnostics: list[_Review] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.diagnostics or self.explanations)


class AgentResults:
    """Per-URI store; ``generation(uri)`` changes whenever the diagnostics do."""

    def __init__(self) -> None:
        self._docs: dict[str, _Doc] = {}
        self._generation: dict[str, int] = {}
        self._ids = itertools.count(1)

    def _bump(self, uri: str) -> None:
        self._generation[uri] = self._generation.get(uri, 0) + 1

    def generation(self, uri: str) -> int:
        return self._generation.get(uri, 0)

    def new_id(self) -> str:
        return f"agent-{next(self._ids)}"

    # -- diagnostics -----------------------------------------------------------------------

    def diagnostics(self, uri: str) -> list[Finding]:
        """The review findings of ``uri`` in bytes of its current text, named by ``data["id"]``."""
        doc = self._docs.get(uri)
        return [d.finding for d in doc.diagnostics] if doc is not None else []

    def find(self, uri: str, diagnostic_id: str) -> Finding | None:
        return next((f for f in self.diagnostics(uri) if f.data.get("id") == diagnostic_id), None)

    def set_diagnostics(
        self, uri: str, reviewed: tuple[int, int], findings: Sequence[Finding], index: LineIndex
    ) -> None:
        """A new review of bytes ``reviewed`` replaces older findings inside that region.

        Each finding gets an id (its ``data["id"]``, which a quick fix names) and
        the span of whole lines its range and fix cover in ``index``'s text.
        """
        doc = self._docs.setdefault(uri, _Doc())
        first, last = reviewed
        kept = [d for d in doc.diagnostics if d.finding.end < first or d.finding.start > last]
        fresh = [
            _Review(replace(f, data={**f.data, "id": self.new_id()}), _finding_span(index, f))
            for f in findings
        ]
        doc.diagnostics = sorted([*kept, *fresh], key=lambda d: (d.finding.start, d.finding.end))
        self._bump(uri)

    # -- explanations ----------------------------------------------------------------------

    def add_explanation(self, uri: str, explanation: Explanation) -> None:
        doc = self._docs.setdefault(uri, _Doc())
        first, last = explanation.span
        doc.explanations = [
            e for e in doc.explanations if e.span[1] < first or e.span[0] > last
        ] + [explanation]

    def explanation_at(self, uri: str, offset: int) -> Explanation | None:
        doc = self._docs.get(uri)
        if doc is None:
            return None
        return next((e for e in doc.explanations if e.span[0] <= offset <= e.span[1]), None)

    # -- following the document --------------------------------------------------------------

    def forget(self, uri: str) -> None:
        if self._docs.pop(uri, None):
            self._bump(uri)

    def follow(self, uri: str, applied: Sequence[TextChange | None]) -> bool:
        """Follow the changes the document store applied; True when diagnostics were dropped.

        Each change is in bytes of the text as it was before that change (the
        store's own order), None when the whole text was replaced.
        """
        doc = self._docs.get(uri)
        if not doc:
            return False
        had = len(doc.diagnostics)
        for change in applied:
            if change is None:
                self.forget(uri)
                return had > 0
            start, end = change.start, change.end
            delta = len(change.text.encode("utf-8", "surrogatepass")) - (end - start)
            doc.diagnostics = _follow(doc.diagnostics, start, end, delta, _moved_diagnostic)
            doc.explanations = _follow(doc.explanations, start, end, delta, _moved_explanation)
            if not doc:
                break
        if not doc:
            self._docs.pop(uri, None)
        if len(doc.diagnostics) != had:
            self._bump(uri)
            return True
        if had:
            self._bump(uri)  # shifted: positions differ, so a pulled result id must too
        return False


_Followed = TypeVar("_Followed", _Review, Explanation)


def _follow(
    items: list[_Followed],
    start: int,
    end: int,
    delta: int,
    moved: Callable[[_Followed, int, tuple[int, int]], _Followed],
) -> list[_Followed]:
    """Drop items whose lines the change touched; move those after it by ``delta``."""
    kept: list[_Followed] = []
    for item in items:
        span = _shift(item.span, start, end, delta)
        if span is None:
            continue
        kept.append(item if span == item.span else moved(item, delta, span))
    return kept


def _finding_span(index: LineIndex, finding: Finding) -> tuple[int, int]:
    edits = finding.fix.edits if finding.fix is not None else ()
    starts = [finding.start, *(e.start for e in edits)]
    ends = [finding.end, *(e.end for e in edits)]
    return line_span(index, min(starts), max(ends))


def _moved_diagnostic(item: _Review, delta: int, span: tuple[int, int]) -> _Review:
    finding = item.finding
    fix = finding.fix
    if fix is not None:
        edits = tuple(Edit(e.start + delta, e.end + delta, e.new_text) for e in fix.edits)
        fix = replace(fix, edits=edits)
    moved = replace(finding, start=finding.start + delta, end=finding.end + delta, fix=fix)
    return _Review(moved, span)


def _moved_explanation(item: Explanation, delta: int, span: tuple[int, int]) -> Explanation:
    return replace(item, start=item.start + delta, end=item.end + delta, span=span)
