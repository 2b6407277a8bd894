"""BE014: passwords stored with a fast general-purpose hash.

MD5/SHA-1/SHA-2/SHA-3/BLAKE2 are built to be fast, so a leaked table is
cracked at billions of guesses per second; a salt only stops rainbow tables.
Flagged when the hashed value is a password: an identifier in the hashed
expression names one, or the enclosing function is about passwords and
hashes one of its parameters. Cache keys, ETags and checksums (also a password's
digest used only as the key of an in-process dict, to skip a second check in
the same request: nothing is stored),
``usedforsecurity=False``, pbkdf2_hmac/scrypt and bcrypt/argon2/passlib are
not flagged, nor is a fast hash fed into a real KDF (a subclass of Django's
``PBKDF2PasswordHasher`` and friends wrapping legacy SHA1 hashes, or a digest
passed on to pbkdf2_hmac/bcrypt/scrypt/argon2 in the same function).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Finding, RuleMeta, Severity
from backend_lsp.analysis.python.call_rules import FALSE, CallRule, CallTable
from backend_lsp.analysis.python.calls import resolved_calls
from backend_lsp.analysis.python.nodes import (
    assigned_name,
    enclosing_function,
    function_name,
    node_text,
    positional_arguments,
    statement_assignment,
    string_value,
    walk,
)
from backend_lsp.analysis.registry import register

_FAST = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256",
         "sha3_384", "sha3_512", "blake2b", "blake2s", "md4", "ripemd160"}  # fmt: skip
_PASSWORD_WORDS = {"password", "passwd", "pwd", "passphrase", "pass", "pw", "passcode"}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _is_password_name(name: str) -> bool:
    words = [w for w in re.split(r"[^a-z0-9]+", _CAMEL.sub("_", name).lower()) if w]
    return any(w in _PASSWORD_WORDS or w.endswith("password") for w in words)


# Password hashers that are real KDFs: a subclass wraps a legacy fast hash in them.
_KDF_HASHERS = (
    "PBKDF2PasswordHasher", "PBKDF2SHA1PasswordHasher", "Argon2PasswordHasher",
    "BCryptSHA256PasswordHasher", "BCryptPasswordHasher", "ScryptPasswordHasher",
)  # fmt: skip
# A call (not a mention in a comment) of a KDF in the same function.
_KDF_CALLS = re.compile(
    r"\b(?:pbkdf2_hmac|pbkdf2|scrypt|hashpw|argon2\.hash|ph\.hash|super\(\)\.encode)\s*\("
)


def _feeds_a_kdf(source: bytes, call: Node) -> bool:
    """The fast hash is an input to a real KDF, not the stored hash.

    A Django hasher subclassing ``PBKDF2PasswordHasher`` (and friends) that
    upgrades legacy SHA1/MD5 hashes by running them through many PBKDF2 rounds,
    or a function passing the digest to pbkdf2_hmac/bcrypt/scrypt/argon2.
    """
    node = call.parent
    while node is not None:
        if node.type == "function_definition" and _KDF_CALLS.search(node_text(source, node)):
            return True
        if node.type == "class_definition":
            bases = node_text(source, node.child_by_field_name("superclasses"))
            return any(base in bases for base in _KDF_HASHERS)
        node = node.parent
    return False


# Hash constructors (the algorithm is read off the name, or hashlib.new's first argument);
# ``usedforsecurity=False`` says the digest is not a secret's.
TABLE = CallTable(
    (
        CallRule(
            prefixes=("hashlib.", "Crypto.Hash.", "Cryptodome.Hash."),
            safe=(("usedforsecurity", FALSE),),
        ),
    )
)


@register
class WeakPasswordHash:
    meta = RuleMeta(
        code="BE014",
        name="weak-password-hash",
        severity=Severity.ERROR,
        summary="A password is hashed with a fast hash instead of a password KDF.",
        doc_url="https://cwe.mitre.org/data/definitions/916.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        hash_receivers: set[str] = set()
        for call in resolved_calls(ctx.source, ctx.root):
            row = TABLE.row_for(call)
            algorithm = self._algorithm(ctx, call.qualified, call.node) if row else None
            if row is None or algorithm is None:
                if call.name.endswith(".update"):
                    receiver = call.name.rsplit(".", 1)[0]
                    if receiver in hash_receivers:
                        yield from self._judge(ctx, call.node, positional_arguments(call.node), "")
                continue
            if row.is_safe(ctx.source, call.node):
                continue
            parent = call.node.parent
            if parent is not None and parent.type == "assignment":
                hash_receivers.add(node_text(ctx.source, parent.child_by_field_name("left")))
            arguments = positional_arguments(call.node)
            if call.qualified.endswith(".new"):
                arguments = arguments[1:]
            yield from self._judge(ctx, call.node, arguments, algorithm)

    @staticmethod
    def _algorithm(ctx: AnalysisContext, qualified: str, call: Node) -> str | None:
        last = qualified.rsplit(".", 1)[-1].lower()
        if qualified == "hashlib.new":
            first = positional_arguments(call)[:1]
            value = string_value(ctx.source, first[0]) if first else None
            normal = value.lower().replace("-", "") if value else ""
            return normal if normal in _FAST else None
        if last == "new":
            last = qualified.rsplit(".", 2)[-2].lower()
        return last if last in _FAST else None

    def _judge(
        self, ctx: AnalysisContext, call: Node, arguments: list[Node], algorithm: str
    ) -> Iterator[Finding]:
        if not arguments:
            return
        hashed = arguments[0]
        names = [node_text(ctx.source, n) for n in walk(hashed) if n.type == "identifier"]
        # form["password"], data.get("pwd"): the key names what is hashed
        names += [
            string_value(ctx.source, n) or ""
            for n in walk(hashed)
            if n.type == "string"
            and n != hashed
            and n.parent is not None
            and n.parent.type in ("subscript", "argument_list")
        ]
        about_password = any(_is_password_name(n) for n in names)
        if not about_password:
            function = enclosing_function(call)
            if function is not None and _is_password_name(function_name(ctx.source, function)):
                params = function.child_by_field_name("parameters")
                param_text = node_text(ctx.source, params)
                about_password = any(re.search(rf"\b{re.escape(n)}\b", param_text) for n in names)
        if not about_password or _feeds_a_kdf(ctx.source, call) or _memo_key(ctx, call):
            return
        salted = (
            any("salt" in n.lower() for n in names)
            or hashed.type in ("binary_operator",)
            or (hashed.type == "string" and "{" in node_text(ctx.source, hashed))
        )
        label = algorithm.upper() if algorithm else "A fast hash"
        salt_note = (
            " Adding a salt does not help: it stops rainbow tables, not brute force."
            if (salted)
            else ""
        )
        yield ctx.finding(
            self.meta,
            call,
            f"{label} is a fast hash: a leaked password table falls to GPU guessing at "
            f"billions per second.{salt_note} Use a password hash: argon2id (argon2-cffi, "
            "time_cost>=2, memory_cost>=19 MiB), bcrypt (cost>=12), hashlib.scrypt "
            "(n=2**17, r=8, p=1) or PBKDF2-HMAC-SHA256 with >=600,000 iterations.",
        )


_DIGESTS = ("hexdigest", "digest")
_DICT_FACTORIES = ("dict", "defaultdict", "OrderedDict", "collections.defaultdict")


def _memo_key(ctx: AnalysisContext, call: Node) -> bool:
    """``key = sha3_512(password).hexdigest()`` used only as a key of an in-process dict
    (``if key in self._checked``, ``self._checked[key] = ok``): a memo, not storage.

    A digest passed to a call (``cache.set``), returned, stored on an object, or used as a
    key of anything not built here as a dict (a session, a shared cache) stays a finding.
    """
    node = call
    while (
        node.parent is not None
        and node.parent.type == "attribute"
        and node_text(ctx.source, node.parent.child_by_field_name("attribute")) in _DIGESTS
        and node.parent.parent is not None
        and node.parent.parent.type == "call"
    ):
        node = node.parent.parent
    assigned = assigned_name(node)
    function = enclosing_function(call)
    if assigned is None or function is None:
        return False
    assignment, left = assigned
    name = node_text(ctx.source, left)
    mappings: set[str] = set()
    for use in walk(function):
        if use.type != "identifier" or use == left or node_text(ctx.source, use) != name:
            continue
        if use.start_byte < assignment.end_byte:
            continue
        mapping = _keyed_mapping(ctx, use)
        if mapping is None:
            return False
        mappings.add(mapping)
    return bool(mappings) and all(_in_process_dict(ctx, m, function) for m in mappings)


def _keyed_mapping(ctx: AnalysisContext, use: Node) -> str | None:
    """``M`` when ``use`` is the key in ``M[use]``, ``use in M`` or ``use in M.keys()``."""
    parent = use.parent
    if parent is None:
        return None
    if parent.type == "subscript" and parent.child_by_field_name("subscript") == use:
        return node_text(ctx.source, parent.child_by_field_name("value"))
    if parent.type == "comparison_operator" and parent.named_children[:1] == [use]:
        operators = [node_text(ctx.source, c) for c in parent.children if not c.is_named]
        if len(parent.named_children) != 2 or " ".join(operators) not in ("in", "not in"):
            return None
        text = node_text(ctx.source, parent.named_children[1])
        return text.removesuffix(".keys()")
    return None


def _in_process_dict(ctx: AnalysisContext, mapping: str, function: Node) -> bool:
    """Every binding of ``mapping`` where it lives is a dict built right there: a local in
    the function, ``self.x`` in the class, else a module-level name."""
    assert ctx.root is not None
    scope: Node | None = function
    if mapping.startswith("self."):
        scope = function.parent
        while scope is not None and scope.type != "class_definition":
            scope = scope.parent
    elif not mapping.isidentifier():
        return False
    values = _bound_values(ctx, mapping, scope) if scope is not None else []
    if not values and mapping.isidentifier():
        module = [statement_assignment(s) for s in ctx.root.named_children]
        values = [
            a.child_by_field_name("right")
            for a in module
            if a is not None and node_text(ctx.source, a.child_by_field_name("left")) == mapping
        ]
    return bool(values) and all(
        value is not None
        and (
            value.type in ("dictionary", "dictionary_comprehension")
            or (
                value.type == "call"
                and node_text(ctx.source, value.child_by_field_name("function")) in _DICT_FACTORIES
            )
        )
        for value in values
    )


def _bound_values(ctx: AnalysisContext, mapping: str, scope: Node) -> list[Node | None]:
    return [
        node.child_by_field_name("right")
        for node in walk(scope)
        if node.type == "assignment"
        and node_text(ctx.source, node.child_by_field_name("left")) == mapping
    ]
