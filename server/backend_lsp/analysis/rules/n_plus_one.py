"""BE004: N+1 queries, one database round trip per loop iteration.

Three shapes, all found from syntax and what the workspace knows of its models:

* Django: a loop over a queryset whose body follows a relation of each row
  (``order.customer.name``, ``order.items.all()``) that ``select_related`` /
  ``prefetch_related`` does not cover.
* SQLAlchemy / SQLModel: a loop over loaded entities that touches a lazy
  ``relationship()`` not covered by ``joinedload``/``selectinload`` options.
* Any explicit query inside a loop body (``cursor.execute``, ``session.get``,
  ``Model.objects.get``, ``await conn.fetchrow`` ...) over rows of a query, or over an
  in-memory collection when the query looks up the item itself (``get(pk=pk)``).

Loops over lists/tuples/sets written in the code (literals, a tuple of models),
UPPER_CASE module constants and ``range(n)`` with a literal ``n <= 20`` are
skipped for the third shape: their size is fixed and small by construction,
so per-item queries there are a deliberate choice, not a scaling bug.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import ONE_OFF_DATA_CODE
from backend_lsp.analysis.model import Edit, FileReads, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.bindings import resolve_name
from backend_lsp.analysis.python.imports import ensure_import
from backend_lsp.analysis.python.index import node_index
from backend_lsp.analysis.python.nodes import (
    assigned_name,
    call_name,
    enclosing,
    enclosing_scope,
    keyword_argument,
    node_text,
    own_calls,
    parameter_name,
    positional_arguments,
    string_value,
    walk,
)
from backend_lsp.analysis.python.orm import (
    DJANGO_CACHED_MANAGER_METHODS,
    DJANGO_QUERYSET_METHODS,
    DJANGO_SINGLE_METHODS,
    SINGLE_TERMINALS,
    SQLALCHEMY_BUILDER_METHODS,
    SQLALCHEMY_RESULT_METHODS,
    OrmChain,
    annotated_rows,
    chain_through_variables,
    model_relations,
    model_targets,
    orm_chain_at,
)
from backend_lsp.analysis.python.paths import Location
from backend_lsp.analysis.python.sql_strings import build_sql
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.schema import Table

_MANAGER_READS = frozenset(
    {
        "all", "filter", "exclude", "order_by", "count", "exists", "first", "last", "values",
        "values_list", "get", "aggregate", "annotate", "select_related", "prefetch_related",
        "latest", "earliest", "distinct", "in_bulk", "iterator",
    }
)  # fmt: skip
# Reads on a prefetched manager that Django answers from the prefetch cache.
_CACHED_READS = frozenset({"all", "count", "exists"})
# Calls that only a related manager has; enough evidence without model knowledge
# (``get``/``count``/``values`` also exist on dicts and strings).
_UNMISTAKABLE_READS = frozenset(
    {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related",
     "values_list", "annotate", "aggregate", "exists", "in_bulk"}
)  # fmt: skip
_NO_ARGUMENT_READS = frozenset({"count", "first", "last"})
_MANAGER_WRITES = frozenset({"add", "remove", "set", "clear", "create", "bulk_create"})
_DB_RECEIVERS = ("cursor", "cur", "conn", "connection", "db", "session", "engine", "tx", "pool")
_DB_CALLS = frozenset(
    {
        "execute", "fetch", "fetchrow", "fetchval", "query", "scalars", "scalar", "get",
        "exec", "find_one", "find", "count_documents", "raw",
    }
)  # fmt: skip
_LOOP_TYPES = ("for_statement", "list_comprehension", "set_comprehension",
               "dictionary_comprehension", "generator_expression")  # fmt: skip
_SMALL_RANGE = 20
# Without one of these the file has no ORM query for a loop to iterate.
_ORM_MARKERS = (b"objects", b"query", b"select", b"scalars", b"exec(", b"get_queryset", b".all(",
                b"QuerySet", b"sqlmodel", b"sqlalchemy", b".models import")  # fmt: skip
_SQLALCHEMY_LOADER = "selectinload"


@dataclass(frozen=True, slots=True)
class _Loop:
    node: Node
    variable: str
    iterable: Node
    body: list[Node]  # nodes whose subtrees run once per iteration


@register
class NPlusOne:
    meta = RuleMeta(
        code="BE004",
        name="n-plus-one",
        severity=Severity.WARNING,
        summary="A query runs once per loop iteration (N+1 queries).",
        doc_url="https://docs.djangoproject.com/en/stable/ref/models/querysets/#select-related",
        # management commands and scripts run once by hand: not a request-time N+1
        locations=(*ONE_OFF_DATA_CODE[:-1], (Location.SCRIPTS, "skip")),
        reads=FileReads(gates=(b"for ", *_ORM_MARKERS)),
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        if b"for " not in ctx.source:
            return
        orm_file = any(marker in ctx.source for marker in _ORM_MARKERS)
        local = model_relations(ctx.source, ctx.root) if orm_file else {}
        reported: set[int] = set()
        prefetches = b"prefetch_related_objects" in ctx.source
        for loop in _loops(ctx.source, ctx.root):
            if not (orm_file and loop.variable) and not _may_query(ctx.source, loop, prefetches):
                continue  # no relation check, and no call below could be reported
            if (
                _runs_once_per_process(ctx.source, loop.node)
                or _copies(ctx.source, loop)
                or _data_migration_job(ctx.source, loop.node)
                or _only_reports_errors(ctx.source, loop)
            ):
                continue
            # the rows of a query the loop walks (None: an in-memory collection)
            chain = chain_through_variables(ctx.source, loop.iterable) or annotated_rows(
                ctx.source, loop.iterable
            )
            if (
                chain is not None
                and orm_file
                and loop.variable
                and not _knows_prefetch_state(ctx.source, loop.node)
            ):
                inherited = _inherited_eager(ctx.source, loop, chain) | _callers_eager(
                    ctx.source, ctx.root, loop
                )
                yield from self._relation_accesses(ctx, loop, chain, local, reported, inherited)
            yield from self._queries_in_body(ctx, loop, reported, chain is not None)

    # -- (a)/(b): lazy relation access on each row -------------------------------------------

    def _relation_accesses(
        self,
        ctx: AnalysisContext,
        loop: _Loop,
        chain: OrmChain,
        local: dict[str, dict[str, str]],
        reported: set[int],
        inherited: frozenset[str],
    ) -> Iterator[Finding]:
        if chain.single or any(n in ("values", "values_list") for n in chain.names):
            return
        if chain.orm == "django":
            yield from self._django(ctx, loop, chain, local, reported, inherited)
        elif chain.model is not None and _selects_entity(ctx.source, chain):
            yield from self._sqlalchemy(ctx, loop, chain, local, reported)

    def _django(
        self,
        ctx: AnalysisContext,
        loop: _Loop,
        chain: OrmChain,
        local: dict[str, dict[str, str]],
        reported: set[int],
        inherited: frozenset[str],
    ) -> Iterator[Finding]:
        model = chain.model or _related_model(ctx, chain) or _local_related_model(ctx, chain)
        known = _known_relations(ctx, model, local)
        columns = _known_columns(ctx, model)
        seen: set[str] = set()
        for access, relation, follow, method in _accesses(ctx.source, loop):
            if relation in seen or relation.endswith("_id") or access.start_byte in reported:
                continue
            if relation in inherited or _runs_at_most_once(access, loop):
                continue
            if _words_a_log_line(ctx.source, access, loop):
                continue
            if _loaded_with_rows(ctx, chain, relation):
                continue
            kind = known.get(relation)
            if relation in columns and kind is None:
                continue
            if method in _MANAGER_WRITES:
                continue
            reads = _UNMISTAKABLE_READS if kind is None else _MANAGER_READS
            if kind is None and method in _NO_ARGUMENT_READS and _called_without_arguments(access):
                reads = reads | {method}  # ``list.count(x)`` needs an argument, a manager's not
            manager_read = method is not None and method in reads and kind != "one"
            if manager_read or (relation.endswith("_set") and follow is not None):
                kind = "many"
            elif kind == "one" or (kind == "?" and follow is not None):
                kind = "one"
            else:
                continue
            if chain.eager_loads(relation):
                if kind == "many" and method is not None and method not in _CACHED_READS:
                    seen.add(relation)
                    reported.add(access.start_byte)
                    yield ctx.finding(
                        self.meta,
                        access,
                        f"`{node_text(ctx.source, access)}.{method}()` runs a new query for "
                        f"every row: `{method}()` bypasses the `prefetch_related` cache. Use "
                        f'`Prefetch("{relation}", queryset=...)` to prefetch the filtered rows '
                        "once.",
                    )
                continue
            if kind == "one" and "*" in chain.eager:
                continue
            seen.add(relation)
            reported.add(access.start_byte)
            loader = "prefetch_related" if kind == "many" else "select_related"
            yield ctx.finding(
                self.meta,
                access,
                f"`{node_text(ctx.source, access)}` queries the database once per "
                f"`{loop.variable}` (N+1): the loop iterates {_describe_model(chain)} without "
                f'`{loader}("{relation}")`. Load the relation with the query instead.',
                _django_fix(ctx, chain, loader, relation),
            )

    def _sqlalchemy(
        self,
        ctx: AnalysisContext,
        loop: _Loop,
        chain: OrmChain,
        local: dict[str, dict[str, str]],
        reported: set[int],
    ) -> Iterator[Finding]:
        assert chain.model is not None
        known = _known_relations(ctx, chain.model, local)
        if not known:
            return
        seen: set[str] = set()
        for access, relation, _follow, _method in _accesses(ctx.source, loop):
            kind = known.get(relation)
            if kind is None or kind == "eager" or relation in seen:
                continue
            if _loaded_with_rows(ctx, chain, relation):
                continue
            if access.start_byte in reported or chain.eager_loads(relation):
                continue
            seen.add(relation)
            reported.add(access.start_byte)
            yield ctx.finding(
                self.meta,
                access,
                f"`{node_text(ctx.source, access)}` lazy-loads `{chain.model}.{relation}` "
                f"with one query per `{loop.variable}` (N+1). Load it with the query: "
                f"`.options({_SQLALCHEMY_LOADER}({chain.model}.{relation}))`.",
                _sqlalchemy_fix(ctx, chain, relation),
            )

    # -- (c): an explicit query in the loop body ---------------------------------------------

    def _queries_in_body(
        self, ctx: AnalysisContext, loop: _Loop, reported: set[int], rows_from_query: bool
    ) -> Iterator[Finding]:
        if (
            _small_fixed_iterable(ctx.source, loop.iterable)
            or _written_in_the_code(ctx.source, loop.iterable)
            or _signal_receivers(ctx.source, loop)
            or _is_batching(ctx.source, loop)
            or _fallback_after_bulk(ctx.source, loop)
        ):
            return
        # per loop: a call an outer loop let pass (not keyed by its item) is judged again here
        examined: set[int] = set()
        for part in loop.body:
            for call in own_calls(part):
                if call.start_byte in reported or call.start_byte in examined:
                    continue
                if _chain_method(ctx.source, call):
                    # its inner links share its start byte: judged with it, once
                    examined.add(call.start_byte)
                if _prefetches_one_item(ctx.source, call, loop):
                    reported.add(call.start_byte)
                    yield ctx.finding(
                        self.meta,
                        call,
                        f"`prefetch_related_objects` runs its queries once per "
                        f"`{loop.variable}` (N+1): prefetching one item at a time saves "
                        "nothing. Call it once with the whole list before the loop.",
                    )
                    continue
                what = _db_call(ctx.source, call)
                if what is None:
                    continue
                if _runs_at_most_once(call, loop) or _memoised(ctx.source, call, loop):
                    continue
                if _under_one_key(ctx.source, call, loop):
                    continue
                if _runs_ddl(ctx.source, call):
                    continue
                if _deliberate_per_item(ctx.source, call, loop) or _coerces_item(
                    ctx.source, call, loop
                ):
                    continue
                if not rows_from_query and not _keyed_by_item(ctx.source, call, loop):
                    continue
                reported.add(call.start_byte)
                yield ctx.finding(
                    self.meta,
                    call,
                    f"`{what}` runs inside a loop over `{_short(ctx, loop.iterable)}`: one "
                    "database round trip per item (N+1). Fetch all rows in one query "
                    "(`WHERE id IN (...)`, `filter(id__in=...)`, a join) or use a bulk "
                    "operation (executemany, bulk_create, in_bulk).",
                )


# --- loops ---------------------------------------------------------------------------------


def _loops(source: bytes, root: Node) -> Iterator[_Loop]:
    for node in node_index(source, root).of(*_LOOP_TYPES):
        loop = _as_loop(source, node)
        if loop is not None:
            yield loop


def _as_loop(source: bytes, node: Node) -> _Loop | None:
    if node.type == "for_statement":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        body = node.child_by_field_name("body")
        if right is None or body is None:
            return None
        # the ``else:`` block runs once, not per item: only the body counts
        return _Loop(node, *_variable(source, left, right), [body])
    if node.type in _LOOP_TYPES:
        clauses = [c for c in node.named_children if c.type == "for_in_clause"]
        if not clauses:
            return None
        clause = clauses[0]
        left = clause.child_by_field_name("left")
        right = clause.child_by_field_name("right")
        if right is None:
            return None
        per_item = [c for c in node.named_children if c != clause]
        return _Loop(node, *_variable(source, left, right), per_item)
    return None


# --- loops that are not N+1 however they look ----------------------------------------------

# Functions a framework calls once per process (Django ``AppConfig.ready``, FastAPI/Starlette
# start-up hooks, Flask app factories): a loop there runs once, not per request.
_START_UP_FUNCTIONS = frozenset(
    {"ready", "startup", "on_startup", "lifespan", "create_app", "init_app", "setup_app"}
)
# Calls whose items are batches: one query per batch is the batching, not an N+1.
_BATCH_WORDS = ("batch", "chunk", "page", "grouper", "partition", "segment")
_EXITS = ("return_statement", "break_statement", "raise_statement")


def _runs_once_per_process(source: bytes, loop: Node) -> bool:
    """Module-level code and start-up hooks run once per process."""
    current = loop.parent
    while current is not None:
        if current.type == "function_definition":
            name = node_text(source, current.child_by_field_name("name"))
            return name in _START_UP_FUNCTIONS
        current = current.parent
    return True


# Inserts and upserts: each item carries its own payload (and often save() logic).
_INSERTS = frozenset(
    {"create", "get_or_create", "update_or_create", "bulk_create", "save", "add", "insert",
     "merge"}
)  # fmt: skip
_INSERT_STATEMENT = re.compile(r"^\s*(?:\w+\.)*(?:insert|upsert)\b", re.IGNORECASE)
_SET_FILTER = re.compile(
    r"\b(?:id|pk|\w+_id|\w+_pk)__in\s*=|\.(?:id|pk|\w+_id)\.in_\(|\bIN\s*\(|= ANY\("
)  # a key-list filter: ``pk__in=batch``, ``Run.id.in_(ids)``, ``WHERE id IN (...)``
_LOCKS = ("select_for_update", "with_for_update", "FOR UPDATE")
# Loop variables that are themselves SQL work items: one execute per statement is the job.
_STATEMENT_WORDS = ("statement", "stmt", "sql", "query", "operation", "script")


def _deliberate_per_item(source: bytes, call: Node, loop: _Loop) -> bool:
    """Per-item statements a reviewer accepts as the design, not as an N+1.

    * a row lock (``select_for_update``, ``FOR UPDATE``): locking each row in turn is the
      race-safe protocol, a bulk read would not lock the same way;
    * a set-based statement per iteration (``pk__in=batch``, ``.in_(ids)``): the loop is
      the batching;
    * the loop walks SQL statements (``for stmt in script.statements: cursor.execute(stmt)``);
    * an insert or upsert per item of data the code holds (request payload, a parent's
      few children, a parsed feed): each item is its own unit of work; an insert per row
      is only flagged while iterating a whole model query. Updates and deletes keyed by
      the item stay findings: one ``filter(pk__in=...)`` statement replaces them.
    """
    text = node_text(source, call)
    if any(lock in text for lock in _LOCKS):
        return True
    if _ATOMIC_UPDATE.search(text):
        return True
    if _SET_FILTER.search(text):
        return True
    if any(word in loop.variable.lower() for word in _STATEMENT_WORDS) and _is_raw_execute(
        source, call
    ):
        return True
    if not (_is_insert(source, call) or _hand_written_upsert(source, call, loop)):
        return False
    return not _iterates_model_query(source, loop) or _skips_duplicates(source, call, loop)


_ABSENT = re.compile(r"^(?:not\s+(?P<a>\w+)|(?P<b>\w+)\s+is(?:\s+not)?\s+None|(?P<c>\w+))$")


def _hand_written_upsert(source: bytes, call: Node, loop: _Loop) -> bool:
    """``existing = q.first()`` then ``if existing is None: session.add(Row(...))``.

    The lookup only decides between inserting a new row and updating the one found: a
    ``get_or_create`` / ``update_or_create`` written out, so it is judged like one.
    """
    assigned = assigned_name(call)
    if assigned is None:
        return False
    assignment, left = assigned
    name = node_text(source, left)
    statement = assignment.parent
    sibling = statement.next_named_sibling if statement is not None else None
    while sibling is not None and sibling.type != "if_statement":
        sibling = sibling.next_named_sibling
    if sibling is None:
        return False
    condition = sibling.child_by_field_name("condition")
    match = _ABSENT.match(" ".join(node_text(source, condition).split()))
    if match is None or name not in match.groupdict().values():
        return False
    return any(
        part.type == "call" and _is_insert(source, part)
        for part in walk(sibling)
        if part is not condition
    )


def _skips_duplicates(source: bytes, call: Node, loop: _Loop) -> bool:
    """The insert sits under ``suppress(IntegrityError)`` or ``try``/``except IntegrityError``
    inside the loop: one row per statement on purpose, so a duplicate skips only itself."""
    current = call.parent
    while current is not None and current != loop.node:
        if current.type == "with_statement":
            clause = next((c for c in current.named_children if c.type == "with_clause"), None)
            if clause is not None and "IntegrityError" in node_text(source, clause):
                return True
        statement = current.parent
        if (
            current.type == "block"
            and statement is not None
            and statement.type == "try_statement"
            and statement.child_by_field_name("body") == current
        ):
            handlers = [c for c in statement.named_children if c.type == "except_clause"]
            if any("IntegrityError" in node_text(source, h).split(":", 1)[0] for h in handlers):
                return True
        current = current.parent
    return False


# ``.update(redeemed=F("redeemed") + 1)``: an atomic counter per row, each with its own delta.
_ATOMIC_UPDATE = re.compile(r"\.update\([^)]*\bF\(")
# Functions that copy an object graph (clone an event, duplicate a page): a one-off
# admin action where each child is copied on its own, not a request-time listing.
_COPY_WORDS = frozenset({"copy", "clone", "duplicate"})


def _copies(source: bytes, loop: _Loop) -> bool:
    """The loop copies rows: its function is named for copying, it walks a copy source, or
    its body builds a copy of each item (``restriction_copy = PageViewRestriction(...)``)."""
    current = loop.node.parent
    while current is not None and current.type != "function_definition":
        current = current.parent
    if current is not None:
        name = node_text(source, current.child_by_field_name("name")).lower()
        if set(name.split("_")) & _COPY_WORDS:
            return True
    if "copy_from" in node_text(source, loop.iterable):
        return True
    for part in loop.body:
        if b".save(" not in source[part.start_byte : part.end_byte]:
            continue  # no ``copy.save()`` in this part: no walk (the check below needs one)
        for node in walk(part):
            if node.type != "assignment" or _inside_nested_scope(node, part):
                continue
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or left.type != "identifier" or right is None or right.type != "call":
                continue
            name = node_text(source, left)
            if set(name.lower().split("_")) & _COPY_WORDS and _saved_new_row(
                source, right, name, part
            ):
                return True
    return False


def _saved_new_row(source: bytes, made: Node, name: str, body: Node) -> bool:
    """``copy = PageViewRestriction(...)`` and ``copy.save()`` in the loop: a new row per item
    (a ``payload_copy = dict(base)`` for a response is no copy of the data)."""
    function = made.child_by_field_name("function")
    cls = node_text(source, function).rsplit(".", 1)[-1] if function is not None else ""
    return cls[:1].isupper() and f"{name}.save(" in node_text(source, body)


def _only_reports_errors(source: bytes, loop: _Loop) -> bool:
    """Every statement of the loop reports an error: ``self.add_error(...)``,
    ``errors.append(ValidationError(...))``, ``raise``.

    The loop runs only on invalid input and once per problem shown to the user (a form's
    conflicting rows), so its queries are bounded by what a person reads in one error.
    """
    if loop.node.type != "for_statement" or not loop.body:
        return False
    statements = loop.body[0].named_children
    return bool(statements) and all(_reports_error(source, s) for s in statements)


def _reports_error(source: bytes, statement: Node) -> bool:
    if statement.type == "raise_statement":
        return True
    if statement.type != "expression_statement" or not statement.named_children:
        return False
    call = statement.named_children[0]
    if call.type != "call":
        return False
    name = call_name(source, call)
    receiver, _, method = name.rpartition(".")
    if method == "add_error" and receiver:
        return True  # Django's ``form.add_error(field, error)``
    if method not in ("append", "extend") or not receiver.lower().endswith("errors"):
        return False
    arguments = positional_arguments(call)
    if len(arguments) != 1:
        return False
    made = arguments[0]
    return made.type != "call" or call_name(source, made).endswith(("Error", "Exception"))


# ``def fill_project_field(migration_name="0043_auto")``: a data-migration job that lives in
# an app module (so a migration can import it); it runs once per deploy, like the migration.
# ``schema_editor`` is the second parameter of every Django ``RunPython(forward, reverse)``
# callable (``def forward(apps, schema_editor)``), wherever a helper module defines it.
_MIGRATION_PARAMETERS = frozenset({"migration", "migration_name", "migration_id", "schema_editor"})


def _data_migration_job(source: bytes, loop: Node) -> bool:
    """The loop's function takes the migration it runs for (its name, or RunPython's editor)."""
    current = loop.parent
    while current is not None and current.type != "function_definition":
        current = current.parent
    parameters = current.child_by_field_name("parameters") if current is not None else None
    if parameters is None:
        return False
    return any(
        parameter_name(source, parameter) in _MIGRATION_PARAMETERS
        for parameter in parameters.named_children
    )


def _may_query(source: bytes, loop: _Loop, prefetches: bool) -> bool:
    """A call in the body that ``_queries_in_body`` could report (by the same cheap tests it
    starts with): most loops of a file have none, and then its costlier checks never run."""
    for part in loop.body:
        for call in own_calls(part):
            function = call.child_by_field_name("function")
            if function is None:
                continue
            if function.type == "attribute" and _attribute_name(source, function) in _QUERY_METHODS:
                return True
            if prefetches and node_text(source, function).endswith("prefetch_related_objects"):
                return True
    return False


def _prefetches_one_item(source: bytes, call: Node, loop: _Loop) -> bool:
    """``for o in orders: prefetch_related_objects([o], "lines")``."""
    if not loop.variable or not call_name(source, call).endswith("prefetch_related_objects"):
        return False
    args = positional_arguments(call)
    if not args:
        return False
    target = args[0]
    if target.type in ("list", "tuple") and len(target.named_children) == 1:
        target = target.named_children[0]
    return target.type == "identifier" and node_text(source, target) == loop.variable


def _is_raw_execute(source: bytes, call: Node) -> bool:
    return orm_chain_at(source, call) is None and call_name(source, call).endswith("execute")


def _is_insert(source: bytes, call: Node) -> bool:
    chain = orm_chain_at(source, call)
    if chain is not None and chain.names and chain.names[-1] in _INSERTS:
        return True
    name = call_name(source, call).rsplit(".", 1)[-1]
    if name in _INSERTS:
        return True
    if name not in ("execute", "exec", "executemany"):
        return False
    args = positional_arguments(call)
    if not args:
        return False
    first = args[0]
    if first.type == "string":
        return bool(_INSERT_STATEMENT.match(string_value(source, first) or ""))
    return bool(_INSERT_STATEMENT.match(node_text(source, first))) or (
        first.type == "identifier"
        and any(w in node_text(source, first).lower() for w in ("insert", "upsert"))
    )


_DDL_STATEMENT = re.compile(
    r"^\s*(?:create|drop|alter|truncate|comment\s+on|grant|revoke|reindex)\b", re.IGNORECASE
)
_TEXT_WRAPPERS = frozenset({"text", "sa.text", "sqlalchemy.text"})


def _runs_ddl(source: bytes, call: Node) -> bool:
    """``conn.execute(text("DROP INDEX {0}".format(name)))`` per index: a schema change per
    item, which has no set-based form to fetch; not a per-row read."""
    if call_name(source, call).rsplit(".", 1)[-1] not in ("execute", "exec", "executescript"):
        return False
    args = positional_arguments(call)
    statement = args[0] if args else None
    while (
        statement is not None
        and statement.type == "call"
        and call_name(source, statement) in _TEXT_WRAPPERS
    ):
        inner = positional_arguments(statement)
        statement = inner[0] if inner else None
    if statement is None:
        return False
    built = build_sql(source, statement, call)
    return built is not None and bool(_DDL_STATEMENT.match(built.template))


def _iterates_model_query(source: bytes, loop: _Loop) -> bool:
    """The loop walks a model-level query (every matching row), not one parent's children."""
    chain = chain_through_variables(source, loop.iterable)
    return chain is not None and chain.relation_manager is None and not chain.bounded


_KEY_FIELDS = frozenset({"id", "pk", "uuid", "key"})


def _keyed_by_item(source: bytes, call: Node, loop: _Loop) -> bool:
    """The query looks up the loop's item itself: ``get(pk=pk)``, ``WHERE id = %s`` with
    ``(row.id,)``, ``filter(Model.id == key)``.

    Over an in-memory collection this is the N+1 with a certain fix (``in_bulk(ids)``,
    ``filter(pk__in=ids)``). A query fed from other fields of structured items (forms,
    payment requests, config entries) is a step of processing application objects whose
    number the code does not show; on the real-code corpus 2 of 16 such findings were wanted.
    """
    target = _loop_target(loop.node)
    if target is None:
        return False
    names = {node_text(source, n) for n in walk(target) if n.type == "identifier"}

    def is_key(node: Node | None) -> bool:
        if node is None:
            return False
        if node.type == "identifier":
            return node_text(source, node) in names
        if node.type == "attribute":
            field = node.child_by_field_name("attribute")
            return is_key_owner(node.child_by_field_name("object"), field)
        if node.type == "subscript":
            index = node.child_by_field_name("subscript")
            return (
                index is not None
                and string_value(source, index) in _KEY_FIELDS
                and is_key(node.child_by_field_name("value"))
            )
        if node.type in ("tuple", "list", "parenthesized_expression"):
            return any(is_key(child) for child in node.named_children)
        return False

    def is_key_owner(owner: Node | None, field: Node | None) -> bool:
        return (
            owner is not None
            and owner.type == "identifier"
            and node_text(source, owner) in names
            and field is not None
            and node_text(source, field) in _KEY_FIELDS
        )

    for node in walk(call):
        if node.type == "keyword_argument" and is_key(node.child_by_field_name("value")):
            return True
        if node.type == "comparison_operator" and any(is_key(n) for n in node.named_children):
            return True
        if node.type == "argument_list" and any(is_key(n) for n in node.named_children):
            return True
    return False


def _is_batching(source: bytes, loop: _Loop) -> bool:
    """``for batch in chunked(ids, 500)``, ``range(0, n, size)``: one query per batch."""
    words = loop.variable.lower()
    iterable = loop.iterable
    if iterable.type == "call":
        function = iterable.child_by_field_name("function")
        words += " " + node_text(source, function).rsplit(".", 1)[-1].lower()
        if node_text(source, function) == "range" and len(positional_arguments(iterable)) == 3:
            return True
    elif iterable.type in ("identifier", "attribute"):
        words += " " + node_text(source, iterable).rsplit(".", 1)[-1].lower()
    return any(word in words for word in _BATCH_WORDS)


# Statements over a whole list of rows, besides ORM chains: a failed one is retried per row.
_BULK_CALLS = frozenset({"executemany", "bulk_create", "bulk_update", "insert_many"})


def _fallback_after_bulk(source: bytes, loop: _Loop) -> bool:
    """``try: Task.objects.filter(pk__in=pks).delete()`` / ``except ProtectedError: for pk
    in pks: ...``: the per-row loop runs only when the one statement over the same items
    failed, to find or skip the rows that broke it. The bulk path is the normal path."""
    if loop.iterable.type != "identifier":
        return False
    name = node_text(source, loop.iterable)
    handler = enclosing(loop.node, "except_clause", "function_definition", "lambda")
    attempt = handler.parent if handler is not None else None
    if handler is None or handler.type != "except_clause" or attempt is None:
        return False
    body = attempt.child_by_field_name("body")
    for node in walk(body) if body is not None else ():
        if node.type != "call" or _inside_nested_scope(node, attempt):
            continue
        arguments = node.child_by_field_name("arguments")
        values = [
            a.child_by_field_name("value") if a.type == "keyword_argument" else a
            for a in (arguments.named_children if arguments is not None else ())
        ]
        if not any(v is not None and node_text(source, v) == name for v in values):
            continue
        method = call_name(source, node).rsplit(".", 1)[-1]
        if method in _BULK_CALLS or orm_chain_at(source, node) is not None:
            return True
    return False


def _runs_at_most_once(node: Node, loop: _Loop) -> bool:
    """The node sits in a branch that leaves the loop (return/break/raise) after it runs."""
    chain: list[Node] = []
    current = node.parent
    while current is not None and current != loop.node:
        if current.type in ("function_definition", "lambda"):
            return False
        chain.append(current)
        current = current.parent
    for index, ancestor in enumerate(chain):
        # ``break`` leaves the innermost loop: ours only when no other loop lies between
        exits = set(_EXITS)
        if any(a.type in ("for_statement", "while_statement") for a in chain[index:]):
            exits.discard("break_statement")
        if ancestor.type in exits:
            return True
        if ancestor.type == "block" and ancestor.parent is not None:
            if ancestor.parent == loop.node:
                continue
            last = ancestor.named_children[-1] if ancestor.named_children else None
            if last is not None and last.type in exits:
                return True
    return False


_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical"})


def _words_a_log_line(source: bytes, access: Node, loop: _Loop) -> bool:
    """``except ValueError: logger.warning(f"bad row for {sf.resource.title}")``.

    The relation is read only in an ``except`` handler, to describe a bad row in a log
    line: it runs per broken row, not per row, and a reviewer would not prefetch for it.
    """
    in_log = in_handler = False
    node = access.parent
    while node is not None and node != loop.node:
        if node.type == "call" and not in_log:
            method = call_name(source, node).rsplit(".", 1)[-1]
            in_log = method in _LOG_METHODS
        if node.type == "except_clause":
            in_handler = True
            break
        node = node.parent
    return in_log and in_handler


def _knows_prefetch_state(source: bytes, loop: Node) -> bool:
    """``if "answers" in obj._prefetched_objects_cache: [a.question for a in obj.answers.all()]``.

    The author tested Django's prefetch cache before walking the rows: this branch
    runs only on prefetched data (the other branch does the query), so the relation
    reads in it are served from what the caller loaded.
    """
    child, node = loop, loop.parent
    while node is not None and node.type not in ("function_definition", "module"):
        if node.type == "if_statement" and child == node.child_by_field_name("consequence"):
            condition = node.child_by_field_name("condition")
            text = node_text(source, condition) if condition is not None else ""
            if "_prefetched_objects_cache" in text and not text.lstrip().startswith("not "):
                return True
        child, node = node, node.parent
    return False


def _coerces_item(source: bytes, call: Node, loop: _Loop) -> bool:
    """``if not isinstance(f, CachedFile): f = CachedFile.objects.get(pk=f)``.

    The loop accepts instances or their keys and looks a row up only for an item
    that is not an instance yet: argument normalisation, where callers pass the
    loaded objects and the query is the fallback for a bare id or name. The test may
    be ``not isinstance(x, Model)``, ``isinstance(x, str)`` (a key type), ``not
    hasattr(x, "pk")``, or the same as ``x if isinstance(x, Model) else Model.get(x)``.
    """
    target = _loop_target(loop.node)
    names = (
        {node_text(source, n) for n in walk(target) if n.type == "identifier"} if target else set()
    )
    if not names or not any(
        n.type == "identifier" and node_text(source, n) in names for n in _descendants(call)
    ):
        return False  # ``Group.objects.filter(name=g).count()``: the key is in the chain
    child, node = call, call.parent
    while node is not None and node != loop.node:
        if node.type == "if_statement":
            condition = node.child_by_field_name("condition")
            branch = child == node.child_by_field_name("consequence")
            if (branch or child.type == "else_clause") and _not_instance_yet(
                source, condition, names, when=branch
            ):
                return True
        if node.type == "conditional_expression" and len(node.named_children) == 3:
            body, condition, alternative = node.named_children
            if child == body and _not_instance_yet(source, condition, names, when=True):
                return True
            if child == alternative and _not_instance_yet(source, condition, names, when=False):
                return True
        child, node = node, node.parent
    return False


_TYPE_TEST = re.compile(
    r"^(?P<neg>not\s+)?(?P<test>isinstance|hasattr)\((?P<name>\w+),\s*(?P<arg>.+)\)$"
)
# ``isinstance(x, str)``: the item is still a key (a name, an id), not a loaded row.
_KEY_TYPES = frozenset({"str", "int", "bytes", "UUID", "uuid.UUID"})


def _not_instance_yet(source: bytes, condition: Node | None, names: set[str], when: bool) -> bool:
    """``condition`` being ``when`` means a loop item is a bare key, not yet an instance."""
    text = " ".join(node_text(source, condition).split()) if condition is not None else ""
    match = _TYPE_TEST.match(text)
    if match is None or match["name"] not in names:
        return False
    negated = bool(match["neg"]) == when  # the branch runs when the test itself is false
    if match["test"] == "hasattr":
        return negated
    types = {t.strip() for t in match["arg"].strip("()").split(",") if t.strip()}
    keys = bool(types) and types <= _KEY_TYPES
    return keys != negated


def _descendants(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.named_children)


def _memoised(source: bytes, call: Node, loop: _Loop) -> bool:
    """``if key not in cache: cache[key] = query(...)``: one query per distinct key."""
    current = call.parent
    while current is not None and current != loop.node:
        if current.type == "if_statement":
            condition = current.child_by_field_name("condition")
            if condition is not None and condition.type == "comparison_operator":
                text = node_text(source, condition)
                if " not in " in text:
                    container = text.rsplit(" not in ", 1)[1].strip()
                    if f"{container}[" in node_text(source, current):
                        return True
        current = current.parent
    return False


def _inherited_eager(source: bytes, loop: _Loop, chain: OrmChain) -> frozenset[str]:
    """Relations of the loop's rows that an outer query or ``prefetch_related_objects`` loaded.

    ``for op in qs.prefetch_related("answers__question")`` then ``for a in op.answers.all()``:
    ``a.question`` is covered by the outer prefetch.
    """
    found: set[str] = set()
    owner: str | None = None
    if chain.relation_manager is not None and chain.base.type == "attribute":
        obj = chain.base.child_by_field_name("object")
        if obj is not None and obj.type == "identifier":
            owner = node_text(source, obj)
    prefix = f"{chain.relation_manager}__"
    if owner is not None:
        for outer_paths in _outer_eager_paths(source, loop.node, owner):
            found.update(p[len(prefix) :] for p in outer_paths if p.startswith(prefix))
    iterated = node_text(source, loop.iterable)
    for target, paths in _prefetch_objects_calls(source, loop.node):
        if target == iterated:
            found.update(paths)
    return frozenset(p.split("__")[0] for p in found if p)


def _callers_eager(source: bytes, root: Node, loop: _Loop) -> frozenset[str]:
    """Relations every caller in this file loads on the rows it passes: a helper iterating
    its parameter (``def visible(contents: Iterable[PageContent])``) called only as
    ``visible(PageContent.objects.select_related("page"))``. A call whose argument is no
    query we can read, or no call at all, proves nothing."""
    iterated = _strip_parens(loop.iterable)
    function = enclosing(loop.node, "function_definition")
    if iterated.type != "identifier" or function is None:
        return frozenset()
    name = node_text(source, iterated)
    params = function.child_by_field_name("parameters")
    names = [parameter_name(source, p) for p in (params.named_children if params else [])]
    if name not in names:
        return frozenset()
    position = names.index(name)
    function_name = node_text(source, function.child_by_field_name("name"))
    loaded: set[str] | None = None
    for call in node_index(source, root).of("call"):
        callee = call.child_by_field_name("function")
        if callee is None or callee.type != "identifier":
            continue
        if node_text(source, callee) != function_name:
            continue
        argument = keyword_argument(source, call, name)
        positional = positional_arguments(call)
        if argument is None and position < len(positional):
            argument = positional[position]
        chain = chain_through_variables(source, argument) if argument is not None else None
        if chain is None:
            return frozenset()
        relations = {p.replace("__", ".").split(".")[0] for p in chain.eager}
        loaded = relations if loaded is None else loaded & relations
    return frozenset(loaded or ())


def _strip_parens(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _outer_eager_paths(source: bytes, node: Node, variable: str) -> Iterator[list[str]]:
    """Eager paths of the enclosing loop over ``variable``: its query's and its prefetches'."""
    current = node.parent
    while current is not None:
        outer = _as_loop(source, current) if current.type in _LOOP_TYPES else None
        if outer is not None and outer.variable == variable:
            chain = chain_through_variables(source, outer.iterable)
            if chain is not None:
                yield [p.replace(".", "__") for p in chain.eager]
            else:  # a queryset from a helper (``base_qs = self.positions_qs()``) lost the model
                yield list(_written_eager_paths(source, outer.iterable))
            iterated = node_text(source, outer.iterable)
            for target, paths in _prefetch_objects_calls(source, outer.node):
                if target == iterated:
                    yield paths
            return
        if current.type == "function_definition":
            return
        current = current.parent


_EAGER_LOADERS = frozenset({"prefetch_related", "select_related"})


def _written_eager_paths(source: bytes, node: Node, depth: int = 3) -> Iterator[str]:
    """String paths in ``prefetch_related``/``select_related`` calls written on the way to
    ``node``, following locals (``qs = base.prefetch_related("answers__question")``,
    ``ops = sorted(qs.filter(id__in=ids))``) when the query's model is out of sight."""
    if depth < 0:
        return
    for part in walk(node):
        if part.type == "identifier" and not _is_attribute_name(part):
            value = resolve_name(source, part)
            if value is not None and value is not node:
                yield from _written_eager_paths(source, value, depth - 1)
        elif part.type == "call":
            function = part.child_by_field_name("function")
            if function is None or function.type != "attribute":
                continue
            if node_text(source, function.child_by_field_name("attribute")) in _EAGER_LOADERS:
                for argument in positional_arguments(part):
                    text = string_value(source, argument)
                    if text:
                        yield text


def _is_attribute_name(identifier: Node) -> bool:
    parent = identifier.parent
    return (
        parent is not None
        and parent.type in ("attribute", "keyword_argument")
        and parent.child_by_field_name("attribute" if parent.type == "attribute" else "name")
        == identifier
    )


def _prefetch_objects_calls(source: bytes, loop: Node) -> Iterator[tuple[str, list[str]]]:
    """``prefetch_related_objects(target, "a", "b__c")`` calls before the loop in its function."""
    if b"prefetch_related_objects" not in source:
        return
    scope = loop.parent
    while scope is not None and scope.type != "function_definition":
        scope = scope.parent
    if scope is None:
        return
    for node in walk(scope):
        if node.start_byte >= loop.start_byte:
            break
        if node.type != "call" or not call_name(source, node).endswith("prefetch_related_objects"):
            continue
        args = positional_arguments(node)
        if not args:
            continue
        paths = [node_text(source, a).strip("\"'") for a in args[1:] if a.type == "string"]
        yield node_text(source, args[0]), paths


def _variable(source: bytes, left: Node | None, right: Node) -> tuple[str, Node]:
    """Loop variable name (``for i, o in enumerate(qs)`` -> ``o``) and the iterable."""
    if left is None:
        return "", right
    if left.type == "identifier":
        return node_text(source, left), right
    if (
        left.type in ("pattern_list", "tuple_pattern")
        and len(left.named_children) == 2
        and right.type == "call"
        and node_text(source, right.child_by_field_name("function")) == "enumerate"
    ):
        second = left.named_children[1]
        if second.type == "identifier":
            return node_text(source, second), right
    return "", right


def _accesses(source: bytes, loop: _Loop) -> Iterator[tuple[Node, str, str | None, str | None]]:
    """``(v.X node, X, following attribute, called method)`` for each use of the loop variable."""
    for part in loop.body:
        for node in walk(part):
            if node.type != "attribute":
                continue
            obj = node.child_by_field_name("object")
            if obj is None or obj.type != "identifier" or node_text(source, obj) != loop.variable:
                continue
            if _inside_nested_scope(node, part):
                continue
            parent = node.parent
            if (
                parent is not None
                and parent.type == "assignment"
                and parent.child_by_field_name("left") == node
            ):
                continue  # ``o.customer = c`` writes, it does not load
            if (
                parent is not None
                and parent.type == "call"
                and parent.child_by_field_name("function") == node
            ):
                continue  # ``o.save()``: a method of the row itself
            relation = node_text(source, node.child_by_field_name("attribute"))
            follow: str | None = None
            method: str | None = None
            if (
                parent is not None
                and parent.type == "attribute"
                and parent.child_by_field_name("object") == node
            ):
                follow = node_text(source, parent.child_by_field_name("attribute"))
                grand = parent.parent
                if (
                    grand is not None
                    and grand.type == "call"
                    and grand.child_by_field_name("function") == parent
                ):
                    method = follow
                    if _composed(source, grand, method):
                        continue
            yield node, relation, follow, method


_COMPOSE = frozenset({"|", "&", "|=", "&="})


def _composed(source: bytes, call: Node, method: str) -> bool:
    """``qs |= member.interfaces.filter(...)``: a lazy queryset OR-ed into another one runs
    no query here; the combined queryset is one query wherever it is evaluated."""
    if method not in DJANGO_QUERYSET_METHODS or method == "iterator":
        return False
    parent = call.parent
    if parent is None or parent.type not in ("augmented_assignment", "binary_operator"):
        return False
    operator = parent.child_by_field_name("operator")
    return operator is not None and node_text(source, operator) in _COMPOSE


def _called_without_arguments(access: Node) -> bool:
    """``v.lines.count()``: the method call after ``v.lines`` takes no argument."""
    method = access.parent
    call = method.parent if method is not None else None
    if call is None or call.type != "call":
        return False
    arguments = call.child_by_field_name("arguments")
    return arguments is not None and not arguments.named_children


def _inside_nested_scope(node: Node, limit: Node) -> bool:
    current = node.parent
    while current is not None and current != limit:
        if current.type in ("function_definition", "lambda"):
            return True
        current = current.parent
    return False


# --- model knowledge -----------------------------------------------------------------------


def _known_relations(
    ctx: AnalysisContext, model: str | None, local: dict[str, dict[str, str]]
) -> dict[str, str]:
    """Relation -> kind for ``model`` ("?" when only the workspace schema names it)."""
    found: dict[str, str] = {}
    if model is None:
        for known in ctx.schema.tables.values():
            found.update(dict.fromkeys(known.relations, "?"))
        for relations in local.values():
            found.update({k: v for k, v in relations.items() if v != "many"})
        return found
    table = ctx.schema.by_model(model)
    if table is not None:
        found.update(dict.fromkeys(table.relations, "?"))
    found.update(local.get(model, {}))
    return found


def _related_model(ctx: AnalysisContext, chain: OrmChain) -> str | None:
    """``self.children.filter(...)`` / ``self.parent.children.all()`` in a model's method:
    the model the related manager leads to, hop by hop through the workspace schema
    (reverse accessors included). Unknown (None) when any hop is not in it: the rows are
    then judged against every relation the workspace names."""
    manager = chain.base
    if chain.relation_manager is None or manager.type != "attribute":
        return None
    owner = _receiver_model(ctx, manager.child_by_field_name("object"))
    table = ctx.schema.by_model(owner) if owner is not None else None
    target = table.relations.get(chain.relation_manager) if table is not None else None
    return target if target is not None and ctx.schema.by_model(target) is not None else None


def _local_related_model(ctx: AnalysisContext, chain: OrmChain) -> str | None:
    """``_related_model`` from this file's own declarations, for models the workspace
    schema does not know (a project base class): ``self.children`` in ``Prefix`` is
    ``Prefix`` rows when ``Prefix.parent`` says ``related_name="children"``."""
    manager = chain.base
    if chain.relation_manager is None or manager.type != "attribute" or ctx.root is None:
        return None
    targets = model_targets(ctx.source, ctx.root)
    owner = _local_receiver(ctx, manager.child_by_field_name("object"), targets)
    target = targets.get(owner, {}).get(chain.relation_manager) if owner is not None else None
    return target if target in targets else None


def _local_receiver(
    ctx: AnalysisContext, node: Node | None, targets: dict[str, dict[str, str]]
) -> str | None:
    if node is None:
        return None
    if node.type == "attribute":
        owner = _local_receiver(ctx, node.child_by_field_name("object"), targets)
        attribute = node_text(ctx.source, node.child_by_field_name("attribute"))
        return targets.get(owner, {}).get(attribute) if owner is not None else None
    if node.type != "identifier" or node_text(ctx.source, node) != "self":
        return None
    name = _self_class(ctx, node)
    return name if name in targets else None


def _receiver_model(ctx: AnalysisContext, node: Node | None) -> str | None:
    """The model ``self`` (in a model class's method) or ``self.<relation>...`` is."""
    if node is None:
        return None
    if node.type == "attribute":
        owner = _receiver_model(ctx, node.child_by_field_name("object"))
        table = ctx.schema.by_model(owner) if owner is not None else None
        if table is None:
            return None
        return table.relations.get(node_text(ctx.source, node.child_by_field_name("attribute")))
    if node.type != "identifier" or node_text(ctx.source, node) != "self":
        return None
    name = _self_class(ctx, node)
    return name if name is not None and ctx.schema.by_model(name) is not None else None


def _self_class(ctx: AnalysisContext, self_name: Node) -> str | None:
    """The class whose method ``self`` belongs to (None for a nested function's ``self``,
    or no class at all)."""
    function = enclosing(self_name, "function_definition")
    klass = (
        enclosing(function, "class_definition", "function_definition")
        if function is not None
        else None
    )
    if klass is None or klass.type != "class_definition":
        return None
    return node_text(ctx.source, klass.child_by_field_name("name"))


def _loaded_with_rows(ctx: AnalysisContext, chain: OrmChain, relation: str) -> bool:
    """Every model the rows may be declares ``relation`` eager (``lazy="joined"``,
    ``"selectin"`` ...) or never querying (``"raise"``): reading it per row runs no query.

    The rows' model is the chain's; for a related manager without one
    (``container.owners.all()``) it is the targets of that relation; else any model that
    declares ``relation``. ``lazy="dynamic"`` / ``"select"`` keep the finding.
    """
    tables = _row_tables(ctx, chain, relation)
    return bool(tables) and all(table.loads_with_row(relation) for table in tables)


def _row_tables(ctx: AnalysisContext, chain: OrmChain, relation: str) -> list[Table]:
    known = ctx.schema.tables.values()
    if chain.model is not None:
        table = ctx.schema.by_model(chain.model)
        candidates = [table] if table is not None else []
    elif chain.relation_manager is not None:
        manager = chain.relation_manager
        related = _related_model(ctx, chain)  # ``self.members``: this model's relation only
        targets = (
            {related}
            if related is not None
            else {t.relations[manager] for t in known if manager in t.relations}
        )
        found = (ctx.schema.by_model(target) or ctx.schema.get(target) for target in targets)
        candidates = [table for table in found if table is not None]
    else:
        candidates = list(known)
    return [table for table in candidates if relation in table.relations]


def _known_columns(ctx: AnalysisContext, model: str | None) -> set[str]:
    table = ctx.schema.by_model(model) if model else None
    return set(table.columns) if table is not None else set()


def _selects_entity(source: bytes, chain: OrmChain) -> bool:
    """``select(User)`` / ``query(User)`` load objects; ``select(User.id)`` loads columns."""
    if chain.base.type != "call":
        return True  # ``User.query`` (Flask-SQLAlchemy)
    args = positional_arguments(chain.base)
    if not args or args[0].type != "identifier":
        return False
    # ``session.execute(select(User))`` yields rows (tuples), not User objects
    return not (
        chain.orm == "sqlalchemy" and "execute" in chain.names and "scalars" not in chain.names
    )


def _describe_model(chain: OrmChain) -> str:
    if not chain.operations:
        return f"`{chain.model}` rows passed in by the caller (load the relation in its query)"
    if chain.relation_manager:
        return f"the related `{chain.relation_manager}` rows"
    return f"`{chain.model}` rows" if chain.model else "a queryset"


# --- fixes ---------------------------------------------------------------------------------


def _django_fix(ctx: AnalysisContext, chain: OrmChain, loader: str, relation: str) -> Fix | None:
    if not chain.operations:
        return None  # rows handed in by the caller: the query to fix is elsewhere
    if any(n in ("union", "intersection", "difference", "raw") for n in chain.names):
        return None
    return Fix(
        title=f'Add .{loader}("{relation}") to the queryset',
        edits=(Edit(chain.base.end_byte, chain.base.end_byte, f'.{loader}("{relation}")'),),
    )


def _sqlalchemy_fix(ctx: AnalysisContext, chain: OrmChain, relation: str) -> Fix | None:
    if chain.base.type != "call" or chain.model is None or not chain.operations:
        return None
    option = f".options({_SQLALCHEMY_LOADER}({chain.model}.{relation}))"
    edits = [Edit(chain.base.end_byte, chain.base.end_byte, option)]
    assert ctx.root is not None
    import_edit = ensure_import(ctx.source, ctx.root, "sqlalchemy.orm", _SQLALCHEMY_LOADER)
    if import_edit is not None:
        edits.insert(0, import_edit)
    return Fix(
        title=f"Eager-load {chain.model}.{relation} with {_SQLALCHEMY_LOADER}",
        edits=tuple(edits),
    )


# --- explicit queries ----------------------------------------------------------------------


def _db_call(source: bytes, call: Node) -> str | None:
    """Short label of ``call`` when it certainly talks to the database."""
    function = call.child_by_field_name("function")
    if function is None or function.type != "attribute":
        return None
    if _attribute_name(source, function) not in _QUERY_METHODS:
        return None  # cheap filter: most calls in loops are not queries
    chain = orm_chain_at(source, call)
    if chain is not None:
        if chain.relation_manager is not None:
            return None  # a relation of the loop row: reported by the relation check
        if chain.terminal in ("lazy", "iterate"):
            return None  # a queryset built, not run (yet)
        if chain.names and chain.names[-1] in ("bulk_create", "bulk_update", "in_bulk"):
            return None
        return _label(source, call)
    name = call_name(source, call)
    if "." not in name:
        return None
    receiver, method = name.rsplit(".", 1)
    if method not in _DB_CALLS:
        return None
    last = receiver.rsplit(".", 1)[-1].lower().lstrip("_")
    if not any(last == r or last.endswith(r) or last.startswith(r) for r in _DB_RECEIVERS):
        return None
    if method == "get" and not positional_arguments(call)[:1]:
        return None
    if method == "get":
        args = positional_arguments(call)
        if args[0].type != "identifier" or not node_text(source, args[0])[:1].isupper():
            return None  # ``session.get(Model, pk)`` only; not ``db.get("key")``
    return _label(source, call)


# ``ContentType.objects.get_for_model(obj)`` per row hits the manager's cache, not the database.
_QUERY_METHODS = (
    _DB_CALLS
    | SINGLE_TERMINALS
    | {"all", "fetchall", "fetchmany", "one", "first", "list", "scalars", "aggregate"}
) - DJANGO_CACHED_MANAGER_METHODS


_CHAIN_LINKS = (
    _QUERY_METHODS
    | DJANGO_QUERYSET_METHODS
    | DJANGO_SINGLE_METHODS
    | SQLALCHEMY_BUILDER_METHODS
    | SQLALCHEMY_RESULT_METHODS
)


def _chain_method(source: bytes, call: Node) -> bool:
    """``qs.filter(...).delete()`` is one query; ``Item.objects.get(...).touch()`` holds one."""
    function = call.child_by_field_name("function")
    return (
        function is None
        or function.type != "attribute"
        or (_attribute_name(source, function) in _CHAIN_LINKS)
    )


def _attribute_name(source: bytes, attribute: Node) -> str:
    return node_text(source, attribute.child_by_field_name("attribute"))


def _label(source: bytes, call: Node) -> str:
    text = node_text(source, call)
    if len(text) <= 60 and "\n" not in text:
        return text
    function = call.child_by_field_name("function")
    head = node_text(source, function).split("\n")[0]
    return (head[:57] + "...") if len(head) > 60 else head + "(...)"


_TABLE_COLLECTIONS = frozenset({"models", "tables", "get_models"})
_TABLE_SUFFIXES = ("_tables", "_models")
_FIXED_ITEMS = ("string", "integer", "float", "true", "false", "none", "identifier",
                "attribute", "tuple", "subscript")  # fmt: skip


def _small_fixed_iterable(source: bytes, iterable: Node) -> bool:
    """Items written in the code: literals, a tuple of models/tables, an UPPER_CASE constant.

    ``for model in (Run, Metric, Tag): delete(...)`` is one statement per table, not per row.
    """
    if iterable.type in ("list", "tuple", "set") and all(
        c.type in _FIXED_ITEMS for c in iterable.named_children
    ):
        return True
    if _configured_constant(source, iterable):
        return True
    if iterable.type in ("identifier", "attribute", "call"):
        head = node_text(source, iterable).split("(", 1)[0]
        last = head.rsplit(".", 1)[-1].lower()
        # enum members, or one statement per table/model (``for model in models``)
        if last == "__members__" or last in _TABLE_COLLECTIONS or last.endswith(_TABLE_SUFFIXES):
            return True
        if last == "forms" or last.endswith("_forms"):
            return True  # a formset's forms: bounded by its max_num
    if iterable.type == "call" and node_text(source, iterable.child_by_field_name("function")) in (
        "range",
    ):
        args = positional_arguments(iterable)
        if args and all(a.type == "integer" for a in args):
            try:
                values = [int(node_text(source, a), 0) for a in args]
            except ValueError:
                return False
            stop = values[0] if len(values) == 1 else values[1] - values[0]
            return stop <= _SMALL_RANGE
    return False


_DICT_VIEWS = frozenset({"items", "keys", "values"})


def _dict_of_view(source: bytes, iterable: Node) -> Node | None:
    """``d`` of ``d.items()``/``d.keys()``/``d.values()``, else None."""
    if iterable.type != "call" or positional_arguments(iterable):
        return None
    function = iterable.child_by_field_name("function")
    if function is None or function.type != "attribute":
        return None
    if node_text(source, function.child_by_field_name("attribute")) not in _DICT_VIEWS:
        return None
    return function.child_by_field_name("object")


def _configured_constant(source: bytes, iterable: Node) -> bool:
    """``ALLOWED``, ``settings.METADATA_INDEXES.items()``: an UPPER_CASE constant or setting,
    whose entries someone configured (a handful), not rows."""
    node = _dict_of_view(source, iterable) or iterable
    if node.type == "attribute":
        node = node.child_by_field_name("attribute") or node
    return node.type == "identifier" and node_text(source, node).lstrip("_").isupper()


def _under_one_key(source: bytes, call: Node, loop: _Loop) -> bool:
    """``for key, value in vals.items(): if key == "topic_category": query(value)``.

    Dict keys are unique, so a branch taken for one literal key runs at most once in
    the whole walk: a setter dispatching on field names, not a query per item.
    """
    if loop.node.type != "for_statement" or _dict_of_view(source, loop.iterable) is None:
        return False
    target = _loop_target(loop.node)
    if target is not None and target.type in ("pattern_list", "tuple_pattern"):
        target = target.named_children[0] if target.named_children else None
    if target is None or target.type != "identifier":
        return False
    key = node_text(source, target)
    child, node = call, call.parent
    while node is not None and node != loop.node:
        if node.type in ("if_statement", "elif_clause") and child == node.child_by_field_name(
            "consequence"
        ):
            condition = node.child_by_field_name("condition")
            if condition is not None and condition.type == "comparison_operator":
                sides = condition.named_children
                operators = [c.type for c in condition.children if not c.is_named]
                if len(sides) == 2 and operators == ["=="]:
                    texts = {node_text(source, side) for side in sides}
                    literal = [side for side in sides if side.type in ("string", "integer")]
                    if key in texts and len(literal) == 1:
                        return True
        child, node = node, node.parent
    return False


def _written_in_the_code(source: bytes, iterable: Node) -> bool:
    """A name bound to a literal of fixed items in the code, or that literal's dict views.

    ``sources = {"ecb": fetch_ecb, "cnb": fetch_cnb}`` then ``for name, task in
    sources.items()``: as many iterations as entries someone typed, not rows.
    """
    iterable = _dict_of_view(source, iterable) or iterable
    if iterable.type != "identifier":
        return False
    value = resolve_name(source, iterable)
    if value is None or not value.named_children or _grown(source, iterable):
        return False
    if value.type == "dictionary":
        pairs = value.named_children
        return bool(pairs) and all(
            pair.type == "pair"
            and all(
                part is not None and part.type in _FIXED_ITEMS
                for part in (pair.child_by_field_name("key"), pair.child_by_field_name("value"))
            )
            for pair in pairs
        )
    return value.type in ("list", "tuple", "set") and _small_fixed_iterable(source, value)


# What follows a name that adds to it; matched at each word-start spelling of the name (one
# compiled pattern, not one per name).
_GROWS = re.compile(
    r"\s*(?:\.(?:append|extend|add|update|insert|setdefault)\(|\[[^\]]*\]\s*=[^=]|\+=|\|=)"
)
_WORD_CHAR = re.compile(r"\w")


def _grown(source: bytes, name: Node) -> bool:
    """The literal is added to later in the function (``sources.append(...)``, ``sources[k] =``)."""
    scope = node_text(source, enclosing_scope(name))
    text = node_text(source, name)
    if _WORD_CHAR.match(text) is None:  # not a word start: no ``\b`` shortcut
        return re.search(rf"\b{re.escape(text)}{_GROWS.pattern}", scope) is not None
    at = scope.find(text)
    while at >= 0:
        starts_word = at == 0 or _WORD_CHAR.match(scope, at - 1) is None
        if starts_word and _GROWS.match(scope, at + len(text)) is not None:
            return True
        at = scope.find(text, at + 1)
    return False


_SIGNAL_SENDS = frozenset({"send", "send_robust"})


def _signal_receivers(source: bytes, loop: _Loop) -> bool:
    """One item per receiver of a Django signal: the installed plugins or providers.

    ``for receiver, response in register_outputs.send(event)``, directly or through
    a list built from it (``providers = [r(event) for _, r in signal.send(event)]``).
    """
    target = _loop_target(loop.node)
    iterable: Node | None = loop.iterable
    if iterable is not None and iterable.type == "identifier":
        value = resolve_name(source, iterable)
        if value is None or value.type not in _LOOP_TYPES:
            return False
        clauses = [c for c in value.named_children if c.type == "for_in_clause"]
        if len(clauses) != 1:
            return False
        clause = clauses[0]
        target, iterable = clause.child_by_field_name("left"), clause.child_by_field_name("right")
    if target is None or iterable is None or iterable.type != "call":
        return False
    if target.type not in ("pattern_list", "tuple_pattern") or len(target.named_children) != 2:
        return False
    function = iterable.child_by_field_name("function")
    return (
        function is not None
        and function.type == "attribute"
        and node_text(source, function.child_by_field_name("attribute")) in _SIGNAL_SENDS
    )


def _loop_target(node: Node) -> Node | None:
    if node.type == "for_statement":
        return node.child_by_field_name("left")
    clauses = [c for c in node.named_children if c.type == "for_in_clause"]
    return clauses[0].child_by_field_name("left") if clauses else None


def _short(ctx: AnalysisContext, node: Node) -> str:
    text = node_text(ctx.source, node).split("\n")[0]
    return text if len(text) <= 40 else text[:37] + "..."
