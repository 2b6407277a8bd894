"""import_aliases is computed once per document, not once per finding."""

from __future__ import annotations

import pytest

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.python import imports
from backend_lsp.analysis.registry import analyze, select_rules
from backend_lsp.syntax.document import ParsedDocument

BLOCK = """
def job_{i}():
    try:
        run({i})
    except Exception:
        pass
"""


def test_many_findings_share_one_alias_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    original = imports._collect_aliases

    def counting(source: bytes, root: object) -> dict[str, str]:
        nonlocal calls
        calls += 1
        return original(source, root)  # type: ignore[arg-type]

    monkeypatch.setattr(imports, "_collect_aliases", counting)
    source = "import os\n" + "".join(BLOCK.format(i=i) for i in range(60))
    context = AnalysisContext("app/services.py", ParsedDocument(source, "python"))
    findings = analyze(context, select_rules(["BE015"]))
    assert len(findings) == 60
    assert all(f.fix is not None for f in findings)
    assert calls == 1


def test_memo_is_per_source_and_returns_copies() -> None:
    first = ParsedDocument("import numpy as np\n", "python")
    second = ParsedDocument("import scipy as np\n", "python")  # same span, other text
    assert first.root is not None and second.root is not None
    aliases = imports.import_aliases(first.source, first.root)
    aliases["np"] = "mutated"
    assert imports.import_aliases(first.source, first.root) == {"np": "numpy"}
    assert imports.import_aliases(second.source, second.root) == {"np": "scipy"}


def test_edit_invalidates_memo() -> None:
    document = ParsedDocument("import json\n", "python")
    assert document.root is not None
    assert imports.import_aliases(document.source, document.root) == {"json": "json"}
    edited = ParsedDocument(document.source.replace(b"json", b"yaml"), "python")
    assert edited.root is not None
    assert imports.import_aliases(edited.source, edited.root) == {"yaml": "yaml"}
