"""Code action kinds declared in the server capabilities.

They are answered in ``initialize``, before settings or the action catalog are
loaded, so they are prefixes: a client asking for ``only: ["refactor"]`` (or
any kind under a declared one) is routed to us, and custom actions configured
later are covered as long as their kind sits under one of LSP's base kinds.
"""

from __future__ import annotations

from collections.abc import Iterable

# LSP's base kinds, then the project's own namespaces under them.
DECLARED_KINDS: tuple[str, ...] = (
    "quickfix",
    "refactor",
    "refactor.extract",
    "refactor.inline",
    "refactor.rewrite",
    "source",
    "source.fixAll",
    "quickfix.backend",
    "refactor.backend",
    "refactor.rewrite.backend",
    "source.backend",
)


def covered(kind: str, declared: Iterable[str] = DECLARED_KINDS) -> bool:
    """Whether ``kind`` equals a declared kind or sits under one (dot-separated)."""
    return any(kind == base or kind.startswith(f"{base}.") for base in declared)
