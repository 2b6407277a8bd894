"""What the client can do, read once from ``initialize`` into plain named fields.

Every other module asks this object (``caps.document_changes``) instead of walking
lsprotocol's optional capability tree, so a capability is interpreted in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types


def _value(item: object) -> str:
    return str(getattr(item, "value", item))


@dataclass(frozen=True)
class ClientCapabilities:
    """The client features the server depends on; all False for a bare client."""

    pull_diagnostics: bool = False
    """textDocument/diagnostic: the client pulls, so the server never pushes."""
    diagnostic_refresh: bool = False
    """workspace/diagnostic/refresh: pull clients can be told to ask again."""
    configuration: bool = False
    """workspace/configuration: settings can be pulled."""
    work_done_progress: bool = False
    show_document: bool = False
    action_literals: bool = False
    """Code action literals (kind, disabled, data): without them a client sees only commands."""
    action_llm_tag: bool = False
    action_disabled: bool = False
    resolve_edit: bool = False
    """codeAction/resolve fills in ``edit`` lazily."""
    resolve_command: bool = False
    """codeAction/resolve fills in ``command`` lazily."""
    document_changes: bool = False
    """Versioned documentChanges in a WorkspaceEdit."""
    create_files: bool = False
    """documentChanges with the ``create`` resource operation (new-file actions)."""
    watched_files: bool = False
    """workspace/didChangeWatchedFiles may be registered dynamically (the index follows disk)."""

    @classmethod
    def of(cls, caps: types.ClientCapabilities) -> ClientCapabilities:
        text = caps.text_document
        workspace = caps.workspace
        window = caps.window
        action = text.code_action if text is not None else None
        resolve = action.resolve_support if action is not None else None
        resolved = set(resolve.properties) if resolve is not None else set()
        tag_support = action.tag_support if action is not None else None
        edit = workspace.workspace_edit if workspace is not None else None
        operations = {_value(o) for o in (edit.resource_operations or [])} if edit else set()
        document_changes = bool(edit is not None and edit.document_changes)
        refresh = workspace.diagnostics if workspace is not None else None
        show = window.show_document if window is not None else None
        watched = workspace.did_change_watched_files if workspace is not None else None
        return cls(
            pull_diagnostics=text is not None and text.diagnostic is not None,
            diagnostic_refresh=bool(refresh is not None and refresh.refresh_support),
            configuration=bool(workspace is not None and workspace.configuration),
            work_done_progress=bool(window is not None and window.work_done_progress),
            show_document=bool(show is not None and show.support),
            action_literals=action is not None and action.code_action_literal_support is not None,
            action_llm_tag=bool(
                tag_support is not None
                and types.CodeActionTag.LlmGenerated in (tag_support.value_set or [])
            ),
            action_disabled=bool(action is not None and action.disabled_support),
            resolve_edit="edit" in resolved,
            resolve_command="command" in resolved,
            document_changes=document_changes,
            create_files=document_changes and "create" in operations,
            watched_files=bool(watched is not None and watched.dynamic_registration),
        )
