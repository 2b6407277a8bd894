"""Grammar registry.

Grammars come from the individual wheels (tree-sitter-python, ...): they are
imported lazily, on first use of a language, so start-up stays fast and a
missing grammar only disables its language.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import PurePath

from tree_sitter import Language

# language id -> (module, attribute returning the grammar pointer)
_GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "typescriptreact": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "java": ("tree_sitter_java", "language"),
    "sql": ("tree_sitter_sql", "language"),
}

SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(_GRAMMARS)

_EXTENSIONS: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "typescriptreact",
    ".go": "go",
    ".java": "java",
    ".sql": "sql",
}

# LSP languageId values editors send that differ from ours.
_LANGUAGE_ID_ALIASES: dict[str, str] = {
    "javascriptreact": "javascript",
    "tsx": "typescriptreact",
    "golang": "go",
    "pgsql": "sql",
    "postgres": "sql",
    "mysql": "sql",
    "plsql": "sql",
}


def extensions() -> dict[str, str]:
    """File extension -> language id, for every extension a grammar covers."""
    return dict(_EXTENSIONS)


def language_for_path(path: str | PurePath) -> str | None:
    """Language id for a file name, or None when we have no grammar for it."""
    return _EXTENSIONS.get(PurePath(path).suffix.lower())


def language_id_for(language_id: str | None, path: str | PurePath | None = None) -> str | None:
    """Normalise an editor's languageId, falling back to the file extension."""
    if language_id:
        lowered = language_id.lower()
        lowered = _LANGUAGE_ID_ALIASES.get(lowered, lowered)
        if lowered in _GRAMMARS:
            return lowered
    return language_for_path(path) if path is not None else None


@cache
def get_language(language_id: str) -> Language | None:
    """The tree-sitter Language for an id, or None if unknown or not installed."""
    spec = _GRAMMARS.get(language_id)
    if spec is None:
        return None
    module_name, attribute = spec
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return Language(getattr(module, attribute)())
