"""Code action kinds declared in the server capabilities.

They are answered in ``initialize``, before settings or the action catalog are
loaded, so they are prefixes: a client asking for ``only: ["refactor"]`` (or
any kind under a declared one) is routed to us, and custom actions configured
later are covered as long as their kind sits under one of LSP's base kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


def covered(kind: str, declared: Iterable[object] = DECLARED_KINDS) -> bool:
    """Whether ``kind`` equals one of ``declared`` or sits under one (dot-separated)."""
    bases = (str(getattr(base, "value", base)) for base in declared)
    return any(kind == base or kind.startswith(f"{base}.") for base in bases)


def wanted(kind: str, only: Sequence[object] | None) -> bool:
    """A code action request's ``only`` filter: no filter wants every kind."""
    return not only or covered(kind, only)
