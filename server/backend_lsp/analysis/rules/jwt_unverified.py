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
from backend_lsp.analysis.python.call_rules import (
    FALSE,
    MISSING,
    CallRule,
    CallTable,
    Check,
    check_calls,
    item_string,
    key_is,
)
from backend_lsp.analysis.python.nodes import (
    keyword_argument,
    node_text,
    positional_arguments,
    walk,
)
from backend_lsp.analysis.registry import register

_SIGNATURE_OFF = key_is("verify_signature", FALSE)


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
        if (options is None or _SIGNATURE_OFF(source, options) is None) and not (
            verify is not None and FALSE(source, verify) is not None
        ):
            return True
    return False


TABLE = CallTable(
    (
        CallRule(
            (
                Check(
                    "`{name}` with signature verification off trusts whatever the token says: "
                    "anyone can forge claims (user id, roles). Verify with the issuer's key and "
                    "an explicit `algorithms=[...]`.",
                    keyword="options",
                    when=_SIGNATURE_OFF,
                    # read a claim (issuer, key id) to choose the key, then verify
                    unless=_verified_later,
                ),
                Check(
                    "`{name}(..., verify=False)` skips signature verification: forged tokens "
                    "are accepted. Remove it and pass the key and `algorithms=[...]`.",
                    keyword="verify",
                    when=FALSE,
                ),
                Check(
                    'Accepting algorithm "none" lets unsigned tokens through. Allow only the '
                    "algorithm you sign with (e.g. HS256 or RS256).",
                    keyword="algorithms",
                    position=2,  # decode(token, key, algorithms) in both libraries
                    when=item_string("none"),
                    anchor="match",
                ),
                Check(
                    "`{name}` without `algorithms=[...]`: older PyJWT and python-jose accept the "
                    "algorithm the token itself names (alg=none, or HS256 signed with your public "
                    "key); PyJWT 2 refuses at run time. Pin the algorithm you issue tokens with.",
                    keyword="algorithms",
                    position=2,
                    when=MISSING,
                    anchor="call",
                    severity=Severity.WARNING,
                ),
            ),
            callees=frozenset(
                {"jwt.decode", "jwt.decode_complete", "jose.jwt.decode", "jwt.api_jwt.decode"}
            ),
            # ``self.jwt.decode`` is some object's method (authlib's JsonWebToken pins
            # algorithms when built): only the PyJWT / python-jose module functions count
            written=frozenset({"jwt.decode"}),
        ),
    )
)


@register
class JwtUnverified:
    meta = RuleMeta(
        code="BE011",
        name="jwt-unverified",
        severity=Severity.ERROR,
        summary="A JWT is accepted without verifying its signature or algorithm.",
        doc_url="https://cwe.mitre.org/data/definitions/347.html",
        locations=TESTS_AND_FIXTURES,
        needs=TABLE.needs,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        yield from check_calls(ctx, self.meta, TABLE)
