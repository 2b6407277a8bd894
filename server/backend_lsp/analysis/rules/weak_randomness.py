"""BE026: a ``random`` value becomes a secret (CWE-330/338).

``random`` is a Mersenne Twister: 624 outputs predict every later one, so a token, reset
code, OTP, password, session id, salt or nonce drawn from it can be guessed. Flagged when
the value lands somewhere named like a secret: the assigned target, the keyword or dict key
it is stored under, a ``set_cookie``, or a function whose name says it makes one and that
returns it. The value is followed through ``uuid.UUID(int=...)`` and into a list it is
appended to (``digits.append(str(randrange(10)))`` then ``otp = "".join(digits)``). A bare
``key`` or ``code`` is a secret only when the value is shaped like one: random characters
joined into a string, a number of four or more digits, 32+ random bits or 8+ random bytes
(``code = random.choice(COLORS)`` or ``key = random.randint(0, n)`` is not). Shuffling,
sampling test data, jitter and backoff are not secrets and are not flagged; neither are
``random.SystemRandom()`` and ``secrets``.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.calls import resolved_calls
from backend_lsp.analysis.python.imports import ensure_import
from backend_lsp.analysis.python.nodes import (
    enclosing_function,
    keyword_argument,
    node_text,
    positional_arguments,
    walk,
)
from backend_lsp.analysis.python.purpose import destination_names
from backend_lsp.analysis.python.words import has_word, name_words, names_secret
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
# Words that name a secret only with a secret-shaped value (``key = random.choice(keys)``
# picks a dict key), and the words that may stand beside them (``new_key``, ``mfa_code``).
_AMBIGUOUS = frozenset({"key", "keys", "code", "codes"})
_NEUTRAL = frozenset(
    {"new", "raw", "plain", "random", "rand", "generated", "gen", "temp", "tmp", "fresh",
     "user", "email", "mail", "phone", "mfa", "2fa", "two", "factor", "security", "short",
     "self", "cls", "obj", "instance", "record", "profile", "account"}
)  # fmt: skip
# Calls that re-encode random bits as another value of the same secret.
_WRAPPERS = frozenset({"UUID", "hexlify", "hex", "b2a_hex"})
_COLLECT = frozenset({"append", "extend", "add", "insert"})
# Calls a random value passes through unchanged on its way into a list.
_ENCODE = frozenset({"str", "int", "format", "chr", "hex"})


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
            value = _rewrapped(ctx, call.node)
            names = destination_names(ctx.source, value)
            collection = _collected_into(ctx, value)
            if collection is not None:
                names += [collection, *_copies(ctx, value, collection)]
            shaped = _secret_shaped(ctx, call.node, function, collection is not None)
            secret = next(
                (
                    n
                    for n in names
                    if (names_secret(n) or (shaped and _ambiguous_secret(n)))
                    and not has_word(n, _NOT_SECRET)
                ),
                None,
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


def _rewrapped(ctx: AnalysisContext, call: Node) -> Node:
    """``uuid.UUID(int=random.getrandbits(128))``: the UUID carries the random bits on."""
    node = call
    while True:
        parent = node.parent
        if parent is not None and parent.type == "keyword_argument":
            parent = parent.parent
        if parent is None or parent.type != "argument_list" or parent.parent is None:
            return node
        outer = parent.parent
        function = outer.child_by_field_name("function")
        if node_text(ctx.source, function).rsplit(".", 1)[-1] not in _WRAPPERS:
            return node
        node = outer


def _collected_into(ctx: AnalysisContext, call: Node) -> str | None:
    """``digits.append(str(random.randrange(10)))``: the list the value is collected in."""
    node = call
    while node.parent is not None and node.parent.type == "argument_list":
        outer = node.parent.parent
        function = outer.child_by_field_name("function") if outer is not None else None
        if outer is None or function is None:
            return None
        name = node_text(ctx.source, function)
        if function.type == "attribute" and name.rsplit(".", 1)[-1] in _COLLECT:
            target = function.child_by_field_name("object")
            return node_text(ctx.source, target) if target is not None else None
        if name not in _ENCODE:
            return None
        node = outer
    return None


def _copies(ctx: AnalysisContext, call: Node, name: str) -> list[str]:
    """Where the collected list goes next in the function (``otp = "".join(digits)``)."""
    function = enclosing_function(call)
    if function is None or not name.isidentifier():
        return []
    found: list[str] = []
    for node in walk(function):
        if node.type != "assignment":
            continue
        target, value = node.child_by_field_name("left"), node.child_by_field_name("right")
        if target is None or value is None or node_text(ctx.source, target) == name:
            continue
        if any(n.type == "identifier" and node_text(ctx.source, n) == name for n in walk(value)):
            found.append(node_text(ctx.source, target))
    return found


def _ambiguous_secret(name: str) -> bool:
    """``key``, ``new_key``, ``self.code``, ``mfa_code``: a key or code and nothing that says
    what else it is (``cache_key``, ``country_code``, ``sort_key`` are not secrets)."""
    words = name_words(name)
    return (
        bool(words)
        and words[-1] in _AMBIGUOUS
        and all(w in _AMBIGUOUS or w in _NEUTRAL for w in words)
    )


def _secret_shaped(ctx: AnalysisContext, call: Node, function: str, collected: bool) -> bool:
    """Random characters joined into a string, a 4+ digit number, 32+ bits, 8+ bytes."""
    if collected:
        return True
    join = _inside_join(ctx, call)
    if join is not None:
        return _join_length(ctx, join) >= 6  # a 5-letter block key holds no secret
    args = positional_arguments(call)
    numbers = [_int(ctx, a) for a in args]
    if function in ("randint", "randrange") and numbers and numbers[-1] is not None:
        return numbers[-1] >= 1000 and (len(numbers) < 2 or (numbers[0] or 0) >= 0)
    if function == "getrandbits" and numbers and numbers[0] is not None:
        return numbers[0] >= 32
    if function == "randbytes" and numbers and numbers[0] is not None:
        return numbers[0] >= 8
    return False


def _inside_join(ctx: AnalysisContext, call: Node) -> Node | None:
    node = call
    while node.parent is not None and node.parent.type not in (
        "expression_statement", "return_statement", "block", "assignment", "function_definition",
    ):  # fmt: skip
        node = node.parent
        if node.type == "call":
            function = node.child_by_field_name("function")
            if node_text(ctx.source, function).endswith(".join"):
                return node
    return None


def _join_length(ctx: AnalysisContext, join: Node) -> int:
    """The literal length a join draws (``range(40)``, ``k=8``); unknown counts as long."""
    for node in walk(join):
        if node.type == "call" and node_text(ctx.source, node.child_by_field_name("function")) in (
            "range", "random.choices", "random.sample", "choices", "sample",
        ):  # fmt: skip
            args = positional_arguments(node)
            k = keyword_argument(ctx.source, node, "k")
            size = _int(ctx, k) if k is not None else _int(ctx, args[-1] if args else None)
            if size is not None:
                return size
    return 1_000


def _int(ctx: AnalysisContext, node: Node | None) -> int | None:
    text = node_text(ctx.source, node).replace("_", "") if node is not None else ""
    if text.startswith("10**") and text[4:].isdigit():
        return int(10 ** int(text[4:]))
    return int(text) if text.isdigit() else None
