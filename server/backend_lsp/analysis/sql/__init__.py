"""SQL understanding with sqlglot (imported lazily): facts, placeholders, statements."""

from backend_lsp.analysis.sql.facts import (
    SqlFacts,
    StarRef,
    describe_sql,
    describe_statements,
    looks_like_sql,
)

__all__ = ["SqlFacts", "StarRef", "describe_sql", "describe_statements", "looks_like_sql"]
