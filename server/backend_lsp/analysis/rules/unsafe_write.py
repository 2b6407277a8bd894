"""BE003: UPDATE or DELETE without WHERE changes every row of the table.

Not flagged: TRUNCATE (explicitly whole-table), statements with any WHERE
(``WHERE 1=1`` included: it is written on purpose, e.g. for MySQL's
safe-update mode), a LIMIT, or a join that restricts the rows (MySQL
multi-table form). Python strings that are only the start of a query built
later (``+``, ``%``, ``+=``, ``.format``, a clause interpolated at the end)
are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import ONE_OFF_DATA_CODE
from backend_lsp.analysis.model import Finding, RuleMeta, Severity
from backend_lsp.analysis.python.bindings import assignments_before
from backend_lsp.analysis.python.nodes import enclosing, node_text
from backend_lsp.analysis.python.sql_strings import HOLE, SQL_READS
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.sql.in_document import DocumentSql, sql_in_document
from backend_lsp.analysis.sql.parametrize import FRAGMENT, hole_position


@register
class UnsafeWrite:
    meta = RuleMeta(
        code="BE003",
        name="unsafe-write",
        severity=Severity.ERROR,
        summary="UPDATE/DELETE without WHERE affects every row.",
        doc_url="https://dev.mysql.com/doc/refman/8.4/en/mysql-tips.html#safe-updates",
        languages=("python", "sql"),
        locations=ONE_OFF_DATA_CODE,
        reads=SQL_READS,  # through sql_in_document
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        for found in sql_in_document(ctx):
            facts = found.facts
            if facts.kind not in ("UPDATE", "DELETE"):
                continue
            if facts.has_where or facts.has_limit or facts.joins:
                continue
            if found.literal is not None and _partial(ctx, found):
                continue
            if facts.kind == "DELETE" and _empties_by_name(ctx, found):
                continue
            table = facts.tables[0] if facts.tables else "the table"
            if facts.kind == "DELETE":
                message = (
                    f"DELETE without WHERE removes every row of `{table}`. Add the WHERE "
                    "condition; if emptying the table is intended, say so with TRUNCATE."
                )
                severity = Severity.ERROR
            else:
                message = (
                    f"UPDATE without WHERE rewrites every row of `{table}`. Add the WHERE "
                    "condition that selects the rows to change."
                )
                severity = Severity.WARNING
            start, end = _span(found)
            if start is None or end is None:
                continue
            yield Finding.at(self.meta, start, end, message, severity=severity)


# A function named for emptying (``flush``, ``clear_all``, ``purge``) that takes nothing to
# narrow it down: deleting every row is what it says it does (storage backends' ``flush()``).
# ``clear_cache(cur, user_id)`` takes what the WHERE should use, so it is still reported.
_EMPTYING_WORDS = frozenset({"flush", "clear", "purge", "wipe", "truncate", "empty"})
_RECEIVERS = frozenset(
    {"self", "cls", "conn", "connection", "cursor", "cur", "session", "db", "engine", "pool"}
)


def _empties_by_name(ctx: AnalysisContext, found: DocumentSql) -> bool:
    node = found.node
    function = enclosing(node, "function_definition") if node is not None else None
    if function is None:
        return False
    name = node_text(ctx.source, function.child_by_field_name("name")).lower()
    words = set(name.strip("_").split("_"))
    if not (words & _EMPTYING_WORDS or ("all" in words and words & {"delete", "remove", "drop"})):
        return False
    parameters = function.child_by_field_name("parameters")
    names = [
        node_text(ctx.source, p if p.type == "identifier" else p.child_by_field_name("name") or p)
        for p in (parameters.named_children if parameters is not None else [])
    ]
    return all(n in _RECEIVERS for n in names)


def _span(found: DocumentSql) -> tuple[int | None, int | None]:
    node = found.node
    if node is not None:
        return node.start_byte, node.end_byte
    verb_end = found.start + len(found.facts.kind)
    return found.to_byte(found.start), found.to_byte(verb_end)


def _partial(ctx: AnalysisContext, found: DocumentSql) -> bool:
    """True when the literal is only the beginning of a query assembled elsewhere."""
    literal = found.literal
    assert literal is not None
    template = literal.sql.template
    if any(hole_position(template, i) == FRAGMENT for i in range(template.count(HOLE))):
        return True
    node: Node = literal.node
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "binary_operator":
        return True
    if parent.type == "attribute":  # "...".format(...)
        return True
    if parent.type == "assignment":
        left = parent.child_by_field_name("left")
        if left is None or left.type != "identifier":
            return False
        name = node_text(ctx.source, left)
        return _augmented_later(ctx, name, parent)
    return False


def _augmented_later(ctx: AnalysisContext, name: str, assignment: Node) -> bool:
    scope = assignment
    while scope.parent is not None and scope.type not in ("function_definition", "module"):
        scope = scope.parent
    last_use = scope
    for child in reversed(scope.children):
        last_use = child
        break
    assigned, augments = assignments_before(ctx.source, name, _end_marker(last_use))
    return assigned is not None and bool(augments) and assigned.start_byte >= assignment.start_byte


def _end_marker(node: Node) -> Node:
    """The last leaf under ``node``: 'before it' then covers the whole scope."""
    while node.child_count:
        last = node.child(node.child_count - 1)
        if last is None:
            break
        node = last
    return node
