"""Replayed functions' facts are read in place (``taint/facts.py``), not copied: after
edits every expression's taint must equal a memo-free run's, and the lookups must find
the layer a key lies in, shifted, even with nested functions."""

from __future__ import annotations

import random

import pytest

from backend_lsp.analysis.model import FlowStep
from backend_lsp.analysis.taint import engine
from backend_lsp.analysis.taint.facts import Facts
from backend_lsp.analysis.taint.flow import Taint
from backend_lsp.analysis.taint.memo import Move
from backend_lsp.syntax.document import ParsedDocument, TextChange

SOURCE = """from flask import Flask, request
import subprocess

app = Flask(__name__)
PREFIX = "report-"


def quoted(value):
    return "'" + value.replace("'", "''") + "'"


@app.route("/run")
def run():
    host = request.args["host"]
    cmd = "ping " + host

    def wrap(text):
        label = PREFIX + text
        return label.upper()

    subprocess.run(wrap(cmd), shell=True)
    return quoted(host)


@app.route("/find")
def find():
    name = request.args.get("name", "")
    query = f"SELECT * FROM users WHERE name = {name}"
    rows = [query, quoted(name)]
    return str(rows)
"""


def _taint(document: ParsedDocument) -> engine.FileTaint:
    snapshot = document.snapshot()
    return engine.file_taint(snapshot.source, snapshot.tree.root_node, path="app/views.py")


def _oracle(document: ParsedDocument, monkeypatch: pytest.MonkeyPatch) -> engine.FileTaint:
    with monkeypatch.context() as patch:
        patch.setenv("BACKEND_LSP_TAINT_MEMO", "off")
        return _taint(document)


def test_facts_after_random_edits_equal_a_memo_free_run(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    document = ParsedDocument(SOURCE, "python", 1)
    _taint(document)
    layered = 0
    for version in range(2, 40):
        lines = document.index.line_count
        at = document.index.line_start(rng.randrange(0, lines - 1))
        text = rng.choice(["# note\n", "\n", "x = 1\n"])
        if text == "x = 1\n" and rng.random() < 0.5:
            text = "    pass\n"  # inside a body: that function runs live
        document.apply(TextChange(at, at, text), version)
        found = _taint(document)
        fresh = _oracle(document, monkeypatch)
        assert dict(found.facts.items()) == fresh.facts.live
        for key, taint in fresh.facts.live.items():
            assert found.facts.lookup(key) == (True, taint)
        assert found.facts.lookup((0, 0)) == (False, None)
        layered += len(found.facts.live) < len(fresh.facts.live)
    assert layered > 10  # replays added layers instead of copying their facts


def test_a_replay_moved_below_an_edit_copies_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    document = ParsedDocument(SOURCE, "python", 1)
    _taint(document)
    at = document.source.index(b"def quoted")
    document.apply(TextChange(at, at, "# moved\n\n"), 2)
    found = _taint(document)
    fresh = _oracle(document, monkeypatch)
    body = document.source.index(b"def quoted")
    assert all(start < body for start, _ in found.facts.live)  # module statements only
    assert dict(found.facts.items()) == fresh.facts.live


def test_a_shared_key_runs_the_file_again_copying_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    document = ParsedDocument(SOURCE, "python", 1)
    _taint(document)
    at = document.source.index(b"@app.route")
    document.apply(TextChange(at, at, "# moved\n"), 2)
    shared = iter([True])
    monkeypatch.setattr(Facts, "shared", lambda self: next(shared, False))
    lazy: list[bool] = []
    run = engine._Analysis.run

    def recording(self: engine._Analysis) -> engine.FileTaint:
        lazy.append(self.lazy)
        return run(self)

    monkeypatch.setattr(engine._Analysis, "run", recording)
    found = _taint(document)
    assert lazy == [True, False]
    fresh = _oracle(document, monkeypatch)
    assert found.facts.live == fresh.facts.live  # the eager copy: everything live
    assert [f.key for f in found.flows] == [f.key for f in fresh.flows]


def _step(start: int, line: int) -> Taint:
    return Taint("request.args", (FlowStep(start, start + 4, f"read (line {line})"),))


def test_layers_shift_keys_and_steps_and_nest() -> None:
    facts = Facts({(0, 5): None})
    outer = {(100, 104): _step(100, 3), (180, 190): None}
    inner = {(120, 130): None}
    facts.add(outer, (100, 180), 50, Move(100, 200, 50, 2))
    facts.add(inner, (120, 120), 50, Move(110, 150, 50, 2))
    assert facts.lookup((0, 5)) == (True, None)
    assert facts.lookup((100, 104)) == (False, None)  # the old place
    seen, taint = facts.lookup((150, 154))
    assert seen and taint is not None
    assert taint.steps == (FlowStep(150, 154, "read (line 5)"),)
    assert facts.lookup((170, 180)) == (True, None)  # inside the outer span, the inner layer
    assert facts.lookup((230, 240)) == (True, None)
    assert (231, 240) not in facts
    assert not facts.shared()


def test_shared_keys_are_found_between_live_and_layers_and_between_layers() -> None:
    live = Facts({(150, 154): None})
    live.add({(100, 104): None}, (100, 100), 50, Move(100, 200, 50, 0))
    assert live.shared()
    layers = Facts()
    layers.add({(100, 104): None, (300, 310): None}, (100, 300), 0, Move(0, 400, 0, 0))
    layers.add({(200, 210): None}, (200, 200), 0, Move(150, 250, 0, 0))
    assert not layers.shared()  # nested spans, distinct keys
    layers.add({(0, 10): None}, (0, 0), 300, Move(0, 20, 300, 0))
    assert layers.shared()
    assert not Facts()
    assert Facts({(1, 2): None})
