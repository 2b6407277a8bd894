"""Engine <-> LSP coordinates: byte offsets and positions, always through a LineIndex."""

from __future__ import annotations

from lsprotocol import types

from backend_lsp.text import Encoding, LineIndex


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


def to_offset(index: LineIndex, position: types.Position, encoding: Encoding) -> int:
    """Clamped: a position past the end of a line or of the text maps to that end."""
    return index.offset(position.line, position.character, encoding)


def to_offsets(index: LineIndex, rng: types.Range, encoding: Encoding) -> tuple[int, int]:
    start = to_offset(index, rng.start, encoding)
    end = to_offset(index, rng.end, encoding)
    return (start, end) if start <= end else (end, start)
