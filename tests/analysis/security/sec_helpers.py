"""Run one rule on a snippet and apply its fix, as an editor would."""

from __future__ import annotations

import textwrap

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.registry import analyze, select_rules
from backend_lsp.syntax.document import ParsedDocument


def run(code: str, source: str, path: str = "app/main.py") -> list[Finding]:
    document = ParsedDocument(textwrap.dedent(source), "python")
    return analyze(AnalysisContext(path, document), select_rules([code]))


def apply_fix(source: str, finding: Finding) -> str:
    """The fixed text; asserts the result still parses without ERROR nodes."""
    assert finding.fix is not None, finding
    data = textwrap.dedent(source).encode()
    for edit in sorted(finding.fix.edits, key=lambda e: e.start, reverse=True):
        data = data[: edit.start] + edit.new_text.encode() + data[edit.end :]
    fixed = data.decode()
    document = ParsedDocument(fixed, "python")
    assert document.root is not None and not document.root.has_error, fixed
    return fixed


def flagged(finding: Finding, source: str) -> str:
    return textwrap.dedent(source).encode()[finding.start : finding.end].decode()
