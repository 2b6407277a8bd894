"""Every SQL statement of a document, whatever its language, with byte positions.

In a .sql file that is each statement; in Python it is each SQL-looking
string literal (interpolations stand in as ``x``, which keeps offsets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.python.sql_strings import HOLE, SqlLiteral, sql_literals
from backend_lsp.analysis.sql.facts import SqlFacts, describe_sql, describe_statements


@dataclass(frozen=True, slots=True)
class DocumentSql:
    facts: SqlFacts
    text: str  # the SQL as analysed (holes replaced by "x"); a whole .sql file
    start: int  # where this statement starts in ``text``
    to_byte: Callable[[int], int | None]  # character offset in ``text`` -> source byte
    literal: SqlLiteral | None = None  # the Python string it came from

    @property
    def node(self) -> Node | None:
        return self.literal.node if self.literal is not None else None


def sql_in_document(ctx: AnalysisContext) -> Iterator[DocumentSql]:
    if ctx.root is None:
        return
    if ctx.language_id == "sql":
        yield from _sql_file(ctx)
    elif ctx.language_id == "python":
        for literal in sql_literals(ctx.source, ctx.root):
            text = literal.sql.template.replace(HOLE, "x")
            facts = describe_sql(text)
            if facts is not None:
                lead = len(text) - len(text.lstrip())
                yield DocumentSql(facts, text, lead, literal.byte_offset, literal)


def _sql_file(ctx: AnalysisContext) -> Iterator[DocumentSql]:
    text = ctx.source.decode("utf-8", "replace")
    ascii_only = text.isascii()

    def to_byte(index: int) -> int | None:
        return index if ascii_only else len(text[:index].encode("utf-8"))

    for start, facts in describe_statements(text):
        yield DocumentSql(facts, text, start, to_byte)
