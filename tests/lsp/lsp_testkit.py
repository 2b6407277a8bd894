"""Helpers: start the real server over stdio with a pytest-lsp client of chosen capabilities."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER = [sys.executable, "-m", "backend_lsp.lsp"]

SWALLOW = "def f():\n    try:\n        g()\n    except Exception:\n        pass\n"


def capabilities(
    *,
    pull: bool = False,
    utf8: bool = False,
    resolve: bool = True,
    document_changes: bool = True,
    progress: bool = True,
    configuration: bool = True,
    refresh: bool = True,
) -> types.ClientCapabilities:
    text = types.TextDocumentClientCapabilities(
        code_action=types.CodeActionClientCapabilities(
            resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"])
            if resolve
            else None,
            data_support=True,
        ),
        diagnostic=types.DiagnosticClientCapabilities() if pull else None,
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
    )
    workspace = types.WorkspaceClientCapabilities(
        configuration=configuration,
        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=document_changes),
        diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=refresh),
    )
    return types.ClientCapabilities(
        text_document=text,
        workspace=workspace,
        window=types.WindowClientCapabilities(work_done_progress=progress),
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8]
            if utf8
            else [types.PositionEncodingKind.Utf16]
        ),
    )


@asynccontextmanager
async def session(
    root: Path,
    caps: types.ClientCapabilities | None = None,
    *,
    init_options: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
) -> AsyncIterator[tuple[LanguageClient, types.InitializeResult]]:
    client = await ClientServerConfig(server_command=SERVER, server_env=env).start()
    assert isinstance(client, LanguageClient)
    if config is not None:
        client.set_configuration(config, section="backendLsp")
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=caps or capabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
            initialization_options={"analysis": {"debounceMs": 10}, **(init_options or {})},
        )
    )
    try:
        yield client, result
    finally:
        await client.shutdown_session()
        await client.stop()  # type: ignore[no-untyped-call]


async def wait_for(predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll until ``predicate()`` is truthy (notifications arrive asynchronously)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the server")
        await asyncio.sleep(0.01)


def open_doc(client: LanguageClient, uri: str, text: str, language: str = "python") -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=text
            )
        )
    )
