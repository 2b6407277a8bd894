# mypy: disable-error-code="index"
# (command results and CodeAction.data are LSPAny: Any | None; indexing them is the test)
"""backend-lsp.runAction end to end: the real SDK in the server, the fake API in the test."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import fake_anthropic as fa
import pytest
from lsp_testkit import wait_for
from lspa_support import KEY, PRODUCTS, Editor, editor_session, run_args, whole_line
from lsprotocol import types
from pygls.exceptions import JsonRpcException

OLD = "    return db.query(Product).order_by(Product.name).all()"
NEW = "    return db.query(Product).order_by(Product.name).limit(settings.MAX_PAGE_SIZE).all()"
RUN = "backend-lsp.runAction"


def _command(uri: str, action: str, line: int, version: int = 1) -> types.ExecuteCommandParams:
    return types.ExecuteCommandParams(
        command=RUN, arguments=[run_args(uri, version, action, whole_line(line))]
    )


async def test_lspa_optimize_query_applies_versioned_annotated_edit(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    fake.push(fa.tool_stream({"edits": [{"search": OLD, "replace": NEW}], "summary": "bounded"}))
    uri = (shop / PRODUCTS).as_uri()
    text = (shop / PRODUCTS).read_text()
    async with editor_session(shop, tmp_path / "cache", fake_url=fake.base_url) as editor:
        editor.open(uri, text)
        result = await editor.client.workspace_execute_command_async(
            _command(uri, "optimize-query", 29)
        )
        assert result["ok"] and result["applied"] and result["edits"] == 1
        assert editor.text(uri) == text.replace(OLD, NEW)
        [edit] = editor.edits
        [change] = edit.document_changes or []
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.version == 1
        [hunk] = change.edits
        assert isinstance(hunk, types.AnnotatedTextEdit)
        annotation = (edit.change_annotations or {})[hunk.annotation_id]
        assert annotation.needs_confirmation is True
        assert annotation.label == "Backend agent: Optimize query"
        reports = next(iter(editor.client.progress_reports.values()))
        assert isinstance(reports[0], types.WorkDoneProgressBegin)
        assert reports[0].title == "Optimize query…"
        messages = [r.message or "" for r in reports if isinstance(r, types.WorkDoneProgressReport)]
        assert any("tokens" in m for m in messages)
        end = reports[-1]
        assert isinstance(end, types.WorkDoneProgressEnd)
        assert end.message is not None and "120 in, 42 out" in end.message and "$" in end.message
        status = await editor.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
        assert status["agent"]["usage"]["calls"] == 1
        assert status["agent"]["usage"]["input_tokens"] == 120
    assert len(fake.message_requests) == 1
    assert KEY.encode() not in fake.message_requests[0].body


def _token(editor_client: object) -> str | None:
    reports = editor_client.progress_reports  # type: ignore[attr-defined]
    return next((str(t) for t, r in reports.items() if r), None)


@pytest.mark.parametrize("how", ["request", "progress"])
async def test_lspa_cancel_closes_the_upstream_stream(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic, how: str
) -> None:
    answer = {"edits": [{"search": OLD, "replace": NEW}], "summary": "slow"}
    fake.push(fa.tool_stream(answer, chunks=40, delay=0.1))
    uri = (shop / PRODUCTS).as_uri()
    text = (shop / PRODUCTS).read_text()
    async with editor_session(shop, tmp_path / "cache", fake_url=fake.base_url) as editor:
        client = editor.client
        editor.open(uri, text)
        future = client.protocol.send_request(
            types.WORKSPACE_EXECUTE_COMMAND, _command(uri, "optimize-query", 29), msg_id="run-1"
        )
        assert await asyncio.to_thread(fake.wait_request, 1, 20.0) is not None
        token = await wait_for(lambda: _token(client))
        await asyncio.sleep(0.15)  # the stream is flowing
        cancelled_at = time.monotonic()
        if how == "request":
            client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="run-1"))
        else:
            client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
        closed = await asyncio.to_thread(fake.wait_closed, 2.0)
        assert closed is not None and closed.closed_at is not None
        assert closed.closed_at - cancelled_at < 0.5
        with pytest.raises(JsonRpcException) as caught:
            await asyncio.wait_for(asyncio.wrap_future(future), 5)
        assert caught.value.code == -32800
        await asyncio.sleep(0.1)
        assert editor.edits == [] and editor.text(uri) == text


async def _optimize_in_flight(
    editor: Editor, fake: fa.FakeAnthropic, uri: str, text: str
) -> asyncio.Future[object]:
    """Open the document and start optimize-query; return once the API has the request."""
    editor.open(uri, text)
    task = asyncio.ensure_future(
        editor.client.workspace_execute_command_async(_command(uri, "optimize-query", 29))
    )
    assert await asyncio.to_thread(fake.wait_request, 1, 20.0) is not None
    return task


async def test_lspa_change_during_run_is_reanchored(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    fake.push(fa.tool_stream({"edits": [{"search": OLD, "replace": NEW}]}, chunks=3, delay=0.1))
    uri = (shop / PRODUCTS).as_uri()
    text = (shop / PRODUCTS).read_text()
    async with editor_session(shop, tmp_path / "cache", fake_url=fake.base_url) as editor:
        task = await _optimize_in_flight(editor, fake, uri, text)
        top = types.Position(line=0, character=0)
        editor.replace(uri, types.Range(start=top, end=top), "# edited meanwhile\n")
        result = await asyncio.wait_for(task, 5)
        assert result["ok"] and result["applied"]
        assert editor.text(uri) == "# edited meanwhile\n" + text.replace(OLD, NEW)
        [change] = editor.edits[0].document_changes or []
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.version == 2  # planned on the text after the change


async def test_lspa_change_of_the_target_is_refused(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    fake.push(fa.tool_stream({"edits": [{"search": OLD, "replace": NEW}]}, chunks=3, delay=0.1))
    uri = (shop / PRODUCTS).as_uri()
    text = (shop / PRODUCTS).read_text()
    async with editor_session(shop, tmp_path / "cache", fake_url=fake.base_url) as editor:
        task = await _optimize_in_flight(editor, fake, uri, text)
        editor.replace(uri, whole_line(29), "    return []\n")
        result = await asyncio.wait_for(task, 5)
        assert result["ok"] is False and result["kind"] == "stale"
        assert editor.edits == []
        assert "return []" in editor.text(uri) and NEW not in editor.text(uri)
        errors = [m for m in editor.client.messages if m.type == types.MessageType.Error]
        assert errors and "document changed" in errors[-1].message


async def test_lspa_invalid_key_is_reported_without_the_key(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    fake.push(fa.error(401, "authentication_error", f"invalid x-api-key {KEY}"))
    uri = (shop / PRODUCTS).as_uri()
    async with editor_session(shop, tmp_path / "cache", fake_url=fake.base_url) as editor:
        editor.open(uri, (shop / PRODUCTS).read_text())
        result = await editor.client.workspace_execute_command_async(
            _command(uri, "optimize-query", 29)
        )
        assert result["ok"] is False
        errors = [m for m in editor.client.messages if m.type == types.MessageType.Error]
        assert errors and "401" in errors[-1].message
        everything = str(result) + " ".join(m.message for m in editor.client.messages)
        everything += " ".join(m.message for m in editor.client.log_messages)
        assert KEY not in everything
        assert editor.edits == []


async def test_lspa_bad_arguments_are_an_invalid_params_error(shop: Path, tmp_path: Path) -> None:
    uri = (shop / PRODUCTS).as_uri()
    async with editor_session(shop, tmp_path / "cache", key=None) as editor:
        editor.open(uri, (shop / PRODUCTS).read_text())
        bad = run_args(uri, 1, "optimize-query", whole_line(3))
        bad["range"] = {"start": {"line": 3, "character": 0}}
        with pytest.raises(JsonRpcException) as raised:
            await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams(command=RUN, arguments=[bad])
            )
        assert raised.value.code == -32602 and "'range.end'" in str(raised.value)
