"""Server bookkeeping that needs no client."""

from __future__ import annotations

from backend_lsp.analysis.schema import Table, WorkspaceSchema
from backend_lsp.lsp.server import BackendLanguageServer


def _schema(*columns: str) -> WorkspaceSchema:
    schema = WorkspaceSchema()
    schema.add(Table("users", list(columns), path="models.py", line=3))
    return schema


def test_an_unchanged_schema_keeps_its_identity() -> None:
    # The incremental analyzer compares the schema by identity: a new but equal
    # object after every save or discovery would force a full re-analysis.
    server = BackendLanguageServer()
    server._set_schema(WorkspaceSchema())
    assert server.schema is None  # nothing found: same as no schema
    first = _schema("id", "email")
    server._set_schema(first)
    assert server.schema is first
    server._set_schema(_schema("id", "email"))
    assert server.schema is first
    changed = _schema("id", "email", "name")
    server._set_schema(changed)
    assert server.schema is changed
    server._set_schema(WorkspaceSchema())  # every table gone: that is a change
    assert server.schema is not changed and len(server.schema) == 0


def test_settings_and_services_are_built_on_first_use() -> None:
    server = BackendLanguageServer(cli_log_level="DEBUG")
    assert server._settings is None and server._services is None
    assert server.settings.log_level == "debug"  # resolved now, CLI flags included
    assert server.store is server.store and server._services is not None
    assert server.diagnostics.push is server.push_diagnostics
