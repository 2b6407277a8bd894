# mypy: disable-error-code="index"
# (command results and CodeAction.data are LSPAny: Any | None; indexing them is the test)
"""executeCommand with server-created progress and both forms of cancellation."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_testkit import SWALLOW, capabilities, session, wait_for
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

FILES = 600


def workspace(root: Path, count: int) -> None:
    for i in range(count):
        (root / f"m{i:04d}.py").write_text(SWALLOW * 20)


async def test_analyze_workspace_progress_and_diagnostics(tmp_path: Path) -> None:
    workspace(tmp_path, 12)
    async with session(tmp_path, capabilities()) as (client, _):
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.analyzeWorkspace")
        )
        assert result == {"files": 12, "analysed": 12, "findings": 12 * 20}
        reports = next(iter(client.progress_reports.values()))
        kinds = [type(r).__name__ for r in reports]
        assert kinds[0] == "WorkDoneProgressBegin" and kinds[-1] == "WorkDoneProgressEnd"
        assert any(getattr(r, "message", "") == "12/12 files" for r in reports)
        uri = (tmp_path / "m0003.py").resolve().as_uri()
        assert len(client.diagnostics[uri]) == 20


def _progress_token(client: LanguageClient) -> str | None:
    """The command's progress (not the background index build's, also counting files)."""
    for token, reports in client.progress_reports.items():
        indexing = any(
            isinstance(r, types.WorkDoneProgressBegin) and r.title.startswith("Indexing")
            for r in reports
        )
        if not indexing and any(isinstance(r, types.WorkDoneProgressReport) for r in reports):
            return str(token)
    return None


@pytest.mark.parametrize("how", ["request", "progress"])
async def test_cancellation_stops_the_work(tmp_path: Path, how: str) -> None:
    workspace(tmp_path, FILES)
    async with session(tmp_path, capabilities()) as (client, _):
        future = client.protocol.send_request(
            types.WORKSPACE_EXECUTE_COMMAND,
            types.ExecuteCommandParams(command="backend-lsp.analyzeWorkspace"),
            msg_id="analyse-1",
        )
        token = await wait_for(lambda: _progress_token(client), timeout=20)
        if how == "request":
            client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="analyse-1"))
        else:
            client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
        with pytest.raises(JsonRpcException) as caught:
            await asyncio.wait_for(asyncio.wrap_future(future), 10)
        assert caught.value.code == -32800
        end = await wait_for(
            lambda: [
                r
                for r in client.progress_reports[token]
                if isinstance(r, types.WorkDoneProgressEnd)
            ]
        )
        assert end[0].message == "cancelled"
        reports: list[Any] = list(client.progress_reports[token])  # typed too narrowly
        done = [r.message for r in reports if isinstance(r, types.WorkDoneProgressReport)]
        assert f"{FILES}/{FILES} files" not in done
        status = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
        assert status["rules"] >= 1


async def test_clear_cache_command_empties_the_response_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backend_lsp.agent.cache import ResponseCache

    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("BACKEND_LSP_CACHE_DIR", str(cache_dir))  # the server inherits it
    cache = ResponseCache(cache_dir)
    cache.put("a", {"text": "one"})
    cache.put("b", {"text": "two"})
    cache.close()
    (tmp_path / "app.py").write_text("x = 1\n")
    async with session(tmp_path, capabilities()) as (client, _):
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.clearCache")
        )
    assert result["removed"] == 2 and result["entries"] == 0
    assert result["path"] == str(cache_dir / ResponseCache(cache_dir).path.name)
    reopened = ResponseCache(cache_dir)
    assert reopened.get("a") is None and reopened.stats()["entries"] == 0
    reopened.close()
