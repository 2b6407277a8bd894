"""Per-function taint results carried across edits, so an edit re-runs only what it touched.

The engine analyses each function on its own (module environment plus its parameters);
a function that asked no summary provider has results that depend only on its text, its
parameters' kinds, the module context and the summaries of the local helpers it called.
Those results are kept here with the offsets and line they were computed at (and each
helper's place and summary), and replayed shifted when the same function is met again at
another place (an edit above it) while every helper summarises the same, moved by its own
displacement. Values hold no tree nodes: flows keep (start, end, type) and are resolved
in the new tree on replay.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from tree_sitter import Node

from backend_lsp.analysis.model import FlowStep
from backend_lsp.analysis.taint.flow import Flow, Taint

_TRAILING_LINE = re.compile(r"\(line (\d+)\)$")
_SIZE = 50_000  # functions remembered per tables (a large workspace's worth)

Place = tuple[int, int, str]  # a node's (start byte, end byte, type)


@dataclass(frozen=True, slots=True)
class Move:
    """Bytes [low, high) of the old text moved by ``delta`` bytes and ``lines`` lines.

    Steps outside (module-level names the function read) stay: the memo key holds them.
    """

    low: int
    high: int
    delta: int
    lines: int


# The function's own move first, then those of the local helpers its results read.
Moves = Move | tuple[Move, ...]


def moves_of(move: Moves) -> tuple[Move, ...]:
    return (move,) if isinstance(move, Move) else move


def _move_at(moves: tuple[Move, ...], offset: int) -> Move | None:
    for move in moves:
        if move.low <= offset < move.high:
            return move
    return None


def delta_at(move: Moves, offset: int) -> int:
    """How far old byte ``offset`` moved (0 outside every range: verified unmoved)."""
    found = _move_at(moves_of(move), offset)
    return 0 if found is None else found.delta


def shift_step(step: FlowStep, move: Moves) -> FlowStep:
    """``step`` moved with the function or helper it lies in (other steps stay)."""
    if step.path is not None:
        return step
    found = _move_at(moves_of(move), step.start)
    if found is None:
        return step
    delta, lines = found.delta, found.lines
    message = step.message
    if lines:
        message = _TRAILING_LINE.sub(lambda m: f"(line {int(m.group(1)) + lines})", message)
    return FlowStep(step.start + delta, step.end + delta, message)


def shift_taint(taint: Taint | None, move: Moves) -> Taint | None:
    moves = moves_of(move)
    if taint is None or not taint.steps or all(m.delta == 0 and m.lines == 0 for m in moves):
        return taint
    steps = tuple(shift_step(s, moves) for s in taint.steps)
    return Taint(taint.source, steps, taint.cleared, taint.weak, taint.params, taint.by_param)


def _shift_place(at: Place, move: Moves) -> Place:
    delta = delta_at(move, at[0])
    return at if delta == 0 else (at[0] + delta, at[1] + delta, at[2])


def place(node: Node) -> Place:
    return (node.start_byte, node.end_byte, node.type)


def resolve(root: Node, at: Place, delta: int) -> Node | None:
    """The node of the new tree at ``at`` moved by ``delta``, with the same type."""
    start, end, kind = at[0] + delta, at[1] + delta, at[2]
    node: Node | None = root.descendant_for_byte_range(start, end)
    while node is not None and node.start_byte == start and node.end_byte == end:
        if node.type == kind:
            return node
        node = node.parent
    return None


@dataclass(frozen=True, slots=True)
class PortableFlow:
    """A ``Flow`` without its nodes."""

    category: str
    call: Place
    arg: Place
    sink: str
    taint: Taint
    tail: tuple[FlowStep, ...]
    through: str
    at: str

    @staticmethod
    def of(flow: Flow) -> PortableFlow:
        return PortableFlow(
            flow.category,
            place(flow.call),
            place(flow.arg),
            flow.sink,
            flow.taint,
            flow.tail,
            flow.through,
            flow.at,
        )

    def flow(self, root: Node, move: Moves) -> Flow | None:
        call = resolve(root, self.call, delta_at(move, self.call[0]))
        arg = resolve(root, self.arg, delta_at(move, self.arg[0]))
        if call is None or arg is None:
            return None
        taint = shift_taint(self.taint, move)
        assert taint is not None
        return Flow(self.category, call, arg, self.sink, taint, self.tail, self.through, self.at)

    def moved(self, move: Moves) -> PortableFlow:
        taint = shift_taint(self.taint, move)
        assert taint is not None
        return PortableFlow(
            self.category,
            _shift_place(self.call, move),
            _shift_place(self.arg, move),
            self.sink,
            taint,
            self.tail,
            self.through,
            self.at,
        )


@dataclass(frozen=True, slots=True)
class PortableSummary:
    """What a caller reads of a local helper's summary, without nodes (to compare)."""

    params: tuple[str, ...]
    returns: Taint | None
    cleared_by_param: tuple[tuple[int, frozenset[str]], ...]  # sorted
    param_flows: tuple[PortableFlow, ...]

    def moved(self, move: Moves) -> PortableSummary:
        return PortableSummary(
            self.params,
            shift_taint(self.returns, move),
            self.cleared_by_param,
            tuple(flow.moved(move) for flow in self.param_flows),
        )


@dataclass(frozen=True, slots=True)
class Helper:
    """A local helper a memoised function called: where it was and what it summarised to.

    The function replays only while ``name`` names a function already summarised to the
    same summary moved by the helper's own displacement (its steps shift with it).
    """

    name: str
    start: int
    end: int
    line: int
    summary: PortableSummary


@dataclass(frozen=True, slots=True)
class Entry:
    """One function's results at the place (``start`` byte, 0-based ``line``) computed."""

    start: int
    end: int
    line: int
    returns: Taint | None
    cleared_by_param: tuple[tuple[int, frozenset[str]], ...]
    records: tuple[PortableFlow, ...]  # flows recorded, in order
    facts: Mapping[tuple[int, int], Taint | None]  # read only: replay copies it
    unresolved: frozenset[str]  # local names looked up and not found (must stay so)
    work: int  # budget ticks spent in the function itself (not in helpers it summarised)
    helpers: tuple[Helper, ...] = ()  # local helpers it called, in order first called
    span: tuple[int, int] = (0, -1)  # the smallest and largest start of ``facts``' keys


class ModuleKey:
    """The module context part of every function's key, hashed once.

    A tuple does not keep its hash: each lookup rehashed the whole module context
    (aliases, module names' taints). ``FunctionMemo.module_key`` hands out one shared
    object per distinct value, so keys compare by identity after an edit elsewhere.
    """

    __slots__ = ("_hash", "value")

    def __init__(self, value: Hashable) -> None:
        self.value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (
            isinstance(other, ModuleKey) and self._hash == other._hash and self.value == other.value
        )


_MODULE_KEYS = 64  # distinct module contexts shared at once (open files, recent versions)


class FunctionMemo:
    """A bounded, thread-safe LRU of ``Entry`` by key."""

    def __init__(self, size: int = _SIZE) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._modules: OrderedDict[ModuleKey, ModuleKey] = OrderedDict()
        self._kinds: OrderedDict[Hashable, tuple[tuple[str, int], ...]] = OrderedDict()
        self._lock = threading.Lock()

    def kinds(self, key: Hashable) -> tuple[tuple[str, int], ...] | None:
        """A function's parameter kinds by (text, view-ness, body models), if known."""
        with self._lock:
            return self._kinds.get(key)

    def put_kinds(self, key: Hashable, kinds: tuple[tuple[str, int], ...]) -> None:
        with self._lock:
            self._kinds[key] = kinds
            while len(self._kinds) > self._size:
                self._kinds.popitem(last=False)

    def module_key(self, value: Hashable) -> ModuleKey:
        """The shared ``ModuleKey`` of ``value`` (equal values, one object)."""
        key = ModuleKey(value)
        with self._lock:
            known = self._modules.get(key)
            if known is not None:
                self._modules.move_to_end(key)
                return known
            self._modules[key] = key
            while len(self._modules) > _MODULE_KEYS:
                self._modules.popitem(last=False)
            return key

    def get(self, key: Hashable) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry: Entry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._modules.clear()
            self._kinds.clear()
