# mypy: disable-error-code="index"
# (the driver's report is parsed JSON: indexing it is the test)
"""The agent's code actions in real Neovim 0.11, with the server talking to the fake API.

The Lua driver lists, resolves and runs the actions the way ``vim.lsp.buf.code_action``
does and lets Neovim's own handlers apply ``workspace/applyEdit`` and
``window/showDocument``; it reports what it saw as JSON and the assertions live here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import fake_anthropic as fa
import pytest
from e2e_editors import EXPLANATION, NEW, OLD, neovim

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "editors" / "neovim"
SHOP = REPO / "examples" / "shop"
DRIVER = Path(__file__).with_name("nvim_agent_driver.lua")
REPORTING = "app/services/reporting.py"
KEY = "sk-ant-api03-NVIMAGENTKEYNVIMAGENTKEY-0123456789"
OPTIMIZE = "refactor.rewrite.backend.optimize-query"
EXPLAIN = "refactor.backend.explain"
DESIGN = "refactor.rewrite.backend.design-api"


def _prompt_text(body: dict[str, Any]) -> str:
    """Every text block the server sent the model, joined."""
    blocks = [b for m in body["messages"] if isinstance(m["content"], list) for b in m["content"]]
    return "\n".join(b.get("text", "") for b in blocks)


def _lines(text: str) -> tuple[int, int, int]:
    """0-based: the orders_by_status selection (start, end) and a line inside revenue_since."""
    lines = text.splitlines()
    start = lines.index("def orders_by_status(db: Session, status: str) -> list[dict]:")
    end = lines.index("    return [dict(row) for row in rows]", start) + 1
    return start, end, lines.index("    total = db.execute(")


def _run(tmp_path: Path, mode: str, fake_url: str | None) -> dict[str, Any]:
    nvim = neovim()
    shop = tmp_path / "shop"
    shutil.copytree(SHOP, shop, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    target = shop / REPORTING
    start, end, explain = _lines(target.read_text(encoding="utf-8"))
    out = tmp_path / "result.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "BACKEND_LSP_"))}
    env.update(
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        BACKEND_LSP_CACHE_DIR=str(tmp_path / "cache"),
    )
    if fake_url is not None:
        env.update(ANTHROPIC_API_KEY=KEY, ANTHROPIC_BASE_URL=fake_url)
    command = [str(nvim), "--headless", "--clean", "-l", str(DRIVER), str(PLUGIN), str(target)]
    command += [sys.executable, str(out), mode, str(start), str(end), str(explain)]
    completed = subprocess.run(
        command, cwd=shop, env=env, capture_output=True, text=True, timeout=40
    )
    if not out.is_file():
        pytest.fail(
            f"nvim wrote no result (exit {completed.returncode})\n"
            f"stdout: {completed.stdout[-2000:]}\nstderr: {completed.stderr[-2000:]}"
        )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, (result.get("error"), completed.stderr[-2000:])
    logs = [
        p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.glob("state/**/*.log")
    ]
    result["_log"] = "\n".join(logs)
    result["_output"] = completed.stdout + completed.stderr
    result["_target"] = target
    result["_lines"] = (start, end, explain)
    result["_cache"] = tmp_path / "cache"
    return result


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], fa.FakeAnthropic]:
    with fa.FakeAnthropic() as fake:
        fake.push(fa.tool_stream({"edits": [{"search": OLD, "replace": NEW}], "summary": "ok"}))
        fake.push(fa.tool_stream({"explanation": EXPLANATION, "summary": "explained"}))
        return _run(tmp_path_factory.mktemp("nvim-agent"), "agent", fake.base_url), fake


def test_optimize_query_is_resolved_run_and_applied_by_neovim(
    agent: tuple[dict[str, Any], fa.FakeAnthropic],
) -> None:
    session, fake = agent
    listed = {a["kind"]: a for a in session["actions"]}
    assert listed[OPTIMIZE]["title"] == "Backend agent: Optimize query"
    assert listed[OPTIMIZE]["disabled"] is None
    # Neovim declares resolveSupport for 'command': the command comes from codeAction/resolve
    assert listed[OPTIMIZE]["has_command"] is False
    assert session["optimize_resolved_command"]["command"] == "backend-lsp.runAction"
    assert session["optimize_error"] is None, session["optimize_error"]
    outcome = session["optimize_result"]
    assert outcome["ok"] and outcome["applied"] and outcome["edits"] == 1
    original = session["_target"].read_text(encoding="utf-8")
    assert session["text"] + "\n" == original.replace(OLD, NEW)
    assert session["version_after"] > session["version_before"]
    # Neovim 0.11 does not declare workspaceEdit.documentChanges, so the server sends the
    # plain form (no version, no change annotations) and Neovim applies it.
    [edit] = session["applied_edits"]
    assert "documentChanges" not in edit["edit"] and "changeAnnotations" not in edit["edit"]
    assert list(edit["edit"]["changes"]) == [session["_target"].as_uri()]
    assert session["apply_results"][0]["applied"] is True
    # Only the buffer changed; the user saves it.
    assert "SELECT *" in original
    start, end, _ = session["_lines"]
    selected = "\n".join(original.splitlines()[start:end])
    optimize_requests = [r for r in fake.message_requests if b"SELECT * FROM orders" in r.body]
    assert len(optimize_requests) == 1
    assert selected in _prompt_text(optimize_requests[0].json)


def test_explain_shows_a_document_and_hover_carries_it(
    agent: tuple[dict[str, Any], fa.FakeAnthropic],
) -> None:
    session, _ = agent
    assert session["explain_error"] is None, session["explain_error"]
    assert session["explain_result"]["explanation"] == EXPLANATION
    [shown] = session["shown"]
    assert shown["uri"] == session["explain_result"]["uri"]
    written = Path(shown["uri"].removeprefix("file://"))
    assert written.is_relative_to(session["_cache"].resolve())
    assert session["explain_result"]["shown"] is True
    # Neovim's handler opened it in a window: the buffer holds the markdown
    assert session["shown_loaded"] is True and session["shown_is_current"] is True
    assert EXPLANATION in session["shown_text"]
    assert isinstance(session["hover"], str) and EXPLANATION in session["hover"]


def test_the_key_never_reaches_neovim(agent: tuple[dict[str, Any], fa.FakeAnthropic]) -> None:
    session, fake = agent
    assert len(fake.message_requests) == 2
    assert session["_log"], "Neovim's LSP log is empty: the check below would prove nothing"
    assert "workspace/applyEdit" in session["_log"]  # the log does hold the traffic
    seen = json.dumps({k: v for k, v in session.items() if not k.startswith("_")})
    for text in (session["_log"], session["_output"], seen):
        assert KEY not in text and "NVIMAGENTKEY" not in text


def test_without_a_key_stock_neovim_gets_no_dead_actions(tmp_path: Path) -> None:
    session = _run(tmp_path, "offline", None)
    listed = {a["kind"]: a for a in session["actions"]}
    # Neovim 0.11 does not declare codeAction.disabledSupport and its picker would offer a
    # disabled action as if it ran, so the server leaves Design API out.
    assert DESIGN not in listed
    assert listed[EXPLAIN]["title"] == "Backend agent: Explain (offline)"
    assert listed[EXPLAIN]["disabled"] is None
    assert session["explain_error"] is None, session["explain_error"]
    assert session["explain_result"]["ok"] is True
    assert session["explain_result"]["explanation"]
    assert session["explain_result"]["usage"]["provider"] != "anthropic"


def test_without_a_key_design_api_is_disabled_with_the_reason(tmp_path: Path) -> None:
    session = _run(tmp_path, "offline-disabled", None)
    listed = {a["kind"]: a for a in session["actions"]}
    assert "ANTHROPIC_API_KEY" in listed[DESIGN]["disabled"]
    assert listed[DESIGN]["has_command"] is False
    assert listed[EXPLAIN]["disabled"] is None
    assert listed[EXPLAIN]["title"].endswith("(offline)")
