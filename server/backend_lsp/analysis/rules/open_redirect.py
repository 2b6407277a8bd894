"""BE021: request data chooses the redirect target without a host check (CWE-601).

A taint rule: it reports only values the engine traced from request data.
"""

from __future__ import annotations

from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.rule import TaintRule


@register
class OpenRedirect(TaintRule):
    meta = RuleMeta(
        code="BE021",
        name="open-redirect",
        severity=Severity.WARNING,
        summary="Request data chooses the redirect target without a host check.",
        doc_url="https://cwe.mitre.org/data/definitions/601.html",
        locations=TESTS_AND_FIXTURES,  # a test app's view serves no visitor
    )
    category = tables.REDIRECT
    risk = "a link on your domain can send users to any site (open redirect, phishing)"
    advice = (
        "Redirect only to url_for()/reverse() targets, or check the URL with "
        "url_has_allowed_host_and_scheme (or an allow-list) first."
    )
