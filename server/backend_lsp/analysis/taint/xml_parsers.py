"""lxml parsers that cannot expand external entities: the fix BE022 itself advises.

``etree.fromstring(data, parser=p)`` is safe from XXE when ``p`` is an
``XMLParser(resolve_entities=False)``: built inline, bound to a name (a module
constant), or returned by a small factory function in the same file (one shared
configuration for every upload path). Anything else, the default parser included,
is left to the sink.
"""

from __future__ import annotations

from tree_sitter import Node

from backend_lsp.analysis.python.bindings import ASSIGNMENT, DEFINITION, resolve_name
from backend_lsp.analysis.python.calls import is_false
from backend_lsp.analysis.python.nodes import (
    keyword_argument,
    last_attribute,
    node_text,
    own_nodes,
    statement_assignment,
)

_PARSER_CLASSES = frozenset({"XMLParser", "XMLPullParser", "ETCompatXMLParser"})
_BOUND = frozenset({ASSIGNMENT, DEFINITION})
_DEPTH = 3  # name -> factory -> constructor is as far as real code goes


def parser_argument(positional: list[Node], keywords: dict[str, Node]) -> Node | None:
    """The parser given to ``fromstring``/``parse``/``XML``: ``parser=`` or the second argument."""
    if "parser" in keywords:
        return keywords["parser"]
    return positional[1] if len(positional) > 1 else None


def resolves_no_entities(source: bytes, node: Node | None, depth: int = _DEPTH) -> bool:
    """``node`` is (or names, or is returned by a call of) ``XMLParser(resolve_entities=False)``."""
    if node is None or depth <= 0:
        return False
    if node.type == "identifier":
        value = resolve_name(source, node, _BOUND) or _module_value(source, node)
        if value is not None and value.type == "function_definition":
            return _returns_hardened(source, value, depth - 1)
        return resolves_no_entities(source, value, depth - 1)
    if node.type != "call":
        return False
    function = node.child_by_field_name("function")
    if function is None:
        return False
    if last_attribute(node_text(source, function)) in _PARSER_CLASSES:
        return is_false(source, keyword_argument(source, node, "resolve_entities"))
    arguments = node.child_by_field_name("arguments")
    if function.type == "identifier" and arguments is not None and not arguments.named_children:
        return resolves_no_entities(source, function, depth)  # ``_safe_parser()``
    return False


def _returns_hardened(source: bytes, function: Node, depth: int) -> bool:
    body = function.child_by_field_name("body")
    returns = [n for n in own_nodes(body) if n.type == "return_statement"]
    return bool(returns) and all(
        resolves_no_entities(source, r.named_children[0] if r.named_children else None, depth)
        for r in returns
    )


def _module_value(source: bytes, identifier: Node) -> Node | None:
    """What a module-level ``NAME = ...`` or ``def NAME`` binds, seen from inside a function."""
    root = identifier
    while root.parent is not None:
        root = root.parent
    name = node_text(source, identifier)
    found: Node | None = None
    for statement in root.named_children:
        if statement.type == "decorated_definition":
            statement = statement.child_by_field_name("definition") or statement
        if statement.type == "function_definition":
            if node_text(source, statement.child_by_field_name("name")) == name:
                found = statement
            continue
        assignment = statement_assignment(statement)
        left = assignment.child_by_field_name("left") if assignment is not None else None
        if assignment is not None and left is not None and node_text(source, left) == name:
            found = assignment.child_by_field_name("right")
    return found
