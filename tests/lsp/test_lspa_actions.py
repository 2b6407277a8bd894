# mypy: disable-error-code="index"
# (command results and CodeAction.data are LSPAny: Any | None; indexing them is the test)
"""AI code actions: listed instantly where they fit, with kinds, tag and disabled reason."""

from __future__ import annotations

import time
from pathlib import Path

import fake_anthropic as fa
from lsp_testkit import wait_for
from lspa_support import PRODUCTS, agent_caps, cursor, editor_session, run_args, whole_line
from lsprotocol import types

AI = {
    "design-api": "refactor.rewrite.backend.design-api",
    "optimize-query": "refactor.rewrite.backend.optimize-query",
    "review-security": "source.backend.review",
    "explain": "refactor.backend.explain",
}


def _ident(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def _actions(
    client: object, uri: str, rng: types.Range, only: list[str] | None = None
) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(  # type: ignore[attr-defined]
        types.CodeActionParams(
            text_document=_ident(uri),
            range=rng,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [
        a for a in found or [] if isinstance(a, types.CodeAction) and a.data["source"] == "agent"
    ]


async def test_lspa_listing_without_key(shop: Path, tmp_path: Path, fake: fa.FakeAnthropic) -> None:
    uri = (shop / PRODUCTS).as_uri()
    async with editor_session(shop, tmp_path / "cache", key=None) as editor:
        client = editor.client
        editor.open(uri, (shop / PRODUCTS).read_text())
        await wait_for(lambda: uri in client.diagnostics)
        started = time.perf_counter()
        actions = await _actions(client, uri, cursor(29))  # inside export_products (a route)
        elapsed = time.perf_counter() - started
        by_id = {a.data["action"]: a for a in actions}
        for action_id in ("optimize-query", "review-security", "explain"):
            action = by_id[action_id]
            assert action.kind == AI[action_id]
            assert list(action.tags or []) == [types.CodeActionTag.LlmGenerated]
            assert action.disabled is None and action.title.endswith("(offline)")
            assert action.command is not None and action.command.command == "backend-lsp.runAction"
        design = by_id["design-api"]
        assert design.kind == AI["design-api"]
        assert design.disabled is not None and "ANTHROPIC_API_KEY" in design.disabled.reason
        assert design.command is None
        assert elapsed < 0.5, elapsed
        # line 1 is an import: no function, no selection -> nothing offered ...
        assert await _actions(client, uri, cursor(2, 0)) == []
        # ... unless the client asks for the kind
        asked = await _actions(client, uri, cursor(2, 0), only=[AI["optimize-query"]])
        assert [a.data["action"] for a in asked] == ["optimize-query"]
        # quick fixes only: no AI action
        assert await _actions(client, uri, cursor(29), only=["quickfix"]) == []
    assert fake.requests == []


async def test_lspa_listing_with_key_tags_and_resolve(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    uri = (shop / PRODUCTS).as_uri()
    caps = agent_caps(tags=False, resolve=("edit", "command"))
    async with editor_session(
        shop, tmp_path / "cache", fake_url=fake.base_url, caps=caps
    ) as editor:
        client = editor.client
        editor.open(uri, (shop / PRODUCTS).read_text())
        await wait_for(lambda: uri in client.diagnostics)
        selection = types.Range(
            start=types.Position(line=28, character=0), end=types.Position(line=30, character=0)
        )
        actions = await _actions(client, uri, selection)
        ids = [a.data["action"] for a in actions]
        assert {"design-api", "optimize-query", "add-validation", "write-tests"} <= set(ids)
        assert all(a.disabled is None and a.tags is None for a in actions)
        assert all(a.command is None for a in actions)  # the client resolves commands lazily
        optimize = next(a for a in actions if a.data["action"] == "optimize-query")
        assert optimize.title == "Backend agent: Optimize query"
        resolved = await client.code_action_resolve_async(optimize)
        assert resolved.command is not None
        assert resolved.command.command == "backend-lsp.runAction"
        assert list(resolved.command.arguments or []) == [
            run_args(uri, 1, "optimize-query", selection)
        ]
        # a model class offers design-api at the cursor
        models = (shop / "app/models.py").as_uri()
        editor.open(models, (shop / "app/models.py").read_text())
        await wait_for(lambda: models in client.diagnostics)
        line = next(
            i
            for i, text in enumerate((shop / "app/models.py").read_text().splitlines())
            if text.startswith("class ")
        )
        at_class = {a.data["action"] for a in await _actions(client, models, cursor(line, 8))}
        assert "design-api" in at_class
        status = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
        assert status["agent"]["provider"] == "anthropic" and status["agent"]["available"]
        assert "LSPAGENTKEY" not in str(status)
    assert fake.message_requests == []


async def test_lspa_no_literal_support_means_no_ai_actions(shop: Path, tmp_path: Path) -> None:
    from lsp_testkit import capabilities

    uri = (shop / PRODUCTS).as_uri()
    async with editor_session(shop, tmp_path / "cache", caps=capabilities()) as editor:
        editor.open(uri, (shop / PRODUCTS).read_text())
        await wait_for(lambda: uri in editor.client.diagnostics)
        assert await _actions(editor.client, uri, whole_line(29)) == []
