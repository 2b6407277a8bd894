"""Analysis off the hot path, and its results as diagnostics (push or pull, never both).

Scheduling is leading-edge: the first change after a quiet spell is analysed at
once; changes that arrive while that runs, or within ``analysis.debounce_ms``
of the previous change, are coalesced into one trailing run for the latest
version, ``debounce_ms`` after the last of them. Analysis runs in a worker
thread; results are cached per (uri, version), and a result for a version the
editor has already moved past is dropped, never published.

Diagnostics go out as JSON-ready dicts, not attrs objects: with thousands of
findings the attrs build and cattrs round trip cost more than the analysis.
Each finding's static part (message, code, source, data) is built once and
reused while the incremental analyzer keeps handing back the same Finding.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from backend_lsp.analysis.model import ANALYZER_SOURCE, Finding
from backend_lsp.lsp.convert import converter
from backend_lsp.lsp.documents import DocumentState
from backend_lsp.text import Encoding, LineIndex

if TYPE_CHECKING:
    from backend_lsp.analysis.schema import WorkspaceSchema
    from backend_lsp.analysis.taint.summaries import SummaryProvider
    from backend_lsp.config import AnalysisSettings
    from backend_lsp.engine import IncrementalAnalyzer
    from backend_lsp.syntax.document import ParsedDocument

log = logging.getLogger(__name__)

SOURCE = ANALYZER_SOURCE
Json = dict[str, Any]


def analyse_snapshot(
    path: str,
    snapshot: ParsedDocument,
    settings: AnalysisSettings,
    schema: WorkspaceSchema | None,
    analyzer: IncrementalAnalyzer | None = None,
    root: Path | None = None,
    summaries: SummaryProvider | None = None,
) -> tuple[list[Finding], str | None]:
    """Findings for one snapshot, or a reason the file was skipped (runs in a thread)."""
    from backend_lsp.engine import FileTooLarge, analyze_document

    try:
        if analyzer is not None:
            found = analyzer.analyze(
                path, snapshot, settings, schema, root=root, summaries=summaries
            )
            return found, None
        return analyze_document(
            path, snapshot, settings, schema, root=root, summaries=summaries
        ), None
    except FileTooLarge as error:
        return [], str(error)


def finding_data(finding: Finding) -> Json:
    """The diagnostic's ``data``: small, since it travels with every diagnostic.

    Quick fixes are found from the stored findings (by range, or by the ``id``
    an agent finding carries in ``Finding.data``), so the client only needs the
    code, whether a fix exists, and the finding's own data.
    """
    return {"code": finding.code, "fix": finding.fix is not None, **finding.data}


def static_json(finding: Finding) -> Json:
    """Everything of a finding's diagnostic except its range (which moves with edits)."""
    item: Json = {
        "message": finding.message,
        "severity": int(finding.severity),
        "code": finding.code,
        "source": finding.source or SOURCE,
        "data": finding_data(finding),
    }
    if finding.doc_url:
        item["codeDescription"] = {"href": finding.doc_url}
    return item


_StaticKey = tuple[str, str, int, str, str, bool, tuple[tuple[str, str], ...]]


def _static_key(finding: Finding) -> _StaticKey:
    return (
        finding.code,
        finding.message,
        int(finding.severity),
        finding.doc_url,
        finding.source,
        finding.fix is not None,
        tuple(finding.data.items()) if finding.data else (),
    )


_RANGE = '{"range":{"start":{"line":%d,"character":%d},"end":{"line":%d,"character":%d}},'
_BLOCK = 4096  # bytes compared at a time when finding where two versions first differ


def unchanged_prefix(old: bytes, new: bytes) -> int:
    """How many leading bytes ``old`` and ``new`` share (block compares, then bisection)."""
    size = min(len(old), len(new))
    if old is new:
        return size
    at = 0
    while at < size and old[at : at + _BLOCK] == new[at : at + _BLOCK]:
        at += _BLOCK
    if at >= size:
        return size
    low, high = at, min(at + _BLOCK, size)  # old[:low] == new[:low]; they differ before high
    while high - low > 1:
        mid = (low + high) // 2
        if old[low:mid] == new[low:mid]:
            low = mid
        else:
            high = mid
    return low if old[low] != new[low] else high


class DiagnosticRenderer:
    """Findings -> wire diagnostics, reusing the static parts seen in the last render.

    The key is the static content, not the Finding: an edit above a finding
    shifts it (a new object with the same message), and that should still hit.
    Each static part is kept as a dict and as its serialised JSON tail, so a
    push can be written as text without building or dumping thousands of dicts.
    """

    def __init__(self, uri: str | None = None) -> None:
        self._static: dict[_StaticKey, tuple[Json, str]] = {}
        # The last push's text of each finding, reused while the finding is the same object
        # and the text before its last offset (``_reach``) did not change: its positions
        # are then the same (findings above an edit, handed back as they were).
        self._texts: dict[int, tuple[Finding, int, str]] = {}
        self._source: bytes | None = None
        self._encoding: Encoding | None = None
        # With a uri, a finding's flow (source, each step, the sink) goes out as
        # relatedInformation; its locations move with edits, so it is built per render.
        self._uri = uri

    def _parts(self, findings: Iterable[object]) -> Iterator[tuple[Finding, Json, str]]:
        static = self._static
        for finding in findings:
            if not isinstance(finding, Finding):
                continue
            key = _static_key(finding)
            entry = static.get(key)
            if entry is None:
                part = static_json(finding)
                entry = static[key] = (part, json.dumps(part)[1:])  # '"message": ..., ...}'
            yield finding, entry[0], entry[1]

    def _prune(self, findings: Sequence[Finding]) -> None:
        """Keep the static parts of ``findings`` only, once stale ones outnumber them."""
        if len(self._static) > 2 * len(findings) + 256:
            keys = {_static_key(finding) for finding in findings}
            self._static = {key: part for key, part in self._static.items() if key in keys}

    def render(
        self, findings: Iterable[object], index: LineIndex, encoding: Encoding
    ) -> list[Json]:
        """Diagnostics as dicts (for a pull response, which pygls serialises)."""
        parts = list(self._parts(findings))
        self._prune([f for f, _, _ in parts])
        points = index.line_characters([o for f, _, _ in parts for o in (f.start, f.end)], encoding)
        related = self._related([f for f, _, _ in parts], index, encoding)
        items: list[Json] = []
        for i, (finding, static, _tail) in enumerate(parts):
            (l0, c0), (l1, c1) = points[2 * i], points[2 * i + 1]
            item: Json = {
                "range": {
                    "start": {"line": l0, "character": c0},
                    "end": {"line": l1, "character": c1},
                }
            }
            item.update(static)
            if finding.flow and related:
                item["relatedInformation"] = related[id(finding)]
            items.append(item)
        return items

    def _related(
        self, findings: list[Finding], index: LineIndex, encoding: Encoding
    ) -> dict[int, list[Json]]:
        """id(finding) -> its flow as LSP DiagnosticRelatedInformation (one per step)."""
        flowing = [f for f in findings if f.flow] if self._uri is not None else []
        if not flowing:
            return {}
        local = [step for f in flowing for step in f.flow if step.place is None]
        offsets = [o for step in local for o in (step.start, step.end)]
        points = iter(index.line_characters(offsets, encoding))
        out: dict[int, list[Json]] = {}
        for finding in flowing:
            steps: list[Json] = []
            for step in finding.flow:
                uri = self._uri
                if step.place is not None and step.path is not None:
                    # In an imported helper's file: placed when found, columns in code points.
                    l0, c0, l1, c1 = step.place
                    uri = Path(step.path).as_uri()
                else:
                    (l0, c0), (l1, c1) = next(points), next(points)
                location = {
                    "uri": uri,
                    "range": {
                        "start": {"line": l0, "character": c0},
                        "end": {"line": l1, "character": c1},
                    },
                }
                steps.append({"location": location, "message": step.message})
            out[id(finding)] = steps
        return out

    def render_text(
        self, findings: Iterable[object], index: LineIndex, encoding: Encoding
    ) -> list[str]:
        """Diagnostics as serialised JSON objects (for a push written as text)."""
        source = index.source
        known = self._texts if encoding is self._encoding else {}
        prefix = unchanged_prefix(self._source, source) if known and self._source else 0
        hits: dict[int, str] = {}  # position in the push -> the text reused
        todo: list[Finding] = []
        kept: dict[int, tuple[Finding, int, str]] = {}
        pushed: list[Finding] = []
        position = 0
        for item in findings:
            if not isinstance(item, Finding):
                continue
            entry = known.get(id(item)) if known else None
            if entry is not None and entry[0] is item and entry[1] <= prefix:
                hits[position] = entry[2]
                kept[id(item)] = entry
            else:
                todo.append(item)
            pushed.append(item)
            position += 1
        parts = list(self._parts(todo))
        offsets: list[int] = []
        for finding, _static, _tail in parts:
            offsets.append(finding.start)
            offsets.append(finding.end)
        points = index.line_characters(offsets, encoding)
        related = self._related(todo, index, encoding)
        fresh = [
            _RANGE % (*points[2 * i], *points[2 * i + 1])
            + (
                '"relatedInformation":' + json.dumps(related[id(finding)]) + ","
                if finding.flow and related
                else ""
            )
            + tail
            for i, (finding, _static, tail) in enumerate(parts)
        ]
        for finding, text in zip(todo, fresh, strict=True):
            kept[id(finding)] = (finding, _reach(finding) if finding.flow else finding.end, text)
        self._texts, self._source, self._encoding = kept, source, encoding
        self._prune(pushed)
        if not hits:
            return fresh
        out: list[str] = []
        rendered = iter(fresh)
        for at in range(position):
            hit = hits.get(at)
            out.append(next(rendered) if hit is None else hit)
        return out


def _reach(finding: Finding) -> int:
    """The last byte of this document a finding's text depends on (its range, its steps)."""
    reach = finding.end
    for step in finding.flow:
        if step.path is None and step.end > reach:
            reach = step.end
    return reach


def diagnostics_json(
    findings: Iterable[object], index: LineIndex, encoding: Encoding, uri: str | None = None
) -> list[Json]:
    """Wire diagnostics of findings, without a cache (files analysed once)."""
    return DiagnosticRenderer(uri).render(findings, index, encoding)


def as_diagnostic(
    finding: Finding, index: LineIndex, encoding: Encoding, uri: str | None = None
) -> types.Diagnostic:
    """The same diagnostic as an attrs object, for the few places that need one."""
    item = diagnostics_json([finding], index, encoding, uri)[0]
    result: types.Diagnostic = converter().structure(item, types.Diagnostic)
    return result


def to_diagnostic(finding: Finding, state: DocumentState, encoding: Encoding) -> types.Diagnostic:
    """An analyzer finding as an attrs diagnostic (offsets of the last analysed snapshot)."""
    snapshot = state.snapshot
    assert snapshot is not None
    return as_diagnostic(finding, snapshot.index, encoding, state.uri)


@dataclass(frozen=True)
class DiagnosticSource:
    """Findings of one producer besides the analyzer (the agent's review).

    ``findings(state)`` are in bytes of the document's current text (they follow
    its edits) and render through the analyzer's renderer. ``generation(uri)``
    changes whenever that producer's findings of ``uri`` do, so a pulled result
    id changes with them.
    """

    findings: Callable[[DocumentState], Sequence[Finding]]
    generation: Callable[[str], int]


class DiagnosticsManager:
    """Schedules analyses, caches their results and hands them to the client.

    The analyzer's findings come first; every producer added with
    ``add_source`` is merged after them, in the order added.
    """

    def __init__(
        self,
        get_settings: Callable[[], AnalysisSettings],
        get_schema: Callable[[], WorkspaceSchema | None],
        get_encoding: Callable[[], Encoding],
        publish: Callable[[str, int | None, str], None],
        get_root: Callable[[], Path | None] = lambda: None,
        get_summaries: Callable[[], SummaryProvider | None] = lambda: None,
    ) -> None:
        self._settings = get_settings
        self._root = get_root  # what exclude / per-file-ignores globs are relative to
        self._summaries = get_summaries  # imported helpers' taint summaries
        self._schema = get_schema
        self._encoding = get_encoding
        self._publish = publish
        self.push = True
        self._sources: dict[str, DiagnosticSource] = {}
        # One driver task per URI: waits out the debounce, analyses, publishes.
        self._drivers: dict[str, asyncio.Task[None]] = {}
        self._last_change: dict[str, float] = {}
        self._running: dict[str, tuple[int, asyncio.Task[DocumentState]]] = {}
        # Bumped by invalidate(): a run started before it must not store its result.
        self._epoch: dict[str, int] = {}
        # Per open document: the previous run's findings, reused where an edit cannot reach,
        # and the wire form of the findings last rendered.
        self._analyzers: dict[str, IncrementalAnalyzer] = {}
        self._renderers: dict[str, DiagnosticRenderer] = {}

    def schedule(self, state: DocumentState, delay_ms: int | None = None) -> None:
        """Analyse the document's current version: now if the document was quiet, else later.

        ``delay_ms=0`` (open, settings changed) always runs at once.
        """
        loop = asyncio.get_running_loop()
        now = loop.time()
        uri = state.uri
        forced = delay_ms == 0
        debounce = (self._settings().debounce_ms if delay_ms is None else delay_ms) / 1000
        previous = self._last_change.get(uri)
        self._last_change[uri] = now
        driver = self._drivers.get(uri)
        if driver is not None and not driver.done():
            if not forced:
                return  # the driver re-reads the version and the last change time
            driver.cancel()
        quiet = previous is None or now - previous >= debounce
        wait = 0.0 if forced or quiet else debounce
        self._drivers[uri] = asyncio.ensure_future(self._drive(state, wait))

    def forget(self, uri: str) -> None:
        driver = self._drivers.pop(uri, None)
        if driver is not None:
            driver.cancel()
        self._last_change.pop(uri, None)
        self._running.pop(uri, None)
        self._epoch.pop(uri, None)
        self._analyzers.pop(uri, None)
        self._renderers.pop(uri, None)

    async def _drive(self, state: DocumentState, debounce: float) -> None:
        """Wait for ``debounce`` of quiet, analyse, publish; repeat if edits came meanwhile."""
        loop = asyncio.get_running_loop()
        uri = state.uri
        try:
            while True:
                if debounce > 0:
                    wait = self._last_change.get(uri, 0.0) + debounce - loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                        continue
                version, epoch = state.version, self._epoch.get(uri, 0)
                if state.analysed_version != version:
                    await self._analyse_current(state)
                if state.analysed_version == state.version:
                    if self.push:
                        self.publish(state)
                    return
                if state.version == version and self._epoch.get(uri, 0) == epoch:
                    return  # nothing stored for this version (closed): do not spin
                debounce = self._settings().debounce_ms / 1000  # edited meanwhile: trail
        except asyncio.CancelledError:
            return
        except Exception:
            log.exception("analysis of %s failed", uri)
        finally:
            if self._drivers.get(uri) is asyncio.current_task():
                del self._drivers[uri]

    async def ensure(self, state: DocumentState) -> DocumentState:
        """Wait until the cache holds results for the document's current version."""
        while state.analysed_version != state.version:
            version, epoch = state.version, self._epoch.get(state.uri, 0)
            await self._analyse_current(state)
            if (
                state.analysed_version != state.version
                and state.version == version
                and self._epoch.get(state.uri, 0) == epoch
            ):
                break  # nothing to analyse (closed, skipped): do not spin
        return state

    async def _analyse_current(self, state: DocumentState) -> None:
        """Run (or join the run of) the analysis of the current version."""
        version = state.version
        running = self._running.get(state.uri)
        if running is None or running[0] != version:
            running = (version, asyncio.ensure_future(self._analyse(state)))
            self._running[state.uri] = running
        await asyncio.shield(running[1])
        if self._running.get(state.uri) == running:
            self._running.pop(state.uri, None)

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
        root = self._root()
        summaries = self._summaries()
        analyzer = self._analyzer(state.uri)
        epoch = self._epoch.get(state.uri, 0)

        def work() -> tuple[ParsedDocument, list[Finding], str | None]:
            snapshot = state.document.snapshot()
            findings, skipped = analyse_snapshot(
                state.path, snapshot, settings, schema, analyzer, root, summaries
            )
            return snapshot, findings, skipped

        snapshot, findings, skipped = await asyncio.to_thread(work)
        if self._epoch.get(state.uri, 0) == epoch:  # else: settings changed meanwhile
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

    def _renderer(self, uri: str) -> DiagnosticRenderer:
        renderer = self._renderers.get(uri)
        if renderer is None:
            renderer = self._renderers[uri] = DiagnosticRenderer(uri)
        return renderer

    def add_source(self, name: str, source: DiagnosticSource) -> None:
        """Merge ``source``'s diagnostics into every report (one source per name)."""
        self._sources[name] = source

    def _others(self, state: DocumentState) -> list[Finding]:
        """The other sources' findings, in order (offsets of the current text)."""
        return [f for source in self._sources.values() for f in source.findings(state)]

    def diagnostics(self, state: DocumentState) -> list[Json]:
        """The cached result as wire diagnostics, the agent's after the analyzer's."""
        items: list[Json] = []
        if state.snapshot is not None:
            renderer = self._renderer(state.uri)
            items = renderer.render(state.findings, state.snapshot.index, self._encoding())
        others = self._others(state)
        if others:
            items.extend(diagnostics_json(others, state.document.index, self._encoding()))
        return items

    def diagnostics_text(self, state: DocumentState) -> str:
        """The same as a serialised JSON array, for a push."""
        texts: list[str] = []
        if state.snapshot is not None:
            renderer = self._renderer(state.uri)
            texts = renderer.render_text(state.findings, state.snapshot.index, self._encoding())
        others = self._others(state)
        if others:
            index = state.document.index
            texts.extend(DiagnosticRenderer().render_text(others, index, self._encoding()))
        return "[" + ",".join(texts) + "]"

    def publish(self, state: DocumentState) -> None:
        """Push the cached result, but only if it is for the version the editor has."""
        if state.analysed_version != state.version:
            return
        self._publish(state.uri, state.version, self.diagnostics_text(state))

    def clear(self, uri: str) -> None:
        if self.push:
            self._publish(uri, None, "[]")

    async def pull(self, state: DocumentState, previous_result_id: str | None) -> Json:
        """A document diagnostic report, as the JSON the response carries."""
        await self.ensure(state)
        generations = ":".join(str(s.generation(state.uri)) for s in self._sources.values())
        result_id = f"{state.analysed_version}:{id(state.snapshot)}:{generations}"
        if previous_result_id == result_id:
            return {"kind": "unchanged", "resultId": result_id}
        return {"kind": "full", "resultId": result_id, "items": self.diagnostics(state)}

    def invalidate(self, state: DocumentState) -> None:
        """Settings changed: the cached result, and any run in flight, no longer count."""
        state.analysed_version = None
        self._epoch[state.uri] = self._epoch.get(state.uri, 0) + 1
        self._running.pop(state.uri, None)
