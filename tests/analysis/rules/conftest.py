"""Run one rule over a snippet and apply its fix, the way the editor would."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rule_helpers import apply_edits

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
    return apply_edits(source, fix.edits)


@pytest.fixture
def check() -> Check:
    return _check


@pytest.fixture
def apply_fix() -> Callable[[str, Fix], str]:
    return _apply
