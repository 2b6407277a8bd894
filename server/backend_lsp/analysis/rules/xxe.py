"""BE022: request data is parsed by an xml parser that resolves external entities (CWE-611).

A taint rule: it reports only values the engine traced from request data. A reader's
``parse`` (``xml.sax.make_parser()``) is reported only when the file turns
``feature_external_ges`` on for it: expat readers skip external entities by default since
Python 3.7.1, and ``parser.parse`` is also dateutil's and many others' name.
"""

from __future__ import annotations

import re

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.python.imports import import_aliases, qualified_name
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.flow import Flow
from backend_lsp.analysis.taint.rule import TaintRule

# What ``parse`` is called as when it is a module function (``xml.sax.parse``), not a reader.
_SAX_FUNCTIONS = frozenset({"sax.parse", "parse"})


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

    def reports(self, ctx: AnalysisContext, flow: Flow) -> bool:
        return _reader_resolves_entities(ctx, flow)


def _reader_resolves_entities(ctx: AnalysisContext, flow: Flow) -> bool:
    """Every flow but a reader's ``parse``; that one once ``reader.setFeature(
    feature_external_ges, True)`` appears in the file."""
    if flow.tail or not flow.sink.endswith(".parse") or flow.sink in _SAX_FUNCTIONS:
        return True
    assert ctx.root is not None
    if qualified_name(flow.sink, import_aliases(ctx.source, ctx.root)) in tables.SINKS:
        return True  # ``etree.parse``: a module function, a sink of its own
    receiver = flow.sink.removesuffix(".parse")
    turned_on = re.compile(
        re.escape(receiver.encode())
        + rb"\.setFeature\(\s*[\w.]*feature_external_ges\s*,\s*(?:True|1)\s*\)"
    )
    return turned_on.search(ctx.source) is not None
