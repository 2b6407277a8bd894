"""Small, reusable questions about Python syntax trees."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node


def node_text(source: bytes, node: Node | None) -> str:
    if node is None:
        return ""
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def walk(node: Node) -> Iterator[Node]:
    """Pre-order traversal with a tree cursor (deep trees must not blow the stack)."""
    cursor = node.walk()
    depth = 0
    while True:
        current = cursor.node
        if current is not None:
            yield current
        if cursor.goto_first_child():
            depth += 1
            continue
        while depth == 0 or not cursor.goto_next_sibling():
            if depth == 0 or not cursor.goto_parent():
                return
            depth -= 1


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def enclosing(node: Node, *types: str) -> Node | None:
    """Nearest ancestor of one of ``types``."""
    for parent in ancestors(node):
        if parent.type in types:
            return parent
    return None


def enclosing_function(node: Node) -> Node | None:
    return enclosing(node, "function_definition", "lambda")


def enclosing_scope(node: Node) -> Node:
    """The function holding ``node``, else the module root: where a local name is looked up."""
    scope = enclosing_function(node)
    if scope is None:
        scope = node
        while scope.parent is not None:
            scope = scope.parent
    return scope


def is_async_function(function: Node) -> bool:
    """True for ``async def`` (the grammar marks it with an ``async`` token)."""
    return any(child.type == "async" for child in function.children[:2])


def call_name(source: bytes, call: Node) -> str:
    """Dotted callee of a ``call`` node: ``requests.get``, ``self.db.execute``, ``open``."""
    function = call.child_by_field_name("function")
    return node_text(source, function) if function is not None else ""


def last_attribute(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def call_arguments(call: Node) -> list[Node]:
    """The call's arguments; ``f(x for x in xs)`` has one, the generator (tree-sitter makes
    the generator the argument list itself, and its children are its clauses)."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    if args.type == "generator_expression":
        return [args]
    return [c for c in args.named_children if c.type != "comment"]


def positional_arguments(call: Node) -> list[Node]:
    return [
        a
        for a in call_arguments(call)
        if a.type not in ("keyword_argument", "list_splat", "dictionary_splat")
    ]


def keyword_argument(source: bytes, call: Node, name: str) -> Node | None:
    """The value node of keyword argument ``name=...``, if present."""
    for arg in call_arguments(call):
        if arg.type == "keyword_argument":
            key = arg.child_by_field_name("name")
            if key is not None and node_text(source, key) == name:
                return arg.child_by_field_name("value")
    return None


def has_kwargs_splat(call: Node) -> bool:
    return any(a.type == "dictionary_splat" for a in call_arguments(call))


def string_value(source: bytes, node: Node) -> str | None:
    """Value of a plain (non f-) string literal, or of implicitly concatenated ones."""
    if node.type == "concatenated_string":
        parts = [string_value(source, child) for child in node.named_children]
        if any(p is None for p in parts):
            return None
        return "".join(p for p in parts if p is not None)
    if node.type != "string":
        return None
    if is_fstring(source, node):
        return None
    return "".join(
        node_text(source, child)
        for child in node.named_children
        if child.type in ("string_content", "escape_sequence")
    )


def is_docstring(string: Node) -> bool:
    """A string standing alone as a statement: documentation or a bare-string comment, not data."""
    parent = string.parent
    return (
        parent is not None
        and parent.type == "expression_statement"
        and (parent.named_child_count == 1)
    )


def is_fstring(source: bytes, node: Node) -> bool:
    if node.type != "string":
        return False
    start = node.child(0)
    prefix = node_text(source, start).lower() if start is not None else ""
    return "f" in prefix.rstrip("'\"")


def function_name(source: bytes, function: Node) -> str:
    return node_text(source, function.child_by_field_name("name"))


def decorators(function: Node) -> list[Node]:
    """Decorator nodes of a function or class (empty when undecorated)."""
    parent = function.parent
    if parent is None or parent.type != "decorated_definition":
        return []
    return [child for child in parent.children if child.type == "decorator"]


def statement_assignment(statement: Node) -> Node | None:
    """The ``x = ...`` a statement holds, so module and class bodies can be read as bindings."""
    if statement.type != "expression_statement" or not statement.named_children:
        return None
    inner = statement.named_children[0]
    return inner if inner.type == "assignment" else None


def assigned_name(value: Node) -> tuple[Node, Node] | None:
    """(the assignment, the name) of ``name = value``, through ``await`` and parentheses:
    for rules that follow what a call returned by the name it was kept under."""
    node = value
    while node.parent is not None and node.parent.type in ("parenthesized_expression", "await"):
        node = node.parent
    assignment = node.parent
    if assignment is None or assignment.type != "assignment":
        return None
    left = assignment.child_by_field_name("left")
    if left is None or left.type != "identifier" or assignment.child_by_field_name("right") != node:
        return None
    return assignment, left


_NESTED_SCOPES = ("function_definition", "lambda", "class_definition")


def own_nodes(node: Node | None) -> Iterator[Node]:
    """``node`` and what it holds, in source order, without the bodies of functions, lambdas
    and classes it defines: the code that runs when ``node`` runs (nothing for None)."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if current.type in _NESTED_SCOPES:
            continue
        yield current
        stack.extend(reversed(current.named_children))


def own_calls(node: Node | None) -> Iterator[Node]:
    """The calls among ``own_nodes(node)``."""
    return (item for item in own_nodes(node) if item.type == "call")


def module_bindings(source: bytes, root: Node) -> dict[str, Node]:
    """Top-level ``NAME = value`` assignments by name (the last one wins), for rules that
    follow a constant: settings flags, origins lists, credentials kept in a module name."""
    found: dict[str, Node] = {}
    for statement in root.named_children:
        assignment = statement_assignment(statement)
        if assignment is None:
            continue
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is not None and right is not None and left.type == "identifier":
            found[source[left.start_byte : left.end_byte].decode("utf-8", "replace")] = assignment
    return found


def binding(node: Node) -> tuple[Node | None, Node | None]:
    """(target, value) of ``x = value`` or ``with value as x``; (None, None) for anything else."""
    if node.type == "assignment":
        return node.child_by_field_name("left"), node.child_by_field_name("right")
    if node.type == "as_pattern":
        value = node.named_children[0] if node.named_children else None
        alias = node.child_by_field_name("alias")
        target = alias.named_children[0] if alias is not None and alias.named_children else None
        return target, value
    return None, None


def parameter_name(source: bytes, parameter: Node) -> str:
    """``payload``, ``payload: bytes``, ``payload=b""`` and ``*payload`` all name ``payload``."""
    if parameter.type == "identifier":
        return node_text(source, parameter)
    name = parameter.child_by_field_name("name")
    if name is None and parameter.named_children:
        name = parameter.named_children[0]
    return node_text(source, name) if name is not None and name.type == "identifier" else ""
