"""BE018: request data chooses the file a call opens, sends or deletes (CWE-22).

A taint rule: it reports only values the engine traced from request data.
"""

from __future__ import annotations

from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.rule import TaintRule


@register
class PathTraversal(TaintRule):
    meta = RuleMeta(
        code="BE018",
        name="path-traversal",
        severity=Severity.ERROR,
        summary="Request data chooses the file a call opens, sends or deletes.",
        doc_url="https://cwe.mitre.org/data/definitions/22.html",
        locations=TESTS_AND_FIXTURES,  # a test app's view serves no visitor
    )
    category = tables.PATH
    risk = "`../` in the value reaches files outside the intended directory (path traversal)"
    advice = (
        "Reduce the name with werkzeug.utils.secure_filename or safe_join, or resolve "
        "with os.path.realpath and check it starts with the base directory."
    )
