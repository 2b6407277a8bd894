"""What database work a function body does: SQL executed, ORM queries, session calls.

Only syntax is used (no imports resolved), so the receiver names matter: a
``.commit()`` counts when it is called on something named like a session,
connection or cursor, which is how real handlers name them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tree_sitter import Node

from backend_lsp.analysis.explain.facts import orm_chain, sql_facts, sql_literal
from backend_lsp.analysis.python.nodes import (
    call_name,
    last_attribute,
    node_text,
    positional_arguments,
    walk,
)

if TYPE_CHECKING:
    from backend_lsp.analysis.python.orm import OrmChain

_SQL_CALLS = {
    "execute", "executemany", "executescript", "raw", "fetch", "fetchrow", "fetchval",
    "fetch_all", "fetch_one", "fetch_val", "text", "read_sql", "read_sql_query", "mogrify",
}  # fmt: skip
_SESSION_OPS = {
    "add", "add_all", "commit", "flush", "delete", "merge", "refresh", "rollback", "scalars",
    "scalar", "get", "query", "execute", "executemany", "bulk_save_objects", "begin",
}  # fmt: skip
_DB_RECEIVER = re.compile(r"(session|sess|^db$|_db$|conn|connection|cursor|^cur$|^tx$|uow)", re.I)
_MODEL_WRITES = {"save", "delete", "refresh_from_db"}


@dataclass(slots=True)
class DbAccess:
    sql: list[str] = field(default_factory=list)
    orm: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.sql or self.orm or self.calls)


def _local_strings(source: bytes, body: Node) -> dict[str, str]:
    """``query = "SELECT ..."`` assignments in the body (last one wins)."""
    found: dict[str, str] = {}
    for node in walk(body):
        if node.type != "assignment":
            continue
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier":
            continue
        value = sql_literal(source, right)
        if value is not None:
            found[node_text(source, left)] = value
    return found


def database_access(source: bytes, body: Node, framework: str, dialect: str | None) -> DbAccess:
    access = DbAccess()
    strings: dict[str, str] | None = None
    seen_chains: set[tuple[int, int]] = set()
    chains: list[OrmChain] = []
    for node in walk(body):
        if node.type != "call" or _inside(node, seen_chains):
            continue
        name = call_name(source, node)
        method = last_attribute(name)
        receiver = name.rsplit(".", 1)[0] if "." in name else ""
        if method in _SQL_CALLS:
            args = positional_arguments(node)
            if args:
                first = args[0]
                text = sql_literal(source, first)
                if text is None and first.type == "identifier":
                    if strings is None:
                        strings = _local_strings(source, body)
                    text = strings.get(node_text(source, first))
                if text is not None:
                    facts = sql_facts(text, dialect)
                    if facts is not None:
                        access.sql.append(
                            f"{facts.kind} ({', '.join(facts.tables)})"
                            if facts.tables
                            else facts.kind
                        )
                        access.tables.extend(facts.tables)
                        continue
        chain = _outermost_chain(source, node, seen_chains)
        if chain is not None:
            chains.append(chain)
            continue
        if _is_db_call(receiver, method, framework):
            access.calls.append(f"{receiver}.{method}()")
    executed = {c.model for c in chains if c.terminal != "lazy"}
    # A statement built lazily and executed later is one query: keep the execution.
    access.orm = list(
        dict.fromkeys(c.summary for c in chains if c.terminal != "lazy" or c.model not in executed)
    )
    access.sql = list(dict.fromkeys(access.sql))
    access.calls = list(dict.fromkeys(access.calls))
    access.tables = list(dict.fromkeys(access.tables))
    return access


def _is_db_call(receiver: str, method: str, framework: str) -> bool:
    last_receiver = receiver.rsplit(".", 1)[-1]
    if method in _SESSION_OPS and last_receiver and _DB_RECEIVER.search(last_receiver):
        return True
    return method in _MODEL_WRITES and framework in ("django", "drf") and bool(receiver)


def _inside(node: Node, seen: set[tuple[int, int]]) -> bool:
    return any(start <= node.start_byte and node.end_byte <= end for start, end in seen)


def _outermost_chain(source: bytes, call: Node, seen: set[tuple[int, int]]) -> OrmChain | None:
    """Summary of the ORM chain ending at ``call``, once per chain."""
    parent = call.parent
    if (
        parent is not None
        and parent.type in ("attribute", "subscript")
        and (parent.parent is not None and parent.parent.type in ("call", "subscript", "attribute"))
    ):
        return None  # an inner link; the outer call reports the chain
    chain = orm_chain(source, call)
    if chain is None:
        return None
    seen.add((chain.node.start_byte, chain.node.end_byte))
    return chain
