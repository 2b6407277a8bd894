"""Find table definitions in the workspace (placeholder: filled in by the SQL work)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from backend_lsp.analysis.schema import Table, WorkspaceSchema
from backend_lsp.syntax.document import ParsedDocument


def schema_from_document(path: str, document: ParsedDocument) -> list[Table]:
    """Tables defined in one file (CREATE TABLE, ORM models, migrations)."""
    return []


def discover_schema(paths: Iterable[Path]) -> WorkspaceSchema:
    """Tables defined across the given files."""
    return WorkspaceSchema()
