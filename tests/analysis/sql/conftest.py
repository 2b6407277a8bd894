"""Run one rule over a snippet and apply its fix, the way the editor would."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding, Fix
from backend_lsp.analysis.registry import analyze, select_rules
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.syntax.document import ParsedDocument

Check = Callable[..., list[Finding]]


def _check(
    code: str, source: str, language: str = "python", schema: WorkspaceSchema | None = None
) -> list[Finding]:
    path = "app/queries.sql" if language == "sql" else "app/queries.py"
    document = ParsedDocument(source, language)
    ctx = AnalysisContext(path, document, schema or WorkspaceSchema())
    return analyze(ctx, select_rules([code]))


def _apply(source: str, fix: Fix) -> str:
    data = source.encode("utf-8")
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        data = data[: edit.start] + edit.new_text.encode("utf-8") + data[edit.end :]
    return data.decode("utf-8")


@pytest.fixture
def check() -> Check:
    return _check


@pytest.fixture
def apply_fix() -> Callable[[str, Fix], str]:
    return _apply
