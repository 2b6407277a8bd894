"""A push reuses the last text of a finding handed back unchanged above an edit: after
every edit (with the engine's own findings and with fixed ones whose text before them
changes at the same length), each diagnostic equals a fresh renderer's."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests.bench_module import bench_text

from backend_lsp.analysis.model import Finding, FlowStep, Severity
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import IncrementalAnalyzer
from backend_lsp.lsp.diagnostics import DiagnosticRenderer, unchanged_prefix
from backend_lsp.syntax.document import ParsedDocument, TextChange
from backend_lsp.text import Encoding, LineIndex

ROOT = Path(__file__).resolve().parents[1]


def test_unchanged_prefix_equals_a_byte_by_byte_scan() -> None:
    rng = random.Random(5)
    for _ in range(300):
        old = bytes(rng.choice(b"ab\n") for _ in range(rng.randrange(0, 9000)))
        new = bytearray(old)
        if new and rng.random() < 0.8:
            at = rng.randrange(len(new))
            new[at : at + rng.randrange(0, 3)] = bytes(rng.choice(b"abc") for _ in range(2))
        expected = 0
        while expected < min(len(old), len(new)) and old[expected] == new[expected]:
            expected += 1
        assert unchanged_prefix(old, bytes(new)) == expected


@pytest.mark.parametrize("encoding", [Encoding.UTF16, Encoding.UTF8])
def test_pushes_after_edits_equal_a_fresh_render(encoding: Encoding) -> None:
    rng = random.Random(9)
    document = ParsedDocument(bench_text(400).replace("orders", "ördérs", 3), "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    renderer = DiagnosticRenderer("file:///app/routes.py")
    reused = 0
    previous: list[str] = []
    for version in range(2, 30):
        findings = analyzer.analyze("app/routes.py", document.snapshot(), settings)
        index = document.snapshot().index
        texts = renderer.render_text(findings, index, encoding)
        kept = {id(text) for text in previous}  # ``previous`` keeps them alive
        reused += sum(id(text) in kept for text in texts)
        previous = texts
        assert texts == DiagnosticRenderer("file:///app/routes.py").render_text(
            findings, index, encoding
        )
        line = rng.randrange(3, document.index.line_count - 3)
        at = document.index.line_start(line)
        text = rng.choice(["# note\n", "    # é\n", "\n"])
        document.apply(TextChange(at, at, text), version)
    assert reused > 28 * 20  # findings above each edit: their last text


def test_same_finding_after_a_same_length_edit_before_it_is_rendered_again() -> None:
    """An edit above that keeps every offset (``ab`` -> ``é``: 2 bytes, 1 character) moves
    the UTF-16 column of the same finding object: its text must not be reused."""
    old = LineIndex(b"x = 'ab'; y = 1\n")
    new = LineIndex("x = 'é'; y = 1\n".encode())
    flow = (FlowStep(10, 11, "step"),)
    finding = Finding("BE001", "sql", Severity.WARNING, "m", 10, 15, "https://x", flow=flow)
    renderer = DiagnosticRenderer("file:///a.py")
    first = renderer.render_text([finding], old, Encoding.UTF16)
    second = renderer.render_text([finding], new, Encoding.UTF16)
    assert first != second
    assert second == DiagnosticRenderer("file:///a.py").render_text([finding], new, Encoding.UTF16)
    assert renderer.render_text([finding], new, Encoding.UTF16) == second  # reused, same text
