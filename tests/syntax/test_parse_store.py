"""parse_store: one parse per (path, bytes) within a run, bounded, never edited in place."""

from __future__ import annotations

from pathlib import Path

from backend_lsp.config import AnalysisSettings
from backend_lsp.report.collect import collect
from backend_lsp.syntax.document import TextChange
from backend_lsp.syntax.parse_store import ParseStore, shared_document, sharing_parses

VIEW = b"def index(request):\n    return request.GET.get('q')\n"


def test_same_path_and_bytes_share_one_tree() -> None:
    store = ParseStore()
    first = store.document("/app/views.py", VIEW, "python")
    assert first.root is not None
    second = store.document("/app/views.py", VIEW.decode(), "python")
    assert second.source is first.source  # memos keyed by the source object hit too
    assert second.tree is first.tree
    assert (store.parses, store.hits) == (1, 1)


def test_other_bytes_or_other_path_parse_afresh() -> None:
    store = ParseStore()
    assert store.document("/app/views.py", VIEW, "python").root is not None
    changed = store.document("/app/views.py", VIEW + b"x = 1\n", "python")
    assert changed.root is not None and changed.root.end_byte == len(VIEW) + 6
    elsewhere = store.document("/app/other.py", VIEW, "python")
    assert elsewhere.root is not None
    assert (store.parses, store.hits) == (3, 0)


def test_editing_a_shared_document_leaves_the_stored_tree_alone() -> None:
    store = ParseStore()
    assert store.document("/app/views.py", VIEW, "python").root is not None
    edited = store.document("/app/views.py", VIEW, "python")
    edited.apply(TextChange(0, 0, "import os\n"))
    assert edited.root is not None and edited.root.end_byte == len(VIEW) + 10
    again = store.document("/app/views.py", VIEW, "python")
    assert again.root is not None and again.root.end_byte == len(VIEW)
    assert store.parses == 1


def test_bounded_by_count_and_bytes_dropping_awaited_trees_last() -> None:
    store = ParseStore(max_trees=3, max_bytes=10 * len(VIEW))
    assert store.document("/app/models.py", VIEW, "python", again=True).root is not None
    for i in range(5):
        assert store.document(f"/app/m{i}.py", VIEW, "python").root is not None
    assert len(store) == 3
    store.document("/app/models.py", VIEW, "python")
    assert store.hits == 1  # the schema pass's tree outlived five newer ones
    small = ParseStore(max_trees=100, max_bytes=2 * len(VIEW))
    for i in range(4):
        assert small.document(f"/app/m{i}.py", VIEW, "python").root is not None
    assert len(small) == 2


def test_outside_a_run_every_document_parses_its_own() -> None:
    one = shared_document("/app/views.py", VIEW, "python")
    two = shared_document("/app/views.py", VIEW, "python")
    assert one.tree is not None and two.tree is not None and one.tree is not two.tree
    with sharing_parses() as store:
        assert shared_document("/app/views.py", VIEW, "python").root is not None
        assert shared_document("/app/views.py", VIEW, "python").root is not None
    assert (store.parses, store.hits) == (1, 1)
    three = shared_document("/app/views.py", VIEW, "python")
    assert three.tree is not None and store.hits == 1


def test_check_reads_a_model_and_a_helper_once(tmp_path: Path) -> None:
    """The schema pass, the file's own analysis and the taint analysis of an importer
    read ``models.py``/``helpers.py``: one parse each in a one-process run."""
    (tmp_path / ".git").mkdir()
    app = tmp_path / "shop"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(
        "from django.db import models\n\n\nclass Order(models.Model):\n"
        "    total = models.IntegerField()\n"
    )
    (app / "helpers.py").write_text("def term(request):\n    return request.GET['q']\n")
    (app / "views.py").write_text(
        "from django.db import connection\n\nfrom shop.helpers import term\n\n\n"
        "def search(request):\n    with connection.cursor() as cursor:\n"
        "        cursor.execute(\"SELECT * FROM shop_order WHERE note = '%s'\" % term(request))\n"
    )
    seen: list[ParseStore] = []
    original = ParseStore.__init__

    def remember(self: ParseStore, *args: int) -> None:
        original(self, *args)
        seen.append(self)

    ParseStore.__init__ = remember  # type: ignore[method-assign]
    try:
        report = collect(
            [tmp_path], tmp_path, AnalysisSettings(), cwd=tmp_path, use_cache=False, workers=1
        )
    finally:
        ParseStore.__init__ = original  # type: ignore[method-assign]
    assert any(f.finding.code == "BE001" for f in report.findings)
    (store,) = seen
    assert store.parses == 4  # __init__, models, helpers, views: once each
    assert store.hits >= 2  # models after its schema pass, helpers for the importer
