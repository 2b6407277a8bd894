"""The requests the workspace index answers: workspace/symbol, hover, ``backend-lsp.context``.

Thin glue between the session and the engine: symbol search and hover read the
published snapshots (never waiting for a build); the context command assembles
on the index thread, so it sees the index exactly as an action would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from backend_lsp.lsp.contracts import CONTEXT, InvalidArguments, range_from_json
from backend_lsp.lsp.convert import uri_to_path

if TYPE_CHECKING:
    from backend_lsp.agent.workflow import ActionWorkflow
    from backend_lsp.index.build import WorkspaceIndex
    from backend_lsp.lsp.documents import DocumentState
    from backend_lsp.lsp.session import Session


def _text_of(session: Session, path: Path) -> str | None:
    state = session.store.get(path.as_uri())
    if state is not None:
        return state.document.text
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


async def workspace_symbols(session: Session, query: str) -> list[types.SymbolInformation]:
    from backend_lsp.lsp.symbols import search

    snapshots = list(session.indexes.snapshots.values())
    if not snapshots:
        return []
    encoding = session.encoding
    # Reading the lines the results point at touches files: off the loop.
    return await asyncio.to_thread(
        search, snapshots, query, lambda path: _text_of(session, path), encoding
    )


def hover_markdown(session: Session, state: DocumentState, offset: int) -> str | None:
    """The index's summary of the name at ``offset`` (None before the first build)."""
    from backend_lsp.lsp.index_hover import describe, name_at

    snapshot = state.snapshot
    root = snapshot.root if snapshot is not None else None
    if snapshot is None or root is None:
        return None
    path = Path(state.path)
    for indexed in session.indexes.snapshots.values():
        if indexed.root == path or indexed.root in path.parents:
            name = name_at(snapshot.source, root, offset)
            return describe(indexed, path, name) if name else None
    return None


def _context_args(args: tuple[Any, ...]) -> tuple[str, types.Range]:
    first: Any = args[0] if args else None
    if isinstance(first, list) and first:
        first = first[0]
    if not isinstance(first, Mapping):
        raise InvalidArguments(f"{CONTEXT}: expected {{'uri', 'range'}}")
    uri = first.get("uri")
    if not isinstance(uri, str) or not uri:
        raise InvalidArguments(f"{CONTEXT}: 'uri' must be a document URI")
    return uri, range_from_json(first.get("range"))


async def context(session: Session, workflow: ActionWorkflow, *args: Any) -> dict[str, Any]:
    """``{"root", "items", "tokens", "budget"}``: exactly what an action would send, redacted."""
    from backend_lsp.agent.workflow import ActionFailed
    from backend_lsp.context import context_to_json

    uri, rng = _context_args(args)
    path = Path(uri_to_path(uri))
    state = session.store.get(uri)
    text = state.document.text if state is not None else _text_of(session, path)
    if text is None:
        raise InvalidArguments(f"{CONTEXT}: cannot read {uri}")
    first, last = rng.start.line + 1, rng.end.line + 1
    if last > first and rng.end.character == 0:
        last -= 1  # a selection ending at the start of a line does not include it
    language = state.language_id if state is not None else None
    root = workflow.workspace_root

    def work(_index: WorkspaceIndex | None) -> dict[str, Any]:
        try:
            bundle = workflow.context_bundle(path, text, first, last, language_id=language)
        except ActionFailed as error:
            raise InvalidArguments(f"{CONTEXT}: {error.message}") from None
        return context_to_json(bundle, root)

    if root is None:
        return work(None)
    return await session.indexes.run(root, work)
