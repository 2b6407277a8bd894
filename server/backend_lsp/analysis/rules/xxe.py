"""BE022: request data is parsed by an xml parser that resolves external entities (CWE-611).

A taint rule: it reports only values the engine traced from request data.
"""

from __future__ import annotations

from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.rule import TaintRule


@register
class Xxe(TaintRule):
    meta = RuleMeta(
        code="BE022",
        name="xxe",
        severity=Severity.ERROR,
        summary="Request data is parsed by an XML parser that resolves external entities.",
        doc_url="https://cwe.mitre.org/data/definitions/611.html",
        locations=TESTS_AND_FIXTURES,  # a test app's view serves no visitor
    )
    category = tables.XXE
    risk = "a document with an external entity reads local files or calls internal URLs (XXE)"
    advice = (
        "Parse untrusted XML with defusedxml, or an lxml parser with "
        "resolve_entities=False and no_network=True."
    )
