"""One shared pass over a module's tree: the nodes rules look for, by type.

A traversal of a 5,000-line file costs ~15 ms whether it is a Python walk or
a tree-sitter query (the cursor visits every node either way), and a dozen
rules each walking the tree made analysis too slow for live diagnostics. One
query collects every type below; rules read its lists instead.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from tree_sitter import Node, QueryCursor

from backend_lsp.syntax.queries import compile_query

INDEXED_TYPES = (
    "call",
    "string",
    "concatenated_string",
    "assignment",
    "as_pattern",
    "keyword_argument",
    "except_clause",
    "function_definition",
    "class_definition",
    "import_statement",
    "import_from_statement",
    "for_statement",
    "list_comprehension",
    "set_comprehension",
    "dictionary_comprehension",
    "generator_expression",
)
_QUERY = "\n".join(f"({name}) @{name}" for name in INDEXED_TYPES)

T = TypeVar("T")

Region = tuple[tuple[int, int], ...]
"""Sorted, disjoint byte ranges [start, end) of a module."""

_REGION: ContextVar[Region | None] = ContextVar("analysis_region", default=None)


def active_region() -> Region | None:
    """The region of the analysis running in this thread/task, or None (whole file)."""
    return _REGION.get()


@contextmanager
def restricted(region: Region | None) -> Iterator[None]:
    """Run a block with ``node_index`` of module roots limited to ``region``."""
    token = _REGION.set(region)
    try:
        yield
    finally:
        _REGION.reset(token)


def in_region(region: Region, offset: int) -> bool:
    """True when ``offset`` lies in one of the region's ranges."""
    at = bisect.bisect_right(region, offset, key=lambda r: r[0]) - 1
    return at >= 0 and region[at][0] <= offset < region[at][1]


class SourceMemo(Generic[T]):
    """A small per-document memo keyed by the identity of the source bytes and a node.

    Each entry keeps its bytes alive, so an ``is`` check makes a stale hit
    impossible (a live object's id cannot be reused); an edit makes new bytes,
    hence a miss. The node's id is in the key too: a no-op edit keeps the same
    bytes object but reparses into a new tree whose nodes must not meet old ones.
    Thread-safe: analysis runs in worker threads.
    """

    def __init__(self, size: int = 8, *, regional: bool = True) -> None:
        # ``regional=False``: the value does not come from ``node_index`` (a direct tree
        # walk), so one entry serves whole-file and partial runs alike.
        self._regional = regional
        self._size = size
        self._entries: dict[tuple[int, int, int, int, str, Region | None], tuple[bytes, T]] = {}
        self._lock = threading.Lock()

    def _key(self, source: bytes, node: Node) -> tuple[int, int, int, int, str, Region | None]:
        region = active_region() if self._regional else None
        return (id(source), node.id, node.start_byte, node.end_byte, node.type, region)

    def get(self, source: bytes, node: Node, compute: Callable[[], T]) -> T:
        hit = self.peek(source, node)
        if hit is not None:
            return hit
        value = compute()
        self.put(source, node, value)
        return value

    def peek(self, source: bytes, node: Node) -> T | None:
        """The memoised value, or None; never computes."""
        key = self._key(source, node)
        with self._lock:
            hit = self._entries.get(key)
        return hit[1] if hit is not None and hit[0] is source else None

    def put(self, source: bytes, node: Node, value: T) -> None:
        """Record a value known by other means (incremental analysis carries one forward)."""
        key = self._key(source, node)
        with self._lock:
            self._entries.pop(key, None)
            if len(self._entries) >= self._size:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = (source, value)


class NodeIndex:
    """Nodes of ``INDEXED_TYPES`` under one root, each list in pre-order."""

    def __init__(self, root: Node, region: Region | None = None) -> None:
        cursor = QueryCursor(compile_query("python", _QUERY))
        found: dict[str, list[Node]] = {}
        for start, end in region if region is not None else ((root.start_byte, root.end_byte),):
            if region is not None:
                cursor.set_byte_range(start, end)
            for name, nodes in cursor.captures(root).items():
                kept = found.setdefault(name, [])
                kept.extend(n for n in nodes if region is None or start <= n.start_byte < end)
        self._by_type: dict[str, tuple[Node, ...]] = {
            name: tuple(sorted(nodes, key=_preorder)) for name, nodes in found.items()
        }
        self._merged: dict[tuple[str, ...], tuple[Node, ...]] = {}

    def of(self, *types: str) -> tuple[Node, ...]:
        """Nodes of any of ``types`` in source (pre-)order; only indexed types are allowed."""
        unknown = [t for t in types if t not in INDEXED_TYPES]
        if unknown:
            raise ValueError(f"node types not indexed: {unknown}")
        if len(types) == 1:
            return self._by_type.get(types[0], ())
        merged = self._merged.get(types)
        if merged is None:
            nodes = [n for t in types for n in self._by_type.get(t, ())]
            merged = self._merged[types] = tuple(sorted(nodes, key=_preorder))
        return merged


def _preorder(node: Node) -> tuple[int, int]:
    return (node.start_byte, -node.end_byte)


_INDEXES: SourceMemo[NodeIndex] = SourceMemo()


def node_index(source: bytes, root: Node) -> NodeIndex:
    """The shared index of ``root`` (built once per document version and region).

    Only a module root is limited by the active region; a subtree's index is whole.
    """
    region = active_region()
    if region is None or root.type != "module":
        with restricted(None):
            return _INDEXES.get(source, root, lambda: NodeIndex(root))
    return _INDEXES.get(source, root, lambda: NodeIndex(root, region))
