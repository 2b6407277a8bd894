"""Deterministic query advice for the offline provider, with sqlglot.

Only what can be known from the text: ``SELECT *`` expanded to the columns the
workspace schema lists, and an index suggestion for the columns a single-table
query filters and sorts on. Anything that needs judgement is left to the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.analysis.sql.facts import looks_like_sql

# Candidates: string literals opening with a query verb; looks_like_sql decides.
_SQL_STRING = re.compile(
    r"""(?P<q>\"\"\"|'''|"|'|`)(?P<sql>\s*(?:select|with)\b(?:(?!(?P=q)).)*?)(?P=q)""",
    re.IGNORECASE | re.DOTALL,
)

_PYFORMAT = re.compile(r"%\(\w+\)s|%s")


@dataclass(frozen=True, slots=True)
class QueryAdvice:
    sql: str
    rewritten: str | None
    index: str | None
    reason: str


def sql_strings(text: str) -> list[str]:
    """SELECT/WITH statements written as string literals in a piece of code."""
    return [sql for _start, _end, sql in sql_string_spans(text)]


def sql_string_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sql) character spans of the SELECT/WITH string literals in code.

    What counts as SQL is the analyzer's sniffer (``looks_like_sql``), so the
    advice covers the strings the analyzer checks and prose stays out.
    """
    return [
        (m.start("sql"), m.end("sql"), m.group("sql"))
        for m in _SQL_STRING.finditer(text)
        if looks_like_sql(m.group("sql"))
    ]


def sql_statements(ctx: AnalysisContext) -> list[tuple[int, int, str]]:
    """(start byte, end byte, sql) of each statement of a .sql document, without its ';'.

    Statement starts come from the analyzer (only text that parses as SQL); the
    ends from the same ';' scan it uses, so strings and comments do not split.
    """
    from backend_lsp.analysis.sql.in_document import sql_in_document
    from backend_lsp.analysis.sql.placeholders import scan_sql

    if ctx.language_id != "sql":
        return []
    found: list[tuple[int, int, str]] = []
    bounds: tuple[tuple[int, int], ...] | None = None
    for statement in sql_in_document(ctx):
        text = statement.text
        if bounds is None:
            bounds = scan_sql(text).statements
        end = next((b for a, b in bounds if a <= statement.start < b), len(text))
        sql = text[statement.start : end].rstrip().rstrip(";").rstrip()
        first = statement.to_byte(statement.start)
        last = statement.to_byte(statement.start + len(sql))
        if sql and first is not None and last is not None:
            found.append((first, last, sql))
    return found


def advise(sql: str, schema: WorkspaceSchema, dialect: str | None = None) -> QueryAdvice | None:
    """Advice for one statement, or None when nothing is determinable."""
    import sqlglot
    from sqlglot import exp

    # DB-API pyformat placeholders are not SQL; sqlglot reads "?" as a placeholder.
    parsable = _PYFORMAT.sub("?", sql)
    try:
        tree = sqlglot.parse_one(parsable, read=dialect)
    except Exception:  # sqlglot raises several error types on partial/templated SQL
        return None
    if not isinstance(tree, exp.Select):
        return None
    tables = list(tree.find_all(exp.Table))
    if len(tables) != 1 or tree.args.get("joins"):
        return None
    table = tables[0].name
    rewritten: str | None = None
    reasons: list[str] = []
    known = schema.get(table)
    stars = [s for s in tree.expressions if isinstance(s, exp.Star)]
    if stars and known is not None and known.columns:
        new_sql = re.sub(
            r"(?i)(select\s+(?:distinct\s+)?)\*",
            lambda m: m.group(1) + ", ".join(known.columns),
            sql,
            count=1,
        )
        if new_sql != sql:
            rewritten = new_sql
            reasons.append(
                f"`SELECT *` lists the columns of `{table}` explicitly, so a schema change cannot "
                "silently change what the code receives; drop the ones the code does not use."
            )
    filters: list[str] = []
    where = tree.args.get("where")
    if where is not None:
        for predicate in where.find_all(exp.EQ, exp.In, exp.Is):
            column = predicate.this if isinstance(predicate.this, exp.Column) else None
            if column is not None and column.name not in filters:
                filters.append(column.name)
        for predicate in where.find_all(exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between):
            column = predicate.this if isinstance(predicate.this, exp.Column) else None
            if column is not None and column.name not in filters:
                filters.append(column.name)
    order = tree.args.get("order")
    sort = [o.this.name for o in order.expressions] if order is not None else []
    sort = [c for c in sort if c and c not in filters]
    index_columns = (filters + sort)[:4]
    index: str | None = None
    if index_columns and index_columns != ["id"]:
        name = f"ix_{table}_{'_'.join(index_columns)}"[:63]
        index = f"CREATE INDEX {name} ON {table} ({', '.join(index_columns)});"
        reasons.append(
            "The index serves the equality filters first, then range filters and the sort "
            "order, so the database can find and order rows without scanning the table "
            "(skip it if an existing index already starts with these columns; every index "
            "costs some write speed)."
        )
    if rewritten is None and index is None:
        return None
    return QueryAdvice(sql, rewritten, index, " ".join(reasons))
