"""Project tables from ``[tool.backend-lsp.analysis.taint]``, laid over the built-in ones.

The tables are module data the engine reads on every call, so configuring replaces them
with built-in + project rows and drops memoised results computed with other tables. A
settings object whose taint section has not changed costs one comparison.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend_lsp.analysis.taint import engine, tables

if TYPE_CHECKING:
    from backend_lsp.config import TaintSettings

_BASE_SOURCE_ATTRIBUTES = tables.SOURCE_ATTRIBUTES
_BASE_SOURCE_CALLS = tables.SOURCE_CALLS
_BASE_SINKS = dict(tables.SINKS)
_BASE_SANITIZERS = dict(tables.SANITIZERS)
_applied: object = None


def configure(config: TaintSettings) -> None:
    """Make the engine's tables the built-in rows plus ``config``'s (idempotent)."""
    global _applied
    key = (
        tuple(config.sources),
        tuple(sorted(config.sinks.items())),
        tuple(sorted((name, tuple(c)) for name, c in config.sanitizers.items())),
    )
    if key == _applied or (_applied is None and key == ((), (), ())):
        return
    extra = frozenset(config.sources)
    tables.SOURCE_ATTRIBUTES = _BASE_SOURCE_ATTRIBUTES | extra
    tables.SOURCE_CALLS = _BASE_SOURCE_CALLS | extra
    tables.EXTRA_SOURCE_MARKERS = tuple(name.rsplit(".", 1)[-1].encode() for name in extra)
    tables.SINKS.clear()
    tables.SINKS.update(_BASE_SINKS)
    tables.SINKS.update({name: tables.Sink(category) for name, category in config.sinks.items()})
    tables.SANITIZERS.clear()
    tables.SANITIZERS.update(_BASE_SANITIZERS)
    for name, categories in config.sanitizers.items():
        tables.SANITIZERS[name] = tables.ALL if "*" in categories else frozenset(categories)
    engine.forget_results()
    _applied = key
