"""What a SQL statement does, extracted with sqlglot for rules and hover.

sqlglot is imported inside the functions: importing it costs start-up time
the language server cannot spare before ``initialize``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from backend_lsp.analysis.sql.placeholders import Placeholder, scan_sql

if TYPE_CHECKING:
    from sqlglot import exp

MAX_SQL_CHARS = 200_000

_LEADING_NOISE = re.compile(r"^(?:\s+|--[^\n]*\n?|/\*.*?\*/|\()*", re.S)
_LEADING_TRIVIA = re.compile(r"(?:\s+|--[^\n]*\n?|/\*.*?\*/)*", re.S)
_VERB = re.compile(r"[A-Za-z]+")
# verb -> regex that must also match somewhere, so English prose is not taken for SQL
_VERB_PARTNER: dict[str, re.Pattern[str]] = {
    "select": re.compile(
        r"\bfrom\b|^select\s+(?:distinct\s+)?(?:[\d*?:$@('%-]|\w+\s*\(|\w+\s*(?:,|$|\bas\b))",
        re.I | re.S,
    ),
    "insert": re.compile(r"\binto\b", re.I),
    "update": re.compile(r"\bset\b", re.I),
    "delete": re.compile(r"\bfrom\b", re.I),
    "with": re.compile(r"^with\s+(?:recursive\s+)?\w+\s*(?:\([^)]*\)\s*)?as\s*\(", re.I),
    "create": re.compile(
        r"^create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+|unique\s+|materialized\s+)*"
        r"(?:table|index|view|schema|sequence|type|function|trigger|extension|database)\b",
        re.I,
    ),
    "alter": re.compile(r"^alter\s+(?:table|index|view|sequence|type|database|schema)\b", re.I),
    "drop": re.compile(r"^drop\s+(?:table|index|view|sequence|type|schema|database)\b", re.I),
    "truncate": re.compile(r"^truncate\s+(?:table\s+)?[\w\"`.]+\s*(?:;|$|,|\w)", re.I),
    "replace": re.compile(r"\binto\b", re.I),
    "merge": re.compile(r"\binto\b", re.I),
    "upsert": re.compile(r"\binto\b", re.I),
    "explain": re.compile(r"\b(?:select|insert|update|delete|with)\b", re.I),
}


@dataclass(frozen=True, slots=True)
class StarRef:
    """One ``*`` or ``t.*`` in a select list, with what it expands from.

    ``start``/``end`` are character offsets in the SQL text; ``tables`` are the
    real tables the star covers (empty when a source is a subquery or CTE, so
    it cannot be expanded from the schema).
    """

    start: int
    end: int
    qualifier: str | None
    tables: tuple[str, ...]
    derived: bool = False  # every source is a subquery or CTE: columns already chosen
    narrowed: bool = False  # inside a subquery whose enclosing SELECT names the columns it keeps


@dataclass(frozen=True, slots=True)
class SqlFacts:
    """A summary of the first statement of a SQL text (``statements`` counts them all)."""

    kind: str
    tables: tuple[str, ...]
    columns: tuple[str, ...]
    select_star: bool
    stars: tuple[StarRef, ...]
    filters: tuple[str, ...]
    joins: tuple[str, ...]
    has_where: bool
    has_limit: bool
    order_by: tuple[str, ...]
    placeholders: int
    paramstyles: tuple[str, ...]
    statements: int = 1

    @property
    def paramstyle(self) -> str | None:
        return self.paramstyles[0] if self.paramstyles else None


def looks_like_sql(text: str) -> bool:
    """Cheap test run before any parsing: a SQL verb first, and its usual partner.

    The one SQL sniffer: the analyzer, where an action applies
    (``context/places.py``) and the offline provider all decide with it.
    """
    if not text or len(text) > MAX_SQL_CHARS:
        return False
    body = _LEADING_NOISE.sub("", text, count=1)
    verb_match = _VERB.match(body)
    if verb_match is None:
        return False
    partner = _VERB_PARTNER.get(verb_match.group(0).lower())
    return partner is not None and partner.search(body) is not None


# A string literal's prefix and opening quote, in the supported languages.
_LITERAL_OPENING = re.compile(r"^[A-Za-z]{0,3}(?:\"{3}|'{3}|[\"'`])")


def looks_like_sql_literal(literal: str) -> bool:
    """``looks_like_sql`` of a string literal as written: ``f"..."``, ``'''...``, `` `...` ``."""
    return looks_like_sql(_LITERAL_OPENING.sub("", literal, count=1))


# Re-analysis after a keystroke sees the same SQL strings again; sqlglot parsing
# is the costliest step, and SqlFacts is immutable, so memoise by text.
@lru_cache(maxsize=4096)
def describe_sql(sql: str, dialect: str | None = None) -> SqlFacts | None:
    """Facts about ``sql`` or None when it is not SQL sqlglot can read. Never raises."""
    if not looks_like_sql(sql):
        return None
    scan = scan_sql(sql)
    if not scan.statements:
        return None
    start, end = scan.statements[0]
    tree = parse_statement(scan.normalized[start:end], dialect)
    if tree is None:
        return None
    try:
        return _facts(tree, dialect, scan.placeholders, len(scan.statements), start)
    except Exception:  # sqlglot trees vary by version; a surprise must not break analysis
        return None


def describe_statements(sql: str, dialect: str | None = None) -> list[tuple[int, SqlFacts]]:
    """Facts of every statement with its start offset in ``sql`` (for .sql files)."""
    if len(sql) > MAX_SQL_CHARS * 10:
        return []
    scan = scan_sql(sql)
    results: list[tuple[int, SqlFacts]] = []
    for start, end in scan.statements:
        chunk = sql[start:end]
        if not looks_like_sql(chunk):
            continue
        tree = parse_statement(scan.normalized[start:end], dialect)
        if tree is None:
            continue
        inside = tuple(p for p in scan.placeholders if start <= p.start < end)
        try:
            facts = _facts(tree, dialect, inside, 1, start)
        except Exception:
            continue
        lead = _LEADING_TRIVIA.match(chunk).end()  # type: ignore[union-attr]
        results.append((start + lead, facts))
    return results


def parse_statement(sql: str, dialect: str | None = None) -> exp.Expr | None:
    """One parsed statement, or None on any parse failure (sqlglot raises many types)."""
    import sqlglot
    from sqlglot import exp

    _quiet_sqlglot()
    try:
        trees = [t for t in sqlglot.parse(sql, read=dialect) if t is not None]
    except Exception:
        return None
    if len(trees) != 1 or isinstance(trees[0], exp.Command | exp.Alias | exp.Column):
        return None
    return trees[0]


@cache
def _quiet_sqlglot() -> None:
    """sqlglot warns on every statement it only half supports; in an editor that is noise."""
    logging.getLogger("sqlglot").setLevel(logging.ERROR)


def _facts(
    tree: exp.Expr,
    dialect: str | None,
    placeholders: tuple[Placeholder, ...],
    statements: int,
    offset: int,
) -> SqlFacts:
    from sqlglot import exp

    def sql_of(node: exp.Expr) -> str:
        return node.sql(dialect=dialect)

    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    tables: list[str] = []
    for table in tree.find_all(exp.Table):
        name = _table_name(table)
        if name and name.lower() not in cte_names and name not in tables:
            tables.append(name)

    main = _main_select(tree)
    stars = tuple(_stars(tree, cte_names, offset))
    columns: list[str] = []
    if isinstance(tree, exp.Select | exp.Union | exp.Intersect | exp.Except) and main is not None:
        columns = [
            e.alias_or_name if isinstance(e, exp.Column | exp.Alias) else sql_of(e)
            for e in main.expressions
            if not isinstance(e, exp.Star)
            and not (isinstance(e, exp.Column) and isinstance(e.this, exp.Star))
        ]
    elif isinstance(tree, exp.Insert):
        target = tree.this
        if isinstance(target, exp.Schema):
            columns = [sql_of(c) for c in target.expressions]
    elif isinstance(tree, exp.Update):
        columns = [sql_of(e.this) for e in tree.expressions if isinstance(e, exp.EQ)]

    holder: exp.Expr | None = main if main is not None else tree
    where = tree.args.get("where") if main is None else main.args.get("where")
    filters: tuple[str, ...] = ()
    if isinstance(where, exp.Where):
        condition = where.this
        parts = list(condition.flatten()) if isinstance(condition, exp.And) else [condition]
        filters = tuple(sql_of(p) for p in parts)
    joins = tuple(sql_of(j) for j in (holder.args.get("joins") or [])) if holder else ()
    order = tree.args.get("order") or (holder.args.get("order") if holder else None)
    order_by = tuple(sql_of(o) for o in order.expressions) if isinstance(order, exp.Order) else ()
    limit = tree.args.get("limit") or tree.args.get("fetch")
    if limit is None and holder is not None:
        limit = holder.args.get("limit") or holder.args.get("fetch")

    styles: list[str] = []
    for placeholder in placeholders:
        if placeholder.style not in styles:
            styles.append(placeholder.style)
    return SqlFacts(
        kind=_kind(tree),
        tables=tuple(tables),
        columns=tuple(columns),
        select_star=bool(stars),
        stars=stars,
        filters=filters,
        joins=joins,
        has_where=isinstance(where, exp.Where),
        has_limit=limit is not None,
        order_by=order_by,
        placeholders=len(placeholders),
        paramstyles=tuple(styles),
        statements=statements,
    )


def _kind(tree: exp.Expr) -> str:
    from sqlglot import exp

    if isinstance(tree, exp.Select | exp.Union | exp.Intersect | exp.Except):
        return "SELECT"
    if isinstance(tree, exp.TruncateTable):
        return "TRUNCATE"
    named = {
        exp.Insert: "INSERT",
        exp.Update: "UPDATE",
        exp.Delete: "DELETE",
        exp.Create: "CREATE",
        exp.Drop: "DROP",
        exp.Alter: "ALTER",
        exp.Merge: "MERGE",
    }
    for cls, kind in named.items():
        if isinstance(tree, cls):
            return kind
    return type(tree).__name__.upper()


def _main_select(tree: exp.Expr) -> exp.Select | None:
    from sqlglot import exp

    node: Any = tree
    while isinstance(node, exp.Union | exp.Intersect | exp.Except):
        node = node.this
    return node if isinstance(node, exp.Select) else None


def _table_name(table: exp.Table) -> str:
    parts = [p for p in (table.catalog, table.db, table.name) if p]
    return ".".join(parts)


def _narrowed(select: exp.Select) -> bool:
    """What reaches the caller from ``select`` is chosen by whoever reads it.

    A CTE body is narrowed when every SELECT that reads the CTE (its own recursive
    term aside) names the CTE's columns it keeps; a derived table when its enclosing
    SELECT stars neither everything nor the derived table's alias (``G.*`` over
    another table does not widen it); any other subquery when the nearest enclosing
    SELECT lists its columns.
    """
    from sqlglot import exp

    body: exp.Expr = select
    while isinstance(body.parent, exp.Union | exp.Intersect | exp.Except | exp.Paren):
        body = body.parent
    container = body.parent
    if isinstance(container, exp.CTE):
        readers = _cte_readers(container)
        if readers:
            return all(not _stars_over(reader, alias) for reader, alias in readers)
    elif isinstance(container, exp.Subquery) and container.alias:
        outer = container.find_ancestor(exp.Select)
        if outer is not None:
            return not _stars_over(outer, container.alias.lower())
    outer = select.parent.find_ancestor(exp.Select) if select.parent is not None else None
    return outer is not None and not any(
        isinstance(column, exp.Star) or isinstance(column.this, exp.Star)
        for column in outer.expressions
    )


def _cte_readers(cte: exp.CTE) -> list[tuple[exp.Select, str]]:
    """(SELECT, alias) for every FROM or JOIN of ``cte`` outside its own body."""
    from sqlglot import exp

    name = cte.alias_or_name.lower()
    statement = cte.root()
    readers: list[tuple[exp.Select, str]] = []
    for table in statement.find_all(exp.Table):
        if table.name.lower() != name or table.db or _inside(table, cte):
            continue
        reader = table.find_ancestor(exp.Select)
        if reader is not None and isinstance(table.parent, exp.From | exp.Join):
            readers.append((reader, (table.alias or table.name).lower()))
    return readers


def _inside(node: exp.Expr, ancestor: exp.Expr) -> bool:
    parent = node.parent
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent
    return False


def _stars_over(select: exp.Select, alias: str) -> bool:
    """``select`` keeps every column of the source named ``alias``: ``*`` or ``alias.*``."""
    from sqlglot import exp

    return any(
        isinstance(column, exp.Star)
        or (
            isinstance(column, exp.Column)
            and isinstance(column.this, exp.Star)
            and (column.table or "").lower() == alias
        )
        for column in select.expressions
    )


def _stars(tree: exp.Expr, cte_names: set[str], offset: int) -> list[StarRef]:
    """Select-list stars, skipping COUNT(*) and stars under EXISTS (they fetch nothing)."""
    from sqlglot import exp

    refs: list[StarRef] = []
    for star in tree.find_all(exp.Star):
        qualifier: str | None = None
        owner = star.parent
        if isinstance(owner, exp.Column):
            qualifier = owner.table or None
            owner = owner.parent
        if not isinstance(owner, exp.Select) or star.find_ancestor(exp.Exists) is not None:
            continue
        meta_start = star.meta.get("start")
        if not isinstance(meta_start, int):
            continue
        sources = _sources(owner, cte_names)
        if qualifier is not None:
            target = sources.get(qualifier.lower())
            covered: tuple[str, ...] = (target,) if target else ()
            derived = target == ""
        else:
            resolved = list(sources.values())
            covered = tuple(resolved) if resolved and all(resolved) else ()
            derived = bool(resolved) and not any(resolved)
        start = offset + meta_start
        refs.append(StarRef(start, start + 1, qualifier, covered, derived, _narrowed(owner)))
    return sorted(refs, key=lambda ref: ref.start)


def _sources(select: exp.Select, cte_names: set[str]) -> dict[str, str]:
    """alias -> real table name for FROM and JOIN sources ('' for subqueries/CTEs)."""
    from sqlglot import exp

    found: dict[str, str] = {}
    from_ = select.args.get("from_") or select.args.get("from")
    candidates: list[Any] = [from_.this] if isinstance(from_, exp.From) else []
    candidates += [join.this for join in select.args.get("joins") or []]
    for source in candidates:
        alias = source.alias_or_name.lower() if hasattr(source, "alias_or_name") else ""
        if isinstance(source, exp.Table) and source.name.lower() not in cte_names:
            found[alias or source.name.lower()] = _table_name(source)
        else:
            found[alias] = ""
    return found
