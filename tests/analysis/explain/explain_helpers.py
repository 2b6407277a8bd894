"""Build a context from source text and hover at a marked position."""

from __future__ import annotations

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.explain import explain_at
from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.registry import analyze
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.syntax import ParsedDocument


def context(
    source: str,
    language: str = "python",
    path: str = "app.py",
    schema: WorkspaceSchema | None = None,
) -> AnalysisContext:
    return AnalysisContext(path, ParsedDocument(source, language), schema or WorkspaceSchema())


def hover(
    source: str,
    needle: str,
    *,
    language: str = "python",
    path: str = "app.py",
    schema: WorkspaceSchema | None = None,
    findings: list[Finding] | None = None,
    delta: int = 0,
) -> str | None:
    """Hover at the first occurrence of ``needle`` (plus ``delta`` bytes)."""
    ctx = context(source, language, path, schema)
    offset = source.encode().index(needle.encode()) + delta
    found = analyze(ctx) if findings is None else findings
    return explain_at(ctx, offset, found)
