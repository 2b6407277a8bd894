"""Line index and offset conversions.

The engine works in UTF-8 byte offsets (what tree-sitter uses); LSP clients
speak (line, character) in UTF-8, UTF-16 or UTF-32 code units. A line index
built once per document version makes every conversion O(line length), never
O(file).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import StrEnum


class Encoding(StrEnum):
    """Position encodings, named as LSP names them."""

    UTF8 = "utf-8"
    UTF16 = "utf-16"
    UTF32 = "utf-32"


@dataclass(frozen=True, slots=True)
class Point:
    """A position as (zero-based line, character in some encoding)."""

    line: int
    character: int


def _units(text: str, encoding: Encoding) -> int:
    if encoding is Encoding.UTF8:
        return len(text.encode("utf-8"))
    if encoding is Encoding.UTF16:
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text)


class LineIndex:
    """Maps byte offsets to positions and back for one immutable text."""

    __slots__ = ("_data", "_starts")

    def __init__(self, source: bytes) -> None:
        self._data = source
        starts = [0]
        find = source.find
        pos = find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find(b"\n", pos + 1)
        self._starts = starts

    def edited(self, start: int, end: int, new: bytes, updated: bytes) -> LineIndex:
        """The index of ``updated`` (this text with bytes [start, end) replaced by ``new``).

        Every didChange needs one: lines before the edit keep their starts and lines after
        it move by the size change, which costs a list slice instead of finding every line
        break of the file again (~1 ms on 5,000 lines, on the event loop).
        """
        starts = self._starts
        delta = len(new) - (end - start)
        head = starts[: bisect.bisect_right(starts, start)]
        pos = new.find(b"\n")
        while pos != -1:
            head.append(start + pos + 1)
            pos = new.find(b"\n", pos + 1)
        tail = starts[bisect.bisect_right(starts, end) :]
        index = LineIndex.__new__(LineIndex)
        index._data = updated
        index._starts = head + ([s + delta for s in tail] if delta else tail)
        return index

    @classmethod
    def from_text(cls, text: str) -> LineIndex:
        return cls(text.encode("utf-8", "surrogatepass"))

    @property
    def source(self) -> bytes:
        return self._data

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        """Byte offset where ``line`` starts, clamped to the text."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self._data)
        return self._starts[line]

    def line_end(self, line: int) -> int:
        """Byte offset of the end of ``line``, without its line break."""
        if line < 0:
            return 0
        if line + 1 >= len(self._starts):
            return len(self._data)
        end = self._starts[line + 1] - 1
        if end > 0 and self._data[end - 1 : end] == b"\r":
            end -= 1
        return end

    def line_bytes(self, line: int) -> bytes:
        return self._data[self.line_start(line) : self.line_end(line)]

    def line_of(self, offset: int) -> int:
        """Zero-based line that contains byte ``offset``."""
        offset = max(0, min(offset, len(self._data)))
        return bisect.bisect_right(self._starts, offset) - 1

    def position(self, offset: int, encoding: Encoding = Encoding.UTF16) -> Point:
        """Byte offset -> (line, character) in ``encoding``; clamps out-of-range input."""
        offset = max(0, min(offset, len(self._data)))
        line = self.line_of(offset)
        prefix = self._data[self._starts[line] : offset]
        if encoding is Encoding.UTF8:
            return Point(line, len(prefix))
        return Point(line, _units(prefix.decode("utf-8", "replace"), encoding))

    def offset(self, line: int, character: int, encoding: Encoding = Encoding.UTF16) -> int:
        """(line, character) -> byte offset, clamped as LSP asks.

        A line past the end maps to the end of the text; a character past the
        end of its line maps to the end of that line. Negative values clamp to 0.
        """
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self._data)
        start = self._starts[line]
        end = self.line_end(line)
        character = max(0, character)
        if encoding is Encoding.UTF8:
            target = start + character
            if target >= end:
                return end
            # Never split a multi-byte character: back up to its first byte.
            while target > start and (self._data[target] & 0xC0) == 0x80:
                target -= 1
            return target
        text = self._data[start:end].decode("utf-8", "replace")
        units = 0
        consumed = 0
        for ch in text:
            width = 2 if encoding is Encoding.UTF16 and ord(ch) > 0xFFFF else 1
            if units + width > character:
                break
            units += width
            consumed += len(ch.encode("utf-8", "surrogatepass"))
        return start + consumed

    def line_characters(
        self, offsets: list[int], encoding: Encoding = Encoding.UTF16
    ) -> list[tuple[int, int]]:
        """``position`` of many offsets as (line, character) tuples; cheap when mostly ascending.

        Diagnostics convert thousands of sorted offsets per push: a cursor that
        steps over line starts replaces most bisects, and ASCII text (nearly all
        code) needs no decoding.
        """
        data, starts = self._data, self._starts
        size, last = len(data), len(starts) - 1
        ascii_text = encoding is Encoding.UTF8 or data.isascii()
        result: list[tuple[int, int]] = []
        line = 0
        for offset in offsets:
            offset = 0 if offset < 0 else size if offset > size else offset
            if offset < starts[line] or (line + 8 <= last and starts[line + 8] <= offset):
                line = bisect.bisect_right(starts, offset) - 1  # backwards or far ahead
            else:
                while line < last and starts[line + 1] <= offset:
                    line += 1
            start = starts[line]
            if ascii_text:
                result.append((line, offset - start))
            elif (prefix := data[start:offset]).isascii():
                result.append((line, len(prefix)))
            else:
                result.append((line, self.position(offset, encoding).character))
        return result

    def column(self, offset: int) -> int:
        """One-based column counted in Unicode code points (for CLI output)."""
        return self.position(offset, Encoding.UTF32).character + 1
