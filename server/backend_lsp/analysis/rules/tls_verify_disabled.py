"""BE012: TLS certificate verification switched off.

Without verification anyone on the network path can impersonate the server
and read or change the traffic (tokens, card data). Flagged: ``verify=False``
on requests/httpx calls, sessions and clients; aiohttp's ``ssl=False`` /
``verify_ssl=False``; ``ssl._create_unverified_context``; ``CERT_NONE``;
``check_hostname = False``. ``urllib3.disable_warnings`` is a HINT: it hides
the warning that would have pointed here. In test files (local test servers
with self-signed certificates) findings drop to INFORMATION.

Not flagged: a context used only to read the peer's certificate (a certificate
expiry or inspection probe: ``wrap_socket`` then ``getpeercert``, nothing sent or
received). Verification has to be off to read an expired or self-signed
certificate, and no data crosses the unauthenticated channel.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Finding, RuleMeta, Severity
from backend_lsp.analysis.python.bindings import resolve_name
from backend_lsp.analysis.python.call_rules import FALSE, CallRule, CallTable, Check, check_calls
from backend_lsp.analysis.python.calls import is_false
from backend_lsp.analysis.python.nodes import (
    binding,
    enclosing_function,
    node_text,
    statement_assignment,
    walk,
)
from backend_lsp.analysis.python.paths import is_test_path
from backend_lsp.analysis.registry import register

_MESSAGE = (
    "TLS certificate verification is off: anyone on the network path can impersonate the server "
    "and read or alter the traffic. Fix the trust store instead (verify=<CA bundle path>)."
)
# ``check_hostname = False`` alone: the chain is still checked, but against every CA the
# context trusts (``create_default_context()`` loads the system store even when the code adds
# its own CA), so a valid certificate for any other name passes.
_HOSTNAME_MESSAGE = (
    "TLS hostname checking is off: the context accepts a certificate issued for any host by "
    "any CA it trusts (with the system store loaded, anyone can get one for a domain they own), "
    "so anyone on the network path can impersonate the server. Keep check_hostname on; for a "
    "server reached by IP address, put the address in its certificate's subjectAltName."
)
_HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "request", "send",
               "stream", "Client", "AsyncClient", "Session", "ws_connect", "urlopen",
               "TCPConnector", "build_request", "Transport", "AsyncHTTPTransport",
               "HTTPTransport"}  # fmt: skip


def _off(keyword: str) -> Check:
    return Check(
        _MESSAGE,
        keyword=keyword,
        when=FALSE,
        fix="remove",
        fix_title=f"Remove {keyword}=False",
        last=False,
    )


TABLE = CallTable(
    (
        CallRule((Check(_MESSAGE, anchor="call"),), suffixes=("_create_unverified_context",)),
        CallRule(
            (
                Check(
                    "Silencing urllib3 warnings usually hides unverified HTTPS requests; fix "
                    "the verification instead of the warning.",
                    anchor="call",
                    severity=Severity.HINT,
                ),
            ),
            callees=frozenset({"urllib3.disable_warnings"}),
        ),
        # requests/httpx calls, sessions and clients; aiohttp's ssl= / verify_ssl=
        CallRule((_off("verify"), _off("ssl"), _off("verify_ssl")), methods=frozenset(_HTTP_VERBS)),
    ),
    never=("jwt.", "jose."),
)


@register
class TlsVerifyDisabled:
    meta = RuleMeta(
        code="BE012",
        name="tls-verify-disabled",
        severity=Severity.ERROR,
        summary="TLS certificate verification is disabled.",
        doc_url="https://cwe.mitre.org/data/definitions/295.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        for finding in self._findings(ctx):
            if not _opted_in(ctx, finding.start) and not _certificate_probe(ctx, finding.start):
                yield finding

    def _findings(self, ctx: AnalysisContext) -> Iterator[Finding]:
        lowered = Severity.INFORMATION if is_test_path(ctx.project_path) else None
        yield from check_calls(ctx, self.meta, TABLE, severity=lowered)
        yield from self._settings(ctx, lowered)

    def _settings(self, ctx: AnalysisContext, lowered: Severity | None) -> Iterator[Finding]:
        assert ctx.root is not None
        for node in ctx.nodes("assignment", "keyword_argument"):
            if node.type == "assignment":
                left = node_text(ctx.source, node.child_by_field_name("left"))
                right = node.child_by_field_name("right")
                right_text = node_text(ctx.source, right)
                if (
                    left.endswith(".check_hostname")
                    and right_text == "False"
                    and not _cert_none_follows(ctx, node, left.rsplit(".", 1)[0])
                ):
                    yield ctx.finding(self.meta, node, _HOSTNAME_MESSAGE, severity=lowered)
                elif (
                    (left.endswith(".verify") and is_false(ctx.source, right))
                    or (left.endswith(".verify_mode") and _cert_none(right_text))
                    or (
                        left.endswith("_create_default_https_context")
                        and right_text.endswith("_create_unverified_context")
                    )
                ):
                    yield ctx.finding(self.meta, node, _MESSAGE, severity=lowered)
            elif node.type == "keyword_argument":
                name = node_text(ctx.source, node.child_by_field_name("name"))
                value = node_text(ctx.source, node.child_by_field_name("value"))
                if name == "cert_reqs" and _cert_none(value.strip("'\"")):
                    yield ctx.finding(self.meta, node, _MESSAGE, severity=lowered)


def _cert_none(text: str) -> bool:
    return text == "CERT_NONE" or text.endswith(".CERT_NONE")


# An ``if`` on a setting like these is the user's explicit, documented opt-out
# (``PREFECT_API_TLS_INSECURE_SKIP_VERIFY``, ``if not settings.VERIFY_SSL``).
_OPT_IN = re.compile(
    r"insecure|skip_?verif|no_?verif|verify|ssl_?verif|ssl_?check|check_?ssl", re.I
)


def _opted_in(ctx: AnalysisContext, offset: int) -> bool:
    """Under an opt-out ``if``, or bound to a module name used only under one.

    ``_insecure = AsyncHTTPTransport(verify=False)`` at module level, then
    ``_secure if self.verify else _insecure``: the pool is built once, used only on opt-out.
    """
    assert ctx.root is not None
    node = ctx.root.descendant_for_byte_range(offset, offset)
    if node is None:
        return False
    if _guarded(ctx, node):
        return True
    bound = _module_binding(node)
    if bound is None:
        return False
    name = node_text(ctx.source, bound)
    uses = [
        use
        for use in walk(ctx.root)
        if use.type == "identifier" and use != bound and node_text(ctx.source, use) == name
    ]
    return bool(uses) and all(_guarded(ctx, use) for use in uses)


def _guarded(ctx: AnalysisContext, start: Node, depth: int = 0) -> bool:
    """Under an opt-out condition, or in a module-private helper (``_send_pinned``) that
    the file calls only under one: the helper is how the opt-out is carried out."""
    node: Node | None = start
    while node is not None:
        if node.type in ("if_statement", "conditional_expression", "elif_clause"):
            condition = node.child_by_field_name("condition")
            if node.type == "conditional_expression" and len(node.named_children) > 1:
                condition = node.named_children[1]
            if condition is not None and _opt_out_condition(ctx, condition):
                return True
        if node.type == "function_definition":
            return depth < 2 and _private_helper_guarded(ctx, node, depth)
        if node.type == "module":
            return False
        node = node.parent
    return False


def _opt_out_condition(ctx: AnalysisContext, condition: Node) -> bool:
    """The condition names the setting, or is a flag bound from it earlier in the function
    (``can_pin = ... not webhook.ssl_verification`` then ``if can_pin:``)."""
    if _OPT_IN.search(node_text(ctx.source, condition)):
        return True
    if condition.type != "identifier":
        return False
    value = resolve_name(ctx.source, condition)
    return value is not None and bool(_OPT_IN.search(node_text(ctx.source, value)))


def _private_helper_guarded(ctx: AnalysisContext, function: Node, depth: int) -> bool:
    assert ctx.root is not None
    if function.parent is None or function.parent.type != "module":
        return False
    name = node_text(ctx.source, function.child_by_field_name("name"))
    if not name.startswith("_") or name.startswith("__"):
        return False  # a public function may be called from other modules
    defined = function.child_by_field_name("name")
    uses = [
        use
        for use in walk(ctx.root)
        if use.type == "identifier" and use != defined and node_text(ctx.source, use) == name
    ]
    # every use a call under the opt-out (a helper passed on as a callback is not)
    return bool(uses) and all(
        use.parent is not None
        and use.parent.type == "call"
        and use.parent.child_by_field_name("function") == use
        and _guarded(ctx, use.parent, depth + 1)
        for use in uses
    )


def _module_binding(node: Node) -> Node | None:
    """The name a module-level ``NAME = ...`` statement holding ``node`` binds (None for
    ``A = B = ...``: a use of either name would need checking)."""
    statement = node
    while statement.parent is not None and statement.parent.type != "module":
        if statement.type in ("function_definition", "class_definition"):
            return None
        statement = statement.parent
    assignment = statement_assignment(statement)
    if assignment is None:
        return None
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if right is not None and right.type == "assignment":
        return None
    return left if left is not None and left.type == "identifier" else None


def _cert_none_follows(ctx: AnalysisContext, node: Node, owner: str) -> bool:
    """``ctx.check_hostname = False`` then ``ctx.verify_mode = CERT_NONE``: one finding, not two."""
    statement = node.parent
    sibling = statement.next_named_sibling if statement is not None else None
    if sibling is None or not sibling.named_children:
        return False
    nxt = sibling.named_children[0]
    if nxt.type != "assignment":
        return False
    left = node_text(ctx.source, nxt.child_by_field_name("left"))
    right = node_text(ctx.source, nxt.child_by_field_name("right"))
    return left == f"{owner}.verify_mode" and _cert_none(right)


# What a probe may do with the socket it wrapped: read the handshake's results, set its
# own timeouts, close it (none of these sends or receives application data).
_HANDSHAKE_READS = frozenset(
    {
        "getpeercert",
        "cipher",
        "version",
        "selected_alpn_protocol",
        "shared_ciphers",
        "getpeername",
        "settimeout",
        "setblocking",
        "shutdown",
        "close",
    }
)


def _certificate_probe(ctx: AnalysisContext, offset: int) -> bool:
    """The unverified context is a local whose only use is ``wrap_socket``, and every
    socket it wraps is only asked for its peer certificate (and handshake facts)."""
    assert ctx.root is not None
    node = ctx.root.descendant_for_byte_range(offset, offset)
    while node is not None and node.type not in ("assignment", "call"):
        node = node.parent
    if node is None:
        return False
    if node.type == "call":  # ``context = ssl._create_unverified_context()``
        target, _ = binding(node.parent) if node.parent is not None else (None, None)
        owner = node_text(ctx.source, target) if target is not None else ""
    else:
        owner = node_text(ctx.source, node.child_by_field_name("left")).rpartition(".")[0]
    function = enclosing_function(node)
    if function is None or not owner.isidentifier():
        return False
    wrapped = 0
    for use in walk(function):
        if use.type != "identifier" or node_text(ctx.source, use) != owner:
            continue
        parent = use.parent
        if (
            parent is not None
            and parent.type == "attribute"
            and parent.child_by_field_name("object") == use
        ):
            attribute = node_text(ctx.source, parent.child_by_field_name("attribute"))
            call = parent.parent
            if attribute == "wrap_socket" and call is not None and call.type == "call":
                if not _reads_certificate_only(ctx, function, call):
                    return False
                wrapped += 1
                continue
            if _configured(parent):
                continue  # ``context.minimum_version = ...``: setting it up
            return False
        target, _ = binding(parent) if parent is not None else (None, None)
        if target != use:
            return False  # returned, passed on, stored: it may carry real traffic
    return wrapped > 0


def _configured(attribute: Node) -> bool:
    parent = attribute.parent
    return (
        parent is not None
        and parent.type == "assignment"
        and parent.child_by_field_name("left") == attribute
    )


def _reads_certificate_only(ctx: AnalysisContext, function: Node, call: Node) -> bool:
    """``with context.wrap_socket(sock) as tls: tls.getpeercert()``, through ``=`` too."""
    parent = call.parent
    if parent is not None and parent.type == "attribute":
        method = node_text(ctx.source, parent.child_by_field_name("attribute"))
        return method == "getpeercert"  # ``context.wrap_socket(sock).getpeercert()``
    target, _ = binding(parent) if parent is not None else (None, None)
    if target is None or target.type != "identifier":
        return False
    name = node_text(ctx.source, target)
    reads_certificate = False
    for use in walk(function):
        if use.type != "identifier" or use == target or node_text(ctx.source, use) != name:
            continue
        attribute = use.parent
        method = (
            node_text(ctx.source, attribute.child_by_field_name("attribute"))
            if attribute is not None and attribute.type == "attribute"
            else ""
        )
        if method not in _HANDSHAKE_READS:
            return False
        reads_certificate = reads_certificate or method == "getpeercert"
    return reads_certificate
