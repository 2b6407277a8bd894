"""The taint of each evaluated expression, with replayed functions' facts read in place.

A function replayed from its memo entry (``taint/memo.py``) used to copy its facts into
the file's dict shifted to its new place: every function, every edit, ~15% of an edit's
analysis on a 5,000-line file. Here a replay only adds a *layer* (the entry's dict and
how far the function moved); a lookup finds the layer holding the key and shifts the one
value it reads. What the eager copy computed is kept exactly: a key in one source only
(the live dict or one layer) has that source's value; a key two sources share would have
been merged in run order, which layers do not keep, so ``shared`` says so and the engine
runs the file again copying eagerly.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from backend_lsp.analysis.taint.flow import Taint
from backend_lsp.analysis.taint.memo import Moves, shift_taint

Key = tuple[int, int]  # an expression's (start byte, end byte)


@dataclass(frozen=True, slots=True)
class _Layer:
    low: int  # the smallest key start, moved
    high: int  # the largest key start, moved
    delta: int  # new offset - recorded offset
    facts: Mapping[Key, Taint | None]  # at the recorded offsets
    move: Moves  # how the values' steps move

    def get(self, key: Key) -> tuple[bool, Taint | None]:
        old = (key[0] - self.delta, key[1] - self.delta)
        if old not in self.facts:
            return False, None
        taint = self.facts[old]
        if taint is None or not taint.steps:
            return True, taint
        return True, shift_taint(taint, self.move)


class Facts:
    """Expression -> taint: the live run's dict plus the replayed functions' layers."""

    __slots__ = ("_layers", "_lows", "_span", "live")

    def __init__(self, live: dict[Key, Taint | None] | None = None) -> None:
        self.live: dict[Key, Taint | None] = {} if live is None else live
        self._lows: list[int] = []  # layers sorted by ``low``
        self._layers: list[_Layer] = []
        self._span = 0  # the widest layer: how far back a lookup must look

    def add(self, facts: Mapping[Key, Taint | None], span: Key, delta: int, move: Moves) -> None:
        """Facts recorded with key starts in ``span`` (inclusive), now ``delta`` bytes on."""
        if not facts:
            return
        low, high = span[0] + delta, span[1] + delta
        layer = _Layer(low, high, delta, facts, move)
        lows = self._lows
        if not lows or lows[-1] <= low:  # functions come mostly in file order
            lows.append(low)
            self._layers.append(layer)
        else:
            at = bisect.bisect_right(lows, low)
            lows.insert(at, low)
            self._layers.insert(at, layer)
        if high - low > self._span:
            self._span = high - low

    def _candidates(self, start: int) -> list[_Layer]:
        at = bisect.bisect_right(self._lows, start) - 1
        found = []
        while at >= 0 and start - self._lows[at] <= self._span:
            layer = self._layers[at]
            if layer.high >= start:
                found.append(layer)
            at -= 1
        return found

    def lookup(self, key: Key) -> tuple[bool, Taint | None]:
        """(was the expression evaluated, its taint)."""
        live = self.live
        if key in live:
            return True, live[key]
        if self._layers:
            for layer in self._candidates(key[0]):
                seen, taint = layer.get(key)
                if seen:
                    return True, taint
        return False, None

    def get(self, key: Key) -> Taint | None:
        return self.lookup(key)[1]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self.lookup(key)[0]

    def items(self) -> Iterator[tuple[Key, Taint | None]]:
        """Every (key, taint), as the eager copy held them (when nothing is ``shared``)."""
        yield from self.live.items()
        for layer in self._layers:
            for start, end in layer.facts:
                key = (start + layer.delta, end + layer.delta)
                yield key, layer.get(key)[1]

    def __bool__(self) -> bool:
        return bool(self.live) or bool(self._layers)

    def in_layer(self, key: Key) -> bool:
        """Does a layer hold ``key`` (a live write of it would be merged with it)?"""
        return (
            any(layer.get(key)[0] for layer in self._candidates(key[0])) if self._layers else False
        )

    def shared(self) -> bool:
        """Does a key lie in two sources (the live dict and a layer, or two layers)?"""
        if not self._layers:
            return False
        for key in self.live:
            if self.in_layer(key):
                return True
        reach = -1  # the largest ``high`` of the layers before
        for i, layer in enumerate(self._layers):
            if layer.low <= reach and self._overlaps(i):
                return True
            reach = max(reach, layer.high)
        return False

    def _overlaps(self, i: int) -> bool:
        """Does layer ``i`` share a key with an earlier layer whose span reaches into it?"""
        layer = self._layers[i]
        for j in range(i):
            other = self._layers[j]
            if other.high < layer.low:
                continue
            small, big = (layer, other) if len(layer.facts) <= len(other.facts) else (other, layer)
            for start, end in small.facts:
                if big.get((start + small.delta, end + small.delta))[0]:
                    return True
        return False
