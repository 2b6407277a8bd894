"""A Go handler's context: the GORM model, the service and repo it calls, the table's
migrations and the test that requests its route; nothing from unrelated packages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backend_lsp.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "index"


@pytest.fixture
def go_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(DATA / "go_gin_gorm", tmp_path / "go_gin_gorm")
    root = tmp_path / "go_gin_gorm"
    monkeypatch.chdir(root)  # go.mod marks the project the CLI works in
    return root


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_gin_handler_context_follows_the_backend(
    go_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = go_root / "handlers" / "items.go"
    line = _line(items, "item, err := h.svc.GetItem(")
    assert main(["context", f"{items}:{line}", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["root"] == str(go_root.resolve())

    def reason(rel: str, text: str) -> str | None:
        at = _line(go_root / rel, text)
        for item in data["items"]:
            if item["path"] == rel and item["start_line"] <= at <= item["end_line"]:
                return str(item["reason"])
        return None

    expected = {
        ("handlers/items.go", "func (h *ItemHandler) Get("): "selection",
        ("models/item.go", "type Item struct"): "model `Item`",
        ("service/items.go", "func (s *ItemService) GetItem("): "called by",
        ("repo/items.go", "func (r *ItemRepo) ByID("): "called by",
        ("migrations/000001_create_items.up.sql", "CREATE TABLE items"): "migration creating",
        ("migrations/000003_item_price.up.sql", "ALTER TABLE items"): "latest migration",
        ("main_test.go", "func TestGetItem("): "test of `ItemHandler.Get`",
    }
    for (rel, text), why in expected.items():
        found = reason(rel, text)
        assert found is not None and why in found, (rel, text, found)
    paths = {item["path"] for item in data["items"]}
    for unrelated in ("internal/mailer/mailer.go", "models/audit.go"):
        assert unrelated not in paths
    assert not any(p.startswith("vendor/") or "generated" in p for p in paths)
    assert data["tokens"] == sum(i["tokens"] for i in data["items"])
