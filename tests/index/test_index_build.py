"""The index: what it reads, what it skips, persistence and one-file updates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from backend_lsp.index import WorkspaceIndex
from backend_lsp.index.store import database_path


def test_builds_python_files_and_never_reads_private_ones(
    fastapi_root: Path, cache_dir: Path
) -> None:
    (fastapi_root / "app" / "secrets.key").write_text("KEY = 'x'\n")
    (fastapi_root / ".gitignore").write_text("generated/\n")
    (fastapi_root / "generated").mkdir()
    (fastapi_root / "generated" / "client.py").write_text("def f():\n    pass\n")
    (fastapi_root / "app" / "bundle.py").write_text("x = [" + "1," * 4000 + "]\n")
    index = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    stats = index.build(workers=1)
    assert "app/api/routes/items.py" in index.files
    assert not any(".env" in rel or "generated/" in rel for rel in index.files)
    assert "app/bundle.py" not in index.files  # minified-looking: skipped, remembered
    assert stats.skipped == 1
    database = database_path(cache_dir, fastapi_root)
    text = database.read_bytes()
    assert b"never-read-this-file" not in text and b"hunter2" not in text
    index.close()


def test_restart_is_warm_and_reads_only_changed_files(fastapi_root: Path, cache_dir: Path) -> None:
    first = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    cold = first.build(workers=1)
    first.close()
    assert cold.parsed == cold.files > 15 and cold.reused == 0
    crud = fastapi_root / "app" / "crud.py"
    crud.write_text(crud.read_text() + "\n\ndef count_items(session):\n    return 0\n")
    second = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    warm = second.build(workers=1)
    assert warm.parsed == 1 and warm.reused == cold.files - 1
    names = {s.name for s in second.files["app/crud.py"].symbols}
    assert "count_items" in names
    second.close()


def test_worker_processes_give_the_same_facts(django_root: Path, cache_dir: Path) -> None:
    for i in range(60):  # enough files to use the pool
        (django_root / "src" / "shop" / f"gen_{i}.py").write_text(f"def f{i}():\n    return {i}\n")
    pooled = WorkspaceIndex(django_root, persist=False)
    pooled.build(workers=2)
    serial = WorkspaceIndex(django_root, persist=False)
    serial.build(workers=1)
    assert pooled.files == serial.files and len(pooled.files) > 60


def test_facts_serialized_by_the_workers_read_back_on_a_warm_start(
    django_root: Path, cache_dir: Path
) -> None:
    for i in range(60):  # enough files to use the pool
        (django_root / "src" / "shop" / f"gen_{i}.py").write_text(f"class M{i}:\n    x = {i}\n")
    pooled = WorkspaceIndex(django_root, cache_dir=cache_dir)
    pooled.build(workers=2)
    pooled.close()
    warm = WorkspaceIndex(django_root, cache_dir=cache_dir)
    stats = warm.build(workers=1)
    serial = WorkspaceIndex(django_root, persist=False)
    serial.build(workers=1)
    assert stats.parsed == 0 and warm.files == serial.files and len(warm.files) > 60
    warm.close()


def test_update_and_remove_one_file(fastapi_root: Path, cache_dir: Path) -> None:
    index = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    index.build(workers=1)
    items = fastapi_root / "app" / "api" / "routes" / "items.py"
    edited = items.read_text().replace("def delete_item(", "def remove_item(")
    assert index.update(items, edited)
    paths = {r.path: r.handler_name for r in index.view().routes.routes if r.method == "DELETE"}
    assert paths == {"/api/v1/items/{id}": "remove_item"}
    assert not index.update(fastapi_root / ".env", "SECRET=1\n")  # private: refused
    items.unlink()
    index.remove(items)
    assert "app/api/routes/items.py" not in index.files
    assert all(r.file != "app/api/routes/items.py" for r in index.view().routes.routes)
    index.close()
    again = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    again.build(workers=1)
    assert "app/api/routes/items.py" not in again.files


def test_concurrent_writers_share_the_database(fastapi_root: Path, cache_dir: Path) -> None:
    one = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    two = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    one.build(workers=1)
    two.build(workers=1)
    crud = fastapi_root / "app" / "crud.py"
    one.update(crud, crud.read_text() + "\nX = 1\n")
    two.update(crud)
    assert two.files["app/crud.py"] != one.files["app/crud.py"]
    one.close()
    two.close()
    with sqlite3.connect(database_path(cache_dir, fastapi_root)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_broken_cache_file_degrades_to_memory(fastapi_root: Path, cache_dir: Path) -> None:
    database = database_path(cache_dir, fastapi_root)
    database.parent.mkdir(parents=True)
    database.write_bytes(b"not a database" * 100)
    index = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    assert index.build(workers=1).files > 15
    index.close()


def test_honours_the_cache_dir_environment(
    fastapi_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "elsewhere"
    monkeypatch.setenv("BACKEND_LSP_CACHE_DIR", str(target))
    index = WorkspaceIndex(fastapi_root)
    index.build(workers=1)
    index.close()
    assert database_path(target, fastapi_root).is_file()


def test_warm_start_sees_new_directories_and_ignore_changes(
    fastapi_root: Path, cache_dir: Path
) -> None:
    first = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    first.build(workers=1)
    first.close()
    (fastapi_root / "app" / "services").mkdir()
    (fastapi_root / "app" / "services" / "billing.py").write_text("def charge():\n    pass\n")
    second = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    assert second.build(workers=1).parsed == 1
    assert "app/services/billing.py" in second.files
    second.close()
    (fastapi_root / ".backend-lsp-ignore").write_text("app/services/\n")
    third = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    third.build(workers=1)
    assert "app/services/billing.py" not in third.files
    third.close()


def test_a_file_added_while_the_build_runs_is_found_by_the_next_build(
    tmp_path: Path, cache_dir: Path
) -> None:
    """The directory stamps are taken after the walk: one that moved meanwhile must not
    let the next build skip the walk (a file added to an already walked folder)."""
    root = tmp_path / "app"
    (root / "views").mkdir(parents=True)
    for i in range(140):  # three batches: the first is stored while the walk goes on
        (root / "views" / f"view_{i:03}.py").write_text(f"def view_{i}(request):\n    return {i}\n")
    added: list[int] = []

    def progress(done: int, total: int) -> None:
        if not added:  # the walk has listed views/ already
            added.append(done)
            (root / "views" / "late.py").write_text("def late(request):\n    return 0\n")

    first = WorkspaceIndex(root, cache_dir=cache_dir)
    first.build(workers=1, progress=progress)
    first.close()
    assert added and "views/late.py" not in first.files
    second = WorkspaceIndex(root, cache_dir=cache_dir)
    stats = second.build(workers=1)
    assert "views/late.py" in second.files and stats.parsed == 1
    second.close()


def test_incremental_view_matches_a_rebuild(
    fastapi_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backend_lsp.index.view import WorkspaceView

    index = WorkspaceIndex(fastapi_root, persist=False)
    index.build(workers=1)
    before = index.view()
    before_routes = [r.to_json() for r in before.routes.routes]
    builds: list[int] = []
    real_build = WorkspaceView.build
    monkeypatch.setattr(
        WorkspaceView,
        "build",
        classmethod(lambda cls, files: builds.append(1) or real_build(files)),
    )
    items = fastapi_root / "app" / "api" / "routes" / "items.py"
    index.update(items, items.read_text().replace('prefix="/items"', 'prefix="/things"'))
    added = fastapi_root / "app" / "api" / "routes" / "tags.py"
    added.write_text(
        "from fastapi import APIRouter\nrouter = APIRouter(prefix='/tags')\n"
        "@router.get('/')\ndef list_tags():\n    return []\n"
    )
    index.update(added)
    index.remove(fastapi_root / "app" / "crud.py")
    after = index.view()
    assert builds == []  # derived from the published view, never rebuilt
    # Copy-on-write: a reader still holding the old snapshot sees it unchanged.
    assert after is not before
    assert [r.to_json() for r in before.routes.routes] == before_routes
    assert before.resolver.lookup("app/api/routes/items.py", "crud.create_item") is not None
    assert "app/crud.py" in before.resolver.files and "app/crud.py" not in index.files
    rebuilt = real_build(dict(index.files))
    assert [r.to_json() for r in after.routes.routes] == [
        r.to_json() for r in rebuilt.routes.routes
    ]
    assert any(r.path == "/api/v1/things/{id}" for r in after.routes.routes)
    assert after.resolver.lookup("app/api/routes/items.py", "crud.create_item") is None
    assert after.resolver.modules == rebuilt.resolver.modules


def test_generated_means_one_line_over_the_limit_not_a_long_file() -> None:
    from backend_lsp.index.extract import looks_generated

    line = "x = 1  # " + "a" * 4_900 + "\n"
    assert not looks_generated(line * 50)  # 250 kB of normal-length lines
    assert looks_generated("import os\n" + "y = [" + "1," * 3_000 + "]\n")
    assert not looks_generated("\n" * 6_000)


def test_listing_keeps_the_project_ignore_nested_gitignores_and_symlinked_files(
    tmp_path: Path,
) -> None:
    """The walk's files skip the full ignore check; private lists still apply, and a
    file symlink is listed where it points (as the full check did)."""
    (tmp_path / "app" / "billing" / "legacy").mkdir(parents=True)
    (tmp_path / "app" / "models.py").write_text("class Invoice:\n    pass\n")
    (tmp_path / "app" / "billing" / "views.py").write_text("def pay():\n    pass\n")
    (tmp_path / "app" / "billing" / "legacy" / "old.py").write_text("def old():\n    pass\n")
    (tmp_path / "app" / "billing" / ".gitignore").write_text("legacy/\n")
    (tmp_path / "app" / "payroll.py").write_text("SALARY = 1\n")
    (tmp_path / ".backend-lsp-ignore").write_text("app/payroll.py\n")
    (tmp_path / "app" / "alias.py").symlink_to(tmp_path / "app" / "models.py")
    index = WorkspaceIndex(tmp_path, persist=False)
    index.build(workers=1)
    assert sorted(index.files) == ["app/billing/views.py", "app/models.py"]


def test_blobs_of_replaced_content_leave_the_cache(fastapi_root: Path, cache_dir: Path) -> None:
    """Every unsaved version an editor sends, and a file's content before it changed on
    disk, is stored once; the cache keeps only what some file points to now."""
    index = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    index.build(workers=1)
    crud = fastapi_root / "app" / "crud.py"
    original = crud.read_text()
    for n in range(5):  # typing: each version replaces the last
        assert index.update(crud, original + f"\n\ndef helper_{n}():\n    return {n}\n")
    index.close()
    crud.write_text(original + "\n# changed on disk\n")
    again = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    assert again.build(workers=1).parsed == 1
    again.close()
    with sqlite3.connect(database_path(cache_dir, fastapi_root)) as conn:
        blobs = {row[0] for row in conn.execute("SELECT hash FROM blobs")}
        pointed = {row[0] for row in conn.execute("SELECT hash FROM files")}
    assert blobs <= pointed
