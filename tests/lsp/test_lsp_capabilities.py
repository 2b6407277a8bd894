"""ClientCapabilities: the lsprotocol tree read once into named fields."""

from __future__ import annotations

from lsp_testkit import capabilities
from lsprotocol import types

from backend_lsp.lsp.capabilities import ClientCapabilities


def test_a_bare_client_offers_nothing() -> None:
    assert ClientCapabilities.of(types.ClientCapabilities()) == ClientCapabilities()


def test_the_fields_follow_the_client_tree() -> None:
    caps = capabilities(pull=True, resolve=True, document_changes=True)
    assert caps.text_document is not None and caps.workspace is not None
    caps.text_document.code_action = types.CodeActionClientCapabilities(
        code_action_literal_support=types.ClientCodeActionLiteralOptions(
            code_action_kind=types.ClientCodeActionKindOptions(value_set=["quickfix"])
        ),
        resolve_support=types.ClientCodeActionResolveOptions(properties=["edit", "command"]),
        disabled_support=True,
        tag_support=types.CodeActionTagOptions(value_set=[types.CodeActionTag.LlmGenerated]),
    )
    resolved = ClientCapabilities.of(caps)
    assert resolved.pull_diagnostics and resolved.document_changes
    assert resolved.action_literals and resolved.action_disabled and resolved.action_llm_tag
    assert resolved.resolve_edit and resolved.resolve_command
    assert not resolved.create_files  # documentChanges without the create operation
    assert caps.workspace.workspace_edit is not None
    caps.workspace.workspace_edit.resource_operations = [types.ResourceOperationKind.Create]
    assert ClientCapabilities.of(caps).create_files
    caps.workspace.workspace_edit.document_changes = False
    assert not ClientCapabilities.of(caps).create_files  # create needs documentChanges
