"""Constant folding of the expressions that decide branches (``if 7 * 42 - num > 200``)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from tree_sitter import Node

from backend_lsp.analysis.python.nodes import node_text, string_value


class Unknown:
    """The value is decided at run time."""


UNKNOWN: Any = Unknown()
_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "//": operator.floordiv,
    "%": operator.mod, "/": operator.truediv,
}  # fmt: skip
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}  # fmt: skip


def fold(source: bytes, node: Node | None, known: Mapping[str, Any]) -> Any:
    """The value of ``node`` if it is a constant expression, else ``UNKNOWN``."""
    if node is None:
        return UNKNOWN
    try:
        return _fold(source, node, known)
    except (ArithmeticError, TypeError, ValueError, OverflowError):
        return UNKNOWN


def _fold(source: bytes, node: Node, known: Mapping[str, Any]) -> Any:
    kind = node.type
    if kind == "integer":
        return int(node_text(source, node).replace("_", ""), 0)
    if kind == "float":
        return float(node_text(source, node).replace("_", ""))
    if kind in ("true", "false", "none"):
        return {"true": True, "false": False, "none": None}[kind]
    if kind == "string":
        value = string_value(source, node)
        return UNKNOWN if value is None else value
    if kind == "identifier":
        return known.get(node_text(source, node), UNKNOWN)
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return _fold(source, node.named_children[0], known)
    if kind == "unary_operator":
        value = _fold(source, node.named_children[-1], known)
        if value is UNKNOWN or isinstance(value, str):
            return UNKNOWN
        return -value if node_text(source, node).startswith("-") else value
    if kind == "not_operator":
        value = _fold(source, node.named_children[-1], known)
        return UNKNOWN if value is UNKNOWN else not value
    if kind == "binary_operator":
        op = node.child_by_field_name("operator")
        left = _fold(source, node.child_by_field_name("left") or node, known)
        right = _fold(source, node.child_by_field_name("right") or node, known)
        function = _BINARY.get(node_text(source, op))
        if function is None or left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        if isinstance(left, str) or isinstance(right, str):
            return UNKNOWN if function is not operator.add else function(left, right)
        return function(left, right)
    if kind == "comparison_operator" and node.named_child_count == 2:
        operators = [c for c in node.children if not c.is_named]
        function = _COMPARE.get(node_text(source, operators[0])) if len(operators) == 1 else None
        left = _fold(source, node.named_children[0], known)
        right = _fold(source, node.named_children[1], known)
        if function is None or left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        return function(left, right)
    if kind == "boolean_operator":
        left = _fold(source, node.child_by_field_name("left") or node, known)
        right = _fold(source, node.child_by_field_name("right") or node, known)
        is_and = node_text(source, node.child_by_field_name("operator")) == "and"
        if left is not UNKNOWN:
            if is_and:
                return right if left else left
            return left if left else right
        return UNKNOWN
    return UNKNOWN
