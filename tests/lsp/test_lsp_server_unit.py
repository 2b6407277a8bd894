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
    session = BackendLanguageServer().session
    session.set_schema(WorkspaceSchema())
    assert session.schema is None  # nothing found: same as no schema
    first = _schema("id", "email")
    session.set_schema(first)
    assert session.schema is first
    session.set_schema(_schema("id", "email"))
    assert session.schema is first
    changed = _schema("id", "email", "name")
    session.set_schema(changed)
    assert session.schema is changed
    session.set_schema(WorkspaceSchema())  # every table gone: that is a change
    assert session.schema is not changed and len(session.schema) == 0


def test_settings_and_services_are_built_on_first_use() -> None:
    server = BackendLanguageServer(cli_log_level="DEBUG")
    session = server.session
    assert session.settings_resolved is None and server._agent is None
    assert session.settings.log_level == "debug"  # resolved now, CLI flags included
    assert session.store is session.store and server._agent is not None  # agent plugged in
    assert session.diagnostics.push is session.push_diagnostics
