"""BE010: CORS that lets every origin make credentialed requests.

With credentials allowed, Starlette, flask-cors and django-cors-headers echo
the caller's Origin instead of ``*``, so any website can read authenticated
responses with the victim's cookies. Allow-all *without* credentials is a
legitimate choice for public APIs and is not flagged. Origins held in a module
variable (``ORIGINS = ["*"]``) are followed; a handler that copies the request's
``Origin`` into ``Access-Control-Allow-Origin`` while allowing credentials is
the same hole written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Finding, RuleMeta, Severity
from backend_lsp.analysis.python.calls import is_true, resolved_calls
from backend_lsp.analysis.python.nodes import (
    enclosing_function,
    keyword_argument,
    module_bindings,
    node_text,
    positional_arguments,
    string_value,
    walk,
)
from backend_lsp.analysis.registry import register

_ANY_REGEX = {".*", "^.*$", ".+", "^.+$", "(.*)", "https?://.*", "^https?://.*$"}
_DJANGO_ALL = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")
_MESSAGE = (
    "CORS allows every origin *and* credentials: the server echoes any Origin, so any website "
    "can make authenticated requests with a visitor's cookies and read the answers. List the "
    "trusted origins explicitly."
)


@register
class CorsWildcardCredentials:
    meta = RuleMeta(
        code="BE010",
        name="cors-wildcard-credentials",
        severity=Severity.ERROR,
        summary="CORS allows credentialed requests from any origin.",
        doc_url="https://cwe.mitre.org/data/definitions/942.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        constants = _module_values(ctx)
        # A qualified name's last part is written in the file (the call or its import).
        calls = b"CORS" in ctx.source or b"cross_origin" in ctx.source
        for call in resolved_calls(ctx.source, ctx.root) if calls else ():
            node = call.node
            last = call.qualified.rsplit(".", 1)[-1]
            first = positional_arguments(node)[:1]
            starlette = last == "CORSMiddleware" or (
                bool(first) and node_text(ctx.source, first[0]).endswith("CORSMiddleware")
            )
            flask = last in ("CORS", "cross_origin")
            if (starlette and self._starlette_open(ctx, node, constants)) or (
                flask and self._flask_open(ctx, node, constants)
            ):
                yield ctx.finding(self.meta, node, _MESSAGE)
        yield from self._django(ctx)
        if b"llow-Origin" in ctx.source or b"llow-origin" in ctx.source:
            yield from self._echoed_origin(ctx)

    def _echoed_origin(self, ctx: AnalysisContext) -> Iterator[Finding]:
        """``h["Access-Control-Allow-Origin"] = request.headers["Origin"]`` with credentials on."""
        for key in ctx.nodes("string"):
            if (string_value(ctx.source, key) or "").lower() != "access-control-allow-origin":
                continue
            value = _header_value(key)
            text = node_text(ctx.source, value).lower() if value is not None else ""
            scope = enclosing_function(key) or ctx.root
            body = node_text(ctx.source, scope).lower()
            if value is not None and value.type == "identifier":
                # origin = request.headers.get("Origin"); ...[...] = origin
                bound = re.search(
                    rf"\b{re.escape(text)}\s*=[^\n]*(?:request|environ)[^\n]*origin", body
                )
                text = bound.group(0) if bound else ""
            if "origin" not in text or ("request" not in text and "environ" not in text):
                continue
            if re.search(r"access-control-allow-credentials[\"']\s*[\]:,=]\s*=?\s*[\"']true", body):
                yield ctx.finding(
                    self.meta,
                    key.parent or key,
                    "The response copies the request's Origin into Access-Control-Allow-Origin "
                    "and allows credentials: any website can make authenticated requests with a "
                    "visitor's cookies and read the answers. Echo the Origin only after checking "
                    "it against a list of trusted origins.",
                )

    @staticmethod
    def _starlette_open(ctx: AnalysisContext, call: Node, constants: dict[str, Node]) -> bool:
        if not is_true(ctx.source, keyword_argument(ctx.source, call, "allow_credentials")):
            return False
        origins = keyword_argument(ctx.source, call, "allow_origins")
        regex = keyword_argument(ctx.source, call, "allow_origin_regex")
        regex = _resolve(ctx, regex, constants)
        return _has_star(ctx.source, _resolve(ctx, origins, constants)) or (
            regex is not None and string_value(ctx.source, regex) in _ANY_REGEX
        )

    @staticmethod
    def _flask_open(ctx: AnalysisContext, call: Node, constants: dict[str, Node]) -> bool:
        if not is_true(ctx.source, keyword_argument(ctx.source, call, "supports_credentials")):
            return False
        origins = keyword_argument(ctx.source, call, "origins")
        if origins is not None:
            return _has_star(ctx.source, _resolve(ctx, origins, constants))
        resources = keyword_argument(ctx.source, call, "resources")
        if resources is None or resources.type != "dictionary":
            return True  # flask-cors defaults to origins="*"
        for pair in walk(resources):
            if pair.type == "pair":
                key = pair.child_by_field_name("key")
                if key is not None and string_value(ctx.source, key) == "origins":
                    return _has_star(ctx.source, pair.child_by_field_name("value"))
        return True

    def _django(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        assignments = module_bindings(ctx.source, ctx.root)
        values = {name: _value(node) for name, node in assignments.items()}
        if not is_true(ctx.source, values.get("CORS_ALLOW_CREDENTIALS")):
            return
        for name in _DJANGO_ALL:
            if is_true(ctx.source, values.get(name)):
                yield ctx.finding(self.meta, assignments[name], _MESSAGE)
        regexes = values.get("CORS_ALLOWED_ORIGIN_REGEXES") or values.get(
            "CORS_ORIGIN_REGEX_WHITELIST"
        )
        if regexes is not None and any(
            string_value(ctx.source, item) in _ANY_REGEX for item in regexes.named_children
        ):
            yield ctx.finding(self.meta, regexes.parent or regexes, _MESSAGE)


def _module_values(ctx: AnalysisContext) -> dict[str, Node]:
    """Module-level ``NAME = value`` bindings, for origins kept in a constant."""
    assert ctx.root is not None
    return {name: _value(node) for name, node in module_bindings(ctx.source, ctx.root).items()}


def _value(assignment: Node) -> Node:
    right = assignment.child_by_field_name("right")
    assert right is not None  # module_bindings keeps only assignments with a value
    return right


def _resolve(ctx: AnalysisContext, node: Node | None, constants: dict[str, Node]) -> Node | None:
    if node is not None and node.type == "identifier":
        return constants.get(node_text(ctx.source, node), node)
    return node


def _header_value(key: Node) -> Node | None:
    """The value set for a header key: ``h[key] = value`` or ``{key: value}``."""
    parent = key.parent
    if parent is not None and parent.type == "pair":
        return parent.child_by_field_name("value")
    if parent is not None and parent.type == "subscript":
        assignment = parent.parent
        if assignment is not None and assignment.type == "assignment":
            return assignment.child_by_field_name("right")
    if parent is not None and parent.type == "argument_list":
        args = [a for a in parent.named_children if a.type != "comment"]
        if len(args) >= 2 and args[0] == key:
            return args[1]  # headers.set("Access-Control-Allow-Origin", origin)
    return None


def _has_star(source: bytes, node: Node | None) -> bool:
    if node is None:
        return False
    items = node.named_children if node.type in ("list", "tuple", "set") else [node]
    return any(string_value(source, item) == "*" for item in items)
