"""BE027: MD5 or SHA-1 protects something (CWE-328).

Both have practical collisions (SHA-1 since 2017, MD5 in seconds), so a digest used as a
signature, token or integrity proof can be forged. Flagged when the digest lands somewhere
named like a secret or a signature (``signature = md5(...)``, ``token=sha1(...)``, a
``def sign_payload`` returning it) or when it hashes a key or secret (``md5(SECRET_KEY +
data)``, a home-made MAC). Cache keys, ETags, file dedup and checksums, Gravatar URLs and
``usedforsecurity=False`` are not flagged; HMAC (``hmac.new``) is not either, because
HMAC-MD5/SHA-1 are not broken as MACs. A digest of a credential handed to a user (an OTP,
token or API key, by its name or drawn from ``secrets`` in the function) is that
credential's stored form and is flagged whatever the digest is called. Password hashing is
BE014's job.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Finding, RuleMeta, Severity
from backend_lsp.analysis.python.calls import is_false, resolved_calls
from backend_lsp.analysis.python.nodes import (
    enclosing_function,
    keyword_argument,
    node_text,
    positional_arguments,
    string_value,
    walk,
)
from backend_lsp.analysis.python.purpose import destination_names
from backend_lsp.analysis.python.words import has_word, name_words, names_secret
from backend_lsp.analysis.registry import register

_WEAK = {"md5": "MD5", "sha1": "SHA-1", "md4": "MD4", "sha": "SHA-1"}
# Words that make a digest a forgery target even when nothing says "token".
_SIGNING = frozenset({"sign", "signed", "signature", "sig", "integrity", "authenticity"})
# A digest named with one of these is an identifier, not a protection.
_NOT_SECURITY = frozenset(
    {"cache", "etag", "checksum", "fingerprint", "dedup", "filename", "file", "path", "url",
     "gravatar", "avatar", "color", "colour", "bucket", "shard", "partition", "lock", "slug",
     "cachekey"}
)  # fmt: skip
# Server-side keys that make ``md5(key + data)`` a home-made MAC (a session id is not one).
_SIGNING_KEYS = frozenset({("secret", "key"), ("signing", "key"), ("api", "key"),
                           ("private", "key"), ("hmac", "key")})  # fmt: skip
_PASSWORD = frozenset({"password", "passwd", "pwd", "passphrase", "passcode"})


def _algorithm(ctx: AnalysisContext, qualified: str, call: Node) -> str | None:
    if qualified == "hashlib.new":
        first = positional_arguments(call)[:1]
        value = string_value(ctx.source, first[0]) if first else None
        return _WEAK.get((value or "").lower().replace("-", ""))
    for prefix in ("hashlib.", "Crypto.Hash.", "Cryptodome.Hash."):
        if qualified.startswith(prefix):
            rest = qualified[len(prefix) :].lower().removesuffix(".new")
            return _WEAK.get(rest)
    return None


@register
class WeakHash:
    meta = RuleMeta(
        code="BE027",
        name="weak-hash",
        severity=Severity.WARNING,
        summary="MD5 or SHA-1 is used for a signature, token or integrity check.",
        doc_url="https://cwe.mitre.org/data/definitions/328.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        for call in resolved_calls(ctx.source, ctx.root):
            label = _algorithm(ctx, call.qualified, call.node)
            if label is None:
                continue
            if is_false(ctx.source, keyword_argument(ctx.source, call.node, "usedforsecurity")):
                continue
            purpose = self._purpose(ctx, call.node, call.qualified == "hashlib.new")
            if purpose is None:
                continue
            yield ctx.finding(
                self.meta,
                call.node,
                f"{label} protects `{purpose}`, but it has practical collisions: a "
                "signature, token or integrity check built on it can be forged. Use "
                "`hmac.new(key, msg, hashlib.sha256)` for signatures, `secrets` for tokens, "
                "SHA-256 for integrity.",
            )

    @staticmethod
    def _purpose(ctx: AnalysisContext, call: Node, named_algorithm: bool) -> str | None:
        outer = call
        while outer.parent is not None and outer.parent.type in ("attribute", "call"):
            outer = outer.parent  # ``md5(x).hexdigest()``: follow the digest, not the object
        names = destination_names(ctx.source, outer)
        hashed = positional_arguments(call)[1 if named_algorithm else 0 :]
        inputs = [
            node_text(ctx.source, n)
            for a in hashed[:1]
            for n in walk(a)
            if n.type in ("identifier", "attribute")
        ]
        if any(has_word(n, _PASSWORD) for n in names + inputs):
            return None  # a password: BE014 reports it
        for name in names:  # nearest first: the first telling name decides
            if has_word(name, _NOT_SECURITY):
                return None  # an identifier: a cache key, an ETag, a checksum
            if names_secret(name) or has_word(name, _SIGNING):
                return name
        # the credential alone: ``sha1(f"{session_key}:{pk}")`` derives an id, stores none
        alone = bool(hashed) and not _combines(hashed[0])
        credential = _credential_input(ctx, call, inputs) if alone else None
        if credential is not None:
            return f"a digest of {credential}"  # the stored or compared form of a credential
        if not hashed or not _combines(hashed[0]):
            return None  # a digest of one value: no MAC construction to forge
        for name in inputs:
            words = name_words(name)
            pairs = set(itertools.pairwise(words))
            if "secret" in words or pairs & _SIGNING_KEYS:
                return f"a digest of {name}"
        return None


def _combines(expression: Node) -> bool:
    """``secret + data``, an f-string, ``.format`` or ``%``: a home-made keyed hash."""
    for node in walk(expression):
        if node.type == "binary_operator" or node.type == "interpolation":
            return True
        if node.type == "attribute" and node.text is not None and node.text.endswith(b".format"):
            return True
    return False


# The server's own keys: hashing one alone derives a value, it stores no credential.
_SERVER_KEYS = frozenset({("secret", "key"), ("signing", "key"), ("private", "key"),
                          ("hmac", "key")})  # fmt: skip


def _credential_input(ctx: AnalysisContext, call: Node, inputs: list[str]) -> str | None:
    """A credential handed to a user (an OTP, a token, an API key) being hashed: by its
    name, or because the function drew it from ``secrets``/``os.urandom``."""
    for name in inputs:
        words = name_words(name)
        if has_word(name, _NOT_SECURITY) or "secret" in words:
            continue
        if set(itertools.pairwise(words)) & _SERVER_KEYS:
            continue
        if names_secret(name):
            return name
    function = enclosing_function(call)
    if function is None:
        return None
    body = ctx.source[function.start_byte : function.end_byte]
    for name in inputs:
        base = name.split(".", 1)[0]
        drawn = rb"(?m)^\s*" + re.escape(base.encode()) + rb"\s*=\s*(?:secrets\.|os\.urandom)"
        if base.isidentifier() and re.search(drawn, body):
            return name
    return None
