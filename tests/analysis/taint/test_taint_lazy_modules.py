"""Imported modules are summarised only as far as importers ask, with the same results."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from backend_lsp.analysis.taint import engine
from backend_lsp.analysis.taint.engine import ModuleExports
from backend_lsp.analysis.taint.memo import FunctionMemo
from backend_lsp.analysis.taint.tables import BUILTIN
from backend_lsp.analysis.taint.workspace import WorkspaceSummaries
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import analyze_document
from backend_lsp.syntax.document import ParsedDocument

# ``walk`` and ``visit`` call each other: which of them is summarised first decides what
# the other sees of it, so a lazy summary must follow definition order like the full run.
HELPERS = """import os
import subprocess


def walk(path, depth):
    if depth > 3:
        return path
    return visit(path, depth + 1)


def visit(path, depth):
    if os.path.isdir(path):
        return walk(path, depth)
    subprocess.run("du -sh " + path, shell=True)
    return path


def build(term):
    return f"SELECT * FROM items WHERE name = '{term}'"


def archive(folder):
    os.system("tar czf backup.tgz " + folder)
"""

VIEWS = """from flask import Flask, request

from shop.helpers import build

app = Flask(__name__)


@app.get("/items")
def items(db):
    return db.execute(build(request.args["q"]))
"""


def exports() -> ModuleExports:
    document = ParsedDocument(HELPERS, "python")
    assert document.root is not None
    return ModuleExports(document.source, document.root, BUILTIN, None, "helpers.py", "h.py")


@pytest.mark.parametrize("order", list(itertools.permutations(["walk", "visit", "build"])))
def test_each_summary_is_the_full_runs_whatever_is_asked_first(order: tuple[str, ...]) -> None:
    document = ParsedDocument(HELPERS, "python")
    assert document.root is not None
    # the full run: every function in definition order, run to the end
    eager = ModuleExports(document.source, document.root, BUILTIN, None, "helpers.py", "h.py")
    while eager.step():
        pass
    full = {name: eager.function(name) for name in eager.last}
    lazy = exports()
    for name in order:
        while lazy.position <= lazy.last[name] and lazy.step():
            pass
        assert lazy.function(name) == full[name]
    assert full["visit"].flows and full["build"].returns_params  # the comparison has content


def test_functions_after_the_last_one_asked_for_are_not_summarised() -> None:
    lazy = exports()
    while lazy.position <= lazy.last["walk"] and lazy.step():
        pass
    assert lazy.function("walk") is not None
    assert lazy.function("build") is None and lazy.function("archive") is None
    assert not lazy.finished


def test_an_importer_using_one_helper_leaves_the_others_unsummarised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for rel, text in {"shop/__init__.py": "", "shop/helpers.py": HELPERS}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    views = tmp_path / "shop" / "views.py"
    views.write_text(VIEWS)
    exported: list[str] = []
    original = ModuleExports.step

    def counted(self: ModuleExports) -> bool:
        exported.append(self._defs[self.position][0])
        return original(self)

    monkeypatch.setattr(ModuleExports, "step", counted)
    found = analyze_document(
        str(views),
        ParsedDocument(VIEWS, "python"),
        AnalysisSettings(select=["BE001"]),
        root=tmp_path,
        summaries=WorkspaceSummaries(tmp_path),
    )
    assert [f.code for f in found] == ["BE001"]
    assert exported == ["walk", "visit", "build"]  # definition order, up to ``build``


def test_a_batch_run_builds_no_per_function_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    views = tmp_path / "views.py"
    views.write_text(VIEWS.replace("from shop.helpers import build\n", "") + HELPERS)
    stored: list[Any] = []
    monkeypatch.setattr(FunctionMemo, "put", lambda self, key, entry: stored.append(key))
    keys: list[Any] = []
    original = engine._Analysis.function_key

    def counted(self: Any, *args: Any) -> Any:
        key = original(self, *args)
        keys.append(key)
        return key

    monkeypatch.setattr(engine._Analysis, "function_key", counted)
    settings = AnalysisSettings(select=["BE001"])
    text = views.read_text().replace("'{term}'", "'{term}' ")  # a source no memo has seen
    batch = analyze_document(str(views), ParsedDocument(text, "python"), settings, batch=True)
    assert keys and not any(keys) and not stored
    edited = text + "# edited\n"  # not the file memo's (it would replay the batch run)
    editor = analyze_document(str(views), ParsedDocument(edited, "python"), settings)
    assert stored  # the editor's path keeps them, for the next edit
    assert [(f.start, f.message) for f in batch] == [(f.start, f.message) for f in editor]


def test_a_module_asked_for_again_is_not_read_again_until_it_changes(tmp_path: Path) -> None:
    for rel, text in {"shop/__init__.py": "", "shop/helpers.py": HELPERS}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    importer = str(tmp_path / "shop" / "views.py")
    reads: list[Path] = []
    summaries = WorkspaceSummaries(tmp_path)
    original = summaries._read

    def counted(path: Path) -> bytes | None:
        reads.append(path)
        return original(path)

    summaries._read = counted  # type: ignore[method-assign]
    first = summaries.module(importer, 0, "shop.helpers", BUILTIN)
    for _ in range(3):
        assert summaries.module(importer, 0, "shop.helpers", BUILTIN) is first
    assert len(reads) == 2  # the digest, then the content the summary parses: once each
    (tmp_path / "shop" / "helpers.py").write_text(HELPERS + "\n\ndef extra():\n    pass\n")
    changed = summaries.module(importer, 0, "shop.helpers", BUILTIN)
    assert changed is not None and changed is not first and len(reads) == 4
