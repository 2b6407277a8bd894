"""What the engine needs to know of a file before it runs a function: the functions it
defines (any depth), the plain names it calls, and its pydantic body models.

A whole-tree query costs ~15 ms on a 5,000-line file, on every edit; the outline of a
top-level statement depends only on its bytes, so it is remembered per statement text
(offsets relative to the statement) and only edited statements are queried again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from tree_sitter import Node, QueryCursor

from backend_lsp.analysis.python.nodes import node_text, walk
from backend_lsp.syntax.queries import compile_query

_DEFS_AND_CALLS = """
(function_definition) @node
(class_definition) @node
(call function: (identifier)) @node
"""
_SIZE = 50_000  # top-level statements remembered (a large workspace's worth)


@dataclass(frozen=True, slots=True)
class _Part:
    """One top-level statement's outline, offsets relative to its start."""

    functions: tuple[tuple[str, int, int], ...]  # (name, start, end) in pre-order
    models: tuple[str, ...]
    called: tuple[str, ...]


@dataclass(slots=True)
class Outline:
    functions: dict[str, Node]  # the last definition of each name in pre-order wins
    called: set[str]  # ``f(...)`` only: ``re.search(...)`` says nothing about ``search``
    models: frozenset[str]  # classes deriving from ``BaseModel`` (FastAPI request bodies)


_PARTS: OrderedDict[bytes, _Part] = OrderedDict()
_LOCK = threading.Lock()


def outline(source: bytes, root: Node, remember: bool = True) -> Outline:
    """The file's outline; ``remember`` False reads and keeps nothing (the memo-free
    oracle). A tree with errors is walked whole, seeing inside ERROR nodes."""
    out = Outline({}, set(), frozenset())
    if root.has_error:
        _add(out, source, walk(root))
        return out
    models: set[str] = set()
    for child in root.named_children:
        text = source[child.start_byte : child.end_byte]
        part = _known(text) if remember else None
        if part is None:
            part = _part(source, child)
            if remember:
                _keep(text, part)
        base = child.start_byte
        for name, start, end in part.functions:
            node = _function_at(root, child, base + start, base + end)
            if node is not None:
                out.functions[name] = node
        models.update(part.models)
        out.called.update(part.called)
    out.models = frozenset(models)
    return out


def _part(source: bytes, statement: Node) -> _Part:
    found = QueryCursor(compile_query("python", _DEFS_AND_CALLS)).captures(statement)
    nodes = sorted(found.get("node", []), key=lambda node: (node.start_byte, -node.end_byte))
    probe = Outline({}, set(), frozenset())
    functions: list[tuple[str, int, int]] = []
    base = statement.start_byte
    for node in nodes:
        if node.type == "function_definition":
            name = node.child_by_field_name("name")
            if name is not None:
                start, end = node.start_byte - base, node.end_byte - base
                functions.append((node_text(source, name), start, end))
    _add(probe, source, nodes)
    return _Part(tuple(functions), tuple(sorted(probe.models)), tuple(sorted(probe.called)))


def _add(out: Outline, source: bytes, nodes: Iterable[Node]) -> None:
    models = set(out.models)
    for node in nodes:
        if node.type == "function_definition":
            name = node.child_by_field_name("name")
            if name is not None:
                out.functions[node_text(source, name)] = node
        elif node.type == "class_definition":
            if "BaseModel" in node_text(source, node.child_by_field_name("superclasses")):
                models.add(node_text(source, node.child_by_field_name("name")))
        elif node.type == "call":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "identifier":
                out.called.add(node_text(source, function))
    out.models = frozenset(models)


def _function_at(root: Node, statement: Node, start: int, end: int) -> Node | None:
    if statement.type == "function_definition" and statement.start_byte == start:
        return statement
    node: Node | None = root.descendant_for_byte_range(start, end)
    while node is not None and node.start_byte == start and node.end_byte == end:
        if node.type == "function_definition":
            return node
        node = node.parent
    return None


def _known(text: bytes) -> _Part | None:
    with _LOCK:
        part = _PARTS.get(text)
        if part is not None:
            _PARTS.move_to_end(text)
        return part


def _keep(text: bytes, part: _Part) -> None:
    with _LOCK:
        _PARTS[text] = part
        while len(_PARTS) > _SIZE:
            _PARTS.popitem(last=False)
