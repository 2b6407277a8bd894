"""Front-end independent entry points: analyse one document with settings applied.

Both the language server and the CLI call this, so an editor diagnostic and a
``backend-lsp check`` line always agree.
"""

from __future__ import annotations

import dataclasses

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding, Severity
from backend_lsp.analysis.registry import analyze, select_rules
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.config import AnalysisSettings
from backend_lsp.syntax.document import ParsedDocument


class FileTooLarge(Exception):
    """The document exceeds ``analysis.max_file_bytes``; it is skipped, not analysed."""


def analyze_document(
    path: str,
    document: ParsedDocument,
    settings: AnalysisSettings,
    schema: WorkspaceSchema | None = None,
) -> list[Finding]:
    """Findings for one document with select/ignore/severity settings applied."""
    if not settings.enabled or not document.has_grammar:
        return []
    if len(document.source) > settings.max_file_bytes:
        raise FileTooLarge(
            f"{path}: {len(document.source):,} bytes is over analysis.max_file_bytes "
            f"({settings.max_file_bytes:,}); skipped"
        )
    rules = select_rules(settings.select, settings.ignore)
    context = AnalysisContext(path, document, schema or WorkspaceSchema())
    findings = analyze(context, rules)
    if settings.severity:
        overrides = {
            code.upper(): Severity.parse(level) for code, level in settings.severity.items()
        }
        findings = [
            dataclasses.replace(f, severity=overrides[f.code]) if f.code in overrides else f
            for f in findings
        ]
    return findings
