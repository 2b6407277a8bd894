"""Recognise ORM query chains (Django, SQLAlchemy 1.x/2.0, SQLModel) in Python trees.

Rules and hover need the same facts about an expression such as
``Order.objects.filter(paid=True).select_related("customer")[:20]``: which model,
which operations, what ends the chain, what is eager-loaded and whether the
number of rows is bounded. This module answers them from syntax alone, so it
works without importing the user's code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from backend_lsp.analysis.python.bindings import resolve_name
from backend_lsp.analysis.python.index import node_index
from backend_lsp.analysis.python.nodes import (
    call_arguments,
    enclosing_scope,
    node_text,
    positional_arguments,
    string_value,
)
from backend_lsp.analysis.schema import EAGER_LOADING, NO_QUERY_LOADING

# Methods that keep a Django QuerySet a QuerySet (lazy).
DJANGO_QUERYSET_METHODS = frozenset(
    {
        "all", "filter", "exclude", "order_by", "select_related", "prefetch_related",
        "annotate", "alias", "distinct", "values", "values_list", "defer", "only", "using",
        "reverse", "none", "union", "intersection", "difference", "select_for_update",
        "extra", "dates", "datetimes", "iterator",
    }
)  # fmt: skip
# Methods that end a Django chain with one row or one value.
DJANGO_SINGLE_METHODS = frozenset(
    {
        "get", "first", "last", "earliest", "latest", "get_or_create", "update_or_create",
        "create", "count", "exists", "aggregate", "contains", "explain", "in_bulk", "update",
        "delete", "bulk_create", "bulk_update",
    }
)  # fmt: skip
# SQLAlchemy Query / Select builder methods.
SQLALCHEMY_BUILDER_METHODS = frozenset(
    {
        "filter", "filter_by", "where", "join", "outerjoin", "options", "order_by", "group_by",
        "having", "limit", "offset", "distinct", "with_entities", "select_from", "add_columns",
        "execution_options", "correlate", "yield_per", "slice", "params", "join_from",
        "with_for_update", "enable_eagerloads", "populate_existing", "subquery", "cte",
        "union", "union_all", "scalar_subquery", "fetch",
    }
)  # fmt: skip
# Methods that execute a SQLAlchemy query or consume its result.
SQLALCHEMY_RESULT_METHODS = frozenset(
    {
        "all", "first", "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none",
        "scalars", "count", "get", "delete", "update", "exists", "paginate", "unique",
        "fetchall", "fetchone", "fetchmany", "partitions", "mappings", "tuples", "first_or_404",
        "get_or_404", "one_or_404", "all_or_404",
    }
)  # fmt: skip
# Session methods whose first argument is a statement.
SESSION_EXECUTE_METHODS = frozenset({"execute", "scalars", "scalar", "exec"})
# Django's own manager methods that return one object. The ContentType and Site managers
# cache it per process (no query per call once warm); the natural-key lookup is a ``get``.
DJANGO_CACHED_MANAGER_METHODS = frozenset({"get_for_model", "get_for_id", "get_current"})
DJANGO_SINGLE_MANAGER_METHODS = DJANGO_CACHED_MANAGER_METHODS | {"get_by_natural_key"}
# Operations after which at most a fixed number of rows comes back.
SINGLE_TERMINALS = frozenset(
    {
        "get", "first", "last", "earliest", "latest", "one", "one_or_none", "scalar",
        "scalar_one", "scalar_one_or_none", "count", "exists", "aggregate", "get_or_create",
        "update_or_create", "create", "fetchone", "first_or_404", "get_or_404", "one_or_404",
        "index", "contains", "update", "delete", "in_bulk",
        *DJANGO_SINGLE_MANAGER_METHODS,
    }
)  # fmt: skip
_LIMIT_METHODS = frozenset({"limit", "slice", "paginate", "fetchmany", "fetch"})
_FILTER_METHODS = frozenset({"filter", "filter_by", "where"})
# A filter on the primary key against a list the code already holds: the row count is
# bounded by that list, not by the table (``Product.id.in_(ids)``, ``pk__in=ids``).
_KEY_LIST_FILTER = re.compile(
    r"(?:\.(?:id|pk)\.in_\(\s*(?!select\b|sa\.select\b)[A-Za-z_][\w.]*\s*\))"
    r"|(?:\b(?:id|pk)__in\s*=\s*[A-Za-z_][\w.]*\s*[,)])"
)
EAGER_LOADERS = frozenset(
    {"joinedload", "selectinload", "subqueryload", "contains_eager", "immediateload"}
)
_ROW_TERMINALS = frozenset({"all", "fetchall", "iterate", "list", "scalars", "partitions"})


@dataclass(frozen=True, slots=True)
class OrmOperation:
    """One link of a chain: ``filter(...)``, ``[:10]``, ``objects``."""

    name: str
    node: Node  # the call/subscript/attribute node that ends with this link
    called: bool = True

    def arguments(self) -> list[Node]:
        return call_arguments(self.node) if self.node.type == "call" else []


@dataclass(frozen=True, slots=True)
class OrmChain:
    """What a query chain does, in terms a rule or a hover can use."""

    orm: str  # "django" | "sqlalchemy" | "sqlmodel"
    model: str | None
    operations: tuple[OrmOperation, ...]
    terminal: str  # last executing op: all/first/get/count/..., "iterate", "list" or "lazy"
    eager: tuple[str, ...]  # relation paths eager-loaded ("*" = every FK for bare select_related)
    bounded: bool
    node: Node  # outermost expression of the chain
    base: Node  # where the chain starts (``Order.objects``, ``select(User)``, ``session.query``)
    summary: str
    relation_manager: str | None = None  # ``order.items.all()`` -> "items"
    eager_kinds: dict[str, str] = field(default_factory=dict)  # relation -> loader name
    aggregate: bool = False  # only aggregates selected, no GROUP BY: one row

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(op.name for op in self.operations)

    @property
    def single(self) -> bool:
        """True when the chain yields one row or one value, not a collection."""
        return self.terminal in SINGLE_TERMINALS

    def eager_loads(self, relation: str) -> bool:
        """Whether ``relation`` (first path segment) is covered by eager loading."""
        if "*" in self.eager:
            return True
        return any(path.replace("__", ".").split(".")[0] == relation for path in self.eager)


def describe_orm_chain(source: bytes, node: Node) -> OrmChain | None:
    """The ORM chain ``node`` is part of (any node inside it), or None."""
    top = _chain_top(node)
    for candidate in (top, *_descendant_calls(top, node)):
        chain = _describe(source, candidate)
        if chain is not None:
            return chain
    return None


def orm_chain_at(source: bytes, node: Node) -> OrmChain | None:
    """The chain whose outermost expression is exactly ``node`` (no walking up)."""
    return _describe(source, _strip(node))


def is_queryset_expression(source: bytes, node: Node) -> bool:
    """True when ``node`` evaluates to a collection of ORM rows (queryset, ``.all()`` ...)."""
    chain = orm_chain_at(source, node)
    if chain is None:
        return False
    if chain.single:
        return False
    return chain.terminal in _ROW_TERMINALS or chain.terminal == "lazy"


# --- chain shape ---------------------------------------------------------------------------


def _strip(node: Node) -> Node:
    """Look through parentheses and ``await``."""
    while node.type in ("parenthesized_expression", "await") and node.named_children:
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def _chain_top(node: Node) -> Node:
    """Climb while the parent continues the chain (``x`` -> ``x.filter(...)[:3]``)."""
    current = node
    while current.parent is not None:
        parent = current.parent
        if _continues_chain(parent, current):
            current = parent
        elif parent.type == "argument_list" and parent.parent is not None:
            # ``session.execute(<here>)`` / ``session.scalars(<here>)``: the chain goes on outside
            call = parent.parent
            function = call.child_by_field_name("function")
            if (
                function is not None
                and function.type == "attribute"
                and _attr(function) in SESSION_EXECUTE_METHODS
            ):
                current = call
            else:
                break
        else:
            break
    return current


_CHAIN_FIELDS = {"attribute": "object", "call": "function", "subscript": "value"}


def _continues_chain(parent: Node, child: Node) -> bool:
    if parent.type in ("parenthesized_expression", "await"):
        return True
    if parent.type == "attribute" and parent.child_by_field_name("attribute") == child:
        return True
    field_name = _CHAIN_FIELDS.get(parent.type)
    return field_name is not None and parent.child_by_field_name(field_name) == child


def _descendant_calls(top: Node, origin: Node) -> list[Node]:
    """Inner chain heads between ``top`` and ``origin`` (fallback when the top is no chain)."""
    found: list[Node] = []
    current: Node | None = origin
    while current is not None and current != top:
        if current.type in ("call", "subscript", "attribute"):
            found.append(current)
        current = current.parent
    found.reverse()
    return found


def _attr(attribute: Node) -> str:
    name = attribute.child_by_field_name("attribute")
    return name.text.decode("utf-8", "replace") if name is not None and name.text else ""


def _flatten(node: Node) -> tuple[Node, list[OrmOperation]]:
    """Split ``a.b(x).c[:2]`` into base ``a`` and links ``b()``, ``c``, ``[:2]``."""
    steps: list[OrmOperation] = []
    current = _strip(node)
    while True:
        if current.type == "call":
            function = current.child_by_field_name("function")
            if function is None or function.type != "attribute":
                break
            steps.append(OrmOperation(_attr(function), current))
            obj = function.child_by_field_name("object")
            if obj is None:
                break
            current = _strip(obj)
        elif current.type == "subscript":
            steps.append(OrmOperation("[]", current, called=False))
            value = current.child_by_field_name("value")
            if value is None:
                break
            current = _strip(value)
        elif current.type == "attribute":
            steps.append(OrmOperation(_attr(current), current, called=False))
            obj = current.child_by_field_name("object")
            if obj is None:
                break
            current = _strip(obj)
        else:
            break
    steps.reverse()
    return current, steps


def _is_model_name(source: bytes, node: Node | None) -> bool:
    if node is None or node.type != "identifier":
        return False
    text = node_text(source, node)
    return text[:1].isupper() and not text.isupper()


def _model_of_entity(source: bytes, node: Node | None) -> str | None:
    """``User`` -> User, ``User.id`` -> User, ``models.User`` -> User."""
    if node is None:
        return None
    if node.type == "identifier":
        return node_text(source, node) if _is_model_name(source, node) else None
    if node.type == "attribute":
        obj = node.child_by_field_name("object")
        if _is_model_name(source, obj):
            return node_text(source, obj)
        name = node.child_by_field_name("attribute")
        if _is_model_name(source, name):
            return node_text(source, name)
    return None


# --- recognition ---------------------------------------------------------------------------


@dataclass
class _Start:
    orm: str
    model: str | None
    base: Node
    rest: list[OrmOperation]
    prefix: list[OrmOperation] = field(default_factory=list)
    relation_manager: str | None = None


def _describe(source: bytes, top: Node) -> OrmChain | None:
    base, steps = _flatten(top)
    start = _recognise(source, base, steps)
    if start is None:
        return None
    ops = [*start.prefix, *start.rest]
    if not ops:
        return None
    return _build(source, top, start, ops)


def _recognise(source: bytes, base: Node, steps: list[OrmOperation]) -> _Start | None:
    # SQLAlchemy 2.0 statement: ``select(User)...`` (also ``sa.select``, ``sqlmodel.select``).
    if base.type == "call":
        function = base.child_by_field_name("function")
        if function is not None and node_text(source, function) == "select":
            return _Start("sqlalchemy", _select_model(source, base, steps), base, steps)
    for index, step in enumerate(steps):
        prev = steps[index - 1].node if index else base
        owner = base if index == 0 else prev
        if step.called and step.name == "select" and index == 0:
            return _Start(
                "sqlalchemy", _select_model(source, step.node, steps), step.node, steps[index + 1 :]
            )
        if step.called and step.name in SESSION_EXECUTE_METHODS and _sessionish(source, owner):
            args = positional_arguments(step.node)
            if not args:
                return None
            inner = _statement(source, args[0])
            if inner is None:
                return None
            orm = "sqlmodel" if step.name == "exec" else inner.orm
            prefix = [*inner.prefix, *inner.rest, OrmOperation(step.name, step.node)]
            return _Start(
                orm, inner.model, inner.base, steps[index + 1 :], prefix, inner.relation_manager
            )
        if step.called and step.name == "query" and _sessionish(source, owner):
            args = positional_arguments(step.node)
            model = _model_of_entity(source, args[0]) if args else None
            return _Start("sqlalchemy", model, step.node, steps[index + 1 :])
        if step.called and step.name == "get" and index == 0 and _sessionish(source, base):
            args = positional_arguments(step.node)
            model = _model_of_entity(source, args[0]) if args else None
            if model is None:
                return None
            return _Start("sqlalchemy", model, step.node, [step])
        if not step.called and index == 0 and _is_model_name(source, base):
            rest = steps[1:]
            model = node_text(source, base)
            if step.name in ("objects", "_default_manager", "_base_manager"):
                return _Start("django", model, step.node, rest)
            if (
                step.name == "query"
                and rest
                and rest[0].name in SQLALCHEMY_BUILDER_METHODS | (SQLALCHEMY_RESULT_METHODS)
            ):
                return _Start("sqlalchemy", model, step.node, rest)  # Flask-SQLAlchemy
            if (
                rest
                and rest[0].called
                and rest[0].name in _CUSTOM_MANAGER_METHODS
                and step.name.islower()
            ):
                return _Start("django", model, step.node, rest)  # custom manager
            return None
        if step.called and step.name == "get_queryset" and index == 0:
            return _Start("django", None, step.node, steps[1:], [step])
    # Related manager: ``order.items.all()``, ``user.groups.filter(...)``.
    if (
        len(steps) >= 2
        and not steps[-2].called
        and steps[-1].called
        and steps[-1].name in _RELATED_MANAGER_METHODS
        and all(not s.called for s in steps[:-1])
        and base.type == "identifier"
        and not _is_model_name(source, base)
    ):
        manager = steps[-2]
        if manager.name in ("objects", "query", "session", "args", "form", "GET", "POST"):
            return None
        return _Start("django", None, manager.node, [steps[-1]], relation_manager=manager.name)
    return None


# ``Article.published.filter(...)``: methods that (unlike get/values/count) dicts don't have.
_CUSTOM_MANAGER_METHODS = frozenset(
    {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
     "values_list", "aggregate", "only", "defer", "distinct"}
)  # fmt: skip
_RELATED_MANAGER_METHODS = frozenset(
    {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "count",
     "exists", "values", "values_list", "annotate", "first", "last"}
)  # fmt: skip


def _sessionish(source: bytes, node: Node) -> bool:
    """``session``, ``db.session``, ``self.session``, ``db``, ``async_session``..."""
    text = node_text(source, node).lower()
    last = text.rsplit(".", 1)[-1]
    return "session" in last or last in ("db", "conn", "connection", "s", "sess", "tx")


def _statement(source: bytes, node: Node) -> _Start | None:
    """Chain start of a statement argument, following a local variable once."""
    node = _strip(node)
    if node.type == "identifier":
        value = resolve_name(source, node)
        if value is None:
            return None
        node = _strip(value)
    base, steps = _flatten(node)
    if base.type == "call":
        function = base.child_by_field_name("function")
        if function is not None and node_text(source, function) == "select":
            return _Start("sqlalchemy", _select_model(source, base, steps), base, steps)
    if steps and steps[0].called and steps[0].name == "select" and base.type == "identifier":
        return _Start(
            "sqlalchemy", _select_model(source, steps[0].node, steps), steps[0].node, steps[1:]
        )
    return None


def _select_model(source: bytes, select_call: Node, steps: list[OrmOperation]) -> str | None:
    args = positional_arguments(select_call)
    model = _model_of_entity(source, args[0]) if args else None
    if model is None:
        for step in steps:
            if step.name == "select_from":
                froms = positional_arguments(step.node)
                if froms:
                    return _model_of_entity(source, froms[0])
    return model


# --- facts ---------------------------------------------------------------------------------


def _build(source: bytes, top: Node, start: _Start, ops: list[OrmOperation]) -> OrmChain:
    eager_kinds: dict[str, str] = {}
    bounded = False
    for op in ops:
        if op.name in ("select_related", "prefetch_related"):
            args = op.arguments()
            if op.name == "select_related" and not args:
                eager_kinds["*"] = op.name
            for arg in args:
                path = _django_lookup(source, arg)
                if path:
                    eager_kinds[path] = op.name
        elif op.name == "options":
            for arg in op.arguments():
                for path, loader in _loader_paths(source, arg):
                    eager_kinds[path] = loader
        if op.name in _LIMIT_METHODS or (op.name == "[]" and _subscript_bounds(op.node)):
            bounded = True
        elif op.name in _FILTER_METHODS and op.node.type == "call":
            arguments = op.node.child_by_field_name("arguments")
            if arguments is not None and _KEY_LIST_FILTER.search(node_text(source, arguments)):
                bounded = True
    terminal = _terminal(source, top, ops)
    aggregate = _aggregate_only(source, start.base, ops)
    if terminal in SINGLE_TERMINALS or aggregate:
        bounded = True
    eager = tuple(eager_kinds)
    summary = _summary(start, ops, terminal, eager, bounded)
    return OrmChain(
        orm=start.orm,
        model=start.model,
        operations=tuple(ops),
        terminal=terminal,
        eager=eager,
        bounded=bounded,
        node=top,
        base=start.base,
        summary=summary,
        relation_manager=start.relation_manager,
        eager_kinds=eager_kinds,
        aggregate=aggregate,
    )


_AGGREGATE = re.compile(r"(?:^|\.)func\.(?:count|sum|avg|min|max)$")


def _aggregate_only(source: bytes, base: Node, ops: list[OrmOperation]) -> bool:
    """``select(func.count()).select_from(T)``, ``query(func.sum(T.x))``: one row.

    Every selected column is an aggregate and nothing groups, so the database
    answers with one row whatever the table holds.
    """
    if base.type != "call" or any(op.name == "group_by" for op in ops):
        return False
    columns = positional_arguments(base)
    return bool(columns) and all(_is_aggregate(source, column) for column in columns)


def _is_aggregate(source: bytes, node: Node) -> bool:
    if node.type != "call":
        return False
    function = node.child_by_field_name("function")
    if function is None:
        return False
    if function.type == "attribute" and node_text(
        source, function.child_by_field_name("attribute")
    ) in ("label", "scalar_subquery"):
        inner = function.child_by_field_name("object")
        return inner is not None and _is_aggregate(source, inner)
    name = node_text(source, function)
    if name.endswith("func.coalesce"):
        args = positional_arguments(node)
        return bool(args) and _is_aggregate(source, args[0])
    return _AGGREGATE.search(name) is not None


def _django_lookup(source: bytes, arg: Node) -> str | None:
    value = string_value(source, arg)
    if value is not None:
        return value
    if arg.type == "call":  # Prefetch("items", queryset=...)
        inner = positional_arguments(arg)
        if inner:
            return string_value(source, inner[0])
        lookup = next(
            (
                a.child_by_field_name("value")
                for a in call_arguments(arg)
                if a.type == "keyword_argument"
                and node_text(source, a.child_by_field_name("name")) == "lookup"
            ),
            None,
        )
        return string_value(source, lookup) if lookup is not None else None
    return None


def _loader_paths(source: bytes, arg: Node) -> list[tuple[str, str]]:
    """``selectinload(User.posts).joinedload(Post.tags)`` -> paths "posts", "posts.tags"."""
    base, steps = _flatten(arg)
    links: list[tuple[str, Node]] = []
    if base.type == "call":
        function = base.child_by_field_name("function")
        name = node_text(source, function).rsplit(".", 1)[-1]
        links.append((name, base))
    for step in steps:
        if step.called:
            links.append((step.name, step.node))
    found: list[tuple[str, str]] = []
    path: list[str] = []
    for loader, call in links:
        args = positional_arguments(call)
        if not args:
            continue
        target = args[0]
        attr = (
            node_text(source, target.child_by_field_name("attribute"))
            if target.type == "attribute"
            else string_value(source, target)
        )
        if not attr:
            continue
        path.append(attr)
        if loader in EAGER_LOADERS:
            found.append((".".join(path), loader))
    return found


def _subscript_bounds(subscript: Node) -> bool:
    """``qs[:10]`` / ``qs[5]`` are bounded; ``qs[10:]`` is not."""
    index = subscript.child_by_field_name("subscript")
    if index is None:
        return False
    if index.type != "slice":
        return True
    seen_colon = False
    for child in index.children:
        if child.type == ":":
            if seen_colon:
                break
            seen_colon = True
        elif seen_colon and child.is_named:
            return True
    return False


def _terminal(source: bytes, top: Node, ops: list[OrmOperation]) -> str:
    last = ops[-1]
    if last.name == "[]":
        index = last.node.child_by_field_name("subscript")
        return "index" if index is not None and index.type != "slice" else _usage(source, top)
    if last.called and last.name in SINGLE_TERMINALS | _ROW_TERMINALS | {"paginate"}:
        if last.name == "all":
            usage = _usage(source, top)
            return usage if usage in ("iterate", "list") else "all"
        return last.name
    if last.called and last.name in ("execute", "exec", "fetchmany"):
        return last.name
    return _usage(source, top)


def _usage(source: bytes, top: Node) -> str:
    """How a lazy chain is consumed: iterated by a loop, materialised by list(), or not yet."""
    node = top
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await"):
        node, parent = parent, parent.parent
    if parent is None:
        return "lazy"
    if parent.type == "for_statement" and parent.child_by_field_name("right") == node:
        return "iterate"
    if parent.type == "for_in_clause" and parent.child_by_field_name("right") == node:
        return "iterate"
    if parent.type == "argument_list" and parent.parent is not None:
        callee = parent.parent.child_by_field_name("function")
        if node_text(source, callee) in ("list", "tuple", "set", "sorted"):
            return "list"
    return "lazy"


def _summary(
    start: _Start, ops: list[OrmOperation], terminal: str, eager: tuple[str, ...], bounded: bool
) -> str:
    orm = {"django": "Django ORM", "sqlalchemy": "SQLAlchemy", "sqlmodel": "SQLModel"}[start.orm]
    if start.relation_manager:
        what = f"related `{start.relation_manager}` rows"
    else:
        what = f"{start.model} rows" if start.model else "rows"
    parts: list[str] = []
    names = [op.name for op in ops]
    if any(n in ("filter", "exclude", "where", "filter_by") for n in names):
        parts.append("filtered")
    if "order_by" in names:
        parts.append("ordered")
    if any(n in ("join", "outerjoin", "join_from") for n in names):
        parts.append("joined")
    if any(n in ("annotate", "aggregate", "group_by") for n in names):
        parts.append("aggregated")
    desc = f"{orm} query on {what}"
    if parts:
        desc += " (" + ", ".join(parts) + ")"
    if eager:
        loaded = "all foreign keys" if "*" in eager else ", ".join(eager)
        desc += f", eager-loading {loaded}"
    outcome = {
        "get": "fetches a single row by its lookup",
        "all": "loads every matching row into memory",
        "fetchall": "loads every matching row into memory",
        "scalars": "returns the matching rows as objects",
        "one": "fetches exactly one row (raises if none or several)",
        "first": "fetches the first row or None",
        "last": "fetches the last row or None",
        "count": "counts rows in the database",
        "exists": "checks whether any row exists",
        "iterate": "iterated row by row",
        "list": "materialised into a list",
        "lazy": "not executed yet (runs when evaluated)",
    }.get(terminal)
    if outcome is None:
        outcome = f"ends with .{terminal}()"
    desc += f"; {outcome}"
    if not bounded and terminal not in SINGLE_TERMINALS and terminal != "lazy":
        desc += "; unbounded: every matching row is loaded"
    elif bounded and terminal not in SINGLE_TERMINALS:
        desc += "; row count is bounded"
    return desc + "."


# --- following variables -------------------------------------------------------------------

_WRAPPERS = frozenset({"list", "tuple", "sorted", "reversed", "enumerate", "set", "iter"})


def chain_through_variables(source: bytes, node: Node, depth: int = 3) -> OrmChain | None:
    """Like ``orm_chain_at`` but follows locals and wrappers.

    ``qs = Order.objects.filter(...)``; ``for o in list(qs.select_related("c"))`` gives one chain
    with both parts' operations, so eager loading added on either side counts.
    """
    node = _strip(node)
    if depth < 0:
        return None
    if node.type == "call":
        function = node.child_by_field_name("function")
        args = positional_arguments(node)
        if function is not None and node_text(source, function) in _WRAPPERS and args:
            return chain_through_variables(source, args[0], depth)
    if node.type == "identifier":
        value = resolve_name(source, node)
        return chain_through_variables(source, value, depth - 1) if value is not None else None
    chain = orm_chain_at(source, node)
    if chain is not None:
        return chain
    base, steps = _flatten(node)
    if base.type != "identifier" or not steps:
        return None
    inner = chain_through_variables(source, base, depth - 1)
    if inner is None:
        return None
    start = _Start(inner.orm, inner.model, inner.base, steps, list(inner.operations),
                   inner.relation_manager)  # fmt: skip
    return _build(source, node, start, [*inner.operations, *steps])


# ``QuerySet[Order]``, ``Iterable["Order"]``, ``list[models.Order]``, ``Sequence[Order] | None``
_ROWS_ANNOTATION = re.compile(
    r"^(?:[\w.]+\.)?(?P<kind>QuerySet|Iterable|Iterator|Sequence|Collection|list|List|set|Set"
    r"|tuple|Tuple|AbstractSet)\[\s*[\"']?(?:[\w.]+\.)?(?P<model>[A-Z]\w*)[\"']?\s*[\],]"
)


def annotated_rows(source: bytes, identifier: Node) -> OrmChain | None:
    """Rows a helper was handed: ``def total(orders: QuerySet[Order])``, ``Iterable[Order]``.

    The parameter's annotation names the model; the chain has no operations (nothing in
    this function eager-loads), so a rule can check relation accesses but has no query to
    fix in place. None when the name is reassigned before use or is not such a parameter.
    """
    if identifier.type != "identifier" or resolve_name(source, identifier) is not None:
        return None
    function = enclosing_scope(identifier)
    if function.type != "function_definition":
        return None
    parameters = function.child_by_field_name("parameters")
    name = node_text(source, identifier)
    for parameter in parameters.named_children if parameters is not None else []:
        if parameter.type not in ("typed_parameter", "typed_default_parameter"):
            continue
        own = parameter.child_by_field_name("name") or next(
            (c for c in parameter.named_children if c.type == "identifier"), None
        )
        if own is None or node_text(source, own) != name:
            continue
        annotation = parameter.child_by_field_name("type")
        match = _ROWS_ANNOTATION.match(node_text(source, annotation).strip("\"' "))
        if match is None:
            return None
        sqlalchemy = b"sqlalchemy" in source or b"sqlmodel" in source
        orm = "sqlalchemy" if sqlalchemy and match["kind"] != "QuerySet" else "django"
        return OrmChain(
            orm=orm,
            model=match["model"],
            operations=(),
            terminal="iterate",
            eager=(),
            bounded=False,
            node=identifier,
            base=identifier,
            summary=f"{match['model']} rows passed in as `{name}`.",
        )
    return None


# --- models defined in a file --------------------------------------------------------------

_DJANGO_TO_ONE = frozenset({"ForeignKey", "OneToOneField", "ParentalKey"})
_DJANGO_TO_MANY = frozenset({"ManyToManyField", "ParentalManyToManyField"})


def model_relations(source: bytes, root: Node) -> dict[str, dict[str, str]]:
    """Relations of model classes in one file: ``{model: {attribute: kind}}``.

    Kinds: ``one`` (FK / one-to-one, Django select_related), ``many`` (reverse FK,
    many-to-many, list relationships: prefetch/selectin), ``eager`` (SQLAlchemy
    relationship loaded eagerly by default: never an N+1).
    """
    relations: dict[str, dict[str, str]] = {}
    for model, assignment in _class_assignments(source, root):
        _model_field(source, model, assignment, relations)
    return relations


def _class_assignments(source: bytes, root: Node) -> Iterator[tuple[str, Node]]:
    """``(class name, assignment)`` for every assignment statement in a class body."""
    for klass in node_index(source, root).of("class_definition"):
        model = node_text(source, klass.child_by_field_name("name"))
        body = klass.child_by_field_name("body")
        for statement in body.named_children if body is not None else []:
            assignment = statement.named_children[0] if statement.named_children else None
            if (
                statement.type == "expression_statement"
                and assignment is not None
                and assignment.type == "assignment"
            ):
                yield model, assignment


def model_targets(source: bytes, root: Node) -> dict[str, dict[str, str]]:
    """Where Django relations of this file's models lead: ``{model: {accessor: model}}``.

    Forward fields (``parent = models.ForeignKey("self", related_name="children")`` gives
    ``Prefix.parent -> Prefix``) and the reverse accessor their ``related_name`` names
    (``Prefix.children -> Prefix``). For models whose base class the workspace schema
    does not recognise (``class Prefix(PrimaryModel)``), this file is all there is.
    """
    targets: dict[str, dict[str, str]] = {}
    for model, assignment in _class_assignments(source, root):
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or left.type != "identifier" or right is None or right.type != "call":
            continue
        callee = node_text(source, right.child_by_field_name("function")).rsplit(".", 1)[-1]
        first: list[Node | None] = [*positional_arguments(right)[:1]] or [
            a.child_by_field_name("value")
            for a in call_arguments(right)
            if a.type == "keyword_argument"
            and node_text(source, a.child_by_field_name("name")) == "to"
        ]
        if callee not in _DJANGO_TO_ONE | _DJANGO_TO_MANY or not first or first[0] is None:
            continue
        reference = string_value(source, first[0]) or node_text(source, first[0])
        target = model if reference == "self" else reference.rsplit(".", 1)[-1]
        targets.setdefault(model, {})[node_text(source, left)] = target
        related = keyword_value(source, right, "related_name")
        if related and related.isidentifier():
            targets.setdefault(target, {})[related] = model
    return targets


def _model_field(
    source: bytes, model: str, assignment: Node, relations: dict[str, dict[str, str]]
) -> None:
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier" or right.type != "call":
        return
    attribute = node_text(source, left)
    callee = node_text(source, right.child_by_field_name("function")).rsplit(".", 1)[-1]
    own = relations.setdefault(model, {})
    if callee in ("relationship", "Relationship"):
        lazy = relationship_loading(source, right)
        annotation = node_text(source, assignment.child_by_field_name("type"))
        if lazy in EAGER_LOADING | NO_QUERY_LOADING:
            own[attribute] = "eager"
        elif "list[" in annotation.lower() or "set[" in annotation.lower():
            own[attribute] = "many"
        elif keyword_value(source, right, "uselist") == "False" or annotation:
            own[attribute] = "one"
        else:
            own[attribute] = "many"
        return
    if callee not in _DJANGO_TO_ONE | _DJANGO_TO_MANY:
        return
    own[attribute] = "one" if callee in _DJANGO_TO_ONE else "many"
    args = positional_arguments(right)
    target_node = args[0] if args else None
    if target_node is None:
        target_node = next(
            (
                a.child_by_field_name("value")
                for a in call_arguments(right)
                if a.type == "keyword_argument"
                and node_text(source, a.child_by_field_name("name")) == "to"
            ),
            None,
        )
    if target_node is None:
        return
    target = string_value(source, target_node) or node_text(source, target_node)
    target = model if target == "self" else target.rsplit(".", 1)[-1]
    related = keyword_value(source, right, "related_name")
    if related is None:
        related = model.lower() if callee == "OneToOneField" else f"{model.lower()}_set"
    if related.endswith("+"):
        return  # no reverse accessor
    reverse_kind = "one" if callee == "OneToOneField" else "many"
    relations.setdefault(target, {}).setdefault(related, reverse_kind)


def keyword_value(source: bytes, call: Node, name: str) -> str | None:
    """Literal text of keyword argument ``name`` (string value unquoted), if present."""
    for arg in call_arguments(call):
        if arg.type != "keyword_argument":
            continue
        if node_text(source, arg.child_by_field_name("name")) != name:
            continue
        value = arg.child_by_field_name("value")
        if value is None:
            return None
        text = string_value(source, value)
        return text if text is not None else node_text(source, value)
    return None


# ``lazy=True`` / ``False`` / ``None``: SQLAlchemy's old spellings of these strategies.
_LOADING_CONSTANTS = {"True": "select", "False": "joined", "None": "noload"}


def relationship_loading(source: bytes, call: Node) -> str | None:
    """The ``lazy=`` strategy written on a ``relationship()`` / ``backref()`` call."""
    value = keyword_value(source, call, "lazy")
    return _LOADING_CONSTANTS.get(value, value) if value is not None else None
