"""Engine <-> LSP coordinates: byte offsets and positions, always through a LineIndex."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from lsprotocol import types

from backend_lsp.text import Encoding, LineIndex

if TYPE_CHECKING:
    from cattrs import Converter


def encoding_of(value: object) -> Encoding:
    """The negotiated position encoding (pygls may hand us a plain str)."""
    raw = getattr(value, "value", value)
    try:
        return Encoding(str(raw).lower())
    except ValueError:
        return Encoding.UTF16


def to_position(index: LineIndex, offset: int, encoding: Encoding) -> types.Position:
    point = index.position(offset, encoding)
    return types.Position(line=point.line, character=point.character)


def to_range(index: LineIndex, start: int, end: int, encoding: Encoding) -> types.Range:
    return types.Range(
        start=to_position(index, start, encoding), end=to_position(index, end, encoding)
    )


def line_character(index: LineIndex, offset: int, encoding: Encoding) -> tuple[int, int]:
    """Like ``LineIndex.position``, but ASCII prefixes (most code) skip the decode."""
    source = index.source
    offset = max(0, min(offset, len(source)))
    line = index.line_of(offset)
    prefix = source[index.line_start(line) : offset]
    if encoding is Encoding.UTF8 or prefix.isascii():
        return line, len(prefix)
    return line, index.position(offset, encoding).character


def position_json(index: LineIndex, offset: int, encoding: Encoding) -> dict[str, int]:
    line, character = line_character(index, offset, encoding)
    return {"line": line, "character": character}


@cache
def converter() -> Converter:
    """lsprotocol's converter, for the few attrs objects that join JSON-ready payloads."""
    from lsprotocol.converters import get_converter

    return get_converter()


def to_offset(index: LineIndex, position: types.Position, encoding: Encoding) -> int:
    """Clamped: a position past the end of a line or of the text maps to that end."""
    return index.offset(position.line, position.character, encoding)


def to_offsets(index: LineIndex, rng: types.Range, encoding: Encoding) -> tuple[int, int]:
    start = to_offset(index, rng.start, encoding)
    end = to_offset(index, rng.end, encoding)
    return (start, end) if start <= end else (end, start)


def uri_to_path(uri: str) -> str:
    """A filesystem path for ``file:`` URIs; other schemes keep the URI as a name."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return uri
    path = unquote(parsed.path)
    if len(path) > 2 and path[0] == "/" and path[2] == ":":  # /C:/... on Windows
        path = path[1:]
    return str(Path(path))
