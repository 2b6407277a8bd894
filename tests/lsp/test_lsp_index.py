# mypy: disable-error-code="index"
# (command results are LSPAny: Any | None; indexing them is the test)
"""The workspace index through the real server: background build, updates, symbols, hover,
the context command."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from lsp_testkit import capabilities, open_doc, session, wait_for
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

DATA = Path(__file__).resolve().parents[1] / "data" / "index" / "fastapi_sqlmodel"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "ws")
    return tmp_path / "ws" / "backend"


def watching(caps: types.ClientCapabilities) -> types.ClientCapabilities:
    assert caps.workspace is not None
    caps.workspace.did_change_watched_files = types.DidChangeWatchedFilesClientCapabilities(
        dynamic_registration=True
    )
    return caps


async def symbols(client: LanguageClient, query: str) -> list[Any]:
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=query))
    return list(found or [])


async def indexed(client: LanguageClient, query: str = "") -> list[Any]:
    """Wait for the background build: symbols appear once it has published."""
    return await wait_for_async(lambda: symbols(client, query))


async def wait_for_async(fetch: Any, timeout: float = 30.0) -> Any:
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await fetch()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the index")
        await asyncio.sleep(0.05)


def _end(reports: list[Any]) -> Any:
    return next((r for r in reports if isinstance(r, types.WorkDoneProgressEnd)), None)


async def test_background_build_reports_progress_and_finds_routes(root: Path) -> None:
    async with session(root, capabilities()) as (client, result):
        assert result.capabilities.workspace_symbol_provider
        found = await indexed(client, "GET /api/v1/items/{id}")
        first = found[0]
        assert first.name == "GET /api/v1/items/{id}"
        items = (root / "app" / "api" / "routes" / "items.py").resolve()
        assert first.location.uri == items.as_uri()
        line = items.read_text().splitlines()[first.location.range.start.line]
        start, end = first.location.range.start.character, first.location.range.end.character
        assert line.startswith("def read_item(") and line[start:end] == "read_item"
        ends = await wait_for(
            lambda: [_end(r) for r in client.progress_reports.values() if _end(r)], timeout=30
        )
        assert ends[0].message.endswith("files indexed")
        reports = next(iter(client.progress_reports.values()))
        assert isinstance(reports[0], types.WorkDoneProgressBegin)
        assert reports[0].title.startswith("Indexing")
        percentages = [r.percentage for r in reports if isinstance(r, types.WorkDoneProgressReport)]
        assert percentages and percentages[-1] == 100
        assert percentages == sorted(percentages)  # the total grows during the walk
        # Models, their tables and plain definitions; fuzzy and capped.
        names = {(s.name, s.kind) for s in await symbols(client, "item")}
        assert ("Item", types.SymbolKind.Class) in names
        assert ("item", types.SymbolKind.Struct) in names  # the table
        assert ("create_item", types.SymbolKind.Function) in names
        assert [s.name for s in await symbols(client, "crtitm")][:1] == ["create_item"]
        assert not await symbols(client, "SECRET_KEY")  # .env is private: never indexed
        assert len(await symbols(client, "")) <= 200


@pytest.mark.parametrize(("utf8", "end"), [(True, 4 + 15), (False, 4 + 12)])
async def test_symbol_ranges_use_the_negotiated_encoding(root: Path, utf8: bool, end: int) -> None:
    (root / "app" / "desserts.py").write_text(
        "# crème\ndef crème_brûlée(x):\n    return x\n", encoding="utf-8"
    )
    async with session(root, capabilities(utf8=utf8)) as (client, result):
        negotiated = result.capabilities.position_encoding
        assert negotiated == (
            types.PositionEncodingKind.Utf8 if utf8 else types.PositionEncodingKind.Utf16
        )
        found = await indexed(client, "crème_brûlée")
        rng = found[0].location.range
        assert (rng.start.line, rng.start.character) == (1, len("def "))
        assert (rng.end.line, rng.end.character) == (1, end)


async def test_background_build_can_be_turned_off(root: Path) -> None:
    config = {"index": {"background": False}}
    async with session(root, capabilities(), config=config) as (client, _):
        import asyncio

        await asyncio.sleep(1.0)
        assert not await symbols(client, "read_item")
        assert not client.progress_reports
        # The context command builds it on demand.
        await client.workspace_execute_command_async(_context_params(root, 14, 20))
        assert await symbols(client, "read_item")


async def test_cancel_from_the_progress_ui_stops_the_build(tmp_path: Path) -> None:
    for i in range(400):
        (tmp_path / f"m{i:04d}.py").write_text(
            "".join(f"def f{i}_{j}(a, b):\n    return a + b\n\n" for j in range(60))
        )
    async with session(tmp_path, capabilities()) as (client, _):
        token = await wait_for(lambda: next(iter(client.progress_reports), None), timeout=20)
        client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
        end = await wait_for(lambda: _end(client.progress_reports[token]), timeout=20)
        assert end.message == "cancelled"
        status = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
        assert status["rules"] >= 1  # the server still answers


async def test_edits_saves_closes_and_watched_files_keep_it_current(root: Path) -> None:
    async with session(root, watching(capabilities())) as (client, _):
        await indexed(client, "read_item")
        crud = (root / "app" / "crud.py").resolve()
        uri = crud.as_uri()
        text = crud.read_text()
        open_doc(client, uri, text)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(
                        text=text + "\n\ndef archive_stale_items(session):\n    return 0\n"
                    )
                ],
            )
        )
        await wait_for_async(lambda: symbols(client, "archive_stale_items"))
        # Closing without saving: the disk's text is the truth again.
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        await wait_for_async(lambda: _none(symbols(client, "archive_stale_items")), timeout=10)
        # A file created on disk, then deleted, as the client's watcher reports it.
        assert client.capabilities is not None
        new = (root / "app" / "reports.py").resolve()
        new.write_text("def monthly_report():\n    return []\n")
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=new.as_uri(), type=types.FileChangeType.Created)]
            )
        )
        await wait_for_async(lambda: symbols(client, "monthly_report"))
        new.unlink()
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=new.as_uri(), type=types.FileChangeType.Deleted)]
            )
        )
        await wait_for_async(lambda: _none(symbols(client, "monthly_report")), timeout=10)
        # Outside the workspace or private: never indexed.
        outside = (root.parent / "outside.py").resolve()
        outside.write_text("def far_away():\n    pass\n")
        secret = (root / ".env.py").resolve()
        secret.write_text("def leaked_secret():\n    pass\n")
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(uri=outside.as_uri(), type=types.FileChangeType.Created),
                    types.FileEvent(uri=secret.as_uri(), type=types.FileChangeType.Created),
                    types.FileEvent(uri=new.as_uri(), type=types.FileChangeType.Created),
                ]
            )
        )
        import asyncio

        await asyncio.sleep(1.0)
        assert not await symbols(client, "far_away")
        assert not await symbols(client, "leaked_secret")


async def _none(pending: Any) -> bool:
    return not await pending


@pytest.mark.parametrize("dynamic", [True, False])
async def test_watcher_is_registered_only_when_the_client_can(root: Path, dynamic: bool) -> None:
    from lsp_testkit import SERVER
    from pytest_lsp import ClientServerConfig

    client = await ClientServerConfig(server_command=SERVER).start()
    assert isinstance(client, LanguageClient)
    registered: list[types.Registration] = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params: types.RegistrationParams) -> None:
        registered.extend(params.registrations)

    caps = watching(capabilities()) if dynamic else capabilities()
    await client.initialize_session(
        types.InitializeParams(capabilities=caps, root_uri=root.as_uri())
    )
    try:
        await indexed(client, "read_item")
        if dynamic:
            await wait_for(lambda: registered)
            assert registered[0].method == "workspace/didChangeWatchedFiles"
            options = registered[0].register_options
            globs = [w["globPattern"] for w in options["watchers"]]
            assert globs[0] == "**/*.py" and {"**/*.go", "**/go.mod", "**/*.sql"} <= set(globs)
        else:
            assert not registered
    finally:
        await client.shutdown_session()
        await client.stop()  # type: ignore[no-untyped-call]


async def test_hover_shows_definitions_from_other_modules_and_routes(root: Path) -> None:
    items = (root / "app" / "api" / "routes" / "items.py").resolve()
    text = items.read_text()
    lines = text.splitlines()
    async with session(root, capabilities()) as (client, _):
        await indexed(client, "read_item")
        open_doc(client, items.as_uri(), text)

        async def hover_at(word: str, line_prefix: str) -> str:
            number = next(i for i, line in enumerate(lines) if line.startswith(line_prefix))
            character = lines[number].index(word) + 1
            params = types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=items.as_uri()),
                position=types.Position(line=number, character=character),
            )
            # The first hover may come before the document's first analysis snapshot.
            found = await wait_for_async(lambda: client.text_document_hover_async(params), 10)
            contents = found.contents
            assert isinstance(contents, types.MarkupContent)
            return contents.value

        model = await hover_at("Item", "    item = session.get(Item")
        assert "class** `Item` in `app/models.py:" in model
        assert "table `item`" in model and "used by 5 routes" in model
        assert "class Item(ItemBase, table=True)" in model
        dependency = await hover_at("SessionDep", "def read_items(")
        assert "`SessionDep` in `app/api/deps.py:" in dependency
        assert "Depends(get_db)" in dependency
        function = await hover_at("create_item", "    item = crud.create_item(")
        assert "`create_item` in `app/crud.py:" in function
        route = await hover_at("read_item", "def read_item(")
        assert "route `GET /api/v1/items/{id}`" in route
        assert "depends on `SessionDep`, `CurrentUser`" in route


def _context_params(root: Path, first: int, last: int) -> types.ExecuteCommandParams:
    items = (root / "app" / "api" / "routes" / "items.py").resolve()
    rng = {"start": {"line": first, "character": 0}, "end": {"line": last, "character": 0}}
    return types.ExecuteCommandParams(
        command="backend-lsp.context", arguments=[{"uri": items.as_uri(), "range": rng}]
    )


async def test_context_command_matches_the_cli(root: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    async with session(root, capabilities()) as (client, result):
        provider = result.capabilities.execute_command_provider
        assert provider is not None and "backend-lsp.context" in provider.commands
        got = await client.workspace_execute_command_async(_context_params(root, 23, 31))
    cli = subprocess.run(
        [sys.executable, "-m", "backend_lsp", "context", "app/api/routes/items.py:24-31", "--json"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    assert got == json.loads(cli.stdout)
    paths = {item["path"] for item in got["items"]}
    assert {"app/models.py", "app/api/deps.py"} <= paths
    assert ".env" not in paths


async def test_context_command_rejects_bad_arguments(root: Path) -> None:
    async with session(root, capabilities()) as (client, _):
        with pytest.raises(JsonRpcException) as caught:
            await client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="backend-lsp.context", arguments=[{"uri": 3}])
            )
        assert caught.value.code == -32602


async def test_a_route_added_in_the_editor_is_found_by_method_and_path(root: Path) -> None:
    items = (root / "app" / "api" / "routes" / "items.py").resolve()
    crud = (root / "app" / "crud.py").resolve()
    async with session(root, capabilities()) as (client, _):
        await indexed(client, "read_item")
        for path in (crud, items):
            open_doc(client, path.as_uri(), path.read_text())
        # A change to a file without routes keeps the resolved routes as they are.
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=crud.as_uri(), version=2),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(
                        text=crud.read_text() + "\n\ndef purge(session):\n    return 0\n"
                    )
                ],
            )
        )
        await wait_for_async(lambda: symbols(client, "purge"))
        assert [s.name for s in await symbols(client, "GET /api/v1/items/{id}")][:1] == [
            "GET /api/v1/items/{id}"
        ]
        added = '\n\n@router.get("/archived")\ndef read_archived(session: SessionDep) -> Any:\n'
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=items.as_uri(), version=2),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(
                        text=items.read_text() + added + "    return []\n"
                    )
                ],
            )
        )
        found = await wait_for_async(lambda: symbols(client, "GET /api/v1/items/archived"))
        assert found[0].name == "GET /api/v1/items/archived"
        assert found[0].container_name == "read_archived"


async def test_go_route_symbol_and_model_hover(tmp_path: Path) -> None:
    shutil.copytree(DATA.parent / "go_gin_gorm", tmp_path / "go")
    root = tmp_path / "go"
    async with session(root, capabilities()) as (client, _):
        found = await indexed(client, "GET /api/v1/items/:id")
        first = found[0]
        assert first.name == "GET /api/v1/items/:id"
        items = (root / "handlers" / "items.go").resolve()
        assert first.location.uri == items.as_uri()
        line = items.read_text().splitlines()[first.location.range.start.line]
        assert line.startswith("func (h *ItemHandler) Get(")
        service = (root / "service" / "items.go").resolve()
        text = service.read_text()
        open_doc(client, service.as_uri(), text, "go")
        number, row = next((i, s) for i, s in enumerate(text.splitlines()) if "GetItem(" in s)
        params = types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=service.as_uri()),
            position=types.Position(line=number, character=row.index("models.Item") + 8),
        )
        hover = await wait_for_async(lambda: client.text_document_hover_async(params), 10)
        assert isinstance(hover.contents, types.MarkupContent)
        value = hover.contents.value
        assert "struct** `Item` in `models/item.go:" in value
        assert "table `items` (migration `migrations/000003_item_price.up.sql`)" in value
        assert "used by 3 routes" in value and "```go" in value


async def test_nest_route_symbol_and_entity_hover(tmp_path: Path) -> None:
    shutil.copytree(DATA.parent / "nest_typeorm", tmp_path / "nest")
    root = tmp_path / "nest"
    async with session(root, capabilities()) as (client, _):
        found = await indexed(client, "GET /api/items/:id")
        first = found[0]
        assert first.name == "GET /api/items/:id"  # setGlobalPrefix('api') in main.ts
        controller = (root / "src" / "items" / "items.controller.ts").resolve()
        assert first.location.uri == controller.as_uri()
        line = controller.read_text().splitlines()[first.location.range.start.line]
        assert line.strip().startswith("findOne(")
        service = (root / "src" / "items" / "items.service.ts").resolve()
        text = service.read_text()
        open_doc(client, service.as_uri(), text, "typescript")
        number, row = next(
            (i, s) for i, s in enumerate(text.splitlines()) if "@InjectRepository(Item)" in s
        )
        params = types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=service.as_uri()),
            position=types.Position(line=number, character=row.index("Item)") + 1),
        )
        hover = await wait_for_async(lambda: client.text_document_hover_async(params), 10)
        assert isinstance(hover.contents, types.MarkupContent)
        value = hover.contents.value
        assert "class** `Item` in `src/items/item.entity.ts:" in value
        assert "table `catalog_items`; used by 3 routes" in value and "```typescript" in value
        # this.items is the Repository<Item> field: its calls stand for the entity
        number, row = next(
            (i, s) for i, s in enumerate(text.splitlines()) if "this.items.find(" in s
        )
        params = types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=service.as_uri()),
            position=types.Position(line=number, character=row.index(".find(") + 2),
        )
        hover = await wait_for_async(lambda: client.text_document_hover_async(params), 10)
        assert isinstance(hover.contents, types.MarkupContent)
        assert "table `catalog_items`" in hover.contents.value


async def test_prisma_model_hover_from_a_client_call(tmp_path: Path) -> None:
    shutil.copytree(DATA.parent / "express_prisma", tmp_path / "shop")
    root = tmp_path / "shop"
    async with session(root, capabilities()) as (client, _):
        found = await indexed(client, "GET /api/items/:id")
        assert found[0].name == "GET /api/items/:id"
        service = (root / "src" / "services" / "items.ts").resolve()
        text = service.read_text()
        open_doc(client, service.as_uri(), text, "typescript")
        number, row = next(
            (i, s) for i, s in enumerate(text.splitlines()) if "prisma.item.findUnique" in s
        )
        params = types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=service.as_uri()),
            position=types.Position(line=number, character=row.index(".item.") + 2),
        )
        hover = await wait_for_async(lambda: client.text_document_hover_async(params), 10)
        assert isinstance(hover.contents, types.MarkupContent)
        value = hover.contents.value
        assert "model** `Item` in `prisma/schema.prisma:" in value
        migration = "prisma/migrations/20240412093000_item_status/migration.sql"
        assert f"table `items` (migration `{migration}`)" in value and "```prisma" in value


async def test_npm_install_of_a_shared_tsconfig_moves_routes(tmp_path: Path) -> None:
    """The install's marker file, as the client's watcher reports it: the config read from
    node_modules now maps ``@app/*``, so the mount resolves and the route gets its prefix."""
    root = tmp_path / "orders-api"
    files = {
        ".gitignore": "node_modules/\n",
        "package.json": (
            '{"name": "orders-api", "devDependencies": {"@company/tsconfig": "1.0.0"}}\n'
        ),
        "tsconfig.json": '{ "extends": "@company/tsconfig/tsconfig.node.json" }\n',
        "src/app.ts": (
            "import express from 'express';\nimport { orders } from '@app/routes/orders';\n\n"
            "export const app = express();\napp.use('/orders', orders);\n"
        ),
        "src/routes/orders.ts": (
            "import { Router } from 'express';\n\nexport const orders = Router();\n\n"
            "orders.get('/:id', (req, res) => {\n  res.json({ id: req.params.id });\n});\n"
        ),
        "node_modules/express/package.json": '{"name": "express"}\n',
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    async with session(root, watching(capabilities())) as (client, _):
        found = await wait_for_async(lambda: symbols(client, "GET /:id"))
        assert found[0].name == "GET /:id"  # '@app/routes/orders' does not resolve yet
        config = root / "node_modules/@company/tsconfig/tsconfig.node.json"
        config.parent.mkdir(parents=True)
        config.write_text(
            '{ "compilerOptions": { "paths": { "@app/*": ["${configDir}/src/*"] } } }\n'
        )
        marker = (root / "node_modules/.package-lock.json").resolve()
        marker.write_text('{"lockfileVersion": 3}\n')
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=marker.as_uri(), type=types.FileChangeType.Changed)]
            )
        )
        found = await wait_for_async(lambda: symbols(client, "GET /orders/:id"))
        assert found[0].name == "GET /orders/:id"
