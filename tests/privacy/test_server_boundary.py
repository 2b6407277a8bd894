"""The server's boundary: actions on a symlink out of the workspace or a non-file URI are refused.

Nothing reaches the fake Messages API in either case.
"""

from __future__ import annotations

import os
from pathlib import Path

import fake_anthropic as fa
from lspa_support import editor_session, run_args, whole_line
from lsprotocol import types

OUTSIDE = 'DATABASE_URL = "postgres://app:Outside-7yW3@db/app"\n\n\ndef f():\n    return 1\n'


async def _run(editor: object, uri: str) -> dict[str, object]:
    client = editor.client  # type: ignore[attr-defined]
    result: dict[str, object] = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="backend-lsp.runAction",
            arguments=[run_args(uri, 1, "optimize-query", whole_line(3))],
        )
    )
    return result


async def test_symlink_out_of_the_workspace_and_untitled_are_refused(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "leak.py").write_text(OUTSIDE, encoding="utf-8")
    os.symlink(outside / "leak.py", shop / "app" / "linked.py")
    linked = (shop / "app" / "linked.py").as_uri()
    async with editor_session(shop, tmp_path / "cache", fake_url=fake.base_url) as editor:
        editor.open(linked, OUTSIDE)
        result = await _run(editor, linked)
        assert result["ok"] is False and result["kind"] == "refused"
        assert "outside the workspace" in str(result["error"])
        untitled = "untitled:Untitled-1"
        editor.open(untitled, OUTSIDE)
        result = await _run(editor, untitled)
        assert result["ok"] is False and result["kind"] == "refused"
        assert "untitled: document" in str(result["error"])
    assert fake.message_requests == []
