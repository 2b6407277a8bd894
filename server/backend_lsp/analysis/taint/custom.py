"""Project tables from ``[tool.backend-lsp.analysis.taint]``, laid over the built-in ones.

``tables_for`` returns a ``TaintTables`` value, built once per distinct taint section and
then shared: the engine's memo is keyed by that value, so results computed with one
project's tables never serve another's, and nothing global changes.
"""

from __future__ import annotations

import functools
from types import MappingProxyType
from typing import TYPE_CHECKING

from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.tables import BUILTIN, TaintTables

if TYPE_CHECKING:
    from backend_lsp.config import TaintSettings

_Key = tuple[tuple[str, ...], tuple[tuple[str, str], ...], tuple[tuple[str, tuple[str, ...]], ...]]


def tables_for(config: TaintSettings) -> TaintTables:
    """The built-in tables plus ``config``'s rows (the same object for an equal config)."""
    key: _Key = (
        tuple(config.sources),
        tuple(sorted(config.sinks.items())),
        tuple(sorted((name, tuple(c)) for name, c in config.sanitizers.items())),
    )
    return _build(key)


@functools.lru_cache(maxsize=32)
def _build(key: _Key) -> TaintTables:
    sources, sinks, sanitizers = key
    if not (sources or sinks or sanitizers):
        return BUILTIN
    extra = frozenset(sources)
    all_sinks = dict(BUILTIN.sinks)
    all_sinks.update({name: tables.Sink(category) for name, category in sinks})
    all_sanitizers = dict(BUILTIN.sanitizers)
    for name, categories in sanitizers:
        all_sanitizers[name] = tables.ALL if "*" in categories else frozenset(categories)
    return TaintTables(
        BUILTIN.source_attributes | extra,
        BUILTIN.source_calls | extra,
        MappingProxyType(all_sinks),
        MappingProxyType(all_sanitizers),
        tuple(name.rsplit(".", 1)[-1].encode() for name in sorted(extra)),
    )
