"""Hover for SQL: a SQL string literal in Python, or a statement in a .sql file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.explain.facts import looks_like_sql, sql_facts, sql_literal
from backend_lsp.analysis.explain.markdown import code, findings_section, join_codes, overlapping
from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.python.imports import module_import_bindings
from backend_lsp.analysis.python.nodes import call_name

if TYPE_CHECKING:
    from backend_lsp.analysis.sql.facts import SqlFacts

_DIALECT_IMPORTS = {
    "psycopg": "postgres",
    "psycopg2": "postgres",
    "asyncpg": "postgres",
    "sqlite3": "sqlite",
    "aiosqlite": "sqlite",
    "pymysql": "mysql",
    "MySQLdb": "mysql",
    "mysql": "mysql",
    "aiomysql": "mysql",
}
_WRITES = ("UPDATE", "DELETE")


def module_dialect(ctx: AnalysisContext) -> str | None:
    """Guess the SQL dialect from the module's top-level driver imports."""
    root = ctx.root
    if root is None or ctx.language_id != "python":
        return None
    for bound in module_import_bindings(ctx.source, root):
        if bound.nested or bound.level:
            continue
        dialect = _DIALECT_IMPORTS.get(bound.module.split(".", 1)[0])
        if dialect is not None:
            return dialect
    return None


def explain_python_sql(
    ctx: AnalysisContext, string: Node, findings: list[Finding], dialect: str | None
) -> str | None:
    text = sql_literal(ctx.source, string)
    if text is None or not looks_like_sql(text):
        return None
    where = _executed_by(ctx.source, string)
    if sql_facts(text, dialect) is None and where is None:
        return None  # prose that happens to start with "Select ... from"
    related = overlapping(findings, string.start_byte, string.end_byte)
    return _render(ctx, text, dialect, where, related)


def explain_sql_file(
    ctx: AnalysisContext, offset: int, findings: list[Finding], dialect: str | None
) -> str | None:
    bounds = _statement_at(ctx.source, offset)
    if bounds is None:
        return None
    start, end = bounds
    text = ctx.source[start:end].decode("utf-8", "replace")
    if not looks_like_sql(text):
        return None
    return _render(ctx, text, dialect, None, overlapping(findings, start, end))


def _statement_at(source: bytes, offset: int) -> tuple[int, int] | None:
    """Byte range of the ';'-separated statement around ``offset`` (quote and comment aware)."""
    from backend_lsp.analysis.sql.placeholders import scan_sql

    text = source.decode("utf-8", "replace")
    char = len(source[:offset].decode("utf-8", "replace"))
    for start, end in scan_sql(text).statements:
        if start <= char <= end:
            begin = len(text[:start].encode("utf-8"))
            finish = begin + len(text[start:end].encode("utf-8"))
            chunk = source[begin:finish]
            lead = len(chunk) - len(chunk.lstrip())
            return begin + lead, finish
    return None


def _executed_by(source: bytes, string: Node) -> str | None:
    """The call a SQL string is passed to directly (``cur.execute``), if any."""
    parent = string.parent
    if parent is not None and parent.type == "argument_list" and parent.parent is not None:
        return call_name(source, parent.parent) or None
    return None


def _render(
    ctx: AnalysisContext,
    text: str,
    dialect: str | None,
    executed_by: str | None,
    related: list[Finding],
) -> str:
    facts = sql_facts(text, dialect)
    suffix = f" · {dialect}" if dialect else ""
    if executed_by:
        suffix += f" · passed to {code(executed_by)}"
    if facts is None:
        lines = [f"**SQL**{suffix}", "- Could not be parsed (dynamic or dialect-specific SQL)"]
        return "\n".join(lines + findings_section(related))
    lines = [f"**SQL {facts.kind}**{suffix}"]
    if facts.statements > 1:
        lines.append(f"- {facts.statements} statements; describing the first")
    if facts.tables:
        lines.append(f"- Tables: {join_codes(facts.tables)}")
    lines.extend(_columns(ctx, facts))
    if facts.joins:
        lines.append(f"- Joins: {join_codes(facts.joins, 4)}")
    if facts.filters:
        lines.append(f"- Filters: {join_codes(facts.filters, 5)}")
    elif facts.kind in _WRITES:
        lines.append(f"- Filters: **no WHERE**: the {facts.kind} touches every row")
    elif facts.kind == "SELECT" and facts.tables:
        lines.append("- Filters: none")
    if facts.order_by:
        lines.append(f"- Order by: {join_codes(facts.order_by, 4)}")
    if facts.kind == "SELECT" and facts.tables:
        lines.append("- Limit: yes" if facts.has_limit else "- Limit: none (all matching rows)")
    if facts.placeholders:
        styles = ", ".join(facts.paramstyles)
        lines.append(f"- Parameters: {facts.placeholders} ({styles})")
    return "\n".join(lines + findings_section(related))


def _columns(ctx: AnalysisContext, facts: SqlFacts) -> list[str]:
    lines: list[str] = []
    label = {"INSERT": "Inserts", "UPDATE": "Sets"}.get(facts.kind, "Columns")
    if facts.select_star:
        expanded: list[str] = []
        for star in facts.stars:
            for name in star.tables:
                table = ctx.schema.get(name)
                if table is not None:
                    expanded.extend(table.columns)
        if expanded:
            lines.append(f"- `*` expands to: {join_codes(expanded, 8)}")
        else:
            lines.append("- Columns: `*` (every column)")
    if facts.columns:
        lines.append(f"- {label}: {join_codes(facts.columns)}")
    return lines
