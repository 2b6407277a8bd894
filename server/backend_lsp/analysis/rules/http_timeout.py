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
from backend_lsp.analysis.model import FileReads, Finding, RuleMeta, Severity
from backend_lsp.analysis.python.call_rules import (
    MISSING,
    NONE,
    CallRule,
    CallTable,
    Check,
    Instances,
    check_calls,
)
from backend_lsp.analysis.python.nodes import node_text, statement_assignment
from backend_lsp.analysis.python.paths import Location
from backend_lsp.analysis.registry import register

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
_HTTPX_CLIENTS = frozenset({"httpx.Client", "httpx.AsyncClient"})
DEFAULT_TIMEOUT = "10"

_HANGS = "waits forever on a server that stops answering, tying up this worker."


def _blocking(lib: str, *, position: int | None = None) -> tuple[Check, ...]:
    """requests and urllib: no default timeout, so both a missing and a ``None`` one hang."""
    return (
        Check(
            f"`timeout=None` on `{{qualified}}` means no timeout at all: {lib} {_HANGS} "
            "Set a finite timeout.",
            keyword="timeout",
            when=NONE,
            anchor="match",
            fix="replace",
            fix_title="Use timeout={timeout}",
            fix_text="{timeout}",
        ),
        Check(
            f"`{{name}}(...)` has no timeout: {lib} {_HANGS} Pass "
            "`timeout=` (seconds, e.g. `timeout={timeout}`).",
            keyword="timeout",
            when=MISSING,
            position=position,  # urlopen(url, data, timeout)
            anchor="function",
            fix="insert",
            fix_title="Add timeout={timeout}",
            fix_text="timeout={timeout}",
        ),
    )


TABLE = CallTable(
    (
        CallRule(
            _blocking("requests"),
            callees=frozenset(f"requests{api}.{v}" for v in _VERBS for api in ("", ".api")),
            # a Session with an adapter mounted is how projects give it a default timeout
            instances=Instances(
                frozenset({"requests.Session", "requests.session", "requests.sessions.Session"}),
                _VERBS,
                configured_by=frozenset({"mount"}),
            ),
        ),
        CallRule(
            _blocking("urllib", position=2),
            callees=frozenset({"urllib.request.urlopen", "urllib2.urlopen"}),
        ),
        # httpx defaults to 5 s: only an explicit None hangs. ``stream`` is left out: a
        # long-lived subscription (SSE, event stream) is unbounded on purpose.
        CallRule(
            (
                Check(
                    "`timeout=None` switches off httpx's 5-second default for `{qualified}`: a "
                    "stalled server now blocks this call forever. Set a finite timeout.",
                    keyword="timeout",
                    when=NONE,
                    anchor="match",
                    fix="replace",
                    fix_title="Use timeout={timeout}",
                    fix_text="{timeout}",
                ),
            ),
            callees=frozenset({*(f"httpx.{v}" for v in _VERBS), *_HTTPX_CLIENTS}),
            instances=Instances(_HTTPX_CLIENTS, _VERBS),
        ),
    )
)


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
        # the table's instances, so chunks naming them are facts
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
        timeout = _timeout_constant(source, ctx.root)
        yield from check_calls(ctx, self.meta, TABLE, {"timeout": timeout})


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
