"""Small JavaScript/TypeScript syntax readers shared by the JS extractor, routes and ORM."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node


def text(source: bytes, node: Node | None) -> str:
    if node is None:
        return ""
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def string_value(source: bytes, node: Node | None) -> str | None:
    """A string literal's value (a template literal only without ``${}``), else None."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    if any(c.type == "template_substitution" for c in node.children):
        return None
    return "".join(text(source, c) for c in node.children if c.type == "string_fragment")


def template_text(source: bytes, node: Node) -> str:
    """A template literal with each ``${...}`` as ``1`` (``/items/${id}`` -> ``/items/1``)."""
    return "".join(
        text(source, c) if c.type == "string_fragment" else "1"
        for c in node.children
        if c.type in ("string_fragment", "template_substitution")
    )


def call_expressions(root: Node) -> Iterator[Node]:
    """Every call under ``root`` (depth first, last child first: one order for every caller)."""
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type == "call_expression":
            yield node


def arguments(call: Node) -> list[Node]:
    found = call.child_by_field_name("arguments")
    return [a for a in (found.named_children if found else []) if a.type != "comment"]


def chain(source: bytes, node: Node | None) -> list[str] | None:
    """``this.svc.find`` / ``prisma.item.findMany`` as parts when names and calls only
    (a call's part ends in ``()``); None when it indexes or starts from a literal."""
    parts: list[str] = []
    called = ""
    current = node
    while current is not None and current.type in ("member_expression", "call_expression"):
        if current.type == "call_expression":
            current, called = current.child_by_field_name("function"), "()"
            continue
        prop = current.child_by_field_name("property")
        if prop is None or prop.type not in ("property_identifier", "private_property_identifier"):
            return None
        parts.append(text(source, prop) + called)
        current, called = current.child_by_field_name("object"), ""
    if current is not None and current.type == "new_expression":  # new X().m: X's member
        current = current.child_by_field_name("constructor")
    if current is None or current.type not in ("identifier", "this"):
        return None
    parts.append(text(source, current) + called)
    return parts[::-1]


def type_text(source: bytes, annotation: Node | None) -> str:
    """A type annotation's named type (``Repository<Item>`` kept whole), else ""."""
    node = annotation
    if node is not None and node.type == "type_annotation":
        node = node.named_children[0] if node.named_children else None
    if node is None or node.type not in (
        "type_identifier",
        "generic_type",
        "nested_type_identifier",
    ):
        return ""
    return text(source, node)


@dataclass(frozen=True, slots=True)
class Decorator:
    """``@Name(args)``: its callee's last name and argument nodes."""

    name: str
    args: tuple[Node, ...]


def decorator(source: bytes, node: Node) -> Decorator | None:
    inner = node.named_children[0] if node.named_children else None
    if inner is None:
        return None
    if inner.type == "call_expression":
        function = inner.child_by_field_name("function")
        parts = chain(source, function) if function is not None else None
        return Decorator(parts[-1], tuple(arguments(inner))) if parts else None
    parts = chain(source, inner)
    return Decorator(parts[-1], ()) if parts else None


def decorators_before(source: bytes, node: Node) -> list[Decorator]:
    """Decorators of a class member: the ``decorator`` siblings just before it."""
    found: list[Decorator] = []
    current = node.prev_named_sibling
    while current is not None and current.type in ("decorator", "comment"):
        if current.type == "decorator" and (made := decorator(source, current)) is not None:
            found.append(made)
        current = current.prev_named_sibling
    return found[::-1]


def decorators_of(source: bytes, node: Node) -> list[Decorator]:
    """A class's or parameter's own decorators (an exported class: the export's too)."""
    nodes = [c for c in node.children if c.type == "decorator"]
    parent = node.parent
    if parent is not None and parent.type == "export_statement":
        nodes = [c for c in parent.children if c.type == "decorator"] + nodes
    return [d for n in nodes if (d := decorator(source, n)) is not None]


def object_entries(source: bytes, node: Node | None) -> dict[str, Node]:
    """``{ a: 1, 'b': x, c }`` -> key -> value node (shorthand keys map to themselves)."""
    found: dict[str, Node] = {}
    if node is None or node.type != "object":
        return found
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            name = string_value(source, key) if key is not None and key.type == "string" else None
            name = name if name is not None else text(source, key)
            if value is not None:
                found[name] = value
        elif child.type == "shorthand_property_identifier":
            found[text(source, child)] = child
    return found
