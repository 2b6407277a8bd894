"""LineIndex.line_characters must agree with position() offset by offset, whatever the order."""

from __future__ import annotations

import json
import random

import pytest

from backend_lsp.analysis.model import Finding, Severity
from backend_lsp.lsp.convert import line_character
from backend_lsp.lsp.diagnostics import DiagnosticRenderer
from backend_lsp.text import Encoding, LineIndex

TEXTS = (
    "",
    "x = 1",
    "def f():\n    return 1\n\n\nclass A:\n    pass\n",
    "name = 'héllo wörld'\r\nemoji = '😀 ok'\r\n\r\nlast = '中文'",
    "\n\n\n",
    "a" * 40 + "\n" + "é" * 10 + "\n" + "b" * 3,
)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("encoding", list(Encoding))
def test_matches_position_for_any_offsets(text: str, encoding: Encoding) -> None:
    index = LineIndex.from_text(text)
    size = len(index.source)
    rng = random.Random(len(text))
    ascending = list(range(-2, size + 3))
    shuffled = ascending[:]
    rng.shuffle(shuffled)
    jumps = [o for n in range(0, size + 1, 7) for o in (n, min(size, n + 60))]
    for offsets in (ascending, shuffled, jumps, list(reversed(ascending))):
        expected = [(p.line, p.character) for p in (index.position(o, encoding) for o in offsets)]
        assert index.line_characters(offsets, encoding) == expected


def test_long_file_sorted_spans() -> None:
    lines = [
        f"    value_{n} = call({n})  # ü" if n % 50 == 0 else f"x{n} = {n}" for n in range(3000)
    ]
    index = LineIndex.from_text("\n".join(lines))
    rng = random.Random(3)
    offsets: list[int] = []
    for start in sorted(rng.randrange(len(index.source)) for _ in range(500)):
        offsets += [start, start + rng.choice((0, 5, 400, 9000))]
    for encoding in Encoding:
        expected = [line_character(index, o, encoding) for o in offsets]
        assert index.line_characters(offsets, encoding) == expected


def test_renderer_text_and_dicts_agree() -> None:
    text = "x = 'é'\nquery = f'SELECT {x}'\n" * 20
    index = LineIndex.from_text(text)
    findings = [
        Finding("BE001", "sql", Severity.WARNING, f"m{n}", s, s + 12, "https://example.com")
        for n, s in enumerate(range(0, len(index.source) - 12, 37))
    ]
    renderer = DiagnosticRenderer()
    for encoding in (Encoding.UTF16, Encoding.UTF8):
        dicts = renderer.render(findings, index, encoding)
        texts = renderer.render_text(findings, index, encoding)
        assert [json.loads(t) for t in texts] == dicts
        for finding, item in zip(findings, dicts, strict=True):
            start = line_character(index, finding.start, encoding)
            end = line_character(index, finding.end, encoding)
            assert item["range"] == {
                "start": {"line": start[0], "character": start[1]},
                "end": {"line": end[0], "character": end[1]},
            }
