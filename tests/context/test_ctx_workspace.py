"""A handler's context, through ``backend-lsp context --json``: the backend around it.

Fixture workspaces (tests/data/index) are copied to tmp; the index lands in the
test cache dir. Each test names what a reviewer would open first and what has
no business in the prompt.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jedi_oracle import oracle, recall
from route_handlers import handler_ranges

from backend_lsp.cli import main
from backend_lsp.index import WorkspaceIndex

DATA = Path(__file__).resolve().parents[1] / "data" / "index"


@pytest.fixture
def fastapi_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(DATA / "fastapi_sqlmodel", tmp_path / "fastapi_sqlmodel")
    root = tmp_path / "fastapi_sqlmodel" / "backend"
    monkeypatch.chdir(root)  # the CLI's workspace is the project it runs in
    return root


@pytest.fixture
def django_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(DATA / "django_drf", tmp_path / "django_drf")
    root = tmp_path / "django_drf"
    monkeypatch.chdir(root)
    return root


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _context(capsys: pytest.CaptureFixture[str], target: str, *extra: str) -> dict[str, object]:
    assert main(["context", target, "--json", *extra]) == 0
    return dict(json.loads(capsys.readouterr().out))


def _covers(data: dict[str, object], rel: str, path: Path, text: str) -> str | None:
    """The reason of the item covering the line with ``text`` in ``rel``, else None."""
    line = _line(path / rel, text)
    for item in data["items"]:  # type: ignore[attr-defined]
        if item["path"] == rel and item["start_line"] <= line <= item["end_line"]:
            return str(item["reason"])
    return None


def test_fastapi_handler_context_follows_the_backend(
    fastapi_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items_py = fastapi_root / "app/api/routes/items.py"
    line = _line(items_py, "item = crud.create_item(")
    data = _context(capsys, f"{items_py}:{line}")
    assert data["root"] == str(fastapi_root)
    expected = {
        ("app/models.py", "class Item(ItemBase, table=True)"): "model",
        ("app/models.py", "class ItemCreate(ItemBase)"): "class",
        ("app/models.py", "class ItemPublic(ItemBase)"): "class",
        ("app/models.py", "class ItemBase(SQLModel)"): "base class",
        ("app/api/deps.py", "SessionDep = Annotated"): "dependency",
        ("app/api/deps.py", "CurrentUser = Annotated"): "dependency",
        ("app/api/deps.py", "def get_current_user("): "implementation of dependency",
        ("app/api/deps.py", "def get_db("): "implementation of dependency",
        ("app/crud.py", "def create_item("): "called by",
        ("app/alembic/versions/2024_05_02_item_description.py", "op.add_column"): "migration",
        ("app/tests/api/test_items.py", "def test_create_item("): "test of",
    }
    for (rel, text), reason in expected.items():
        found = _covers(data, rel, fastapi_root, text)
        assert found is not None and reason in found, (rel, text, found)
    paths = {item["path"] for item in data["items"]}  # type: ignore[attr-defined]
    for unrelated in ("app/utils.py", "app/api/routes/login.py", "app/tests/api/test_login.py"):
        assert unrelated not in paths
    assert not any(".env" in p for p in paths)
    assert data["tokens"] == sum(i["tokens"] for i in data["items"])  # type: ignore[attr-defined]
    assert 800 < int(str(data["tokens"])) <= 6000


def test_django_viewset_action_context(
    django_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    views = django_root / "src/shop/views.py"
    data = _context(capsys, f"{views}:{_line(views, 'order = place_order(')}")
    for rel, text in (
        ("src/shop/models.py", "class Product(models.Model)"),
        ("src/shop/models.py", "class Category(models.Model)"),  # ForeignKey("Category")
        ("src/shop/models.py", "class Order(models.Model)"),
        ("src/shop/serializers.py", "class ProductSerializer("),
        ("src/shop/serializers.py", "class OrderSerializer("),
        ("src/shop/permissions.py", "class IsStaffOrReadOnly("),
        ("src/shop/services.py", "def place_order("),
        ("src/shop/migrations/0002_product_stock.py", "migrations.AddField"),
        ("tests/test_products.py", "def test_order_reduces_stock"),
    ):
        assert _covers(data, rel, django_root, text) is not None, (rel, text)
    paths = {item["path"] for item in data["items"]}  # type: ignore[attr-defined]
    assert not any(p.startswith("src/blog/") or p == "tests/test_blog.py" for p in paths)


def test_small_budget_sends_outlines_and_stays_within_it(
    fastapi_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = fastapi_root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + "\n[tool.backend-lsp.agent]\ncontext_budget_tokens = 600\n"
    )
    items_py = fastapi_root / "app/api/routes/items.py"
    data = _context(capsys, f"{items_py}:{_line(items_py, 'item = crud.create_item(')}")
    assert data["budget"] == 600 and int(str(data["tokens"])) <= 600
    reasons = [str(i["reason"]) for i in data["items"]]  # type: ignore[attr-defined]
    assert any("(outline)" in r for r in reasons)
    assert any("dependency" in r for r in reasons)


def test_private_files_never_become_items(
    fastapi_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (fastapi_root / ".backend-lsp-ignore").write_text("app/crud.py\n")
    items_py = fastapi_root / "app/api/routes/items.py"
    data = _context(capsys, f"{items_py}:{_line(items_py, 'item = crud.create_item(')}")
    paths = {item["path"] for item in data["items"]}  # type: ignore[attr-defined]
    assert "app/crud.py" not in paths and "app/models.py" in paths


def _handlers(root: Path) -> list[tuple[Path, int, int]]:
    index = WorkspaceIndex(root, persist=False)
    index.build(workers=1)
    return [(root / rel, first, last) for rel, first, last in handler_ranges(index)]


@pytest.mark.parametrize("fixture", ["fastapi_root", "django_root"])
def test_context_recall_against_jedi(
    fixture: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    root: Path = request.getfixturevalue(fixture)
    values: list[float] = []
    for path, first, last in _handlers(root):
        data = _context(capsys, f"{path}:{first}-{last}")
        expected = oracle(root, path, first, last)
        result = recall(expected, data["items"])  # type: ignore[arg-type]
        values.append(result.value)
        assert int(str(data["tokens"])) <= 6000
    assert len(values) >= 3
    assert sum(values) / len(values) >= 0.9, values
