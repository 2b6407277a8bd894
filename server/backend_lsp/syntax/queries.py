"""Compiled tree-sitter queries, cached per (language, source)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from backend_lsp.syntax.languages import get_language


@cache
def compile_query(language_id: str, source: str) -> Query:
    """Compile once; a bad query is a programming error and raises."""
    language = get_language(language_id)
    if language is None:
        raise LookupError(f"no tree-sitter grammar for {language_id!r}")
    return Query(language, source)


def run_query(
    language_id: str, source: str, node: Node
) -> Iterator[tuple[int, dict[str, list[Node]]]]:
    """Yield (pattern index, captures) for every match under ``node``."""
    cursor = QueryCursor(compile_query(language_id, source))
    yield from cursor.matches(node)
