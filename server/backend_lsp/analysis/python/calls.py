"""Calls with their callee resolved through the module's imports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from backend_lsp.analysis.python.imports import import_aliases, qualified_name
from backend_lsp.analysis.python.index import SourceMemo, node_index
from backend_lsp.analysis.python.nodes import call_name, keyword_argument, node_text


@dataclass(frozen=True, slots=True)
class ResolvedCall:
    node: Node
    name: str  # as written: ``pkl.loads``
    qualified: str  # through imports: ``pickle.loads``


def resolved_calls(source: bytes, root: Node) -> Iterator[ResolvedCall]:
    """Every call under ``root`` in source order (resolved once per document version)."""
    yield from _MEMO.get(source, root, lambda: _resolve(source, root))


def _resolve(source: bytes, root: Node) -> tuple[ResolvedCall, ...]:
    aliases = import_aliases(source, root)
    resolved = []
    for node in node_index(source, root).of("call"):
        name = call_name(source, node)
        resolved.append(ResolvedCall(node, name, qualified_name(name, aliases)))
    return tuple(resolved)


# Six security rules iterate the same calls.
_MEMO: SourceMemo[tuple[ResolvedCall, ...]] = SourceMemo()


def keyword_node(source: bytes, call: Node, name: str) -> Node | None:
    """The whole ``name=value`` keyword_argument node (for removal)."""
    value = keyword_argument(source, call, name)
    return value.parent if value is not None else None


def is_false(source: bytes, node: Node | None) -> bool:
    return node is not None and node_text(source, node) in ("False", "0")


def is_true(source: bytes, node: Node | None) -> bool:
    return node is not None and node_text(source, node) in ("True", "1")
