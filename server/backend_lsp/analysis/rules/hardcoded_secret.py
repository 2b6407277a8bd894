"""BE008: credentials written into Python source.

Each string literal is checked with the shared detector (analysis/secrets.py)
together with the name it is bound to (assignment target, keyword, dict key,
parameter default), so ``password="..."`` counts while the same text in a log
message does not. Docstrings are skipped. In test files a name-only guess is
lowered to INFORMATION (fixtures use fake passwords); a vendor-format key stays
an ERROR there too, because a real token in a test still leaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Edit, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.imports import ensure_import
from backend_lsp.analysis.python.nodes import is_docstring, node_text, string_value
from backend_lsp.analysis.python.paths import is_test_path
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.secrets import secret_in_value

_MIN_CONFIDENCE = 0.6
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@register
class HardcodedSecret:
    meta = RuleMeta(
        code="BE008",
        name="hardcoded-secret",
        severity=Severity.ERROR,
        summary="A password, key or token is written into the source code.",
        doc_url="https://cwe.mitre.org/data/definitions/798.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        in_tests = is_test_path(ctx.path)
        for node in ctx.nodes("string", "concatenated_string"):
            if is_docstring(node):
                continue
            if node.parent is not None and node.parent.type == "concatenated_string":
                continue  # judged as a whole
            value = string_value(ctx.source, node)
            if value is None or len(value) < 6:
                continue
            name = _bound_name(ctx.source, node)
            match = secret_in_value(value, name)
            if match is None or match.confidence < _MIN_CONFIDENCE:
                continue
            vendor = match.kind not in ("password", "secret")
            severity = Severity.INFORMATION if in_tests and not vendor else None
            env_name = _env_name(name, match.kind)
            what = "A password" if match.kind == "password" else f"A {match.kind.replace('-', ' ')}"
            if match.kind == "secret":
                what = "A secret"
            message = (
                f"{what} is hard-coded here: anyone with the code or its history has "
                f"it. Read it from the environment or a secret manager (e.g. "
                f'os.environ["{env_name}"]) and rotate the exposed value.'
            )
            yield ctx.finding(self.meta, node, message, _fix(ctx, node, env_name), severity)


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
