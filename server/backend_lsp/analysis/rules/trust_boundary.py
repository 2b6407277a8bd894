"""BE028: request data stored in the session as if it were a trusted fact (CWE-501).

Code reads the session back as something the server decided (who is logged in, their role,
what they paid). Flagged, for values the taint engine traced from request data and that no
sanitizer, allow-list or format check cleaned: a request-chosen session key
(``session[request.args["k"]] = ...``), or a request value stored under a key that names
identity or privilege (``user_id``, ``role``, ``is_admin``, ``authenticated``) or under a
computed key, including a test's outcome (``session["is_admin"] = form.get("admin") == "1"``).
A search term or UI preference kept in the session is not flagged; values from
a validated form or serializer (``form.cleaned_data``) are not request data to the engine.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Finding, FlowStep, RuleMeta, Severity
from backend_lsp.analysis.python.imports import import_aliases, qualified_name
from backend_lsp.analysis.python.nodes import enclosing_function, node_text, string_value
from backend_lsp.analysis.python.words import name_words
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.engine import FileTaint
from backend_lsp.analysis.taint.flow import Taint

# Session keys the rest of the code trusts as the server's own decision.
_TRUSTED_KEY_WORDS = frozenset(
    {"user", "uid", "userid", "username", "login", "role", "roles", "admin", "staff",
     "superuser", "perm", "perms", "permission", "permissions", "auth", "authenticated",
     "authorized", "logged", "verified", "tenant", "account", "owner", "privilege",
     "privileges"}
)  # fmt: skip


def _session_base(source: bytes, node: Node | None, aliases: dict[str, str]) -> bool:
    """``session``, ``request.session``, or Flask's session under another name."""
    if node is None:
        return False
    text = node_text(source, node)
    return text.rsplit(".", 1)[-1] == "session" or qualified_name(text, aliases) in (
        "flask.session",
        "quart.session",
    )


@register
class TrustBoundary:
    meta = RuleMeta(
        code="BE028",
        name="trust-boundary",
        severity=Severity.WARNING,
        summary="Request data is stored in the session as a trusted fact without validation.",
        doc_url="https://cwe.mitre.org/data/definitions/501.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        taint = ctx.taint
        if not taint.facts:
            return
        aliases = import_aliases(ctx.source, ctx.root)
        for node in ctx.nodes("assignment"):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None or left.type != "subscript":
                continue
            if not _session_base(ctx.source, left.child_by_field_name("value"), aliases):
                continue
            key = left.child_by_field_name("subscript")
            finding = self._judge(ctx, taint, node_text(ctx.source, left), key, right)
            if finding is not None:
                yield finding
        for call in ctx.nodes("call"):
            function = call.child_by_field_name("function")
            if function is None or function.type != "attribute":
                continue
            method = node_text(ctx.source, function.child_by_field_name("attribute"))
            if method not in ("update", "setdefault", "__setitem__"):
                continue
            if not _session_base(ctx.source, function.child_by_field_name("object"), aliases):
                continue
            yield from self._call(ctx, taint, call, method)

    def _call(
        self, ctx: AnalysisContext, taint: FileTaint, call: Node, method: str
    ) -> Iterator[Finding]:
        args = call.child_by_field_name("arguments")
        items = args.named_children if args is not None else []
        target = node_text(ctx.source, call.child_by_field_name("function"))
        pairs: list[tuple[Node | None, Node]] = []
        if method in ("setdefault", "__setitem__") and len(items) >= 2:
            pairs.append((items[0], items[1]))
        for item in items if method == "update" else ():
            if item.type == "keyword_argument":
                value = item.child_by_field_name("value")
                if value is not None:
                    pairs.append((item.child_by_field_name("name"), value))
            elif item.type == "dictionary":
                for pair in item.named_children:
                    key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                    if pair.type == "pair" and value is not None:
                        pairs.append((key, value))
        for key, value in pairs:
            finding = self._judge(ctx, taint, target, key, value)
            if finding is not None:
                yield finding

    def _judge(
        self, ctx: AnalysisContext, taint: FileTaint, target: str, key: Node | None, value: Node
    ) -> Finding | None:
        key_taint = _strong(taint, key)
        if key_taint is not None:
            return self._finding(ctx, key_taint, key or value, target, "the request chooses "
                                 "which session key is written, so it can overwrite the "
                                 "logged-in user or role")  # fmt: skip
        value_taint = _strong(taint, value) or _compared(taint, value)
        if value_taint is None:
            return None
        name = _key_name(ctx.source, key)
        if name is not None and name != "id" and not (set(name_words(name)) & _TRUSTED_KEY_WORDS):
            return None  # a search term or preference, not a fact the server trusts
        label = f"`{name}`" if name is not None else "a computed key"
        return self._finding(ctx, value_taint, value, target, f"code that reads {label} "
                             "back trusts a value the client chose")  # fmt: skip

    def _finding(
        self, ctx: AnalysisContext, taint: Taint, node: Node, target: str, why: str
    ) -> Finding:
        first = taint.steps[0] if taint.steps else None
        line = ctx.document.index.line_of(first.start) + 1 if first is not None else None
        origin = f"`{taint.source}`" + (f" (line {line})" if line is not None else "")
        here = node.start_point[0] + 1
        flow = (*taint.steps, FlowStep(node.start_byte, node.end_byte,
                                       f"stored in `{target}` (line {here})"))  # fmt: skip
        return Finding.at(
            self.meta,
            node.start_byte,
            node.end_byte,
            f"{origin} is stored in `{target}` (line {here}) without validation: {why} "
            "(trust boundary violation). Validate it first (a form or serializer, int(), "
            "an allow-list), or store what the server looked up, not what the request said.",
            flow=flow,
        )


def _compared(taint: FileTaint, value: Node) -> Taint | None:
    """``request.form.get("is_admin") == "1"``: the test is clean text, but the client chose
    its outcome, so a privilege flag stored from it is the client's say-so."""
    while value.type in ("not_operator", "parenthesized_expression") and value.named_children:
        value = value.named_children[-1]
    if value.type != "comparison_operator":
        return None
    for operand in value.named_children:
        found = _strong(taint, operand)
        if found is not None:
            return found
    return None


def _strong(taint: FileTaint, node: Node | None) -> Taint | None:
    if node is None:
        return None
    seen, fact = taint.fact(node)
    if not seen or fact is None or fact.weak or not fact.live(tables.TRUST):
        return None
    if fact.source.startswith("route parameter") and not _decorated_route(node):
        # ``def process_login(request, user)``: a helper taking ``request`` first, not a URL
        # kwarg; the engine's view guess is too loose to call its ``user`` request data here
        return None
    return fact


def _decorated_route(node: Node) -> bool:
    function = enclosing_function(node)
    parent = function.parent if function is not None else None
    return parent is not None and parent.type == "decorated_definition"


def _key_name(source: bytes, key: Node | None) -> str | None:
    """What the key is called: a literal, a keyword of ``update``, or the constant or variable
    holding it (``SESSION_USER_KEY``); None for a computed key."""
    if key is None:
        return None
    if key.type in ("identifier", "attribute"):
        return node_text(source, key)
    return string_value(source, key) if key.type == "string" else None
