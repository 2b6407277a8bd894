"""The name resolver: which binding a use of a name sees, within its own scope."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tree_sitter import Node

from backend_lsp.analysis.python import bindings
from backend_lsp.analysis.python.bindings import (
    ASSIGNED_OR_OPENED,
    ASSIGNMENT,
    AUGMENTED,
    DEFINITION,
    EXCEPT,
    FOR,
    IMPORT,
    PARAMETER,
    WALRUS,
    WITH,
    Binding,
    assignments_before,
    last_binding,
    resolve_name,
    scans_remembered,
    scope_bindings,
)
from backend_lsp.analysis.python.imports import (
    imported_modules,
    module_import_bindings,
    names_importing,
)
from backend_lsp.analysis.python.nodes import node_text, walk
from backend_lsp.syntax.document import ParsedDocument


def _use(source: str, marker: str = "use") -> tuple[bytes, Node]:
    """The identifier passed to the call ``use(...)`` (the last such call)."""
    document = ParsedDocument(source, "python")
    assert document.root is not None
    data = document.source
    found = None
    for node in walk(document.root):
        if node.type == "call" and node_text(data, node.child_by_field_name("function")) == marker:
            args = node.child_by_field_name("arguments")
            assert args is not None
            found = args.named_children[0]
    assert found is not None
    return data, found


def _seen(source: str) -> tuple[str, str] | None:
    """(kind, value text) of the binding ``use(name)`` sees."""
    data, use = _use(source)
    bound = last_binding(data, node_text(data, use), use)
    if bound is None:
        return None
    return bound.kind, node_text(data, bound.value) if bound.value is not None else ""


def test_the_last_assignment_before_the_use_wins() -> None:
    source = (
        "def view(request):\n    qs = Order.objects.all()\n    qs = qs.filter(paid=True)\n"
        "    use(qs)\n    qs = None\n"
    )
    assert _seen(source) == (ASSIGNMENT, "qs.filter(paid=True)")


def test_a_value_holding_the_use_is_not_its_binding() -> None:
    source = "def view(total):\n    total = use(total)\n"
    assert _seen(source) == (PARAMETER, "")


def test_parameters_and_their_defaults() -> None:
    source = "def page(request, size=20):\n    use(size)\n"
    assert _seen(source) == (PARAMETER, "20")


def test_branches_count_in_source_order() -> None:
    source = (
        "def report(flag):\n"
        "    if flag:\n        rows = Sale.objects.all()\n"
        "    else:\n        rows = Sale.objects.none()\n"
        "    use(rows)\n"
    )
    assert _seen(source) == (ASSIGNMENT, "Sale.objects.none()")


def test_loop_targets_with_and_except_names() -> None:
    assert _seen("for order in orders:\n    use(order)\n") == (FOR, "orders")
    assert _seen("with open(path) as handle:\n    use(handle)\n") == (WITH, "open(path)")
    source = "try:\n    run()\nexcept ValueError as error:\n    use(error)\n"
    assert _seen(source) == (EXCEPT, "ValueError")


def test_unpacking_binds_each_name_without_a_single_value() -> None:
    assert _seen("first, rest = split(line)\nuse(rest)\n") == (ASSIGNMENT, "")
    assert _seen("for key, value in pairs:\n    use(value)\n") == (FOR, "")


def test_chained_assignment_binds_every_target() -> None:
    assert _seen("a = b = make()\nuse(b)\n") == (ASSIGNMENT, "make()")


def test_walrus_and_augmented_assignment() -> None:
    assert _seen("if (match := pattern.search(text)):\n    use(match)\n") == (
        WALRUS,
        "pattern.search(text)",
    )
    assert _seen("sql = 'SELECT 1'\nsql += where\nuse(sql)\n") == (AUGMENTED, "where")


def test_nested_functions_and_classes_do_not_leak() -> None:
    source = (
        "def outer():\n"
        "    name = 'kept'\n"
        "    def inner():\n        name = 'inner only'\n"
        "    class Form:\n        name = 'class only'\n"
        "    handler = lambda name='lambda only': name\n"
        "    use(name)\n"
    )
    assert _seen(source) == (ASSIGNMENT, "'kept'")


def test_a_use_inside_a_function_does_not_see_module_assignments() -> None:
    source = "limit = 10\ndef page():\n    use(limit)\n"
    assert _seen(source) is None


def test_definitions_and_imports_shadow() -> None:
    seen = _seen("helper = 1\ndef helper():\n    pass\nuse(helper)\n")
    assert seen is not None and seen[0] == DEFINITION
    assert _seen("loads = None\nfrom json import loads as loads\nuse(loads)\n") == (IMPORT, "")
    assert _seen("from pickle import *\nuse(loads)\n") is None


def test_resolve_name_reads_only_the_kinds_asked_for() -> None:
    data, use = _use(
        "def f(path):\n    data = read(path)\n    with open(data) as data:\n        use(data)\n"
    )
    assert node_text(data, resolve_name(data, use)) == "read(path)"
    both = frozenset({ASSIGNMENT, WITH})
    assert node_text(data, resolve_name(data, use, both)) == "open(data)"


def test_assignments_before_collects_appends_after_the_last_assignment() -> None:
    source = (
        "def find(term):\n"
        "    sql = 'SELECT * FROM t'\n    sql += ' WHERE a'\n"
        "    sql = 'SELECT id FROM t'\n    sql += ' WHERE name = ' + term\n    sql *= 1\n"
        "    use(sql)\n"
    )
    data, use = _use(source)
    last, augments = assignments_before(data, "sql", use)
    assert node_text(data, last) == "sql = 'SELECT id FROM t'"
    assert [node_text(data, a) for a in augments] == ["sql += ' WHERE name = ' + term"]


# --- the import scanner ---------------------------------------------------------------------

IMPORTS = """
import os.path
import numpy as np
from sqlalchemy import text as sql_text, select
from sqlalchemy.sql import text
from .models import Order as O
from . import views
from pickle import *

def task():
    import yaml
"""


def test_import_bindings_name_what_each_local_stands_for() -> None:
    document = ParsedDocument(IMPORTS, "python")
    assert document.root is not None
    found = {
        b.local: (b.target, b.level, b.nested)
        for b in module_import_bindings(document.source, document.root)
    }
    assert found["os"] == ("os", 0, False)
    assert found["np"] == ("numpy", 0, False)
    assert found["sql_text"] == ("sqlalchemy.text", 0, False)
    assert found["O"] == ("models.Order", 1, False)
    assert found["views"][1] == 1
    assert found["yaml"] == ("yaml", 0, True)
    assert names_importing(document.source, document.root, "sqlalchemy", "text") == {
        "sql_text",
        "text",
    }
    assert imported_modules(document.source, document.root) == {
        "os", "numpy", "sqlalchemy", "models", "pickle", "yaml"
    }  # fmt: skip


def test_scope_bindings_lists_what_the_function_itself_binds() -> None:
    lines = [
        "async def export(request):",
        "    conn = psycopg2.connect(DSN)",
        "    with tempfile.TemporaryDirectory() as tmp:",
        "        def later():",
        "            hidden = psycopg2.connect(DSN)",
        "        use(tmp)",
    ]
    source = "\n".join(lines) + "\n"
    data, use = _use(source)
    function = use.parent
    while function is not None and function.type != "function_definition":
        function = function.parent
    assert function is not None
    names = [
        (b.kind, node_text(data, b.target))
        for b in scope_bindings(data, function, ASSIGNED_OR_OPENED)
    ]
    assert names == [(ASSIGNMENT, "conn"), (WITH, "tmp")]


_VIEWS = """
import json
from app.models import Order as O

LIMIT = 10

def export(request, limit=LIMIT):
    orders = O.objects.filter(shop=request.shop)
    if (n := orders.count()) > limit:
        orders = orders[:limit]
    rows = []
    for order in orders:
        total = order.total
        total += order.tax
        with open(order.path) as handle:
            rows.append((handle.read(), total))
    try:
        payload = json.dumps(rows)
    except ValueError as error:
        payload = str(error)
    def inner(orders=orders):
        rows = list(orders)
        return rows
    return payload, n, inner, lambda x, y=rows: (z := x) or y

class View:
    orders = O.objects.none()
    def get(self, orders):
        return orders
"""


def _every_lookup(data: bytes, root: Node) -> list[object]:
    """What every identifier sees, under several kind filters, and each scope's bindings."""
    seen: list[object] = []
    kinds_asked = (None, frozenset({ASSIGNMENT}), ASSIGNED_OR_OPENED, frozenset({PARAMETER}))
    for node in walk(root):
        if node.type == "identifier":
            for kinds in kinds_asked:
                bound = last_binding(data, node_text(data, node), node, kinds)
                seen.append(None if bound is None else (bound.kind, bound.target.start_byte))
        if node.type in ("module", "function_definition", "lambda"):
            seen.append([(b.kind, b.target.start_byte) for b in scope_bindings(data, node)])
    return seen


def test_remembered_scans_answer_as_fresh_ones_and_scan_each_scope_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = ParsedDocument(_VIEWS, "python")
    assert document.root is not None
    fresh = _every_lookup(document.source, document.root)
    scanned: list[tuple[int, int]] = []
    scan = bindings._scope_bindings

    def counting(source: bytes, scope: Node, before: int) -> Iterator[Binding]:
        scanned.append((scope.start_byte, scope.end_byte))
        return scan(source, scope, before)

    monkeypatch.setattr(bindings, "_scope_bindings", counting)
    with scans_remembered():
        remembered = _every_lookup(document.source, document.root)
    assert remembered == fresh
    assert len(scanned) == len(set(scanned)) == 6  # module, export, inner, lambda, get, View
    scanned.clear()
    _every_lookup(document.source, document.root)  # the memo ends with the block
    assert len(scanned) > 6
