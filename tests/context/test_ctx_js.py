"""JS/TS handlers' context: the service, the ORM model (Prisma schema block, TypeORM entity)
and the test that requests the route, reached across tsconfig paths and re-exports;
nothing from unrelated files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backend_lsp.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "index"


def _copy(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(DATA / name, tmp_path / name)
    root = tmp_path / name
    monkeypatch.chdir(root)  # package.json marks the project the CLI works in
    return root


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _context(root: Path, rel: str, text: str, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    line = _line(root / rel, text)
    assert main(["context", f"{root / rel}:{line}", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["root"] == str(root.resolve())
    assert data["tokens"] == sum(i["tokens"] for i in data["items"])
    return data


def _reason(root: Path, data: dict, rel: str, text: str) -> str | None:  # type: ignore[type-arg]
    at = _line(root / rel, text)
    for item in data["items"]:
        if item["path"] == rel and item["start_line"] <= at <= item["end_line"]:
            return str(item["reason"])
    return None


def test_express_handler_context_follows_the_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy("express_prisma", tmp_path, monkeypatch)
    data = _context(root, "src/controllers/items.ts", "const item = await getItem(", capsys)
    expected = {
        ("src/controllers/items.ts", "export async function show("): "selection",
        # '@/services' -> services/index.ts -> export * from './items'
        ("src/services/items.ts", "export async function getItem("): "called by `show`",
        ("prisma/schema.prisma", "model Item {"): "model `Item`",
        ("prisma/schema.prisma", '@@map("items")'): "model `Item`",
        ("tests/items.test.ts", "it('returns one item'"): "test of `show` (GET /api/items/:id)",
        (
            "prisma/migrations/20240301120000_init/migration.sql",
            'CREATE TABLE "items"',
        ): "migration creating table `items`",
        (
            "prisma/migrations/20240412093000_item_status/migration.sql",
            'ALTER TABLE "items"',
        ): "latest migration of table `items`",
    }
    for (rel, text), why in expected.items():
        found = _reason(root, data, rel, text)
        assert found is not None and why in found, (rel, text, found)
    paths = {item["path"] for item in data["items"]}
    for unrelated in ("src/mailer.ts", "tests/mailer.test.ts", "src/middleware/auth.ts"):
        assert unrelated not in paths
    assert _reason(root, data, "prisma/schema.prisma", "model AuditLog {") is None


def test_nest_handler_context_follows_the_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy("nest_typeorm", tmp_path, monkeypatch)
    data = _context(
        root, "src/items/items.controller.ts", "return this.itemsService.findOne(id);", capsys
    )
    expected = {
        ("src/items/items.controller.ts", "findOne(@Param("): "selection",
        (
            "src/items/items.service.ts",
            "async findOne(id: number)",
        ): "`ItemsService.findOne` called",
        ("src/items/item.entity.ts", "export class Item {"): "model `Item`",
        ("test/items.e2e-spec.ts", "it('GET /api/items/:id"): (
            "test of `ItemsController.findOne` (GET /api/items/:id)"
        ),
    }
    for (rel, text), why in expected.items():
        found = _reason(root, data, rel, text)
        assert found is not None and why in found, (rel, text, found)
    paths = {item["path"] for item in data["items"]}
    for unrelated in ("src/health/health.controller.ts", "src/auth/api-key.guard.ts"):
        assert unrelated not in paths


def test_handler_context_crosses_project_references(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """api imports core's build output (``@core/*`` -> ``../core/lib/*``): the context holds
    core's sources, the Prisma model, and the middleware app.use applied before the mount."""
    root = _copy("ts_references", tmp_path, monkeypatch)
    routes = "packages/api/src/routes/invoices.ts"
    data = _context(root, routes, "const invoice = await getInvoice(", capsys)
    service = "packages/core/src/invoices/service.ts"
    assert _reason(root, data, service, "export async function getInvoice(") is not None
    assert _reason(root, data, "packages/core/prisma/schema.prisma", "model Invoice {")
    data = _context(root, "packages/api/src/routes/customers.ts", "await findCustomer(", capsys)
    repository = "packages/core/src/customers/repository.ts"
    assert _reason(root, data, repository, "export async function findCustomer(") is not None
    middleware = "packages/api/src/middleware/api-key.ts"
    assert _reason(root, data, middleware, "export function apiKeyAuth(") is not None
    assert _reason(root, data, "packages/api/src/routes/invoices.ts", "const invoices") is None
    assert data["tokens"] <= 6000
