"""Diagnostics in wire form, and leading-edge scheduling, without a client."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

from lsprotocol import types

from backend_lsp.analysis.model import AGENT_SOURCE, Edit, Finding, Fix, Severity
from backend_lsp.config import AnalysisSettings
from backend_lsp.lsp.convert import converter, position_json, to_range
from backend_lsp.lsp.diagnostics import (
    DiagnosticRenderer,
    DiagnosticsManager,
    DiagnosticSource,
    as_diagnostic,
    to_diagnostic,
)
from backend_lsp.lsp.documents import DocumentState, DocumentStore
from backend_lsp.text import Encoding, LineIndex

SOURCE = "# é 😀 ü\nx = 'naïve 😀'; y = 1\nz = 2\n"
SWALLOW = "def f():\n    try:\n        g()\n    except Exception:\n        pass\n"


def _finding(
    start: int, end: int, fix: Fix | None = None, doc_url: str = "https://example.com/BE999"
) -> Finding:
    return Finding(
        code="BE999",
        name="test-rule",
        severity=Severity.WARNING,
        message="a message",
        start=start,
        end=end,
        doc_url=doc_url,
        fix=fix,
    )


def test_positions_match_the_line_index_in_every_encoding() -> None:
    data = SOURCE.encode()
    index = LineIndex(data)
    for encoding in Encoding:
        for offset in range(-2, len(data) + 3):
            expected = index.position(offset, encoding)
            got = position_json(index, offset, encoding)
            assert (got["line"], got["character"]) == (expected.line, expected.character)


def test_rendered_diagnostic_equals_the_attrs_diagnostic() -> None:
    store = DocumentStore()
    state = store.open("file:///t/a.py", "python", SOURCE, 1)
    state.snapshot = state.document.snapshot()
    start = SOURCE.encode().index(b"x")
    end = SOURCE.encode().index(b"; y")
    fix = Fix("Fix it", (Edit(start, start + 1, "xx"),))
    findings = [_finding(start, end, fix=fix), _finding(0, 3, doc_url="")]
    state.findings = list(findings)
    for encoding in (Encoding.UTF8, Encoding.UTF16):
        items = DiagnosticRenderer().render(findings, state.snapshot.index, encoding)
        for item, finding in zip(items, findings, strict=True):
            attrs = to_diagnostic(finding, state, encoding)
            assert item == converter().unstructure(attrs)
            assert attrs.range == to_range(
                state.snapshot.index, finding.start, finding.end, encoding
            )
    first, second = DiagnosticRenderer().render(findings, state.snapshot.index, Encoding.UTF16)
    assert first["data"] == {"code": "BE999", "fix": True}
    assert first["codeDescription"] == {"href": "https://example.com/BE999"}
    assert "codeDescription" not in second and second["data"]["fix"] is False
    assert first["severity"] == 2 and first["source"] == "backend-lsp"


def test_renderer_reuses_static_parts_across_shifted_findings() -> None:
    index = LineIndex(SOURCE.encode())
    renderer = DiagnosticRenderer()
    first = _finding(0, 3)
    before = renderer.render([first, _finding(4, 6)], index, Encoding.UTF16)
    shifted = replace(first, start=10, end=13)  # what an edit above it produces
    reworded = replace(first, message="another message")
    after = renderer.render([shifted, reworded, "not a finding"], index, Encoding.UTF16)
    assert len(after) == 2
    assert after[0]["data"] is before[0]["data"]  # the cached static part, shared
    assert after[0]["range"] != before[0]["range"]  # ranges are always recomputed
    assert after[1]["message"] == "another message" and after[1]["data"] is not before[0]["data"]


def test_text_rendering_is_the_same_json() -> None:
    index = LineIndex(SOURCE.encode())
    end = len(SOURCE.encode())
    fix = Fix("Fix it", (Edit(0, 1, "#"),))
    findings = [_finding(0, 3), _finding(5, end, fix=fix), _finding(9, 40, doc_url="")]
    renderer = DiagnosticRenderer()
    for encoding in Encoding:
        texts = renderer.render_text(findings, index, encoding)
        assert [json.loads(t) for t in texts] == renderer.render(findings, index, encoding)


# -- scheduling ------------------------------------------------------------------------------


class _Harness:
    """A manager over one real document, recording each publish as (version, time)."""

    def __init__(self, debounce_ms: int) -> None:
        self.settings = AnalysisSettings(debounce_ms=debounce_ms)
        self.published: list[tuple[int | None, float]] = []
        self.codes: list[list[str]] = []  # rule codes of each publish
        self.manager = DiagnosticsManager(
            lambda: self.settings, lambda: None, lambda: Encoding.UTF16, self._publish
        )
        self.store = DocumentStore()
        self.state: DocumentState = self.store.open("file:///t/a.py", "python", SWALLOW, 1)
        self.version = 1

    def _publish(self, uri: str, version: int | None, diagnostics: str) -> None:
        items = json.loads(diagnostics)
        self.codes.append([item["code"] for item in items])
        self.published.append((version, asyncio.get_running_loop().time()))

    def edit(self) -> float:
        """One keystroke: a comment appended; returns when it was scheduled."""
        self.version += 1
        text = SWALLOW + "#" * self.version
        self.store.change(self.state.uri, self.version, [(None, text)], Encoding.UTF16)
        self.manager.schedule(self.state)
        return asyncio.get_running_loop().time()

    async def settle(self, timeout: float = 10.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.published or self.published[-1][0] != self.state.version:
            assert loop.time() < deadline, f"no publish for version {self.state.version}"
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.05)  # let any stray publish show itself


async def test_first_change_after_quiet_is_analysed_at_once() -> None:
    harness = _Harness(debounce_ms=1000)
    harness.manager.schedule(harness.state, delay_ms=0)  # open: also warms the engine up
    await harness.settle()
    await asyncio.sleep(1.05)  # the user pauses longer than the debounce
    started = harness.edit()
    await harness.settle()
    version, at = harness.published[-1]
    assert version == harness.state.version
    assert at - started < 0.6  # not delayed by the 1 s debounce


async def test_changes_within_the_window_coalesce_into_one_trailing_run() -> None:
    harness = _Harness(debounce_ms=300)
    harness.manager.schedule(harness.state, delay_ms=0)
    await harness.settle()
    harness.published.clear()
    first = harness.edit()  # within 300 ms of the open: not quiet
    for _ in range(4):
        await asyncio.sleep(0.03)
        last = harness.edit()
    await harness.settle()
    assert [v for v, _ in harness.published] == [harness.state.version]  # one run, the latest
    at = harness.published[0][1]
    assert at - last >= 0.3 * 0.9  # it waited out the window after the last keystroke
    assert at - first >= 0.3


async def test_edits_during_a_leading_run_get_a_trailing_run() -> None:
    harness = _Harness(debounce_ms=200)
    harness.manager.schedule(harness.state, delay_ms=0)
    harness.edit()  # arrives before the open's run even started
    await harness.settle()
    assert harness.published[-1][0] == harness.state.version
    assert all(v is not None for v, _ in harness.published)
    versions = [v or 0 for v, _ in harness.published]
    assert versions == sorted(versions) and len(versions) == len(set(versions))


async def test_forced_schedule_runs_at_once_inside_the_window() -> None:
    harness = _Harness(debounce_ms=5000)
    harness.manager.schedule(harness.state, delay_ms=0)
    await harness.settle()
    harness.edit()  # trailing: would wait 5 s
    await asyncio.sleep(0.05)
    assert harness.published[-1][0] != harness.state.version
    harness.manager.invalidate(harness.state)
    started = asyncio.get_running_loop().time()
    harness.manager.schedule(harness.state, delay_ms=0)  # settings changed: now
    await harness.settle()
    assert harness.published[-1][1] - started < 2.0


async def test_forget_cancels_a_waiting_run() -> None:
    harness = _Harness(debounce_ms=200)
    harness.manager.schedule(harness.state, delay_ms=0)
    await harness.settle()
    count = len(harness.published)
    harness.edit()
    harness.manager.forget(harness.state.uri)
    await asyncio.sleep(0.4)
    assert len(harness.published) == count


def test_pull_report_shapes_are_valid_lsp() -> None:
    full = {"kind": "full", "resultId": "1", "items": []}
    unchanged = {"kind": "unchanged", "resultId": "1"}
    structured = converter().structure(full, types.RelatedFullDocumentDiagnosticReport)
    assert structured.result_id == "1"
    assert converter().structure(unchanged, types.RelatedUnchangedDocumentDiagnosticReport)


async def test_invalidate_drops_the_run_in_flight() -> None:
    harness = _Harness(debounce_ms=100)
    harness.manager.schedule(harness.state, delay_ms=0)  # analysing with BE015 on
    while not harness.manager._running:  # wait until the run is in flight
        await asyncio.sleep(0)
    for _ in range(3):
        await asyncio.sleep(0)  # ... and has read its settings and gone to its thread
    harness.settings = AnalysisSettings(debounce_ms=100, ignore=["BE015"])
    harness.manager.invalidate(harness.state)
    harness.manager.schedule(harness.state, delay_ms=0)
    await harness.settle()
    assert harness.codes and all("BE015" not in codes for codes in harness.codes)
    harness.settings = AnalysisSettings(debounce_ms=100)  # and back: BE015 returns
    harness.manager.invalidate(harness.state)
    harness.manager.schedule(harness.state, delay_ms=0)
    await asyncio.sleep(0.3)
    assert "BE015" in harness.codes[-1]


def _review(start: int, end: int, message: str = "review", fix: Fix | None = None) -> Finding:
    """A review finding as the agent workflow anchors one: the analyzer's type, source agent."""
    return Finding(
        code="review-security",
        name="review-security",
        severity=Severity.ERROR,
        message=message,
        start=start,
        end=end,
        doc_url="",
        fix=fix,
        source=AGENT_SOURCE,
        data={"id": f"agent-{start}"},
    )


async def test_other_sources_follow_the_analyzer_and_change_the_result_id() -> None:
    manager = DiagnosticsManager(
        lambda: AnalysisSettings(), lambda: None, lambda: Encoding.UTF16, lambda *a: None
    )
    state = DocumentStore().open("file:///t/a.py", "python", SWALLOW, 1)
    review: list[Finding] = []
    generation = [0]
    manager.add_source(
        "backend-agent", DiagnosticSource(lambda s: list(review), lambda uri: generation[0])
    )
    first = await manager.pull(state, None)
    assert [d["code"] for d in first["items"]] == ["BE015"]
    offset = SWALLOW.index("try")
    review.append(_review(offset, offset))
    unchanged = await manager.pull(state, first["resultId"])
    assert unchanged["kind"] == "unchanged"  # the source did not say it changed
    generation[0] += 1
    second = await manager.pull(state, first["resultId"])
    assert second["kind"] == "full" and second["resultId"] != first["resultId"]
    assert [d["source"] for d in second["items"]] == ["backend-lsp", "backend-agent"]
    point = {"line": 1, "character": 4}
    assert second["items"][1]["range"] == {"start": point, "end": point}
    text = json.loads(manager.diagnostics_text(state))
    assert text == second["items"]


async def test_agent_and_analyzer_findings_on_one_line_render_alike() -> None:
    """Both kinds are Findings rendered by one renderer: same fields, only the source differs."""
    manager = DiagnosticsManager(
        lambda: AnalysisSettings(), lambda: None, lambda: Encoding.UTF16, lambda *a: None
    )
    state = DocumentStore().open("file:///t/a.py", "python", SWALLOW, 1)
    [analyzer] = (await manager.pull(state, None))["items"]
    line = SWALLOW.splitlines()[analyzer["range"]["start"]["line"]]
    start = SWALLOW.index(line) + line.index("except")
    fix = Fix("Apply the agent's fix", (Edit(start, start + 6, "except ValueError"),))
    review = [_review(start, start + len("except Exception"), "swallowed error", fix)]
    manager.add_source("backend-agent", DiagnosticSource(lambda s: review, lambda uri: 1))
    pulled = (await manager.pull(state, None))["items"]
    pushed = json.loads(manager.diagnostics_text(state))
    assert pulled == pushed
    [ours, agent] = pulled
    assert ours["range"]["start"]["line"] == agent["range"]["start"]["line"]
    assert set(ours) - {"codeDescription"} == set(agent)  # the agent has no rule page
    assert (ours["source"], agent["source"]) == ("backend-lsp", "backend-agent")
    assert agent["code"] == "review-security" and agent["severity"] == 1
    assert agent["data"] == {"code": "review-security", "fix": True, "id": f"agent-{start}"}
    assert set(ours["data"]) == {"code", "fix"}
    # the attrs form for a code action's ``diagnostics`` is the same diagnostic
    structured = as_diagnostic(review[0], state.document.index, Encoding.UTF16)
    assert converter().unstructure(structured) == agent
