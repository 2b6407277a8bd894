"""BE017: request data is evaluated as python code or a template (CWE-94).

A taint rule: it reports only values the engine traced from request data. A jinja2
``from_string`` on a ``SandboxedEnvironment`` is the library's way to render untrusted
templates, so it is not reported.
"""

from __future__ import annotations

import re

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.python.nodes import enclosing_function
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.flow import Flow
from backend_lsp.analysis.taint.rule import TaintRule


@register
class CodeInjection(TaintRule):
    meta = RuleMeta(
        code="BE017",
        name="code-injection",
        severity=Severity.ERROR,
        summary="Request data is evaluated as Python code or a template.",
        doc_url="https://cwe.mitre.org/data/definitions/94.html",
        locations=TESTS_AND_FIXTURES,  # a test app's view serves no visitor
    )
    category = tables.CODE
    risk = "the caller's text is executed as code on the server (code injection)"
    advice = (
        "Never eval/exec request data: parse it (json.loads, ast.literal_eval) and render "
        "fixed templates with the data as context."
    )

    def reports(self, ctx: AnalysisContext, flow: Flow) -> bool:
        return not _sandboxed(ctx, flow)


def _sandboxed(ctx: AnalysisContext, flow: Flow) -> bool:
    """``env.from_string(src)`` where ``env`` is (named or bound to) a jinja2 sandbox."""
    if flow.tail or not flow.sink.endswith("from_string"):
        return False
    receiver = flow.sink.removesuffix("from_string").rstrip(".")
    if "sandbox" in receiver.lower():
        return True
    if not receiver or b"Sandbox" not in ctx.source:
        return False
    # ``env = SandboxedEnvironment()`` in the view itself, at module level, or (for
    # ``self.env``) anywhere in the class's file
    function = enclosing_function(flow.call)
    scope = ctx.source[function.start_byte : function.end_byte] if function else b""
    assign = re.escape(receiver.encode()) + rb"\s*(?::[^=\n]+)?=\s*[\w.]*Sandbox"
    if re.search(rb"(?m)^\s*" + assign, scope):
        return True
    indent = rb"\s*" if receiver.startswith("self.") else b""
    return re.search(rb"(?m)^" + indent + assign, ctx.source) is not None
