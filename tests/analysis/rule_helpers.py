"""Run one rule on a snippet and apply its fix the way an editor would.

Shared by the perf and security rule tests so both check fixes by the same yardstick.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Edit, Finding
from backend_lsp.analysis.registry import analyze, select_rules
from backend_lsp.analysis.schema import Table, WorkspaceSchema
from backend_lsp.syntax.document import ParsedDocument


def schema(*tables: Table) -> WorkspaceSchema:
    result = WorkspaceSchema()
    for table in tables:
        result.add(table)
    return result


def run(
    code: str, source: str, path: str = "app/main.py", known: WorkspaceSchema | None = None
) -> list[Finding]:
    document = ParsedDocument(textwrap.dedent(source), "python")
    context = AnalysisContext(path, document, known or WorkspaceSchema())
    return analyze(context, select_rules([code]))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Splice byte-offset edits last-first, so earlier offsets stay valid."""
    data = text.encode("utf-8")
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        data = data[: edit.start] + edit.new_text.encode("utf-8") + data[edit.end :]
    return data.decode("utf-8")


def apply_fix(source: str, finding: Finding) -> str:
    """The fixed text; asserts the result still parses without ERROR nodes."""
    assert finding.fix is not None, finding
    fixed = apply_edits(textwrap.dedent(source), finding.fix.edits)
    document = ParsedDocument(fixed, "python")
    assert document.root is not None and not document.root.has_error, fixed
    return fixed


def flagged(finding: Finding, source: str) -> str:
    return textwrap.dedent(source).encode()[finding.start : finding.end].decode()
