"""BE011: JWTs decoded without verifying who signed them.

PyJWT and python-jose: signature verification switched off
(``options={"verify_signature": False}``, the old ``verify=False``), the
``none`` algorithm accepted, and ``decode`` without
``algorithms=`` (PyJWT 1.x and python-jose then accept whatever algorithm the
token names, the classic algorithm-confusion hole; PyJWT 2 refuses at run
time), reported as WARNING. ``get_unverified_header`` (reading ``kid`` to pick
a key) and ``get_unverified_claims`` (often used to find the issuer before
verifying) are normal steps and not flagged. Neither is *encoding* with
``algorithm="none"``: an unsigned assertion some provider asks for (PayPal's
auth assertion, RFC 7519 unsecured JWTs) accepts nothing; the hole is a verifier
that lets ``none`` in, and that is the decode this rule reports.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Finding, RuleMeta, Severity
from backend_lsp.analysis.python.calls import is_false, resolved_calls
from backend_lsp.analysis.python.nodes import (
    has_kwargs_splat,
    keyword_argument,
    node_text,
    positional_arguments,
    string_value,
    walk,
)
from backend_lsp.analysis.registry import register

_DECODE = {"jwt.decode", "jwt.decode_complete", "jose.jwt.decode", "jwt.api_jwt.decode"}


@register
class JwtUnverified:
    meta = RuleMeta(
        code="BE011",
        name="jwt-unverified",
        severity=Severity.ERROR,
        summary="A JWT is accepted without verifying its signature or algorithm.",
        doc_url="https://cwe.mitre.org/data/definitions/347.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        for call in resolved_calls(ctx.source, ctx.root):
            # ``self.jwt.decode`` is some object's method (authlib's JsonWebToken pins
            # algorithms when built): only the PyJWT / python-jose module functions count
            if call.qualified in _DECODE or call.name == "jwt.decode":
                yield from self._decode(ctx, call.node, call.name)

    def _decode(self, ctx: AnalysisContext, call: Node, name: str) -> Iterator[Finding]:
        options = keyword_argument(ctx.source, call, "options")
        if options is not None and _disables_signature(ctx.source, options):
            if _verified_later(ctx.source, call):
                return  # read a claim (issuer, key id) to choose the key, then verify
            yield ctx.finding(
                self.meta,
                options.parent or options,
                f"`{name}` with signature verification off trusts whatever the token says: "
                "anyone can forge claims (user id, roles). Verify with the issuer's key and "
                "an explicit `algorithms=[...]`.",
            )
            return
        verify = keyword_argument(ctx.source, call, "verify")
        if is_false(ctx.source, verify) and verify is not None:
            yield ctx.finding(
                self.meta,
                verify.parent or verify,
                f"`{name}(..., verify=False)` skips signature verification: forged tokens "
                "are accepted. Remove it and pass the key and `algorithms=[...]`.",
            )
            return
        algorithms = keyword_argument(ctx.source, call, "algorithms")
        positional = positional_arguments(call)
        if algorithms is None and len(positional) >= 3:
            algorithms = positional[2]  # decode(token, key, algorithms) in both libraries
        if algorithms is not None:
            items = algorithms.named_children if algorithms.type in ("list", "tuple") else []
            bad = next((item for item in items if _is_none_alg(ctx.source, item)), None)
            if bad is not None:
                yield ctx.finding(
                    self.meta,
                    bad,
                    'Accepting algorithm "none" lets unsigned tokens through. Allow only the '
                    "algorithm you sign with (e.g. HS256 or RS256).",
                )
        elif not has_kwargs_splat(call):
            yield ctx.finding(
                self.meta,
                call,
                f"`{name}` without `algorithms=[...]`: older PyJWT and python-jose accept the "
                "algorithm the token itself names (alg=none, or HS256 signed with your public "
                "key); PyJWT 2 refuses at run time. Pin the algorithm you issue tokens with.",
                severity=Severity.WARNING,
            )


def _verified_later(source: bytes, call: Node) -> bool:
    """A later decode of the same token in the same function keeps verification on."""
    token = positional_arguments(call)[:1]
    scope = call.parent
    while scope is not None and scope.type != "function_definition":
        scope = scope.parent
    if not token or scope is None:
        return False
    wanted = node_text(source, token[0])
    for node in walk(scope):
        if node.type != "call" or node.start_byte <= call.start_byte:
            continue
        if not node_text(source, node.child_by_field_name("function")).endswith("decode"):
            continue
        args = positional_arguments(node)
        if not args or node_text(source, args[0]) != wanted:
            continue
        options = keyword_argument(source, node, "options")
        verify = keyword_argument(source, node, "verify")
        if (options is None or not _disables_signature(source, options)) and not (
            verify is not None and is_false(source, verify)
        ):
            return True
    return False


def _is_none_alg(source: bytes, node: Node) -> bool:
    value = string_value(source, node)
    return value is not None and value.strip().lower() == "none"


def _disables_signature(source: bytes, options: Node) -> bool:
    for node in walk(options):
        if node.type == "pair":
            key = node.child_by_field_name("key")
            value = node.child_by_field_name("value")
            if key is not None and string_value(source, key) == "verify_signature":
                return is_false(source, value)
        elif node.type == "keyword_argument":
            key = node.child_by_field_name("name")
            if node_text(source, key) == "verify_signature":
                return is_false(source, node.child_by_field_name("value"))
    return False
