"""BE019: request data chooses the url or host the server fetches (CWE-918).

A taint rule: it reports only values the engine traced from request data.
"""

from __future__ import annotations

from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.rule import TaintRule


@register
class Ssrf(TaintRule):
    meta = RuleMeta(
        code="BE019",
        name="ssrf",
        severity=Severity.ERROR,
        summary="Request data chooses the URL or host the server fetches.",
        doc_url="https://cwe.mitre.org/data/definitions/918.html",
        locations=TESTS_AND_FIXTURES,  # a test app's view serves no visitor
    )
    category = tables.SSRF
    risk = (
        "the server can be made to call internal services or cloud metadata (server-side "
        "request forgery)"
    )
    advice = (
        "Fetch only from a fixed host: check the parsed host against an allow-list before "
        "the request."
    )
