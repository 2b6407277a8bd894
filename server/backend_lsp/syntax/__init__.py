"""tree-sitter: language registry, parsed documents, compiled query cache."""

from backend_lsp.syntax.document import ParsedDocument
from backend_lsp.syntax.languages import (
    SUPPORTED_LANGUAGES,
    get_language,
    language_for_path,
    language_id_for,
)
from backend_lsp.syntax.queries import compile_query, run_query

__all__ = [
    "SUPPORTED_LANGUAGES",
    "ParsedDocument",
    "compile_query",
    "get_language",
    "language_for_path",
    "language_id_for",
    "run_query",
]
