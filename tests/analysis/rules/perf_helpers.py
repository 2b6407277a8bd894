"""The shared rule helpers, with perf snippets placed in a service module by default."""

from __future__ import annotations

from rule_helpers import apply_fix, flagged, schema
from rule_helpers import run as _run

from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.schema import WorkspaceSchema

__all__ = ["apply_fix", "flagged", "run", "schema"]


def run(
    code: str, source: str, path: str = "app/services.py", known: WorkspaceSchema | None = None
) -> list[Finding]:
    return _run(code, source, path, known)
