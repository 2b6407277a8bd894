"""Static hover explanations (placeholder: filled in by the hover work)."""

from __future__ import annotations

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding


def explain_at(ctx: AnalysisContext, offset: int, findings: list[Finding]) -> str | None:
    """Markdown explaining the backend construct at ``offset``, or None."""
    return None
