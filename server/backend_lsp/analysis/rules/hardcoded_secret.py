"""BE008: credentials written into Python source.

Each string literal is checked with the shared detector (analysis/secrets.py)
together with the name it is bound to (assignment target, keyword, dict key,
parameter default), so ``password="..."`` counts while the same text in a log
message does not. Docstrings are skipped. In test files a name-only guess is
lowered to INFORMATION (fixtures use fake passwords); a vendor-format key stays
an ERROR there too, because a real token in a test still leaks.

Also found: a module constant passed to a credential keyword
(``boto3.client(aws_secret_access_key=AWS_SECRET)``, ``connect(password=DB_PW)``),
a literal signing key in ``jwt.encode``/``jwt.decode``, and a comparison with
a literal password (``if password == "..."``).

Name-only guesses (not vendor formats) are left alone where the code says the
value is sample data: under a name with sample/example/preview/demo/dummy/fake/
mock/placeholder in it, in a class named for tests (``class TestingConfig``), in
a module's ``if __name__ == "__main__":`` self-test, in the ``kwargs=`` of a URL
builder (``reverse``), in a list of records, in a message (raise, log, print),
behind a comment calling it a dummy, or when the value is a slug of words (``"gateway-auth"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Edit, FileReads, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.calls import resolved_calls
from backend_lsp.analysis.python.imports import ensure_import
from backend_lsp.analysis.python.index import restricted
from backend_lsp.analysis.python.nodes import (
    is_docstring,
    keyword_argument,
    module_bindings,
    node_text,
    positional_arguments,
    string_value,
)
from backend_lsp.analysis.python.paths import is_dev_settings_path, is_test_path
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.secrets import (
    SecretMatch,
    generic_confidence,
    is_placeholder,
    secret_in_value,
    secret_name_kind,
)

_MIN_CONFIDENCE = 0.6
_MIN_LENGTH = 6  # characters of a literal's value
_MIN_SPAN = _MIN_LENGTH + 2  # source bytes of such a literal: the value plus two quotes
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_GENERIC = ("password", "secret", "url-password")
# What a project chooses itself (no vendor format): in a dev project it is a local default.
_MADE_UP_KINDS = frozenset({"password", "secret", "signing-key", "url-password"})
_SAMPLE_WORDS = frozenset({
    "sample", "samples", "example", "examples", "preview", "demo", "dummy", "fake", "mock",
    "placeholder", "placeholders", "fixture", "fixtures", "stub",
})  # fmt: skip
_TEST_WORDS = frozenset({"test", "tests", "testing"})
_DUMMY_COMMENT = re.compile(
    r"(?i)\b(?:dummy|placeholder|fake|sample|not (?:a )?(?:real|secret)|unused|ignored)\b"
)
_URL_BUILDERS = ("reverse", "url_for", "reverse_lazy", "build_absolute_uri")
_MESSAGE_CALLS = frozenset({
    "print", "echo", "secho", "warn", "debug", "info", "warning", "error", "exception",
    "critical", "log",
})  # fmt: skip
_SLUG = re.compile(r"[a-z]+(?:[-_][a-z]+)+")
_JWT = frozenset({"jwt.encode", "jwt.decode", "jose.jwt.encode", "jose.jwt.decode"})


def _module_literals(source: bytes, root: Node) -> dict[str, Node]:
    literals: dict[str, Node] = {}
    for name, assignment in module_bindings(source, root).items():
        right = assignment.child_by_field_name("right")
        if right is not None and right.type in ("string", "concatenated_string"):
            literals[name] = right
    return literals


def _credential_positions(
    source: bytes, root: Node, keywords: Iterable[Node]
) -> Iterator[tuple[Node, str | None]]:
    """Values passed where a credential goes: a secret-named keyword's value (with the
    keyword), and the key of a JWT encode/decode (None)."""
    for keyword in keywords:
        name = node_text(source, keyword.child_by_field_name("name"))
        value = keyword.child_by_field_name("value")
        if value is not None and secret_name_kind(name) is not None:
            yield value, name
    if b"jwt" in source:
        for call in resolved_calls(source, root):
            if call.qualified not in _JWT:
                continue
            positional = positional_arguments(call.node)
            key = keyword_argument(source, call.node, "key")
            if key is None and len(positional) >= 2:
                key = positional[1]
            if key is not None:
                yield key, None


def credential_constants(source: bytes, root: Node) -> tuple[bytes, ...]:
    """Module string constants passed where a credential goes, anywhere in the file: the
    finding sits at the constant, so incremental analysis keeps the users as facts.

    Runs on every edit of a file with module string constants: the uses of each constant
    are found with ``bytes.find`` and the node there, not with a whole-file node index
    (a query over every node of the tree, ~15-35 ms on 5,000 lines)."""
    if b"=" not in source:
        return ()
    literals = _module_literals(source, root)
    if not literals:
        return ()
    found = {name.encode() for name in literals if _keyword_credential(source, root, name)}
    if b"jwt" in source:
        with restricted(None):
            found.update(
                node_text(source, value).encode()
                for value, _ in _credential_positions(source, root, ())
                if value.type == "identifier" and node_text(source, value) in literals
            )
    return tuple(sorted(found))


def _keyword_credential(source: bytes, root: Node, name: str) -> bool:
    """True when identifier ``name`` is somewhere the value of a secret-named keyword."""
    word = name.encode()
    at = source.find(word)
    while at != -1:
        node = root.descendant_for_byte_range(at, at + len(word))
        if (
            node is not None
            and node.type == "identifier"
            and node.start_byte == at
            and node.end_byte == at + len(word)
        ):
            keyword = node.parent
            value = keyword.child_by_field_name("value") if keyword is not None else None
            if (
                keyword is not None
                and keyword.type == "keyword_argument"
                and value is not None
                and value.start_byte == at
                and value.end_byte == node.end_byte
                and secret_name_kind(node_text(source, keyword.child_by_field_name("name")))
                is not None
            ):
                return True
        at = source.find(word, at + 1)
    return False


@register
class HardcodedSecret:
    meta = RuleMeta(
        code="BE008",
        name="hardcoded-secret",
        severity=Severity.ERROR,
        summary="A password, key or token is written into the source code.",
        doc_url="https://cwe.mitre.org/data/definitions/798.html",
        locations=TESTS_AND_FIXTURES,
        reads=FileReads(named=credential_constants),
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        in_tests = is_test_path(ctx.project_path)
        # a dev or demo project's settings: its passwords and keys are made up for local runs
        # (a vendor key is still real wherever it sits). Tests are the locations' to treat.
        dev_project = not in_tests and is_dev_settings_path(ctx.project_path)
        reported: set[int] = set()
        for node in ctx.nodes("string", "concatenated_string"):
            if node.end_byte - node.start_byte < _MIN_SPAN:
                continue  # the value is shorter than the source text between the quotes
            if is_docstring(node):
                continue
            if node.parent is not None and node.parent.type == "concatenated_string":
                continue  # judged as a whole
            value = string_value(ctx.source, node)
            if value is None or len(value) < _MIN_LENGTH:
                continue
            name = _bound_name(ctx.source, node)
            match = secret_in_value(value, name)
            if match is None or match.confidence < _MIN_CONFIDENCE:
                continue
            if match.kind in _GENERIC and _sample_data(ctx, node, name, value, match):
                continue
            if dev_project and match.kind in _MADE_UP_KINDS:
                continue
            reported.add(node.start_byte)
            yield self._report(ctx, node, name, match.kind, in_tests)
        for node, name, kind in _indirect(ctx):
            if dev_project and kind in _MADE_UP_KINDS:
                continue
            if node.start_byte not in reported:
                reported.add(node.start_byte)
                yield self._report(ctx, node, name, kind, in_tests)

    def _report(
        self, ctx: AnalysisContext, node: Node, name: str | None, kind: str, in_tests: bool
    ) -> Finding:
        vendor = kind not in ("password", "secret", "signing-key")
        severity = Severity.INFORMATION if in_tests and not vendor else None
        env_name = _env_name(name, kind)
        what = "A password" if kind == "password" else f"A {kind.replace('-', ' ')}"
        if kind == "secret":
            what = "A secret"
        message = (
            f"{what} is hard-coded here: anyone with the code or its history has "
            f"it. Read it from the environment or a secret manager (e.g. "
            f'os.environ["{env_name}"]) and rotate the exposed value.'
        )
        return ctx.finding(self.meta, node, message, _fix(ctx, node, env_name), severity)


def _sample_data(
    ctx: AnalysisContext, node: Node, name: str | None, value: str, match: SecretMatch
) -> bool:
    """The code around a name-only guess says it is sample or documentation data."""
    if match.kind == "secret" and _SLUG.fullmatch(value):
        return True  # ``api_key="gateway-auth"``: a label made of words, not a generated key
    if name is None and _in_message(ctx.source, node):
        return True  # ``raise Error("... export PASSPHRASE='current-passphrase'")``
    if any(
        _DUMMY_COMMENT.search(text.decode("utf-8", "replace").partition("#")[2])
        for text in _line_and_previous(ctx.source, node.start_byte)
    ):
        return True
    parent = node.parent
    if parent is not None and parent.type == "pair" and _record_in_list(parent.parent):
        return True
    for ancestor in _ancestors(node):
        if _main_guard(ctx.source, ancestor):
            return True  # ``if __name__ == "__main__":`` self-test of a module, run by hand
        label = _scope_label(ctx.source, ancestor)
        words = set(_words(label)) if label else set()
        if _SAMPLE_WORDS & words:
            return True
        if ancestor.type == "class_definition" and _TEST_WORDS & words:
            return True  # ``class TestingConfig(Config)``: the settings the test suite runs on
        if ancestor.type == "keyword_argument" and label in ("kwargs", "args"):
            call = ancestor.parent.parent if ancestor.parent is not None else None
            callee = node_text(ctx.source, call.child_by_field_name("function")) if call else ""
            if callee.rsplit(".", 1)[-1].endswith(_URL_BUILDERS):
                return True  # URL path parameters of a link being rendered
    return False


def _line_and_previous(source: bytes, at: int) -> list[bytes]:
    """The line holding byte ``at`` and the one before it (split on ``\\n`` only), without
    splitting the whole source: a name-only guess can sit in a file of 10,000 lines."""
    start = source.rfind(b"\n", 0, at) + 1
    end = source.find(b"\n", at)
    lines = [source[start : end if end != -1 else len(source)]]
    if start > 0:
        lines.append(source[source.rfind(b"\n", 0, start - 1) + 1 : start - 1])
    return lines


def _main_guard(source: bytes, node: Node) -> bool:
    """``if __name__ == "__main__":`` (either order of the sides)."""
    if node.type != "if_statement":
        return False
    condition = node.child_by_field_name("condition")
    if condition is None or condition.type != "comparison_operator":
        return False
    sides = {node_text(source, side).replace("'", '"') for side in condition.named_children}
    return sides == {"__name__", '"__main__"'}


def _ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None and parent.type != "module":
        yield parent
        parent = parent.parent


def _scope_label(source: bytes, node: Node) -> str:
    """The name an enclosing construct gives its contents (keyword, key, target, def)."""
    if node.type in ("keyword_argument", "function_definition", "class_definition"):
        return node_text(source, node.child_by_field_name("name"))
    if node.type == "pair":
        key = node.child_by_field_name("key")
        return (string_value(source, key) or "") if key is not None else ""
    if node.type == "assignment":
        return node_text(source, node.child_by_field_name("left"))
    return ""


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", _CAMEL.sub("_", name).lower()) if w]


def _record_in_list(dictionary: Node | None) -> bool:
    """``[{"code": "A1", "secret": "..."}, {...}]``: rows of sample records."""
    if dictionary is None or dictionary.type != "dictionary":
        return False
    container = dictionary.parent
    if container is None or container.type not in ("list", "tuple"):
        return False
    return sum(1 for item in container.named_children if item.type == "dictionary") >= 2


def _in_message(source: bytes, node: Node) -> bool:
    """The literal is (part of) text for people: an exception, a log line, a print."""
    for ancestor in _ancestors(node):
        if ancestor.type == "raise_statement":
            return True
        if ancestor.type == "call":
            callee = node_text(source, ancestor.child_by_field_name("function"))
            if callee.rsplit(".", 1)[-1] in _MESSAGE_CALLS:
                return True
            if callee.rsplit(".", 1)[-1].endswith(("Error", "Exception")):
                return True
        if ancestor.type in ("function_definition", "class_definition", "expression_statement"):
            break
    return False


def _indirect(ctx: AnalysisContext) -> Iterator[tuple[Node, str | None, str]]:
    """Secrets whose position, not their own name, says what they are."""
    assert ctx.root is not None
    literals = _module_literals(ctx.source, ctx.root) if b"=" in ctx.source else {}
    positions = _credential_positions(ctx.source, ctx.root, ctx.nodes("keyword_argument"))
    for value, keyword in positions:
        if keyword is not None:
            if value.type != "identifier":
                continue  # a literal keyword value is judged with its own name above
            target = literals.get(node_text(ctx.source, value))
            text = string_value(ctx.source, target) if target is not None else None
            match = secret_in_value(text, keyword) if text is not None else None
            if target is not None and match is not None and match.confidence >= _MIN_CONFIDENCE:
                yield target, node_text(ctx.source, value), match.kind
            continue
        if value.type == "identifier":
            target = literals.get(node_text(ctx.source, value))
        else:
            target = value if value.type == "string" else None
        text = string_value(ctx.source, target) if target is not None else None
        if target is not None and text and not _templated(text):
            bound = node_text(ctx.source, value) if value.type == "identifier" else None
            yield target, bound or "JWT_SECRET", "signing-key"
    for other in ctx.nodes("string"):
        comparison = other.parent
        if comparison is None or comparison.type != "comparison_operator":
            continue
        operators = [c.type for c in comparison.children if not c.is_named]
        sides = comparison.named_children
        if operators not in (["=="], ["!="]) or len(sides) != 2:
            continue
        side = sides[1] if sides[0] == other else sides[0]
        compared = _compared_name(ctx.source, side)
        kind = secret_name_kind(compared) if compared else None
        text = string_value(ctx.source, other)
        if kind is None or not text or is_placeholder(text):
            continue
        if generic_confidence(text, kind) is not None:
            yield other, compared, kind


def _compared_name(source: bytes, side: Node) -> str | None:
    """What a compared value is called: ``password``, ``form["password"]``, ``.get("pwd")``."""
    if side.type in ("identifier", "attribute"):
        return node_text(source, side).rsplit(".", 1)[-1]
    if side.type == "subscript":
        key = side.child_by_field_name("subscript")
        return string_value(source, key) if key is not None else None
    if side.type == "call" and node_text(source, side.child_by_field_name("function")).endswith(
        ".get"
    ):
        first = positional_arguments(side)[:1]
        return string_value(source, first[0]) if first else None
    return None


def _templated(text: str) -> bool:
    return any(mark in text for mark in ("${", "{{", "%(", "<"))


def _bound_name(source: bytes, node: Node) -> str | None:
    """The name a literal is bound to, if it is bound at all."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "assignment" and parent.child_by_field_name("right") == node:
        left = parent.child_by_field_name("left")
        if left is not None and left.type in ("identifier", "attribute"):
            return node_text(source, left).rsplit(".", 1)[-1]
        if left is not None and left.type == "subscript":
            key = left.child_by_field_name("subscript")
            return string_value(source, key) if key is not None else None
        return None
    if parent.type in ("keyword_argument", "default_parameter", "typed_default_parameter"):
        name = parent.child_by_field_name("name")
        return node_text(source, name) if name is not None else None
    if parent.type == "pair" and parent.child_by_field_name("value") == node:
        key = parent.child_by_field_name("key")
        return string_value(source, key) if key is not None else None
    return None


def _env_name(name: str | None, kind: str) -> str:
    if name:
        words = re.split(r"[^A-Za-z0-9]+", _CAMEL.sub("_", name))
        env = "_".join(w.upper() for w in words if w)
        if env:
            return env
    return kind.upper().replace("-", "_")


def _fix(ctx: AnalysisContext, node: Node, env_name: str) -> Fix:
    assert ctx.root is not None
    edits: list[Edit] = [ctx.replace(node, f'os.environ["{env_name}"]')]
    added = ensure_import(ctx.source, ctx.root, "os")
    if added is not None:
        edits.insert(0, added)
    return Fix(title=f'Read the secret from os.environ["{env_name}"]', edits=tuple(edits))
