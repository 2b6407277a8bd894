"""BE020: request data is written into an html response unescaped (CWE-79).

A taint rule: it reports only values the engine traced from request data.
"""

from __future__ import annotations

from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.rule import TaintRule


@register
class Xss(TaintRule):
    meta = RuleMeta(
        code="BE020",
        name="xss",
        severity=Severity.ERROR,
        summary="Request data is written into an HTML response unescaped.",
        doc_url="https://cwe.mitre.org/data/definitions/79.html",
        locations=TESTS_AND_FIXTURES,  # a test app's view serves no visitor
    )
    category = tables.XSS
    risk = "a value containing markup runs script in the visitor's browser (cross-site scripting)"
    advice = (
        "Render through an autoescaping template, or escape with "
        "markupsafe.escape/html.escape before building HTML."
    )
