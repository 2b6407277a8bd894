"""Where a value lands in a built URL decides what it can control.

A value after ``?``, ``#`` or ``&`` is a query or fragment: it cannot pick the host a
redirect or a server-side request goes to. A value after a ``/`` that follows the host
(or any ``/`` when the text has no scheme) is a path on a host the code fixed: not SSRF.
On real code these were the bulk of redirect/SSRF noise (``f"{reverse(...)}?{query}"``,
``"https://api.example.com/geocode?q={}".format(quote(q))``).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from backend_lsp.analysis.python.nodes import node_text, string_value
from backend_lsp.analysis.taint.tables import REDIRECT, SSRF

# A piece of a built string: literal text, or the expression node of a hole.
Piece = str | Node
OPAQUE = "\0"  # stands for a hole's unknown text in the prefix
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.\d+)?[a-zA-Z%]")
_FORMAT_FIELD = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


def cleared_by_prefix(prefix: str) -> frozenset[str]:
    """Categories a hole cannot reach given the literal text before it."""
    out: set[str] = set()
    if any(mark in prefix for mark in "?#&"):
        out |= {REDIRECT, SSRF}
    after_scheme = prefix.split("://", 1)[1] if "://" in prefix else prefix
    if "/" in after_scheme.lstrip(OPAQUE):
        out.add(SSRF)
    return frozenset(out)


def pieces(source: bytes, node: Node) -> list[Piece] | None:
    """The string ``node`` builds, as literal text and hole expressions in order; None when
    it is not a string build (f-string, ``+``, ``%`` or ``.format`` on a literal)."""
    kind = node.type
    if kind == "string":
        return _fstring(source, node)
    if kind == "parenthesized_expression" and node.named_children:
        return pieces(source, node.named_children[0]) or [node]
    if kind == "binary_operator":
        operator = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = node_text(source, operator)
        if left is None or right is None:
            return None
        if op == "+":
            return (pieces(source, left) or [left]) + (pieces(source, right) or [right])
        if op == "%" and left.type == "string":
            template = string_value(source, left)
            if template is None:
                return None
            values = right.named_children if right.type == "tuple" else [right]
            return _split(template, _PERCENT_SPEC, values, ("%%",))
    return None


def format_pieces(source: bytes, receiver: Node, args: list[Node]) -> list[Piece] | None:
    """``"https://host/?q={}".format(value)``: holes in field order (positional only)."""
    template = string_value(source, receiver)
    if template is None or any(
        field.group(0) not in ("{{", "}}", "{}") for field in _FORMAT_FIELD.finditer(template)
    ):
        return None  # named or numbered fields: keep the whole call's taint
    return _split(template, _FORMAT_FIELD, args, ("{{", "}}"))


def _fstring(source: bytes, node: Node) -> list[Piece] | None:
    out: list[Piece] = []
    for child in node.children:
        if child.type == "string_content":
            out.append(node_text(source, child))
        elif child.type == "interpolation" and child.named_children:
            out.append(child.named_children[0])
    return out


def _split(
    template: str, pattern: re.Pattern[str], values: list[Node], escapes: tuple[str, ...]
) -> list[Piece]:
    out: list[Piece] = []
    cursor = 0
    index = 0
    for match in pattern.finditer(template):
        out.append(template[cursor : match.start()])
        cursor = match.end()
        if match.group(0) in escapes:
            out.append(match.group(0)[0])
        elif index < len(values):
            out.append(values[index])
            index += 1
        else:
            out.append(OPAQUE)
    out.append(template[cursor:])
    return [*values[index:], *out]  # unmatched values: position unknown, nothing before them
