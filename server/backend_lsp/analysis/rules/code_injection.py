"""BE017: request data is evaluated as python code or a template (CWE-94).

A taint rule: it reports only values the engine traced from request data.
"""

from __future__ import annotations

from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
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
