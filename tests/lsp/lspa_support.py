"""A pytest-lsp client that behaves like an editor for the agent's LSP flow.

It keeps the text of open documents, applies ``workspace/applyEdit`` the way
editors do (a versioned edit for another version is refused, nothing is half
applied) and reports the result back with ``didChange``, so a test sees the
document exactly as the user would after the agent's edit.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from lsp_testkit import capabilities
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from backend_lsp.text import Encoding, LineIndex

SERVER = [sys.executable, "-m", "backend_lsp.lsp"]
KEY = "sk-ant-api03-LSPAGENTKEYLSPAGENTKEY-0123456789"
PRODUCTS = "app/routes/products.py"


def agent_caps(
    *, tags: bool = True, disabled: bool = True, resolve: tuple[str, ...] = ("edit",)
) -> types.ClientCapabilities:
    """The shared test capabilities plus what a current editor declares for code actions."""
    caps: types.ClientCapabilities = capabilities()
    assert caps.text_document is not None and caps.workspace is not None
    kinds = ["quickfix", "refactor", "refactor.rewrite", "source"]
    caps.text_document.code_action = types.CodeActionClientCapabilities(
        code_action_literal_support=types.ClientCodeActionLiteralOptions(
            code_action_kind=types.ClientCodeActionKindOptions(value_set=kinds)
        ),
        resolve_support=types.ClientCodeActionResolveOptions(properties=list(resolve)),
        data_support=True,
        disabled_support=disabled,
        tag_support=types.CodeActionTagOptions(value_set=[types.CodeActionTag.LlmGenerated])
        if tags
        else None,
    )
    caps.workspace.workspace_edit = types.WorkspaceEditClientCapabilities(
        document_changes=True,
        resource_operations=[types.ResourceOperationKind.Create],
        change_annotation_support=types.ChangeAnnotationsSupportOptions(groups_on_label=True),
    )
    assert caps.window is not None
    caps.window.show_document = types.ShowDocumentClientCapabilities(support=True)
    return caps


@dataclass
class Editor:
    """Client-side documents (UTF-16 positions, as negotiated by default)."""

    client: LanguageClient
    docs: dict[str, tuple[int, str]] = field(default_factory=dict)
    edits: list[types.WorkspaceEdit] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)

    def open(self, uri: str, text: str) -> None:
        self.docs[uri] = (1, text)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )

    def text(self, uri: str) -> str:
        return self.docs[uri][1]

    def version(self, uri: str) -> int:
        return self.docs[uri][0]

    def replace(self, uri: str, rng: types.Range, new_text: str) -> None:
        """Type into the document: one ranged didChange, like an editor sends."""
        version, text = self.docs[uri]
        index = LineIndex.from_text(text)
        start = index.offset(rng.start.line, rng.start.character, Encoding.UTF16)
        end = index.offset(rng.end.line, rng.end.character, Encoding.UTF16)
        data = text.encode()
        updated = (data[:start] + new_text.encode() + data[end:]).decode()
        self.docs[uri] = (version + 1, updated)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version + 1),
                content_changes=[types.TextDocumentContentChangePartial(range=rng, text=new_text)],
            )
        )

    def apply(self, edit: types.WorkspaceEdit) -> types.ApplyWorkspaceEditResult:
        self.edits.append(edit)
        for change in edit.document_changes or []:
            if isinstance(change, types.TextDocumentEdit):
                uri = change.text_document.uri
                wanted = change.text_document.version
                if uri in self.docs and wanted is not None and wanted != self.version(uri):
                    return types.ApplyWorkspaceEditResult(
                        applied=False, failure_reason=f"{uri} is at another version"
                    )
        for change in edit.document_changes or []:
            if isinstance(change, types.CreateFile):
                self.created[change.uri] = ""
            elif isinstance(change, types.TextDocumentEdit):
                uri = change.text_document.uri
                if uri in self.created:
                    self.created[uri] += "".join(
                        e.new_text for e in change.edits if not isinstance(e, types.SnippetTextEdit)
                    )
                    continue
                ordered = sorted(
                    change.edits,
                    key=lambda e: (e.range.start.line, e.range.start.character),
                    reverse=True,
                )
                for one in ordered:
                    assert not isinstance(one, types.SnippetTextEdit)
                    self.replace(uri, one.range, one.new_text)
        for uri, edits in (edit.changes or {}).items():
            for one in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[
                ::-1
            ]:
                self.replace(uri, one.range, one.new_text)
        return types.ApplyWorkspaceEditResult(applied=True)


def server_env(fake_url: str | None, cache: Path, key: str | None = KEY) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "BACKEND_LSP_"))}
    env["BACKEND_LSP_CACHE_DIR"] = str(cache)
    if key is not None:
        env["ANTHROPIC_API_KEY"] = key
    if fake_url is not None:
        env["ANTHROPIC_BASE_URL"] = fake_url
    return env


def _parse_actions_like_an_editor(client: LanguageClient) -> None:
    """lsprotocol's converter reads a CodeAction that has a ``command`` as a bare Command.

    Editors tell them apart by the type of ``command`` (string for a Command), so do that.
    """
    converter = client.protocol._converter
    either = Union[types.Command, types.CodeAction]  # noqa: UP007 - the exact type lsprotocol uses

    def structure(obj: Any, _: Any) -> Any:
        if isinstance(obj, dict) and isinstance(obj.get("command"), str):
            return converter.structure(obj, types.Command)
        return converter.structure(obj, types.CodeAction)

    converter.register_structure_hook(either, structure)


@asynccontextmanager
async def editor_session(
    root: Path,
    cache: Path,
    *,
    fake_url: str | None = None,
    key: str | None = KEY,
    caps: types.ClientCapabilities | None = None,
    agent: dict[str, Any] | None = None,
) -> AsyncIterator[Editor]:
    config = ClientServerConfig(server_command=SERVER, server_env=server_env(fake_url, cache, key))
    client = await config.start()
    assert isinstance(client, LanguageClient)
    editor = Editor(client)
    _parse_actions_like_an_editor(client)

    @client.feature(types.WORKSPACE_APPLY_EDIT)  # type: ignore[untyped-decorator]
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        return editor.apply(params.edit)

    await client.initialize_session(
        types.InitializeParams(
            capabilities=caps or agent_caps(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
            initialization_options={
                "analysis": {"debounceMs": 10},
                "agent": {"maxRetries": 0, "timeoutS": 5, **(agent or {})},
            },
        )
    )
    try:
        yield editor
    finally:
        await client.shutdown_session()
        await client.stop()  # type: ignore[no-untyped-call]


def whole_line(line: int) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=0), end=types.Position(line=line + 1, character=0)
    )


def cursor(line: int, character: int = 4) -> types.Range:
    point = types.Position(line=line, character=character)
    return types.Range(start=point, end=point)


def run_args(uri: str, version: int, action: str, rng: types.Range) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": version,
        "action": action,
        "range": {
            "start": {"line": rng.start.line, "character": rng.start.character},
            "end": {"line": rng.end.line, "character": rng.end.character},
        },
    }
