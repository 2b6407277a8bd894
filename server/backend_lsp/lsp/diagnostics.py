"""Analysis off the hot path, and its results as diagnostics (push or pull, never both).

Edits only schedule work: after ``analysis.debounce_ms`` of quiet the document
is snapshotted and analysed in a worker thread. Results are cached per
(uri, version); a result for a version the editor has already moved past is
dropped, never published.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from backend_lsp.analysis.model import Finding
from backend_lsp.lsp.convert import to_range
from backend_lsp.lsp.documents import DocumentState, take_snapshot
from backend_lsp.text import Encoding

if TYPE_CHECKING:
    from backend_lsp.analysis.schema import WorkspaceSchema
    from backend_lsp.config import AnalysisSettings
    from backend_lsp.engine import IncrementalAnalyzer
    from backend_lsp.syntax.document import ParsedDocument

log = logging.getLogger(__name__)

SOURCE = "backend-lsp"


def analyse_snapshot(
    path: str,
    snapshot: ParsedDocument,
    settings: AnalysisSettings,
    schema: WorkspaceSchema | None,
    analyzer: IncrementalAnalyzer | None = None,
) -> tuple[list[Finding], str | None]:
    """Findings for one snapshot, or a reason the file was skipped (runs in a thread)."""
    from backend_lsp.engine import FileTooLarge, analyze_document

    try:
        if analyzer is not None:
            return analyzer.analyze(path, snapshot, settings, schema), None
        return analyze_document(path, snapshot, settings, schema), None
    except FileTooLarge as error:
        return [], str(error)


def finding_data(finding: Finding, uri: str, version: int) -> dict[str, Any]:
    """What a later codeAction needs to find this finding again in the cache."""
    return {
        "uri": uri,
        "version": version,
        "code": finding.code,
        "start": finding.start,
        "end": finding.end,
        "fix": finding.fix is not None,
    }


def to_diagnostic(finding: Finding, state: DocumentState, encoding: Encoding) -> types.Diagnostic:
    snapshot = state.snapshot
    assert snapshot is not None
    return types.Diagnostic(
        range=to_range(snapshot.index, finding.start, finding.end, encoding),
        message=finding.message,
        severity=types.DiagnosticSeverity(int(finding.severity)),
        code=finding.code,
        code_description=types.CodeDescription(href=finding.doc_url) if finding.doc_url else None,
        source=finding.source or SOURCE,
        data=finding_data(finding, state.uri, snapshot.version),
    )


class DiagnosticsManager:
    """Schedules analyses, caches their results and hands them to the client."""

    def __init__(
        self,
        get_settings: Callable[[], AnalysisSettings],
        get_schema: Callable[[], WorkspaceSchema | None],
        get_encoding: Callable[[], Encoding],
        publish: Callable[[str, int | None, list[types.Diagnostic]], None],
    ) -> None:
        self._settings = get_settings
        self._schema = get_schema
        self._encoding = get_encoding
        self._publish = publish
        self.push = True
        # Diagnostics from elsewhere (the agent's review) merged into every report, and a
        # per-URI counter that changes with them so pulled result ids change too.
        self.extra: Callable[[DocumentState], list[types.Diagnostic]] = lambda state: []
        self.extra_generation: Callable[[str], int] = lambda uri: 0
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._running: dict[str, tuple[int, asyncio.Task[DocumentState]]] = {}
        # Per open document: the previous run's findings, reused where an edit cannot reach.
        self._analyzers: dict[str, IncrementalAnalyzer] = {}

    def schedule(self, state: DocumentState, delay_ms: int | None = None) -> None:
        """Debounced analysis of the document's current version."""
        old = self._pending.pop(state.uri, None)
        if old is not None:
            old.cancel()
        delay = self._settings().debounce_ms if delay_ms is None else delay_ms
        self._pending[state.uri] = asyncio.ensure_future(self._debounced(state, delay / 1000))

    def forget(self, uri: str) -> None:
        task = self._pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self._running.pop(uri, None)
        self._analyzers.pop(uri, None)

    async def _debounced(self, state: DocumentState, delay: float) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
        except asyncio.CancelledError:
            return
        self._pending.pop(state.uri, None)
        try:
            await self.ensure(state)
        except Exception:
            log.exception("analysis of %s failed", state.uri)
            return
        if self.push:
            self.publish(state)

    async def ensure(self, state: DocumentState) -> DocumentState:
        """Wait until the cache holds results for the document's current version."""
        while state.analysed_version != state.version:
            version = state.version
            running = self._running.get(state.uri)
            if running is None or running[0] != version:
                task = asyncio.ensure_future(self._analyse(state))
                self._running[state.uri] = (version, task)
                running = (version, task)
            await asyncio.shield(running[1])
            if self._running.get(state.uri) == running:
                self._running.pop(state.uri, None)
            if state.analysed_version != state.version and state.version == version:
                break  # nothing to analyse (closed, skipped): do not spin
        return state

    async def _analyse(self, state: DocumentState) -> DocumentState:
        settings = self._settings()
        version = state.version
        if state.binary:
            self._store(state, version, None, [], "binary content: not analysed")
            return state
        size = len(state.document.source)
        if size > settings.max_file_bytes or not state.document.has_grammar:
            reason = None
            if size > settings.max_file_bytes:
                reason = (
                    f"{state.path}: {size:,} bytes is over analysis.max_file_bytes "
                    f"({settings.max_file_bytes:,}); not analysed"
                )
            self._store(state, version, None, [], reason)
            return state
        schema = self._schema()
        analyzer = self._analyzer(state.uri)

        def work() -> tuple[ParsedDocument, list[Finding], str | None]:
            snapshot = take_snapshot(state.document)
            findings, skipped = analyse_snapshot(state.path, snapshot, settings, schema, analyzer)
            return snapshot, findings, skipped

        snapshot, findings, skipped = await asyncio.to_thread(work)
        self._store(state, snapshot.version, snapshot, findings, skipped)
        return state

    def _analyzer(self, uri: str) -> IncrementalAnalyzer:
        from backend_lsp.engine import IncrementalAnalyzer

        analyzer = self._analyzers.get(uri)
        if analyzer is None:
            analyzer = self._analyzers[uri] = IncrementalAnalyzer()
        return analyzer

    def _store(
        self,
        state: DocumentState,
        version: int,
        snapshot: ParsedDocument | None,
        findings: list[Finding],
        skipped: str | None,
    ) -> None:
        if state.analysed_version is not None and version < state.analysed_version:
            return  # an older run finished late: keep the newer result
        if skipped and skipped != state.skipped:
            log.info("%s", skipped)
        state.snapshot = snapshot
        state.findings = list(findings)
        state.analysed_version = version
        state.skipped = skipped

    def diagnostics(self, state: DocumentState) -> list[types.Diagnostic]:
        items: list[types.Diagnostic] = []
        if state.snapshot is not None:
            encoding = self._encoding()
            items = [
                to_diagnostic(f, state, encoding) for f in state.findings if isinstance(f, Finding)
            ]
        return items + self.extra(state)

    def publish(self, state: DocumentState) -> None:
        """Push the cached result, but only if it is for the version the editor has."""
        if state.analysed_version != state.version:
            return
        self._publish(state.uri, state.version, self.diagnostics(state))

    def clear(self, uri: str) -> None:
        if self.push:
            self._publish(uri, None, [])

    async def pull(
        self, state: DocumentState, previous_result_id: str | None
    ) -> types.DocumentDiagnosticReport:
        await self.ensure(state)
        result_id = (
            f"{state.analysed_version}:{id(state.snapshot)}:{self.extra_generation(state.uri)}"
        )
        if previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(
            items=self.diagnostics(state), result_id=result_id
        )

    def invalidate(self, state: DocumentState) -> None:
        """Settings changed: the cached result no longer counts."""
        state.analysed_version = None
