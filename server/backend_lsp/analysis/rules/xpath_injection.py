"""BE023: request data is built into an XPath expression (CWE-643).

A taint rule: it reports only values the engine traced from request data into lxml
``xpath()``/``XPath()`` or an ElementTree ``find*`` path. XPath variables
(``root.xpath("//user[@name=$name]", name=value)``) are the safe form and never a sink.
"""

from __future__ import annotations

from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.rule import TaintRule


@register
class XpathInjection(TaintRule):
    meta = RuleMeta(
        code="BE023",
        name="xpath-injection",
        severity=Severity.ERROR,
        summary="Request data is built into an XPath expression.",
        doc_url="https://cwe.mitre.org/data/definitions/643.html",
    )
    category = tables.XPATH
    risk = (
        "a crafted value rewrites the query (`' or '1'='1`) and reads nodes it should not "
        "(XPath injection)"
    )
    advice = (
        'Pass the value as an XPath variable: `root.xpath("//user[@name=$name]", name=value)`, '
        "or check it against an allow-list first."
    )
