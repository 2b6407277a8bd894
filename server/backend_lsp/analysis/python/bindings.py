"""The one name resolver: the last binding of a name before a use, within its scope.

Rules follow a name to what it was bound to (``qs = Order.objects.all()`` before
``for o in qs``, ``sql = "..." + x`` before ``execute(sql)``). They share this
scan so shadowing, loops and nested scopes are handled one way. Statements are
visited, not every node, and nested functions, lambdas and classes are not
entered (their names bind there, not here); the answer is a best guess for
rules, not a data-flow analysis.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from tree_sitter import Node

from backend_lsp.analysis.python.imports import statement_imports
from backend_lsp.analysis.python.nodes import enclosing_scope, node_text, own_nodes

ASSIGNMENT = "assignment"  # ``x = v``, ``x: T = v``, ``a, x = v`` (value None when unpacked)
AUGMENTED = "augmented"  # ``x += v``
FOR = "for"  # ``for x in v``
WITH = "with"  # ``with v as x``
EXCEPT = "except"  # ``except E as x``
PARAMETER = "parameter"  # ``def f(x=v)`` (value: the default)
WALRUS = "walrus"  # ``(x := v)``
IMPORT = "import"  # ``import x`` / ``from m import y as x`` (value None)
DEFINITION = "definition"  # ``def x`` / ``class x`` (value: the definition)


@dataclass(frozen=True, slots=True)
class Binding:
    """``target`` (an identifier) bound to ``value`` by ``node``."""

    kind: str
    target: Node
    value: Node | None
    node: Node


def bindings_before(
    source: bytes, name: str, use: Node, kinds: frozenset[str] | None = None
) -> list[Binding]:
    """Bindings of ``name`` in the scope of ``use`` that happen before it, in source order.

    A binding whose value holds ``use`` (``x = f(x)``) is not before it.
    """
    found: list[Binding] = []
    at = use.start_byte
    scope = enclosing_scope(use)
    memo = _MEMO.get()
    named: Iterator[Binding] | list[Binding]
    if memo is None:
        named = (
            bound
            for bound in _scope_bindings(source, scope, at)
            if node_text(source, bound.target) == name
        )
    else:
        named = _remembered(memo, source, scope).by_name.get(name, [])
    for bound in named:
        if kinds is not None and bound.kind not in kinds:
            continue
        if bound.target.end_byte > at:
            continue
        value = bound.value
        if value is not None and value.start_byte <= at < value.end_byte:
            continue
        if bound.kind in (ASSIGNMENT, AUGMENTED, WALRUS) and bound.node.end_byte > at:
            continue
        found.append(bound)
    return found


def last_binding(
    source: bytes, name: str, use: Node, kinds: frozenset[str] | None = None
) -> Binding | None:
    """The binding of ``name`` that ``use`` sees (the last one before it), or None."""
    found = bindings_before(source, name, use, kinds)
    return found[-1] if found else None


def scope_bindings(
    source: bytes, scope: Node, kinds: frozenset[str] | None = None
) -> Iterator[Binding]:
    """Every binding the code of ``scope`` (a function, lambda or module) makes, in order:
    for rules that collect the names bound to something (connections, temp dirs)."""
    memo = _MEMO.get()
    every = (
        _scope_bindings(source, scope, scope.end_byte + 1)
        if memo is None
        else _remembered(memo, source, scope).every
    )
    for bound in every:
        if kinds is None or bound.kind in kinds:
            yield bound


_ASSIGNED = frozenset({ASSIGNMENT})
# ``x = open(p)`` and ``with open(p) as x`` both name the thing opened
ASSIGNED_OR_OPENED = frozenset({ASSIGNMENT, WITH})
_ASSIGNED_OR_AUGMENTED = frozenset({ASSIGNMENT, AUGMENTED})


def resolve_name(source: bytes, identifier: Node, kinds: frozenset[str] = _ASSIGNED) -> Node | None:
    """The value last bound to ``identifier`` before it (by ``kinds``: plain assignments
    unless told), or None when that binding has no single value."""
    if identifier.type != "identifier":
        return None
    bound = last_binding(source, node_text(source, identifier), identifier, kinds)
    return bound.value if bound is not None else None


def assignments_before(source: bytes, name: str, use: Node) -> tuple[Node | None, list[Node]]:
    """The last ``name = ...`` before ``use`` and the ``name += ...`` after it: how a string
    was assembled. Other augmented operators neither extend nor reset it."""
    last: Node | None = None
    augments: list[Node] = []
    for bound in bindings_before(source, name, use, _ASSIGNED_OR_AUGMENTED):
        if bound.kind == ASSIGNMENT:
            last, augments = (bound.node if bound.value is not None else None), []
        elif node_text(source, bound.node.child_by_field_name("operator")) == "+=" and last:
            augments.append(bound.node)
    return last, augments


# --- one scan per scope ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scanned:
    """A scope's bindings in source order, and by target name. Holds the source so its id
    (half the memo key) is not reused while the memo lives."""

    source: bytes
    every: list[Binding]
    by_name: dict[str, list[Binding]]


_Memo = dict[tuple[int, Node], _Scanned]
_MEMO: ContextVar[_Memo | None] = ContextVar("bindings_memo", default=None)


@contextmanager
def scans_remembered() -> Iterator[None]:
    """Within the block each scope is scanned once, not once per name looked up in it.

    For a whole-file analysis, where rules resolve thousands of names in the same few
    scopes. The trees must not be edited inside the block (the memo is dropped at its end,
    and outside it every lookup scans afresh). Nested blocks share the outer memo.
    """
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _remembered(memo: _Memo, source: bytes, scope: Node) -> _Scanned:
    """The scope's bindings, scanned on first use. The full scan (no byte limit) is a
    superset of any limited one: a statement starting at or after ``before`` binds targets
    that end after it, which ``bindings_before`` drops anyway."""
    key = (id(source), scope)
    hit = memo.get(key)
    if hit is None:
        every = list(_scope_bindings(source, scope, scope.end_byte + 1))
        by_name: dict[str, list[Binding]] = {}
        for bound in every:
            by_name.setdefault(node_text(source, bound.target), []).append(bound)
        hit = memo[key] = _Scanned(source, every, by_name)
    return hit


# --- the scan ------------------------------------------------------------------------------

_NESTED = frozenset({"function_definition", "class_definition", "lambda"})
# Statements whose children are statements or clauses to scan in turn.
_COMPOUND = frozenset(
    {"module", "block", "if_statement", "elif_clause", "else_clause", "try_statement",
     "finally_clause", "while_statement", "match_statement", "case_clause", "with_statement",
     "with_clause", "with_item", "for_statement", "except_clause", "except_group_clause"}
)  # fmt: skip


def _scope_bindings(source: bytes, scope: Node, before: int) -> Iterator[Binding]:
    """Bindings made by the code of ``scope`` itself, in source order, up to byte ``before``."""
    walrus = b":=" in source
    if scope.type in ("function_definition", "lambda"):
        yield from _parameters(scope)
        body = scope.child_by_field_name("body")
        if body is None:
            return
        stack = [body] if scope.type == "function_definition" else []
        if scope.type == "lambda" and walrus:
            yield from _walruses(body)
    else:
        stack = [scope]
    while stack:
        node = stack.pop()
        if node.start_byte >= before:
            break  # pre-order: everything left on the stack starts later
        kind = node.type
        if kind == "expression_statement":
            for child in node.named_children:
                yield from _expression_bindings(child)
                if walrus:
                    yield from _walruses(child)
        elif kind in ("import_statement", "import_from_statement"):
            for imported in statement_imports(source, node):
                target = _import_target(node, imported.local, source)
                if target is not None:
                    yield Binding(IMPORT, target, None, node)
        elif kind == "decorated_definition":
            definition = node.child_by_field_name("definition")
            if definition is not None:
                yield from _definition(definition)
        elif kind in _NESTED:
            yield from _definition(node)
        elif kind in _COMPOUND:
            yield from _header_bindings(node, walrus)
            stack.extend(reversed([c for c in node.named_children if _is_part(c)]))


def _is_part(child: Node) -> bool:
    """Children of a compound statement to scan: its blocks, clauses and nested statements."""
    kind = child.type
    return kind in _COMPOUND or kind in _NESTED or kind.endswith(("statement", "definition"))


def _header_bindings(node: Node, walrus: bool) -> Iterator[Binding]:
    """What a compound statement's header binds: loop targets, ``as`` names, walruses."""
    kind = node.type
    if kind == "for_statement":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        for target in _targets(left):
            yield Binding(FOR, target, right if left is target else None, node)
    elif kind in ("with_item", "except_clause", "except_group_clause"):
        for pattern in node.named_children:
            if pattern.type != "as_pattern":
                continue
            value = pattern.named_children[0] if pattern.named_children else None
            alias = pattern.child_by_field_name("alias")
            inner = alias.named_children[0] if alias is not None and alias.named_children else None
            for target in _targets(inner):
                yield Binding(
                    WITH if kind == "with_item" else EXCEPT,
                    target,
                    value if target is inner else None,
                    pattern,
                )
    if walrus:
        for field_name in ("condition", "subject", "right"):
            header = node.child_by_field_name(field_name)
            if header is not None:
                yield from _walruses(header)


def _expression_bindings(node: Node) -> Iterator[Binding]:
    """``x = v`` (chained ``a = b = v`` binds both), ``x += v``."""
    if node.type == "assignment":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if right is None:
            return  # a bare annotation binds nothing
        value = right
        while value.type == "assignment" and value.child_by_field_name("right") is not None:
            value = value.child_by_field_name("right")  # type: ignore[assignment]
        for target in _targets(left):
            yield Binding(ASSIGNMENT, target, value if target is left else None, node)
        if right.type == "assignment":
            yield from _expression_bindings(right)
    elif node.type == "augmented_assignment":
        left = node.child_by_field_name("left")
        if left is not None and left.type == "identifier":
            yield Binding(AUGMENTED, left, node.child_by_field_name("right"), node)


def _targets(left: Node | None) -> list[Node]:
    """Identifiers a target binds: ``x``, ``a, b``, ``(a, [b, *c])``; none for ``x.y``."""
    if left is None:
        return []
    if left.type == "identifier":
        return [left]
    if left.type in ("pattern_list", "tuple_pattern", "list_pattern", "tuple", "list"):
        return [t for child in left.named_children for t in _targets(child)]
    if left.type in ("list_splat_pattern", "parenthesized_expression", "list_splat"):
        return [t for child in left.named_children for t in _targets(child)]
    return []


def _walruses(node: Node) -> Iterator[Binding]:
    for item in own_nodes(node):
        if item.type == "named_expression":
            name = item.child_by_field_name("name")
            if name is not None:
                yield Binding(WALRUS, name, item.child_by_field_name("value"), item)


def _parameters(function: Node) -> Iterator[Binding]:
    parameters = function.child_by_field_name("parameters")
    for parameter in parameters.named_children if parameters is not None else []:
        if parameter.type == "identifier":
            yield Binding(PARAMETER, parameter, None, parameter)
            continue
        name = parameter.child_by_field_name("name")
        if name is None and parameter.named_children:
            name = parameter.named_children[0]
        if name is not None and name.type == "identifier":
            yield Binding(PARAMETER, name, parameter.child_by_field_name("value"), parameter)


def _definition(node: Node) -> Iterator[Binding]:
    if node.type == "lambda":
        return
    name = node.child_by_field_name("name")
    if name is not None:
        yield Binding(DEFINITION, name, node, node)


def _import_target(statement: Node, local: str, source: bytes) -> Node | None:
    """The identifier node that spells ``local`` in ``statement`` (the alias, or the head)."""
    if local == "*":
        return None
    found: Node | None = None
    for item in own_nodes(statement):
        if item.type == "identifier" and node_text(source, item) == local:
            found = item  # the last spelling: ``import a as local`` names the alias last
    return found
