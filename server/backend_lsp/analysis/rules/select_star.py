"""BE002: ``SELECT *`` in application queries.

Not flagged: ``COUNT(*)``, ``EXISTS (SELECT * ...)``, stars over a subquery or
CTE (its columns are already chosen), stars inside a subquery, LATERAL join or CTE
whose enclosing SELECT names its columns (the outer query narrows them), ``INSERT ... SELECT *`` /
``CREATE ... AS SELECT *`` (copying whole rows is the point there), rows that fill
a model (``fetchall(sql, model=Payment)``, also through a variable), rows whose every
column (as the schema knows the table) the code reads by name, ``LIMIT 1``
probes without a WHERE, and tables interpolated at run time (columns unknown here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import ONE_OFF_DATA_CODE
from backend_lsp.analysis.model import Edit, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.nodes import assigned_name, enclosing_scope, walk
from backend_lsp.analysis.python.sql_strings import SQL_READS
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.schema import Table
from backend_lsp.analysis.sql.facts import StarRef
from backend_lsp.analysis.sql.in_document import DocumentSql, sql_in_document

_SHOWN_COLUMNS = 8


@register
class SelectStar:
    meta = RuleMeta(
        code="BE002",
        name="select-star",
        severity=Severity.WARNING,
        summary="SELECT * fetches every column, including ones added later.",
        doc_url="https://use-the-index-luke.com/blog/2013-08/its-not-about-the-star-stupid",
        languages=("python", "sql"),
        locations=ONE_OFF_DATA_CODE,
        reads=SQL_READS,  # through sql_in_document
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        for found in sql_in_document(ctx):
            if found.facts.kind != "SELECT" or _maps_to_model(ctx, found):
                continue
            if _probe(found.text) or (
                found.node is not None and _DYNAMIC_TABLE.search(ctx.text(found.node))
            ):
                continue
            for star in found.facts.stars:
                if star.derived or star.narrowed or _catalog_only(star):
                    continue
                start = found.to_byte(star.start)
                if start is None:
                    continue
                table = _single_table(ctx, star)
                if table is not None and _reads_every_column(ctx, found, table):
                    continue
                yield Finding.at(
                    self.meta,
                    start,
                    start + 1,
                    _message(star, table),
                    _fix(found, star, table),
                )


# Database catalogs: probing them for existence is not an application query.
_CATALOGS = ("sqlite_master", "sqlite_schema", "information_schema.", "pg_catalog.", "pg_")


def _catalog_only(star: StarRef) -> bool:
    return bool(star.tables) and all(t.lower().startswith(_CATALOGS) for t in star.tables)


# ``SELECT * FROM t LIMIT 1`` with no WHERE: a probe that the table or source is readable.
_PROBE = re.compile(r"\bLIMIT\s+[01]\s*;?\s*$", re.IGNORECASE)
# ``f"SELECT * FROM {table_ref(ext, name)}"``: a table chosen at run time, columns unknown
# here (an UPPER_CASE constant names one fixed table and stays a finding).
_DYNAMIC_TABLE = re.compile(r"\b(?i:FROM)\s+[\"`\[]?\{(?![A-Z_][A-Z0-9_]*\})")


def _probe(sql: str) -> bool:
    return bool(_PROBE.search(sql)) and " where " not in f" {sql.lower()} "


def _maps_to_model(ctx: AnalysisContext, found: DocumentSql) -> bool:
    """``db.fetchone("SELECT * ...", values, model=Payment)``: whole rows fill a whole model.

    The query then follows the model, as an ORM's does; naming its columns again is noise.
    Also when the SQL is first kept in a variable (``query = "SELECT * ..."``) that a call
    of the same function passes on with a model.
    """
    node = found.node
    while node is not None and node.type in ("string", "concatenated_string", "keyword_argument"):
        node = node.parent
    if node is not None and node.type == "assignment":
        return _variable_maps_to_model(ctx, node)
    if node is None or node.type != "argument_list" or found.node is None:
        return False
    return _model_argument(ctx, node, found.node)


def _variable_maps_to_model(ctx: AnalysisContext, assignment: Node) -> bool:
    left = assignment.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return False
    name = ctx.text(left)
    scope = enclosing_scope(assignment)
    for node in walk(scope):
        if node.type != "argument_list" or node.start_byte < assignment.end_byte:
            continue
        passes = any(a.type == "identifier" and ctx.text(a) == name for a in node.named_children)
        if passes and _model_argument(ctx, node, left):
            return True
    return False


def _model_argument(ctx: AnalysisContext, node: Node, sql: Node) -> bool:
    for argument in node.named_children:
        if argument.type == "keyword_argument":
            name = ctx.text(argument.child_by_field_name("name") or argument)
            value = argument.child_by_field_name("value")
            if name in ("model", "model_class", "as_model") and value is not None:
                return True
        elif (
            argument.type == "identifier"
            and argument != sql
            and ctx.text(argument) != ctx.text(sql)
        ):
            text = ctx.text(argument)
            if text[:1].isupper() and not text.isupper():
                return True  # a class passed positionally: ``fetchone(sql, values, Payment)``
    return False


def _reads_every_column(ctx: AnalysisContext, found: DocumentSql, table: Table) -> bool:
    """``row = await db.fetchone("SELECT * FROM settings ...")`` then ``row["id"]``,
    ``row["value"]``, ``row["tag"]``: every column is used, so there is none to drop.

    Rows reached through a loop over the fetched list (``for row in rows``) count too.
    A column the code never reads keeps the finding.
    """
    node = found.node
    while node is not None and node.type in ("string", "concatenated_string"):
        node = node.parent
    call = node.parent if node is not None and node.type == "argument_list" else None
    if call is None or call.type != "call":
        return False
    assigned = assigned_name(call)
    if assigned is None:
        return False
    assignment, left = assigned
    rows = {ctx.text(left)}
    scope = enclosing_scope(assignment)
    later = [n for n in walk(scope) if n.start_byte >= assignment.end_byte]
    for loop in later:
        if loop.type in ("for_statement", "for_in_clause"):
            target = loop.child_by_field_name("left")
            iterable = loop.child_by_field_name("right")
            if (
                iterable is not None
                and ctx.text(iterable) in rows
                and target is not None
                and target.type == "identifier"
            ):
                rows.add(ctx.text(target))
    read: set[str] = set()
    for use in later:
        if use.type == "subscript":
            value = use.child_by_field_name("value")
            index = use.child_by_field_name("subscript")
            if value is not None and ctx.text(value) in rows and index is not None:
                read.add(ctx.text(index).strip("\"'").lower())
        elif use.type == "attribute":
            owner = use.child_by_field_name("object")
            if owner is not None and ctx.text(owner) in rows:
                read.add(ctx.text(use.child_by_field_name("attribute") or use).lower())
    return {column.lower() for column in table.columns} <= read


def _single_table(ctx: AnalysisContext, star: StarRef) -> Table | None:
    if len(star.tables) != 1:
        return None
    table = ctx.schema.get(star.tables[0])
    return table if table is not None and table.columns else None


def _message(star: StarRef, table: Table | None) -> str:
    what = f"`{star.qualifier}.*`" if star.qualifier else "`SELECT *`"
    base = (
        f"{what} fetches every column: the result changes whenever the table does, and "
        "unused columns still cost I/O and network. Name the columns you use."
    )
    if table is None:
        return base
    shown = ", ".join(table.columns[:_SHOWN_COLUMNS])
    more = (
        f" and {len(table.columns) - _SHOWN_COLUMNS} more"
        if (len(table.columns) > _SHOWN_COLUMNS)
        else ""
    )
    return f"{base} `{table.name}` has: {shown}{more}."


def _fix(found: DocumentSql, star: StarRef, table: Table | None) -> Fix | None:
    if table is None:
        return None
    start_char = star.start
    prefix = ""
    if star.qualifier:
        qualified = star.qualifier + "."
        start_char = star.start - len(qualified)
        if found.text[start_char : star.start] != qualified:
            return None  # quoted or spaced qualifier: leave it to the author
        prefix = qualified
    start = found.to_byte(start_char)
    end = found.to_byte(star.end)
    if start is None or end is None or end - start != len(found.text[start_char : star.end]):
        return None
    columns = ", ".join(prefix + column for column in table.columns)
    return Fix(
        title=f"Select the columns of {table.name} explicitly",
        edits=(Edit(start, end, columns),),
    )
