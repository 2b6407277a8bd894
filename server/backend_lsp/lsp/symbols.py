"""workspace/symbol from the index: routes by method and path, models, tables, definitions.

"GET /items/{id}" finds the handler of that URL from any editor's symbol search.
Matching is case-insensitive: exact, then prefix, then substring, then the query's
characters in order (fuzzy); results are capped. Locations point at the name on
its line, in the negotiated position encoding (the line is read from the editor's
text when the file is open, else from disk).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from backend_lsp.lsp.indexing import IndexSnapshot
from backend_lsp.text import Encoding, LineIndex

MAX_RESULTS = 200

_KINDS = {
    "class": types.SymbolKind.Class,
    "function": types.SymbolKind.Function,
    "method": types.SymbolKind.Method,
    "variable": types.SymbolKind.Variable,
    "field": types.SymbolKind.Field,
}
# Backend entries first when scores tie: they are what this server adds to the user's LSP.
_ORDER = {"route": 0, "model": 1, "table": 2}

TextOf = Callable[[Path], str | None]
"""The current text of a file: the editor's when open, else the disk's (None: unreadable)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: str
    symbol_kind: types.SymbolKind
    path: Path
    line: int  # 1-based first line of the definition (decorators included)
    anchor: str  # the word to point at on that line or the next few
    container: str | None


def score(query: str, name: str) -> int | None:
    """Lower is better; None when ``name`` does not match ``query`` at all."""
    if not query:
        return 4
    q, n = query.lower(), name.lower()
    if n == q:
        return 0
    if n.startswith(q):
        return 1
    if q in n:
        return 2
    found = 0
    for ch in n:
        if found < len(q) and ch == q[found]:
            found += 1
    return 3 if found == len(q) else None


def _entries(snapshot: IndexSnapshot) -> Iterator[_Entry]:
    root = snapshot.root
    for route in snapshot.routes:
        handler = route.handler
        if handler is None or handler.symbol is None or not route.path:
            continue
        yield _Entry(
            f"{route.method} {route.path}",
            "route",
            types.SymbolKind.Function,
            root / handler.path,
            handler.symbol.start_line,
            handler.symbol.name,
            route.handler_name,
        )
    resolver = snapshot.view.resolver
    for rel, facts in list(resolver.files.items()):
        tables = {m.name: m.table for m in facts.models}
        for symbol in facts.symbols:
            kind = _KINDS.get(symbol.kind)
            if kind is None:
                continue
            table = tables.get(symbol.name) if symbol.kind == "class" else None
            yield _Entry(
                symbol.name,
                "model" if table else symbol.kind,
                kind,
                root / rel,
                symbol.start_line,
                symbol.name,
                symbol.parent or (f"table {table}" if table else None),
            )
            if table:
                yield _Entry(
                    table,
                    "table",
                    types.SymbolKind.Struct,
                    root / rel,
                    symbol.start_line,
                    symbol.name,
                    f"model {symbol.name}",
                )


def search(
    snapshots: list[IndexSnapshot],
    query: str,
    text_of: TextOf,
    encoding: Encoding,
    limit: int = MAX_RESULTS,
) -> list[types.SymbolInformation]:
    ranked: list[tuple[int, int, int, str, _Entry]] = []
    for snapshot in snapshots:
        for entry in _entries(snapshot):
            found = score(query, entry.name)
            if found is not None:
                order = _ORDER.get(entry.kind, 3)
                ranked.append((found, order, len(entry.name), str(entry.path), entry))
    ranked.sort(key=lambda item: item[:4])
    lines = _Lines(text_of)
    return [
        types.SymbolInformation(
            name=entry.name,
            kind=entry.symbol_kind,
            location=types.Location(
                uri=entry.path.as_uri(),
                range=lines.range(entry.path, entry.line, entry.anchor, encoding),
            ),
            container_name=entry.container,
        )
        for *_, entry in ranked[:limit]
    ]


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
