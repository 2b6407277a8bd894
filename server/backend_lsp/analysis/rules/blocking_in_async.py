"""BE006: blocking calls inside ``async def``.

One blocking call stalls the event loop, and with it every other request
that worker is serving. Calls in a nested sync ``def`` or lambda, calls that
are awaited, and functions handed (uncalled) to ``run_in_executor`` /
``asyncio.to_thread`` / ``run_in_threadpool`` are fine and are not reported.
Reading files with ``open()`` is reported as a hint only, and only in route
handlers: local disk reads are usually short, and outside request handling
(services, CLIs, background tasks) a brief block serves no one less; a file
whose reads/writes go through ``asyncio.to_thread`` is offloaded already.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Edit, FileReads, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.bindings import ASSIGNED_OR_OPENED, scope_bindings
from backend_lsp.analysis.python.imports import ensure_import, import_aliases, qualified_name
from backend_lsp.analysis.python.nodes import (
    call_name,
    is_async_function,
    node_text,
    own_calls,
    walk,
)
from backend_lsp.analysis.python.orm import orm_chain_at
from backend_lsp.analysis.python.paths import Location
from backend_lsp.analysis.python.routes import route_for_function
from backend_lsp.analysis.registry import register

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
_ADVICE_HTTP = "use `httpx.AsyncClient` (or aiohttp) and `await` it"
_ADVICE_THREAD = "run it with `await asyncio.to_thread(...)`"
_BLOCKING: dict[str, str] = {
    **{f"requests.{v}": _ADVICE_HTTP for v in _HTTP_VERBS},
    "requests.Session": _ADVICE_HTTP,
    **{f"httpx.{v}": "use `httpx.AsyncClient` and `await` it" for v in _HTTP_VERBS},
    "httpx.Client": "use `httpx.AsyncClient` and `await` it",
    "httpx.stream": "use `httpx.AsyncClient().stream` with `async with`",
    "urllib.request.urlopen": _ADVICE_HTTP,
    "sqlite3.connect": "use aiosqlite, or " + _ADVICE_THREAD,
    "psycopg2.connect": "use psycopg 3's `AsyncConnection` or asyncpg",
    "psycopg.connect": "use `await psycopg.AsyncConnection.connect(...)`",
    "pymysql.connect": "use aiomysql / asyncmy",
    "MySQLdb.connect": "use aiomysql / asyncmy",
    "mysql.connector.connect": "use aiomysql / asyncmy",
    "subprocess.run": "use `await asyncio.create_subprocess_exec(...)`",
    "subprocess.call": "use `await asyncio.create_subprocess_exec(...)`",
    "subprocess.check_call": "use `await asyncio.create_subprocess_exec(...)`",
    "subprocess.check_output": "use `await asyncio.create_subprocess_exec(...)`",
    "subprocess.getoutput": "use `await asyncio.create_subprocess_shell(...)`",
    "os.system": "use `await asyncio.create_subprocess_shell(...)`",
    "os.popen": "use `await asyncio.create_subprocess_shell(...)`",
    "time.sleep": "use `await asyncio.sleep(...)`",
}
_DB_CONNECT = frozenset(
    {"sqlite3.connect", "psycopg2.connect", "psycopg.connect", "pymysql.connect",
     "MySQLdb.connect", "mysql.connector.connect"}
)  # fmt: skip
_DB_HANDLE_METHODS = frozenset(
    {"execute", "executemany", "executescript", "fetchone", "fetchall", "fetchmany", "commit",
     "rollback", "cursor"}
)  # fmt: skip
_SESSION_METHODS = frozenset(
    {"execute", "scalars", "scalar", "commit", "get", "flush", "refresh", "query", "exec"}
)
_POPEN_WAITS = frozenset({"wait", "communicate"})


@register
class BlockingCallInAsync:
    meta = RuleMeta(
        code="BE006",
        name="blocking-call-in-async",
        severity=Severity.WARNING,
        summary="A blocking call inside async def stalls the event loop.",
        doc_url="https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code",
        locations=(
            *TESTS_AND_FIXTURES,
            (Location.MIGRATIONS, "skip"),
            (Location.SCRIPTS, "skip"),  # an async CLI serves no one else while it blocks
        ),
        reads=FileReads(gates=(b"async",)),
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        if b"async" not in ctx.source:
            return
        aliases = import_aliases(ctx.source, ctx.root)
        for function in ctx.nodes("function_definition"):
            if not is_async_function(function):
                continue
            route = route_for_function(ctx.source, function) is not None
            handles = _sync_db_handles(ctx.source, function, aliases)
            for call in own_calls(function.child_by_field_name("body")):
                if _awaited(call):
                    continue
                finding = self._check_call(ctx, call, aliases, handles, route)
                if finding is not None:
                    yield finding

    def _check_call(
        self,
        ctx: AnalysisContext,
        call: Node,
        aliases: dict[str, str],
        handles: set[str],
        route: bool,
    ) -> Finding | None:
        source = ctx.source
        raw = call_name(source, call)
        name = qualified_name(raw, aliases)
        where = (
            "in this async route handler it blocks every request the worker is serving"
            if route
            else "it blocks the event loop and every task waiting on it"
        )
        function = call.child_by_field_name("function") or call
        if name in _BLOCKING:
            fix = _sleep_fix(ctx, call) if name == "time.sleep" else None
            return ctx.finding(
                self.meta,
                function,
                f"`{raw}(...)` is blocking inside `async def`: {where}. {_BLOCKING[name]}.",
                fix,
            )
        receiver, _, method = raw.rpartition(".")
        if receiver in handles and method in _DB_HANDLE_METHODS:
            return ctx.finding(
                self.meta,
                function,
                f"`{raw}(...)` uses a synchronous database connection inside `async def`: "
                f"{where}. Use an async driver or {_ADVICE_THREAD}.",
            )
        if method in _POPEN_WAITS and _is_popen(source, receiver, call, aliases):
            return ctx.finding(
                self.meta,
                function,
                f"`{raw}()` waits for a subprocess synchronously: {where}. Use "
                "`asyncio.create_subprocess_exec` and `await proc.wait()`.",
            )
        if name == "open":
            if not route or _offloaded_file(source, call):
                return None  # a small local file outside request handling blocks briefly
            return ctx.finding(
                self.meta,
                function,
                "`open()` reads or writes the file synchronously inside `async def`; fine for "
                "small local files, but large or network files stall the loop. Consider "
                "`aiofiles` / `anyio.Path` or `asyncio.to_thread`.",
                severity=Severity.HINT,
            )
        return self._orm(ctx, call, raw, method, receiver, where)

    def _orm(
        self, ctx: AnalysisContext, call: Node, raw: str, method: str, receiver: str, where: str
    ) -> Finding | None:
        chain = orm_chain_at(ctx.source, call)
        function = call.child_by_field_name("function") or call
        if chain is not None and chain.orm == "django" and chain.relation_manager is None:
            if chain.terminal == "iterate":
                if _async_loop(chain.node):
                    return None
            elif chain.terminal != "list" and (
                chain.terminal == "lazy" or _is_queryset_builder(chain.names[-1])
            ):
                return None
            return ctx.finding(
                self.meta,
                function,
                f"`{raw}(...)` runs a synchronous Django query inside `async def` (Django "
                "raises SynchronousOnlyOperation here). Use the async API (`aget`, "
                "`afirst`, `acount`, `async for`) or wrap it with `sync_to_async`.",
            )
        last = receiver.rsplit(".", 1)[-1].lower()
        if method in _SESSION_METHODS and "session" in last:
            if method == "get" and not _first_arg_is_model(ctx.source, call):
                return None  # ``session.get("key")``: a web/cache session, not SQLAlchemy
            return ctx.finding(
                self.meta,
                function,
                f"`{raw}(...)` is not awaited inside `async def`: with a synchronous "
                f"SQLAlchemy Session {where}; with an AsyncSession it is missing `await`. "
                "Use `AsyncSession` and `await` it.",
            )
        return None


def _offloaded_file(source: bytes, call: Node) -> bool:
    """``with open(p, "wb") as f: await asyncio.to_thread(f.write, chunk)``: the IO is offloaded."""
    item = call.parent
    if item is None or item.type != "as_pattern":
        return False
    target = item.child_by_field_name("alias")
    statement = item.parent
    while statement is not None and statement.type != "with_statement":
        statement = statement.parent
    if target is None or statement is None:
        return False
    handle = node_text(source, target).strip()
    body = node_text(source, statement.child_by_field_name("body"))
    return f"to_thread({handle}." in body or (f", {handle}." in body and "run_in_executor" in body)


def _awaited(call: Node) -> bool:
    parent = call.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    return parent is not None and parent.type == "await"


def _sync_db_handles(source: bytes, function: Node, aliases: dict[str, str]) -> set[str]:
    """Names bound in ``function`` to sync DB connections and their cursors."""
    handles: set[str] = set()
    for bound in scope_bindings(source, function, ASSIGNED_OR_OPENED):
        target, value = bound.target, bound.value
        if value is None or value.type != "call":
            continue
        callee = call_name(source, value)
        created = qualified_name(callee, aliases)
        receiver, _, method = callee.rpartition(".")
        if created in _DB_CONNECT or (receiver in handles and method == "cursor"):
            handles.add(node_text(source, target))
    return handles


def _is_popen(source: bytes, receiver: str, call: Node, aliases: dict[str, str]) -> bool:
    function = call.child_by_field_name("function")
    obj = function.child_by_field_name("object") if function is not None else None
    if obj is not None and obj.type == "call":
        return qualified_name(call_name(source, obj), aliases) == "subprocess.Popen"
    if obj is None or obj.type != "identifier":
        return False
    scope = call.parent
    while scope is not None and scope.type != "function_definition":
        scope = scope.parent
    for node in walk(scope) if scope is not None else []:
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if (
            node_text(source, left) == receiver
            and right is not None
            and right.type == "call"
            and qualified_name(call_name(source, right), aliases) == "subprocess.Popen"
        ):
            return True
    return False


def _async_loop(iterable: Node) -> bool:
    """``async for`` statement or comprehension clause over ``iterable``."""
    loop = iterable.parent
    return loop is not None and any(child.type == "async" for child in loop.children)


def _is_queryset_builder(name: str) -> bool:
    return name in (
        "all",
        "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
        "values", "values_list", "only", "defer", "distinct", "using", "none", "objects", "[]",
    )  # fmt: skip


def _first_arg_is_model(source: bytes, call: Node) -> bool:
    args = call.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    return (
        first is not None and first.type == "identifier" and node_text(source, first)[:1].isupper()
    )


def _sleep_fix(ctx: AnalysisContext, call: Node) -> Fix | None:
    """``time.sleep(x)`` -> ``await asyncio.sleep(x)`` (+ ``import asyncio``)."""
    assert ctx.root is not None
    function = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    if function is None or args is None:
        return None
    edits: list[Edit] = [
        Edit(call.start_byte, function.end_byte, "await asyncio.sleep"),
    ]
    parent = call.parent
    if parent is not None and parent.type not in ("expression_statement", "assignment"):
        edits[0] = Edit(call.start_byte, function.end_byte, "(await asyncio.sleep")
        edits.append(Edit(call.end_byte, call.end_byte, ")"))
    import_edit = ensure_import(ctx.source, ctx.root, "asyncio")
    if import_edit is not None:
        edits.insert(0, import_edit)
    return Fix("Replace with await asyncio.sleep(...)", tuple(edits))
