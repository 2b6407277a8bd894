"""Small Go syntax readers shared by the Go extractor and its route walker.

``Bindings`` is how Go code without local type annotations is read: each local
name maps to the type the code gives it, so references can name types.
"""

from __future__ import annotations

from tree_sitter import Node


def text(source: bytes, node: Node | None) -> str:
    if node is None:
        return ""
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def string_value(source: bytes, node: Node | None) -> str | None:
    """The value of a Go string literal (interpreted or raw), else None."""
    if node is None or node.type not in ("interpreted_string_literal", "raw_string_literal"):
        return None
    return "".join(
        text(source, c)
        for c in node.children
        if c.type in ("interpreted_string_literal_content", "raw_string_literal_content")
    )


def type_name(source: bytes, node: Node | None) -> str:
    """``*[]pkg.T[X]`` -> ``pkg.T``: the named type a value of this type leads to."""
    while node is not None and node.type in (
        "pointer_type",
        "slice_type",
        "array_type",
        "parenthesized_type",
        "generic_type",
    ):
        if node.type == "generic_type":
            node = node.child_by_field_name("type")
        elif node.type in ("slice_type", "array_type"):
            node = node.child_by_field_name("element")
        else:
            node = node.named_children[0] if node.named_children else None
    if node is None or node.type not in ("type_identifier", "qualified_type"):
        return ""
    return text(source, node)


def chain(source: bytes, node: Node) -> list[str] | None:
    """``a.b.c`` as its parts when it is names and calls only (``db.Where().Find``:
    ``["db", "Where()", "Find"]``); None when it indexes or starts from a literal."""
    parts: list[str] = []
    current: Node | None = node
    called = ""
    while current is not None and current.type in ("selector_expression", "call_expression"):
        if current.type == "call_expression":
            current, called = current.child_by_field_name("function"), "()"
            continue
        parts.append(text(source, current.child_by_field_name("field")) + called)
        current, called = current.child_by_field_name("operand"), ""
    if current is None or current.type != "identifier":
        return None
    parts.append(text(source, current) + called)
    return parts[::-1]


class Bindings:
    """Local names -> what the code says they are (a type, or ``pkg.F()`` for a call result)."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.names: dict[str, str] = {}

    def rewrite(self, parts: list[str]) -> str:
        bound = self.names.get(parts[0])
        return ".".join([bound, *parts[1:]] if bound else parts)

    def expression(self, node: Node | None) -> str | None:
        """What a value expression leads to, in the names of this function."""
        source = self.source
        if node is None:
            return None
        if node.type == "unary_expression":
            return self.expression(node.child_by_field_name("operand"))
        if node.type == "composite_literal":
            return type_name(source, node.child_by_field_name("type")) or None
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            if (
                function is not None
                and function.type == "identifier"
                and text(source, function) in ("new", "make")
            ):
                arguments = node.child_by_field_name("arguments")
                first = (
                    arguments.named_children[0] if arguments and arguments.named_children else None
                )
                return type_name(source, first) or None
            parts = chain(source, function) if function is not None else None
            if function is not None and function.type == "identifier":
                parts = [text(source, function)]
            return self.rewrite(parts) + "()" if parts else None
        if node.type in ("identifier", "selector_expression"):
            parts = [text(source, node)] if node.type == "identifier" else chain(source, node)
            return self.rewrite(parts) if parts else None
        return None

    def bind(self, name: str, value: str | None) -> None:
        if value and name not in ("_", value) and name not in self.names:
            self.names[name] = value

    def collect(self, node: Node) -> None:
        """Every declaration in a function (parameters, :=, var), in source order."""
        source = self.source
        stack = [node]
        while stack:
            current = stack.pop()
            kind = current.type
            if kind in ("parameter_declaration", "variadic_parameter_declaration"):
                declared = type_name(source, current.child_by_field_name("type"))
                for name in current.children_by_field_name("name"):
                    self.bind(text(source, name), declared)
            elif kind == "var_spec":
                declared = type_name(source, current.child_by_field_name("type"))
                values = current.child_by_field_name("value")
                for i, name in enumerate(current.children_by_field_name("name")):
                    value = declared or self._nth(values, i)
                    self.bind(text(source, name), value)
            elif kind == "short_var_declaration":
                left = current.child_by_field_name("left")
                right = current.child_by_field_name("right")
                for i, name in enumerate(left.named_children if left else []):
                    if name.type == "identifier":
                        self.bind(text(source, name), self._nth(right, i))
            stack.extend(reversed(current.children))

    def _nth(self, values: Node | None, i: int) -> str | None:
        if values is None:
            return None
        items = values.named_children if values.type == "expression_list" else [values]
        if len(items) == 1 and i > 0:
            return None  # x, err := f(): only the first result has the call's type
        return self.expression(items[i]) if i < len(items) else None
