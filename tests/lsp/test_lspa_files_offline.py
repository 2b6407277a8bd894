# mypy: disable-error-code="index"
# (command results and CodeAction.data are LSPAny: Any | None; indexing them is the test)
"""The two paths of the agent's LSP flow that create no ordinary edit.

New files (design-api, write-tests): a ``CreateFile`` plus an edit into it, only
inside the workspace and only for a client that declares it can create files.
Offline (no key, no base URL): explain, review-security and optimize-query
answer from the analyzer without a single request to the API.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import fake_anthropic as fa
from lsp_testkit import wait_for
from lspa_support import KEY, agent_caps, cursor, editor_session, run_args, whole_line
from lsprotocol import types

RUN = "backend-lsp.runAction"
MODELS = "app/models.py"
REVIEWS = "app/routes/reviews.py"
REVIEWS_CODE = '''\
"""Product reviews."""

from fastapi import APIRouter

router = APIRouter(prefix="/products/{product_id}/reviews", tags=["reviews"])


@router.get("")
def list_reviews(product_id: int) -> list[dict[str, object]]:
    return []
'''


def _run(uri: str, action: str, rng: types.Range, version: int = 1) -> types.ExecuteCommandParams:
    return types.ExecuteCommandParams(command=RUN, arguments=[run_args(uri, version, action, rng)])


def _line_of(path: Path, prefix: str) -> int:
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(prefix))


def _messages(client: object, kind: types.MessageType) -> list[str]:
    found = client.messages  # type: ignore[attr-defined]
    return [m.message for m in found if m.type == kind]


# -- new files --------------------------------------------------------------------------------


async def test_lspa_design_api_creates_the_file_inside_the_workspace(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    answer = {
        "new_files": [{"path": REVIEWS, "content": REVIEWS_CODE}],
        "summary": "a reviews router",
    }
    fake.push(fa.tool_stream(answer))
    models = shop / MODELS
    uri = models.as_uri()
    text = models.read_text()
    agent = {"needsConfirmation": False}
    async with editor_session(
        shop, tmp_path / "cache", fake_url=fake.base_url, agent=agent
    ) as editor:
        editor.open(uri, text)
        line = _line_of(models, "class Product(")
        result = await editor.client.workspace_execute_command_async(
            _run(uri, "design-api", whole_line(line))
        )
        assert result["ok"] and result["applied"], result
        assert result["newFiles"] == [REVIEWS] and result["edits"] == 0
        [edit] = editor.edits
        create, fill = edit.document_changes or []
        target = (shop / REVIEWS).resolve().as_uri()
        assert isinstance(create, types.CreateFile) and create.uri == target
        assert create.options is not None and create.options.overwrite is False
        assert create.annotation_id is not None
        assert isinstance(fill, types.TextDocumentEdit) and fill.text_document.uri == target
        [insert] = fill.edits
        assert isinstance(insert, types.AnnotatedTextEdit) and insert.new_text == REVIEWS_CODE
        assert insert.range.start == insert.range.end == types.Position(line=0, character=0)
        annotation = (edit.change_annotations or {})[create.annotation_id]
        assert annotation.label == "Backend agent: Design API"
        assert annotation.needs_confirmation is False  # the setting, not a constant
        assert annotation.description == "a reviews router"
        assert editor.created == {target: REVIEWS_CODE}
        assert editor.text(uri) == text  # the model file itself is untouched
        assert not (shop / REVIEWS).exists()  # the editor creates it, never the server
        status = await editor.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
    agent_status = status["agent"]
    assert agent_status["provider"] == "anthropic" and agent_status["available"] is True
    assert agent_status["model"] == status["settings"]["agent"]["model"]
    usage = agent_status["usage"]
    assert (usage["calls"], usage["input_tokens"], usage["output_tokens"]) == (1, 120, 42)
    assert result["usage"]["input_tokens"] == 120  # the run and the session agree
    dumped = json.dumps(status)
    assert KEY not in dumped and KEY[-12:] not in dumped and KEY[:14] not in dumped
    assert len(fake.message_requests) == 1


ESCAPES = ("../escape.py", "app/../../escape.py", "/tmp/escape.py", "linked/escape.py")


async def test_lspa_new_file_outside_the_workspace_is_refused(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (shop / "linked").symlink_to(outside, target_is_directory=True)  # resolves outside
    for path in ESCAPES:
        answer = {"new_files": [{"path": path, "content": "x = 1\n"}], "summary": "escape"}
        fake.push(fa.tool_stream(answer))
    models = shop / MODELS
    uri = models.as_uri()
    rng = whole_line(_line_of(models, "class Product("))
    reasons = ("outside the workspace", "must not contain '..'", "relative to the workspace")
    async with editor_session(shop, tmp_path / "cache", fake_url=fake.base_url) as editor:
        editor.open(uri, models.read_text())
        for number, path in enumerate(ESCAPES, 1):
            result = await editor.client.workspace_execute_command_async(
                _run(uri, "design-api", rng)
            )
            assert result["ok"] is False, (path, result)
            errors = _messages(editor.client, types.MessageType.Error)
            assert len(errors) == number
            assert any(reason in errors[-1] for reason in reasons), errors[-1]
            assert repr(path) in errors[-1]  # names what the model asked for
        assert editor.edits == [] and editor.created == {}
    assert len(fake.message_requests) == len(ESCAPES)  # no retry of a refused answer
    assert list(outside.iterdir()) == [] and not (tmp_path / "escape.py").exists()


async def test_lspa_new_files_need_a_client_that_can_create_them(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    caps = agent_caps()
    assert caps.workspace is not None
    caps.workspace.workspace_edit = types.WorkspaceEditClientCapabilities(document_changes=True)
    products = shop / "app/routes/products.py"
    uri = products.as_uri()
    async with editor_session(
        shop, tmp_path / "cache", fake_url=fake.base_url, caps=caps
    ) as editor:
        editor.open(uri, products.read_text())
        line = _line_of(products, "def get_product(")
        result = await editor.client.workspace_execute_command_async(
            _run(uri, "write-tests", whole_line(line))
        )
        assert result["ok"] is False and result["kind"] == "unsupported", result
        [error] = _messages(editor.client, types.MessageType.Error)
        assert "cannot create files" in error
        # a command the user can paste: the action, the file and the lines
        assert f"backend-lsp run write-tests app/routes/products.py:{line + 1}-{line + 1}" in error
        assert "--apply" in error
        assert editor.edits == [] and editor.created == {}
    assert fake.message_requests == []  # refused before spending tokens


async def test_lspa_new_file_actions_are_disabled_for_clients_that_cannot_create(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    models = shop / MODELS
    uri = models.as_uri()
    line = _line_of(models, "class Product(")
    rng = _lines_range(line, line + 1)
    no_create = agent_caps()
    assert no_create.workspace is not None
    no_create.workspace.workspace_edit = types.WorkspaceEditClientCapabilities(
        document_changes=True, resource_operations=[types.ResourceOperationKind.Rename]
    )
    for caps, can_create in ((no_create, False), (agent_caps(), True)):
        async with editor_session(
            shop, tmp_path / f"cache-{can_create}", fake_url=fake.base_url, caps=caps
        ) as editor:
            editor.open(uri, models.read_text())
            listed = await _listed(editor.client, uri, rng)
            for action_id in ("design-api", "write-tests"):
                action = listed[action_id]
                if can_create:
                    assert action.disabled is None, action_id
                    continue
                assert action.disabled is not None and action.command is None, action_id
                reason = action.disabled.reason
                assert "cannot create files" in reason
                target = f"{models.resolve()}:{line + 1}-{line + 2}"
                assert f"backend-lsp run {action_id} {target} --apply" in reason
            # actions that edit the open document stay available either way
            assert listed["add-validation"].disabled is None
    assert fake.requests == []


# -- offline: no key, no base URL -------------------------------------------------------------

REPORTING = "app/services/reporting.py"


async def _listed(client: object, uri: str, rng: types.Range) -> dict[str, types.CodeAction]:
    found = await client.text_document_code_action_async(  # type: ignore[attr-defined]
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rng,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return {
        a.data["action"]: a
        for a in found or []
        if isinstance(a, types.CodeAction)
        and isinstance(a.data, dict)
        and a.data.get("source") == "agent"
    }


PRODUCTS_PY = "app/routes/products.py"
STAR = "SELECT * FROM orders WHERE status = '%s' ORDER BY created_at DESC\" % status"
PARAMETRISED = (
    '    query = "SELECT * FROM orders WHERE status = :status ORDER BY created_at DESC"\n'
    '    rows = db.execute(text(query), {"status": status}).mappings().all()\n'
)
COLUMNS = "SELECT id, customer_id, status, total, created_at FROM orders"


async def _schema_known(client: object) -> None:
    """Wait for the workspace schema scan: the column list comes from the migrations."""
    for _ in range(250):
        status = await client.workspace_execute_command_async(  # type: ignore[attr-defined]
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
        if status["schemaTables"]:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the workspace schema was never loaded")


def _lines_range(first: int, last: int) -> types.Range:
    """0-based lines first..last, whole lines."""
    return types.Range(
        start=types.Position(line=first, character=0),
        end=types.Position(line=last + 1, character=0),
    )


async def test_lspa_offline_actions_are_listed_and_run_without_the_api(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    path = shop / PRODUCTS_PY
    uri = path.as_uri()
    text = path.read_text()
    cache = tmp_path / "cache"
    async with editor_session(shop, cache, key=None) as editor:
        client = editor.client
        editor.open(uri, text)
        await wait_for(lambda: uri in client.diagnostics)
        line = _line_of(path, "    product = db.get(Product, product_id)")
        listed = await _listed(client, uri, cursor(line, 8))
        for action_id in ("explain", "review-security", "optimize-query"):
            action = listed[action_id]
            assert action.disabled is None and action.title.endswith("(offline)")
            assert action.command is not None
        design = listed["design-api"]
        assert design.disabled is not None and design.command is None
        assert "ANTHROPIC_API_KEY" in design.disabled.reason  # says how to enable it
        assert "ANTHROPIC_BASE_URL" in design.disabled.reason

        # explain, run exactly as listed: the static explanation, shown and hoverable
        explain = listed["explain"].command
        assert explain is not None
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=explain.command, arguments=explain.arguments)
        )
        assert result["ok"], result
        # the router's prefix (APIRouter(prefix="/products")) is part of the path
        assert "`GET /products/{product_id}`" in result["explanation"]
        assert "handler `get_product`" in result["explanation"]
        usage = result["usage"]
        assert usage["provider"] == "offline" and usage["input_tokens"] == 0
        assert usage["estimated_cost_usd"] == 0  # free, not "cost unknown"
        status = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
        totals = status["agent"]["usage"]
        assert (totals["offline_calls"], totals["calls"], totals["unpriced_calls"]) == (1, 0, 0)
        assert totals["estimated_cost_usd"] == 0
        [shown] = client.shown_documents
        assert shown.uri == result["uri"]
        written = Path(shown.uri.removeprefix("file://"))
        assert written.is_relative_to(cache.resolve())
        assert "`GET /products/{product_id}`" in written.read_text()
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=8),
            )
        )
        assert hover is not None
        assert result["explanation"] in hover.contents.value  # type: ignore[union-attr]

        # optimize-query where the analyzer has nothing deterministic: a calm message
        optimize = listed["optimize-query"].command
        assert optimize is not None
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=optimize.command, arguments=optimize.arguments)
        )
        assert result["ok"] is False and result["kind"] == "no_provider", result
        assert _messages(client, types.MessageType.Error) == []
        [info] = _messages(client, types.MessageType.Info)
        assert "offline analyzer found nothing" in info and "ANTHROPIC_API_KEY" in info
        assert editor.edits == [] and editor.text(uri) == text

        # design-api, run anyway (a stale listing, a keybinding): refused with the same reason
        result = await client.workspace_execute_command_async(
            _run(uri, "design-api", cursor(line, 8))
        )
        assert result["ok"] is False and result["kind"] == "no_provider"
        [error] = _messages(client, types.MessageType.Error)
        assert "needs an AI provider" in error and "ANTHROPIC_API_KEY" in error
    assert fake.requests == []


def _agent_diagnostics(client: object, uri: str) -> list[types.Diagnostic]:
    found = client.diagnostics.get(uri, [])  # type: ignore[attr-defined]
    return [d for d in found if d.source == "backend-agent"]


async def test_lspa_offline_review_security_gives_fixable_diagnostics(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    path = shop / REPORTING
    uri = path.as_uri()
    text = path.read_text()
    first = _line_of(path, "def orders_by_status(")
    async with editor_session(shop, tmp_path / "cache", key=None) as editor:
        client = editor.client
        editor.open(uri, text)
        await wait_for(lambda: uri in client.diagnostics)
        result = await client.workspace_execute_command_async(
            _run(uri, "review-security", _lines_range(first, first + 3))
        )
        assert result["ok"] and result["findings"] == 2, result
        assert result["usage"]["provider"] == "offline"
        found = await wait_for(lambda: _agent_diagnostics(client, uri))
        by_code = {str(d.message).rsplit("[", 1)[-1].rstrip("]"): d for d in found}
        assert set(by_code) == {"BE001", "BE002"}
        injection = by_code["BE001"]
        assert injection.severity == types.DiagnosticSeverity.Error
        assert injection.range.start.line == first + 1 and injection.data["fix"] is True
        assert by_code["BE002"].data["fix"] is False  # no deterministic fix: nothing offered
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=injection.range,
                context=types.CodeActionContext(diagnostics=[injection], only=["quickfix"]),
            )
        )
        fixes = [
            a
            for a in actions or []
            if isinstance(a, types.CodeAction) and a.kind == "quickfix.backend.agent"
        ]
        [fix] = fixes
        fix = await client.code_action_resolve_async(fix)
        assert fix.edit is not None and editor.apply(fix.edit).applied
        lines = text.splitlines(keepends=True)
        expected = "".join(lines[: first + 1]) + PARAMETRISED + "".join(lines[first + 3 :])
        assert editor.text(uri) == expected
        await wait_for(lambda: "BE001" not in str(_agent_diagnostics(client, uri)))
    assert fake.requests == []


async def test_lspa_offline_optimize_query_expands_select_star_from_the_schema(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    path = shop / REPORTING
    uri = path.as_uri()
    text = path.read_text()
    first = _line_of(path, "def orders_by_status(")
    lines = text.splitlines(keepends=True)
    async with editor_session(shop, tmp_path / "cache", key=None) as editor:
        client = editor.client
        editor.open(uri, text)
        # the user has parametrised the query already (the analyzer's own quick fix)
        editor.replace(uri, _lines_range(first + 1, first + 2), PARAMETRISED)
        await wait_for(lambda: client.diagnostics.get(uri) is not None)
        await _schema_known(client)
        result = await client.workspace_execute_command_async(
            _run(uri, "optimize-query", whole_line(first + 1), version=2)
        )
        assert result["ok"] and result["applied"] and result["edits"] == 1, result
        assert "offline" in result["usage"]["provider"]
        [edit] = editor.edits
        [change] = edit.document_changes or []
        assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 2
        [hunk] = change.edits
        assert isinstance(hunk, types.AnnotatedTextEdit)
        assert (edit.change_annotations or {})[hunk.annotation_id].needs_confirmation is True
        wanted = PARAMETRISED.replace("SELECT * FROM orders", COLUMNS)
        expected = "".join(lines[: first + 1]) + wanted + "".join(lines[first + 3 :])
        assert editor.text(uri) == expected
    assert fake.requests == []


async def test_lspa_offline_optimize_query_on_the_unfixed_query(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    path = shop / REPORTING
    uri = path.as_uri()
    first = _line_of(path, "def orders_by_status(")
    async with editor_session(shop, tmp_path / "cache", key=None) as editor:
        editor.open(uri, path.read_text())
        await wait_for(lambda: uri in editor.client.diagnostics)
        await _schema_known(editor.client)
        result = await editor.client.workspace_execute_command_async(
            _run(uri, "optimize-query", whole_line(first + 1))
        )
        assert result["ok"] and result["applied"], result
        assert COLUMNS in editor.text(uri) and ":status" in editor.text(uri)
        # the injection fix and the column list arrive as one hunk, applied as written
        assert result["edits"] == 1
        lines = path.read_text().splitlines(keepends=True)
        wanted = PARAMETRISED.replace("SELECT * FROM orders", COLUMNS)
        assert editor.text(uri) == "".join(lines[: first + 1]) + wanted + "".join(
            lines[first + 3 :]
        )
        assert _messages(editor.client, types.MessageType.Error) == []
    assert fake.requests == []
