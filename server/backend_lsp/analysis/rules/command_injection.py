"""BE016: request data reaches a shell or the program of a subprocess (CWE-78).

A taint rule: it reports only values the engine traced from request data.
"""

from __future__ import annotations

from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.rule import TaintRule


@register
class CommandInjection(TaintRule):
    meta = RuleMeta(
        code="BE016",
        name="command-injection",
        severity=Severity.ERROR,
        summary="Request data reaches a shell or the program of a subprocess.",
        doc_url="https://cwe.mitre.org/data/definitions/78.html",
        locations=TESTS_AND_FIXTURES,  # a test app's view serves no visitor
    )
    category = tables.COMMAND
    risk = "a crafted value runs arbitrary commands on the server (OS command injection)"
    advice = (
        "Pass an argument list without shell=True and a fixed program, or validate "
        "against an allow-list; quote with shlex.quote only when a shell is unavoidable."
    )
