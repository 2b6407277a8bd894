"""Does an expression depend on the enclosing function's parameters (what its caller passes)?

Used where no request data is in sight: a value the caller chooses may be user text,
while one the function computes from its own state (``self.schema``, a module ``db``
object's dialect fragments, an ORM-compiled query) is the code's choice, not the caller's.
"""

from __future__ import annotations

from tree_sitter import Node

from backend_lsp.analysis.python.bindings import (
    ASSIGNMENT,
    AUGMENTED,
    FOR,
    PARAMETER,
    scope_bindings,
)
from backend_lsp.analysis.python.nodes import enclosing_function, node_text, walk

_DEPTH = 4
_PARAMETER = frozenset({PARAMETER})


def depends_on_parameters(source: bytes, expr: Node, receiver: Node | None = None) -> bool:
    """True when a name in ``expr`` is a parameter (other than self/cls), directly or through
    local assignments; at module level (no function) every free name counts as outside input.

    Names in ``receiver`` (the object the value is handed to, e.g. the connection that runs
    the query) do not count: ``db.execute(f"... {db.timestamp_now}")`` splices the driver's
    own dialect text, not something the caller chose."""
    function = enclosing_function(expr)
    if function is None:
        return bool(_names(source, expr))
    params = _parameters(source, function)
    skip = _names(source, receiver) if receiver is not None else set()
    assigned = _assignments(source, function)
    return _reaches(source, expr, params - skip, assigned, 0, skip)


def _reaches(
    source: bytes,
    expr: Node,
    params: set[str],
    assigned: dict[str, list[Node]],
    depth: int,
    skip: set[str],
) -> bool:
    for name in _names(source, expr) - skip:
        if name in params:
            return True
        if depth < _DEPTH and any(
            _reaches(source, value, params, assigned, depth + 1, skip)
            for value in assigned.get(name, ())
        ):
            return True
    return False


def _names(source: bytes, expr: Node) -> set[str]:
    """Identifiers read by ``expr``: not attribute names, keyword names or called functions."""
    out: set[str] = set()
    for node in walk(expr):
        if node.type != "identifier":
            continue
        parent = node.parent
        if parent is not None and node.id != expr.id:
            if parent.type == "attribute" and parent.child_by_field_name("attribute") == node:
                continue
            if parent.type == "keyword_argument" and parent.child_by_field_name("name") == node:
                continue
            if parent.type == "call" and parent.child_by_field_name("function") == node:
                continue
        out.add(node_text(source, node))
    return out


_FLOWS_IN = frozenset({ASSIGNMENT, AUGMENTED, FOR})


def _parameters(source: bytes, function: Node) -> set[str]:
    names = {node_text(source, b.target) for b in scope_bindings(source, function, _PARAMETER)}
    return names - {"self", "cls"}


def _assignments(source: bytes, function: Node) -> dict[str, list[Node]]:
    """Local name -> every value bound to it in the function (assignment, ``+=``, ``for``;
    an unpacked target gets the whole right-hand side)."""
    out: dict[str, list[Node]] = {}
    for bound in scope_bindings(source, function, _FLOWS_IN):
        value = bound.value or bound.node.child_by_field_name("right")
        if value is not None:
            out.setdefault(node_text(source, bound.target), []).append(value)
    return out
