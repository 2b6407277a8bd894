"""Findings placed in files: byte offsets turned into 1-based lines and columns once.

Columns count Unicode code points (what a person sees and what SARIF calls
``unicodeCodePoints``); end columns are exclusive, as in SARIF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from backend_lsp.analysis.model import Finding, FlowStep, RuleMeta
from backend_lsp.files import SkipReason
from backend_lsp.text import Encoding, LineIndex


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class LocatedEdit:
    span: Span
    new_text: str
    # A flow step in another file (an imported helper): its absolute path and, when under
    # the project root, its POSIX path relative to it.
    absolute: Path | None = None
    root_path: str | None = None


@dataclass(frozen=True, slots=True)
class LocatedFinding:
    """A finding with everything a formatter needs and nothing it must recompute."""

    finding: Finding
    path: str  # as shown to the user: relative to the cwd when under it
    root_path: str | None  # POSIX path relative to the project root, None when outside
    absolute: Path
    span: Span
    fix_edits: tuple[LocatedEdit, ...]
    line_text: str  # the first line of the finding, for stable fingerprints
    flow: tuple[LocatedEdit, ...] = ()  # taint steps: span and message (in ``new_text``)


@dataclass(slots=True)
class CheckReport:
    root: Path
    findings: list[LocatedFinding] = field(default_factory=list)
    rules: list[RuleMeta] = field(default_factory=list)  # the rules that ran
    files_checked: int = 0
    skipped: list[SkipReason] = field(default_factory=list)
    tool_version: str = ""


def _span(index: LineIndex, start: int, end: int) -> Span:
    first = index.position(start, Encoding.UTF32)
    last = index.position(end, Encoding.UTF32)
    return Span(first.line + 1, first.character + 1, last.line + 1, last.character + 1)


def display_path(path: Path, cwd: Path) -> str:
    absolute = path.absolute()
    try:
        return absolute.relative_to(cwd.absolute()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _located_step(step: FlowStep, index: LineIndex, root: Path) -> LocatedEdit:
    if step.path is None or step.place is None:
        return LocatedEdit(_span(index, step.start, step.end), step.message)
    line, column, end_line, end_column = step.place
    span = Span(line + 1, column + 1, end_line + 1, end_column + 1)
    other = Path(step.path)
    try:
        root_path: str | None = other.relative_to(root.absolute()).as_posix()
    except ValueError:
        root_path = None
    return LocatedEdit(span, step.message, other, root_path)


def locate(
    finding: Finding, index: LineIndex, path: Path, *, cwd: Path, root: Path
) -> LocatedFinding:
    absolute = path.absolute()
    try:
        root_path: str | None = absolute.relative_to(root.absolute()).as_posix()
    except ValueError:
        root_path = None
    span = _span(index, finding.start, finding.end)
    edits: tuple[LocatedEdit, ...] = ()
    if finding.fix is not None:
        edits = tuple(
            LocatedEdit(_span(index, edit.start, edit.end), edit.new_text)
            for edit in finding.fix.edits
        )
    line_text = index.line_bytes(span.line - 1).decode("utf-8", "replace")
    flow = tuple(_located_step(step, index, root) for step in finding.flow)
    return LocatedFinding(
        finding=finding,
        path=display_path(path, cwd),
        root_path=root_path,
        absolute=absolute,
        span=span,
        fix_edits=edits,
        line_text=line_text,
        flow=flow,
    )
