# mypy: disable-error-code="index"
# (command results are LSPAny: Any | None; indexing them is the test)
"""Start-up stays cheap: nothing heavy is imported before the initialize response."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsp_testkit import SWALLOW, capabilities, open_doc, session, wait_for
from lsprotocol import types

from backend_lsp.lsp.kinds import DECLARED_KINDS, covered

# Imported only after initialize (in `initialized` or on first use); see lsp/server.py.
HEAVY_PACKAGES = ("pydantic", "pydantic_core", "anthropic", "httpx", "sqlglot", "yaml")
HEAVY_PREFIXES = (
    "tree_sitter",  # the core and every grammar wheel
    "backend_lsp.config",
    "backend_lsp.agent",
    "backend_lsp.analysis",
    "backend_lsp.engine",
    "backend_lsp.syntax",
    "backend_lsp.context",
    "backend_lsp.lsp.agent_",
    "backend_lsp.lsp.diagnostics",
    "backend_lsp.lsp.documents",
)


def _heavy(names: list[str]) -> list[str]:
    return [
        name
        for name in names
        if name in HEAVY_PACKAGES or any(name.startswith(p) for p in HEAVY_PREFIXES)
    ]


async def test_nothing_heavy_is_imported_before_initialize_answers(tmp_path: Path) -> None:
    async with session(tmp_path) as (client, result):
        assert result.capabilities.code_action_provider is not None
        status = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
        at_initialize: list[str] = status["startup"]["modulesAtInitialize"]
        # The snapshot is real: pygls and our server module are in it ...
        assert "lsprotocol" in at_initialize and "pygls" in at_initialize
        assert "backend_lsp.lsp.server" in at_initialize
        # ... and the engine, settings and agent are not.
        assert _heavy(at_initialize) == []
        # Settings resolved after initialize still honour its initializationOptions.
        assert status["settings"]["analysis"]["debounce_ms"] == 10


def test_heavy_filter_recognises_what_it_should() -> None:
    names = ["pydantic", "tree_sitter_python", "backend_lsp.agent.actions", "lsprotocol", "json"]
    assert _heavy(names) == ["pydantic", "tree_sitter_python", "backend_lsp.agent.actions"]


async def test_declared_code_action_kinds_do_not_need_settings(tmp_path: Path) -> None:
    async with session(tmp_path) as (_client, result):
        provider = result.capabilities.code_action_provider
        assert isinstance(provider, types.CodeActionOptions)
        declared = [str(getattr(k, "value", k)) for k in provider.code_action_kinds or []]
        assert declared == list(DECLARED_KINDS)
        assert provider.resolve_provider


def test_declared_kinds_cover_every_action_kind() -> None:
    from backend_lsp.config import CustomAction
    from backend_lsp.lsp.agent_actions import action_kinds

    kinds = [*action_kinds(), "quickfix.backend.be015"]
    kinds.append(CustomAction(id="x", title="X", instruction="do x").kind)
    kinds += ["refactor.rewrite.backend.my-action", "source.fixAll.backend", "refactor.extract"]
    assert [k for k in kinds if not covered(k)] == []
    # Prefix matching is by whole segments: "refactorish" is not under "refactor".
    assert not covered("refactorish.x")
    assert not covered("backend.custom")


async def test_document_opened_before_client_config_arrives_follows_it(tmp_path: Path) -> None:
    # Settings are resolved lazily; a document opened while `initialized` still waits
    # for workspace/configuration must be re-analysed once the client's config applies.
    config = {"analysis": {"ignore": ["BE015"]}}
    async with session(tmp_path, capabilities(), config=config) as (client, _):
        uri = (tmp_path / "a.py").as_uri()
        open_doc(client, uri, SWALLOW)  # right after initialized, no waiting
        await wait_for(lambda: uri in client.diagnostics)
        await wait_for(lambda: not any(d.code == "BE015" for d in client.diagnostics[uri]))
        await asyncio.sleep(0.2)  # nothing stale published after it
        assert not any(d.code == "BE015" for d in client.diagnostics[uri])
