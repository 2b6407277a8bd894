"""What the analyzer produces: findings and deterministic fixes.

Everything is in UTF-8 byte offsets of the analysed source; front ends (LSP,
CLI) convert to their own coordinates with ``backend_lsp.text.LineIndex``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Literal

from backend_lsp.analysis.needs import EVERY_FILE, Needs
from backend_lsp.analysis.python.paths import Location

if TYPE_CHECKING:
    from tree_sitter import Node

# What a rule's finding becomes in a kind of location: dropped, reported as is,
# or reported at this severity.
Treatment = Literal["skip", "report", "error", "warning", "info", "hint"]

# Who produced a Finding (its ``source``, the diagnostic's too): the analyzer or the agent.
ANALYZER_SOURCE = "backend-lsp"
AGENT_SOURCE = "backend-agent"


class Severity(IntEnum):
    """Ordered like LSP's DiagnosticSeverity so conversion is an identity."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return {1: "error", 2: "warning", 3: "info", 4: "hint"}[int(self)]

    @classmethod
    def parse(cls, name: str) -> Severity:
        lowered = name.strip().lower()
        aliases = {"error": 1, "warning": 2, "warn": 2, "info": 3, "information": 3, "hint": 4}
        if lowered not in aliases:
            raise ValueError(f"unknown severity {name!r} (use error, warning, info or hint)")
        return cls(aliases[lowered])


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace source bytes [start, end) with ``new_text``."""

    start: int
    end: int
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A deterministic fix: a title for the code action and its edits."""

    title: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class FileReads:
    """What a rule's findings in one top-level function may depend on outside it.

    Incremental analysis (``analysis/incremental.py``) derives its guards from
    these declarations: the outcome of every gate is part of the key under which
    findings are reused, and a function chunk holding a marker is treated as a
    module fact. Declare every whole-file test a rule (or a helper it calls) makes.
    """

    gates: tuple[bytes, ...] = ()  # whole-file ``gate in source`` tests
    patterns: tuple[re.Pattern[bytes], ...] = ()  # whole-file ``pattern.search(source)`` tests
    # Names bound anywhere in the file (HTTP sessions, say): in a file containing one
    # of ``when``, a function chunk containing one of ``markers``, or the local name of
    # an import whose qualified name contains one, is a fact.
    when: tuple[bytes, ...] = ()
    markers: tuple[bytes, ...] = ()
    # Imports and classes at any depth (aliases, import fixes, models): a function
    # chunk containing ``import`` or ``class`` is a fact.
    module: bool = True
    # Names this file's findings elsewhere depend on, found by the rule itself (BE008
    # reports a module constant where a function passes it as a password): a function
    # chunk containing one is a fact.
    named: Callable[[bytes, Node], tuple[bytes, ...]] | None = None


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """Stable identity and documentation of a rule."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc_url: str
    languages: tuple[str, ...] = ("python",)
    # Defaults per kind of location (tests, migrations...); configuration overrides them.
    locations: tuple[tuple[Location, Treatment], ...] = ()
    reads: FileReads = FileReads()  # what incremental analysis must watch (see FileReads)
    # Byte strings every finding implies in the file (analysis/needs.py): the registry
    # skips a file that lacks them. The default: every file is checked.
    needs: Needs = EVERY_FILE


@dataclass(frozen=True, slots=True)
class FlowStep:
    """One step of a data flow (source, copies, sink) at source bytes [start, end).

    A step in another file (an imported helper's sink) has that file's absolute
    ``path`` and its ``place``: (line, column, end line, end column), 0-based, columns
    in code points, since the finding's own line index cannot place it.
    """

    start: int
    end: int
    message: str
    path: str | None = None
    place: tuple[int, int, int, int] | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at a byte range, with an optional fix."""

    code: str
    name: str
    severity: Severity
    message: str
    start: int
    end: int
    doc_url: str
    fix: Fix | None = None
    source: str = ANALYZER_SOURCE
    data: dict[str, str] = field(default_factory=dict)
    # Taint findings: where the data came from and how it reached the sink, in order.
    flow: tuple[FlowStep, ...] = ()

    @classmethod
    def at(
        cls,
        meta: RuleMeta,
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
        severity: Severity | None = None,
        flow: tuple[FlowStep, ...] = (),
    ) -> Finding:
        return cls(
            code=meta.code,
            name=meta.name,
            severity=severity if severity is not None else meta.severity,
            message=message,
            start=start,
            end=end,
            doc_url=meta.doc_url,
            fix=fix,
            flow=flow,
        )
