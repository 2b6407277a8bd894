"""BE026: a ``random`` value becomes a secret (CWE-330/338).

``random`` is a Mersenne Twister: 624 outputs predict every later one, so a token, reset
code, OTP, password, session id, salt or nonce drawn from it can be guessed. Flagged when
the value lands somewhere named like a secret: the assigned target, the keyword or dict key
it is stored under, a ``set_cookie``, or a function whose name says it makes one and that
returns it. Shuffling, sampling test data, jitter and backoff are not secrets and are not
flagged; neither are ``random.SystemRandom()`` and ``secrets``.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.calls import resolved_calls
from backend_lsp.analysis.python.imports import ensure_import
from backend_lsp.analysis.python.purpose import destination_names
from backend_lsp.analysis.python.words import has_word, names_secret
from backend_lsp.analysis.registry import register

_RANDOM = frozenset(
    {"random", "randint", "randrange", "choice", "choices", "sample", "getrandbits",
     "uniform", "randbytes", "shuffle"}
)  # fmt: skip
# Same meaning in ``secrets``: the fix is a rename.
_SECRETS_TWIN = {"choice": "secrets.choice", "getrandbits": "secrets.randbits",
                 "randbytes": "secrets.token_bytes"}  # fmt: skip
# A name with one of these is about timing or test data even when it also says "token".
_NOT_SECRET = frozenset(
    {"delay", "jitter", "backoff", "sleep", "timeout", "retry", "wait", "color", "colour",
     "sample", "fake", "mock", "dummy", "example", "demo", "shuffle", "weight", "ttl"}
)  # fmt: skip


@register
class WeakRandomness:
    meta = RuleMeta(
        code="BE026",
        name="weak-randomness",
        severity=Severity.WARNING,
        summary="A value from `random` is used as a token, password, code or nonce.",
        doc_url="https://cwe.mitre.org/data/definitions/338.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        for call in resolved_calls(ctx.source, ctx.root):
            module, _, function = call.qualified.rpartition(".")
            if module != "random" or function not in _RANDOM:
                continue
            names = destination_names(ctx.source, call.node)
            secret = next(
                (n for n in names if names_secret(n) and not has_word(n, _NOT_SECRET)), None
            )
            if secret is None:
                continue
            yield ctx.finding(
                self.meta,
                call.node,
                f"`{call.name}()` makes `{secret}`, but `random` is predictable: an attacker "
                "who sees a few outputs can compute the next ones. Use `secrets` "
                "(`secrets.token_urlsafe(32)`, `secrets.choice`, `secrets.randbelow`).",
                self._fix(ctx, call.node, function),
            )

    @staticmethod
    def _fix(ctx: AnalysisContext, call: Node, function: str) -> Fix | None:
        twin = _SECRETS_TWIN.get(function)
        callee = call.child_by_field_name("function")
        if twin is None or callee is None or ctx.root is None:
            return None
        edits = [ctx.replace(callee, twin)]
        added = ensure_import(ctx.source, ctx.root, "secrets")
        if added is not None:
            edits.insert(0, added)
        return Fix(f"Use {twin}", tuple(edits))
