"""The shared node index lists exactly what a full walk finds, broken code included."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.python.index import INDEXED_TYPES, node_index
from backend_lsp.analysis.python.nodes import walk
from backend_lsp.syntax.document import ParsedDocument

SHOP = Path(__file__).resolve().parents[3] / "examples" / "shop"

BROKEN = [
    "def f(:\n    x = g(1\n    try:\n        h()\n    except Exception:\n        pass\n",
    "x = [a for a in b if\nclass C(:\n    y = 'secret' 'more'\n",
    "with open(p) as fh, (yield) as q:\n    d = {k: v for k, v in z}\n    s = (i for i in s\n",
    "async def f():\n    await g(x=1,, y=f'{a}')\n    for in y:\n        pass\n",
]


def _sources() -> list[str]:
    files = sorted(SHOP.rglob("*.py"))
    texts = [p.read_text() for p in files]
    cut = [t[: len(t) * k // 5] for t in texts for k in (1, 2, 3, 4)]  # mid-edit states
    return BROKEN + texts + cut


@pytest.mark.parametrize("source", _sources())
def test_index_matches_walk(source: str) -> None:
    document = ParsedDocument(source, "python")
    assert document.root is not None
    index = node_index(document.source, document.root)
    walked = list(walk(document.root))
    for kind in INDEXED_TYPES:
        expected = [(n.start_byte, n.end_byte) for n in walked if n.type == kind]
        assert [(n.start_byte, n.end_byte) for n in index.of(kind)] == expected, kind
    pair = ("string", "concatenated_string")
    expected_pair = [(n.start_byte, n.end_byte, n.type) for n in walked if n.type in pair]
    assert [(n.start_byte, n.end_byte, n.type) for n in index.of(*pair)] == expected_pair


def test_index_is_shared_per_version_and_rebuilt_after_edit() -> None:
    document = ParsedDocument("x = f()\n", "python")
    assert document.root is not None
    first = node_index(document.source, document.root)
    assert node_index(document.source, document.root) is first
    edited = ParsedDocument("x = f(g())\n", "python")
    assert edited.root is not None
    assert len(node_index(edited.source, edited.root).of("call")) == 2


def test_unindexed_type_is_refused_and_other_languages_get_nothing() -> None:
    document = ParsedDocument("x = 1\n", "python")
    assert document.root is not None
    with pytest.raises(ValueError):
        node_index(document.source, document.root).of("identifier")
    sql = AnalysisContext("q.sql", ParsedDocument("select 1;", "sql"))
    assert sql.nodes("call") == ()
