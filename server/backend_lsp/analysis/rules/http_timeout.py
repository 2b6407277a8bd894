"""BE007: outbound HTTP calls that can wait forever.

``requests`` and ``urllib`` have no default timeout: a stalled upstream holds
the worker (and its DB connection, its request slot) indefinitely. httpx
defaults to 5 seconds, so only an explicit ``timeout=None`` is a finding
there; ``timeout=None`` is a finding on requests and urlopen too. A
``**kwargs`` splat may carry a timeout and is given the benefit of the doubt,
as is a Session with a mounted adapter (the usual way to give a requests
Session a default timeout).
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Edit, FileReads, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.imports import import_aliases, qualified_name
from backend_lsp.analysis.python.index import node_index
from backend_lsp.analysis.python.nodes import (
    binding,
    call_arguments,
    call_name,
    has_kwargs_splat,
    keyword_argument,
    node_text,
    positional_arguments,
    statement_assignment,
)
from backend_lsp.analysis.python.paths import Location
from backend_lsp.analysis.registry import register

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
_REQUESTS_CALLS = frozenset(
    {f"requests.{v}" for v in _VERBS} | {f"requests.api.{v}" for v in _VERBS}
)
_SESSION_FACTORIES = frozenset(
    {"requests.Session", "requests.session", "requests.sessions.Session"}
)
_URLOPEN = frozenset({"urllib.request.urlopen", "urllib2.urlopen"})
_HTTPX_CLIENTS = frozenset({"httpx.Client", "httpx.AsyncClient"})
_HTTPX_CALLS = frozenset({*(f"httpx.{v}" for v in _VERBS), "httpx.stream", *_HTTPX_CLIENTS})
DEFAULT_TIMEOUT = "10"


@register
class HttpNoTimeout:
    meta = RuleMeta(
        code="BE007",
        name="http-no-timeout",
        severity=Severity.WARNING,
        summary="An outbound HTTP call has no timeout and can hang forever.",
        doc_url="https://cwe.mitre.org/data/definitions/400.html",
        locations=(*TESTS_AND_FIXTURES, (Location.SCRIPTS, "info")),
        # the libraries gate the rule; Session/Client names bound anywhere are read by
        # _client_names, so chunks naming them are facts
        reads=FileReads(
            gates=(b"requests", b"urlopen", b"httpx", b"Session", b"session", b"Client"),
            when=(b"requests", b"urlopen", b"httpx"),
            markers=(b"Session", b"session", b"Client", b"mount"),
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        source = ctx.source
        if b"requests" not in source and b"urlopen" not in source and b"httpx" not in source:
            return
        aliases = import_aliases(source, ctx.root)
        sessions, httpx_clients = (
            _client_names(source, ctx.root, aliases)
            if b"Session" in source or b"session" in source or b"Client" in source
            else (set(), set())
        )
        timeout = _timeout_constant(source, ctx.root)
        for call in ctx.nodes("call"):
            name = qualified_name(call_name(source, call), aliases)
            receiver, _, verb = name.rpartition(".")
            explicit = keyword_argument(source, call, "timeout")
            blocking = (
                name in _REQUESTS_CALLS or (receiver in sessions and verb in _VERBS)
            ) or name in _URLOPEN
            if blocking and explicit is not None and node_text(source, explicit) == "None":
                yield ctx.finding(
                    self.meta,
                    explicit,
                    f"`timeout=None` on `{name}` means no timeout at all: {_lib(name)} "
                    "waits forever on a server that stops answering, tying up this "
                    "worker. Set a finite timeout.",
                    Fix(f"Use timeout={timeout}", (ctx.replace(explicit, timeout),)),
                )
                continue
            if name in _REQUESTS_CALLS or (receiver in sessions and verb in _VERBS):
                if explicit is None and not has_kwargs_splat(call):
                    yield self._missing(ctx, call, name, timeout)
            elif name in _URLOPEN:
                if (
                    explicit is None
                    and len(positional_arguments(call)) < 3
                    and not has_kwargs_splat(call)
                ):
                    yield self._missing(ctx, call, name, timeout)
            elif name in _HTTPX_CALLS or (
                receiver in httpx_clients and verb in (*_VERBS, "stream")
            ):
                value = keyword_argument(source, call, "timeout")
                if verb == "stream" or name.endswith(".stream"):
                    continue  # a long-lived subscription (SSE, event stream): unbounded on purpose
                if value is not None and node_text(source, value) == "None":
                    yield ctx.finding(
                        self.meta,
                        value,
                        f"`timeout=None` switches off httpx's 5-second default for `{name}`: a "
                        "stalled server now blocks this call forever. Set a finite timeout.",
                        Fix(f"Use timeout={timeout}", (ctx.replace(value, timeout),)),
                    )

    def _missing(self, ctx: AnalysisContext, call: Node, name: str, timeout: str) -> Finding:
        function = call.child_by_field_name("function") or call
        edit = insert_keyword(ctx, call, f"timeout={timeout}")
        fix = Fix(f"Add timeout={timeout}", (edit,)) if edit is not None else None
        return ctx.finding(
            self.meta,
            function,
            f"`{node_text(ctx.source, function)}(...)` has no timeout: {_lib(name)} waits "
            "forever on a server that stops answering, tying up this worker. Pass "
            f"`timeout=` (seconds, e.g. `timeout={timeout}`).",
            fix,
        )


def _lib(name: str) -> str:
    return "urllib" if "urlopen" in name else "requests"


def _client_names(source: bytes, root: Node, aliases: dict[str, str]) -> tuple[set[str], set[str]]:
    """Names bound to requests Sessions and to httpx clients.

    A Session with an adapter mounted (``s.mount(...)``) is left out: that is
    how projects attach a default timeout to every request.
    """
    sessions: set[str] = set()
    clients: set[str] = set()
    mounted: set[str] = set()
    for node in node_index(source, root).of("assignment", "as_pattern", "call"):
        target, value = binding(node)
        if node.type == "call" and call_name(source, node).endswith(".mount"):
            mounted.add(call_name(source, node).rsplit(".", 1)[0])
        if target is None or value is None or value.type != "call":
            continue
        created = qualified_name(call_name(source, value), aliases)
        if created in _SESSION_FACTORIES:
            sessions.add(node_text(source, target))
        elif created in _HTTPX_CLIENTS:
            clients.add(node_text(source, target))
    return sessions - mounted, clients


def _timeout_constant(source: bytes, root: Node) -> str:
    """A module-level ``*TIMEOUT*`` constant if the project has one, else a literal."""
    for statement in root.named_children:
        assignment = statement_assignment(statement)
        if assignment is None:
            continue
        left = assignment.child_by_field_name("left")
        name = node_text(source, left)
        if left is not None and left.type == "identifier" and name.isupper() and "TIMEOUT" in name:
            return name
    return DEFAULT_TIMEOUT


def insert_keyword(ctx: AnalysisContext, call: Node, keyword: str) -> Edit | None:
    """Edit adding ``keyword`` as the last argument, respecting trailing commas and layout."""
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None  # ``f(x for x in y)``: a bare generator argument cannot take more
    items = call_arguments(call)
    close = args.children[-1] if args.children else None
    if close is None or close.type != ")":
        return None
    if not items:
        return Edit(close.start_byte, close.start_byte, keyword)
    last = items[-1]
    trailing = [c for c in args.children if c.type == "," and c.start_byte >= last.end_byte]
    multiline = last.start_point[0] != args.start_point[0] and (
        close.start_point[0] != last.end_point[0]
    )
    if multiline:
        indent = ctx.line_indent(last)
        if trailing:
            comma = trailing[0]
            return Edit(comma.end_byte, comma.end_byte, f"\n{indent}{keyword},")
        return Edit(last.end_byte, last.end_byte, f",\n{indent}{keyword}")
    if trailing:
        comma = trailing[0]
        return Edit(comma.end_byte, comma.end_byte, f" {keyword}")
    return Edit(last.end_byte, last.end_byte, f", {keyword}")
