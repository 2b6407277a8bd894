"""``*.sql`` file -> FileFacts: the tables and columns its DDL creates or changes.

Any stack's schema files and migrations (golang-migrate ``0001_x.up.sql``,
goose ``-- +goose Up`` sections, flyway ``V1__x.sql``, dbmate, plain
``schema.sql``). Each CREATE TABLE / ALTER TABLE statement becomes a ``table``
symbol named after its table (the statement's lines, its columns in the
outline), and every table a statement touches goes into ``migration_tables``,
the record Python migrations fill, so ``WorkspaceView.migrations`` and a
model's latest migration cover both. Statements are split and parsed with the
analyzer's own SQL helpers (``analysis.sql``); down migrations give nothing.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from backend_lsp.index.facts import FileFacts, Symbol

_DDL = re.compile(
    r"^\s*(?:create\s+(?:or\s+replace\s+)?(?:(?:global\s+|local\s+)?temp(?:orary)?\s+|unlogged\s+)?"
    r"table|alter\s+table|create\s+(?:unique\s+)?index)\b",
    re.I,
)
_LEADING = re.compile(r"^(?:\s+|--[^\n]*\n|/\*.*?\*/)*", re.S)
# Where the undo half of a one-file migration starts (goose, sql-migrate, dbmate).
_DOWN_SECTION = re.compile(r"^--\s*(?:\+goose\s+down|\+migrate\s+down|migrate:down)\b", re.I | re.M)
_MAX_COLUMNS_SHOWN = 40


def is_down_migration(rel: str) -> bool:
    """``0001_init.down.sql`` / ``U1__x.sql`` (flyway undo): it drops what the up file made."""
    name = PurePosixPath(rel).name.lower()
    return name.endswith((".down.sql", "_down.sql")) or bool(re.match(r"u\d+__", name))


def extract_sql(source: bytes, _root: object, rel: str) -> FileFacts:
    """Tables created or altered by one SQL file (lines are 1-based, like every symbol)."""
    if is_down_migration(rel):
        return FileFacts(language="sql")
    from sqlglot import exp

    from backend_lsp.analysis.sql.facts import parse_statement
    from backend_lsp.analysis.sql.placeholders import scan_sql

    text = source.decode("utf-8", "replace")
    down = _DOWN_SECTION.search(text)
    if down is not None:
        text = text[: down.start()]
    symbols: list[Symbol] = []
    tables: dict[str, None] = {}
    scan = scan_sql(text)
    for start, end in scan.statements:
        chunk = scan.normalized[start:end]
        lead = len(_LEADING.match(chunk).group(0))  # type: ignore[union-attr]
        if not _DDL.match(chunk[lead:]):
            continue
        tree = parse_statement(chunk)
        first = text.count("\n", 0, start + lead) + 1
        last = (
            first + text.count("\n", start + lead, end) - (1 if text[end - 1 : end] == "\n" else 0)
        )
        if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema):
            table = tree.this.this
            if not isinstance(table, exp.Table) or not table.name:
                continue
            columns = [c.name for c in tree.this.expressions if isinstance(c, exp.ColumnDef)]
            outline = f"CREATE TABLE {table.name} ({_columns(columns)})"
            targets = (r.find(exp.Table) for r in tree.this.find_all(exp.Reference))
            references = tuple(dict.fromkeys(t.name for t in targets if t is not None and t.name))
            name = table.name
        elif isinstance(tree, exp.Alter) and isinstance(tree.this, exp.Table) and tree.this.name:
            added = [a.name for a in tree.args.get("actions") or [] if isinstance(a, exp.ColumnDef)]
            name = tree.this.name
            verb = f"ADD COLUMN {_columns(added)}" if added else "..."
            outline = f"ALTER TABLE {name} {verb}"
            references = ()
        elif isinstance(tree, exp.Create) and isinstance(tree.this, exp.Index):
            table = tree.this.args.get("table")
            if isinstance(table, exp.Table) and table.name:
                tables.setdefault(table.name, None)
            continue
        else:
            continue
        tables.setdefault(name, None)
        symbols.append(
            Symbol(name, "table", None, first, max(first, last), outline, uses=references)
        )
    return FileFacts(language="sql", symbols=tuple(symbols), migration_tables=tuple(tables))


def _columns(columns: list[str]) -> str:
    shown = columns[:_MAX_COLUMNS_SHOWN]
    more = len(columns) - len(shown)
    return ", ".join(shown) + (f", ... {more} more" if more > 0 else "")
