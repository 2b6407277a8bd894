"""Which names a selection uses, found by walking its syntax tree (no type inference).

Names are resolved later by matching them against same-file definitions; this
module only says what is referenced, in first-use order. ``self.x``/``this.x``
member names are reported separately because they resolve against the
enclosing class rather than the module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from backend_lsp.context.scope import LanguageTable

_RECEIVERS = frozenset({"self", "cls", "this"})
_MEMBER_ACCESS = {
    "attribute": ("object", "attribute"),  # Python
    "member_expression": ("object", "property"),  # JS/TS
    "selector_expression": ("operand", "field"),  # Go
    "field_access": ("object", "field"),  # Java
}


@dataclass
class References:
    """Names used by a range of code, in order of first use."""

    names: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    def add_name(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)

    def add_member(self, name: str) -> None:
        if name not in self.members:
            self.members.append(name)


def _overlaps(node: Node, start: int, end: int) -> bool:
    return node.start_byte < end and node.end_byte > start


def _text(source: bytes, node: Node) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def references_in(
    root: Node, source: bytes, start: int, end: int, table: LanguageTable
) -> References:
    """Identifiers used inside bytes [start, end) of ``source``."""
    found = References()
    stack = [root]
    while stack:
        node = stack.pop()
        if not _overlaps(node, start, end):
            continue
        access = _MEMBER_ACCESS.get(node.type)
        if access is not None:
            receiver = node.child_by_field_name(access[0])
            member = node.child_by_field_name(access[1])
            if receiver is not None and member is not None:
                if _text(source, receiver) in _RECEIVERS and _overlaps(member, start, end):
                    found.add_member(_text(source, member))
                # The member name is not a free variable; only the receiver side is.
                stack.append(receiver)
                continue
        if node.type in table.identifiers and node.start_byte >= start and node.end_byte <= end:
            name = _text(source, node)
            if name not in _RECEIVERS:
                found.add_name(name)
            continue
        stack.extend(reversed(node.children))
    return found
