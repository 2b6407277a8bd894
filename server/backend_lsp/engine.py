"""Front-end independent entry points: analyse one document with settings applied.

Both the language server and the CLI call this, so an editor diagnostic and a
``backend-lsp check`` line always agree. ``IncrementalAnalyzer`` gives the
same answer as ``analyze_document`` but, held per open document, re-analyses
only what an edit can affect (see ``analysis.incremental``).
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from backend_lsp.analysis import locations
from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.incremental import ChunkedAnalysis
from backend_lsp.analysis.model import Finding, Severity
from backend_lsp.analysis.registry import Rule, analyze, select_rules
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
    rules = _rules_for(path, document, settings)
    if rules is None:
        return []
    treatment = locations.treatments(path, [r.meta for r in rules], settings.locations)
    rules = [r for r in rules if treatment.get(r.meta.code) != "skip"]
    context = AnalysisContext(path, document, schema or WorkspaceSchema())
    return locations.apply(_with_overrides(analyze(context, rules), settings), treatment)


class IncrementalAnalyzer:
    """``analyze_document`` for one open document, reusing the previous run's findings.

    A change of path, settings or schema object means a full run. Calls are
    serialised per instance (overlapping runs of two versions would share state).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks = ChunkedAnalysis()
        self._schema: WorkspaceSchema | None = None  # kept alive: compared by identity

    @property
    def last_reused(self) -> int:
        """Top-level functions whose findings the last run reused (0 after a full run)."""
        return self._chunks.last_reused

    def reset(self) -> None:
        with self._lock:
            self._chunks.reset()

    def analyze(
        self,
        path: str,
        document: ParsedDocument,
        settings: AnalysisSettings,
        schema: WorkspaceSchema | None = None,
    ) -> list[Finding]:
        """Same result as ``analyze_document``; raises FileTooLarge the same way."""
        with self._lock:
            rules = _rules_for(path, document, settings)
            if rules is None:
                self._chunks.reset()
                return []
            if schema is not self._schema:
                self._chunks.reset()
                self._schema = schema
            treatment = locations.treatments(path, [r.meta for r in rules], settings.locations)
            rules = [r for r in rules if treatment.get(r.meta.code) != "skip"]
            context = AnalysisContext(path, document, schema or WorkspaceSchema())
            key = (path, _settings_key(settings))
            found = _with_overrides(self._chunks.run(context, rules, key), settings)
            return locations.apply(found, treatment)


def _settings_key(settings: AnalysisSettings) -> Any:
    dumped = settings.model_dump(exclude={"debounce_ms"})
    return repr(sorted(dumped.items()))


def _rules_for(
    path: str, document: ParsedDocument, settings: AnalysisSettings
) -> list[Rule] | None:
    """The rules to run, None when the document is not analysed; raises FileTooLarge."""
    if not settings.enabled or not document.has_grammar:
        return None
    if len(document.source) > settings.max_file_bytes:
        raise FileTooLarge(
            f"{path}: {len(document.source):,} bytes is over analysis.max_file_bytes "
            f"({settings.max_file_bytes:,}); skipped"
        )
    return select_rules(settings.select, settings.ignore)


def _with_overrides(findings: list[Finding], settings: AnalysisSettings) -> list[Finding]:
    if not settings.severity:
        return findings
    overrides = {code.upper(): Severity.parse(level) for code, level in settings.severity.items()}
    return [
        dataclasses.replace(f, severity=overrides[f.code]) if f.code in overrides else f
        for f in findings
    ]
