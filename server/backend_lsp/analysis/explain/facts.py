"""One door to the SQL and ORM fact extractors owned by other modules.

Hover must never fail because a helper raised, and sqlglot is
slow enough (about a millisecond per statement) that repeated hovers over the
same string should hit a cache.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from tree_sitter import Node

from backend_lsp.analysis.python.nodes import node_text, string_value

if TYPE_CHECKING:
    from backend_lsp.analysis.python.orm import OrmChain
    from backend_lsp.analysis.sql.facts import SqlFacts

log = logging.getLogger(__name__)


def looks_like_sql(text: str) -> bool:
    from backend_lsp.analysis.sql.facts import looks_like_sql as check

    try:
        return bool(check(text))
    except Exception:
        log.exception("looks_like_sql failed")
        return False


@lru_cache(maxsize=512)
def sql_facts(text: str, dialect: str | None) -> SqlFacts | None:
    """Facts about a SQL text, or None when it is not (parseable) SQL."""
    if not looks_like_sql(text):
        return None
    from backend_lsp.analysis.sql.facts import describe_sql

    try:
        return describe_sql(text, dialect)
    except Exception:
        log.exception("describe_sql failed")
        return None


def orm_chain(source: bytes, node: Node) -> OrmChain | None:
    from backend_lsp.analysis.python.orm import describe_orm_chain

    try:
        return describe_orm_chain(source, node)
    except Exception:
        log.exception("describe_orm_chain failed")
        return None


def sql_literal(source: bytes, node: Node) -> str | None:
    """Text of a string literal; f-string interpolations become ``?`` placeholders."""
    value = string_value(source, node)
    if value is not None:
        return value
    if node.type == "concatenated_string":
        parts = [sql_literal(source, child) for child in node.named_children]
        return None if any(p is None for p in parts) else "".join(p or "" for p in parts)
    if node.type != "string":
        return None
    pieces: list[str] = []
    for child in node.named_children:
        if child.type in ("string_content", "escape_sequence"):
            pieces.append(node_text(source, child))
        elif child.type == "interpolation":
            pieces.append("?")
    return "".join(pieces)


def string_node_at(node: Node) -> Node | None:
    """The whole string literal (outermost implicit concatenation) containing ``node``."""
    current: Node | None = node
    found: Node | None = None
    while current is not None and current.type in (
        "string",
        "string_start",
        "string_content",
        "string_end",
        "escape_sequence",
        "concatenated_string",
        "interpolation",
    ):
        if current.type in ("string", "concatenated_string"):
            found = current
        current = current.parent
    return found
