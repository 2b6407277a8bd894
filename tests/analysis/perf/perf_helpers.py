"""Run one perf rule on a snippet and apply its fix the way an editor would."""

from __future__ import annotations

import textwrap

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.registry import analyze, select_rules
from backend_lsp.analysis.schema import Table, WorkspaceSchema
from backend_lsp.syntax.document import ParsedDocument


def schema(*tables: Table) -> WorkspaceSchema:
    result = WorkspaceSchema()
    for table in tables:
        result.add(table)
    return result


def run(
    code: str, source: str, path: str = "app/services.py", known: WorkspaceSchema | None = None
) -> list[Finding]:
    document = ParsedDocument(textwrap.dedent(source), "python")
    context = AnalysisContext(path, document, known or WorkspaceSchema())
    return analyze(context, select_rules([code]))


def apply_fix(source: str, finding: Finding) -> str:
    """The fixed text; asserts it still parses without ERROR nodes."""
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
