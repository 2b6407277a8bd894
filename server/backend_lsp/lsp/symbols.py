"""workspace/symbol from the index: routes by method and path, models, tables, definitions.

"GET /items/{id}" finds the handler of that URL from any editor's symbol search.
Matching is case-insensitive: exact, then prefix, then substring, then the query's
characters in order (fuzzy); results are capped. Locations point at the name on
its line, in the negotiated position encoding (the line is read from the editor's
text when the file is open, else from disk).
"""

from __future__ import annotations

import heapq
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from backend_lsp.index.facts import TYPE_KINDS
from backend_lsp.lsp.indexing import IndexSnapshot
from backend_lsp.text import Encoding, LineIndex

MAX_RESULTS = 200

_KINDS = {
    "class": types.SymbolKind.Class,
    "function": types.SymbolKind.Function,
    "method": types.SymbolKind.Method,
    "variable": types.SymbolKind.Variable,
    "field": types.SymbolKind.Field,
    "struct": types.SymbolKind.Struct,
    "interface": types.SymbolKind.Interface,
    "type": types.SymbolKind.Class,
    "constant": types.SymbolKind.Constant,
    "table": types.SymbolKind.Struct,
    "model": types.SymbolKind.Struct,
}
# Backend entries first when scores tie: they are what this server adds to the user's LSP.
_ORDER = {"route": 0, "model": 1, "table": 2}

TextOf = Callable[[Path], str | None]
"""The current text of a file: the editor's when open, else the disk's (None: unreadable)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    lowered: str
    kind: str
    symbol_kind: types.SymbolKind
    rel: str
    line: int  # 1-based first line of the definition (decorators included)
    anchor: str  # the word to point at on that line or the next few
    container: str | None

    @property
    def order(self) -> int:
        return _ORDER.get(self.kind, 3)


def score(query: str, name: str) -> int | None:
    """Lower is better; None when ``name`` does not match ``query`` at all."""
    return _Matcher(query).score(name.lower())


class _Matcher:
    """One query, lower-cased once; the fuzzy step is a compiled regex (C speed)."""

    def __init__(self, query: str) -> None:
        self.query = query.lower()
        # "[^a]*a[^b]*b...": each step has one way to match, so a miss fails in linear time
        # (".*?" chains backtrack badly on long queries such as a route path).
        fuzzy = "".join(f"[^{re.escape(ch)}]*{re.escape(ch)}" for ch in self.query)
        self._fuzzy = re.compile(fuzzy)

    def score(self, lowered: str) -> int | None:
        q = self.query
        if not q:
            return 4
        if q in lowered:
            return 0 if lowered == q else 1 if lowered.startswith(q) else 2
        return 3 if self._fuzzy.match(lowered) else None


def _build_entries(snapshot: IndexSnapshot) -> list[_Entry]:
    found: list[_Entry] = []
    add = found.append
    for route in snapshot.routes:
        handler = route.handler
        if handler is None or handler.symbol is None or not route.path:
            continue
        name = f"{route.method} {route.path}"
        add(
            _Entry(
                name,
                name.lower(),
                "route",
                types.SymbolKind.Function,
                handler.path,
                handler.symbol.start_line,
                handler.symbol.name,
                route.handler_name,
            )
        )
    resolver = snapshot.view.resolver
    for rel, facts in list(resolver.files.items()):
        tables = resolver.tables_in(rel)
        for symbol in facts.symbols:
            kind = _KINDS.get(symbol.kind)
            if kind is None:
                continue
            table = tables.get(symbol.name) if symbol.kind in TYPE_KINDS else None
            container = symbol.parent or (f"table {table}" if table else None)
            add(
                _Entry(
                    symbol.name,
                    symbol.name.lower(),
                    "model" if table else symbol.kind,
                    kind,
                    rel,
                    symbol.start_line,
                    symbol.name,
                    container,
                )
            )
            if table:
                add(
                    _Entry(
                        table,
                        table.lower(),
                        "table",
                        types.SymbolKind.Struct,
                        rel,
                        symbol.start_line,
                        symbol.name,
                        f"model {symbol.name}",
                    )
                )
    return found


_CACHE_LOCK = threading.Lock()
_CACHE: dict[Path, tuple[IndexSnapshot, list[_Entry]]] = {}


def _entries(snapshot: IndexSnapshot) -> list[_Entry]:
    """The snapshot's entries, built once per published snapshot (edits publish anew)."""
    with _CACHE_LOCK:
        cached = _CACHE.get(snapshot.root)
    if cached is not None and cached[0] is snapshot:
        return cached[1]
    built = _build_entries(snapshot)
    with _CACHE_LOCK:
        _CACHE[snapshot.root] = (snapshot, built)
    return built


def search(
    snapshots: list[IndexSnapshot],
    query: str,
    text_of: TextOf,
    encoding: Encoding,
    limit: int = MAX_RESULTS,
) -> list[types.SymbolInformation]:
    matcher = _Matcher(query)
    ranked: list[tuple[int, int, int, str, Path, _Entry]] = []
    for snapshot in snapshots:
        for entry in _entries(snapshot):
            found = matcher.score(entry.lowered)
            if found is not None:
                key = (found, entry.order, len(entry.name), entry.rel, snapshot.root, entry)
                ranked.append(key)
    best = heapq.nsmallest(limit, ranked, key=lambda item: item[:4])
    lines = _Lines(text_of)
    results: list[types.SymbolInformation] = []
    for *_, root, entry in best:
        path = root / entry.rel
        location = types.Location(
            uri=path.as_uri(), range=lines.range(path, entry.line, entry.anchor, encoding)
        )
        results.append(
            types.SymbolInformation(
                name=entry.name,
                kind=entry.symbol_kind,
                location=location,
                container_name=entry.container,
            )
        )
    return results


class _Lines:
    """Line indexes of the files a result list points into, each read once."""

    def __init__(self, text_of: TextOf) -> None:
        self._text_of = text_of
        self._cache: dict[Path, LineIndex | None] = {}

    def range(self, path: Path, line: int, anchor: str, encoding: Encoding) -> types.Range:
        if path not in self._cache:
            text = self._text_of(path)
            self._cache[path] = None if text is None else LineIndex.from_text(text)
        index = self._cache[path]
        first = max(line - 1, 0)
        if index is None:
            point = types.Position(line=first, character=0)
            return types.Range(start=point, end=point)
        name = re.escape(anchor)
        word = re.compile(rf"(?:\b(?:def|class)\s+|^\s*)({name})(?!\w)")
        # The name sits on the first line, or below the decorators.
        for number in range(first, min(first + 20, index.line_count)):
            text = index.line_bytes(number).decode("utf-8", "replace")
            found = word.search(text)
            if found is not None:
                start = index.line_start(number) + len(text[: found.start(1)].encode())
                begin = index.position(start, encoding)
                end = index.position(start + len(anchor.encode()), encoding)
                return types.Range(
                    start=types.Position(line=begin.line, character=begin.character),
                    end=types.Position(line=end.line, character=end.character),
                )
        point = types.Position(line=first, character=0)
        return types.Range(start=point, end=point)
