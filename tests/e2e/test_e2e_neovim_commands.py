# mypy: disable-error-code="index"
# (the driver's report is parsed JSON: indexing it is the test)
"""The plugin's user commands in real Neovim 0.11, the server talking to the fake API.

The Lua driver runs each command the way a user types it (:BackendAction with a line
range, :BackendExplain, :BackendReview, :BackendContext, :BackendCancel, :BackendStatus,
:checkhealth backend_lsp) and reports what Neovim showed; the assertions live here.
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
DRIVER = Path(__file__).with_name("nvim_commands_driver.lua")
REPORTING = "app/services/reporting.py"
KEY = "sk-ant-api03-NVIMCOMMANDSKEY-0123456789abcdef"

REVIEW = "Sums paid orders without a tenant filter: every shop's revenue is visible."


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    nvim = neovim()
    tmp_path = tmp_path_factory.mktemp("nvim-commands")
    shop = tmp_path / "shop"
    shutil.copytree(SHOP, shop, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    target = shop / REPORTING
    lines = target.read_text(encoding="utf-8").splitlines()
    start = lines.index("def orders_by_status(db: Session, status: str) -> list[dict]:") + 1
    end = lines.index("    return [dict(row) for row in rows]", start) + 1
    explain = lines.index("    total = db.execute(") + 1
    out = tmp_path / "result.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "BACKEND_LSP_"))}
    env.update(
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        BACKEND_LSP_CACHE_DIR=str(tmp_path / "cache"),
    )
    with fa.FakeAnthropic() as fake:
        fake.push(
            fa.tool_stream(
                {"edits": [{"search": OLD, "replace": NEW}], "summary": "parameterised"}
            ),
            fa.tool_stream({"explanation": EXPLANATION, "summary": "explained"}),
            fa.tool_stream(
                {
                    "findings": [
                        {"search": "def revenue_since", "message": REVIEW, "severity": "warning"}
                    ],
                    "summary": "one finding",
                }
            ),
            fa.hang(),
        )
        env.update(ANTHROPIC_API_KEY=KEY, ANTHROPIC_BASE_URL=fake.base_url)
        command = [str(nvim), "--headless", "--clean", "-l", str(DRIVER), str(PLUGIN)]
        command += [str(target), sys.executable, str(out), str(start), str(end), str(explain)]
        completed = subprocess.run(
            command, cwd=shop, env=env, capture_output=True, text=True, timeout=90
        )
        requests = len(fake.message_requests)
    if not out.is_file():
        pytest.fail(
            f"nvim wrote no result (exit {completed.returncode})\n"
            f"stdout: {completed.stdout[-2000:]}\nstderr: {completed.stderr[-2000:]}"
        )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, (result.get("error"), result["notes"], completed.stderr[-2000:])
    result["_target"] = target
    result["_requests"] = requests
    result["_output"] = completed.stdout + completed.stderr
    return result


def test_every_command_is_defined(session: dict[str, Any]) -> None:
    assert all(session["commands"].values()), session["commands"]


def test_action_completion_lists_the_ids_that_apply(session: dict[str, Any]) -> None:
    ids = session["completion"]
    assert "optimize-query" in ids and "explain" in ids
    # Design API is for models and routes and needs to create files: not on a query function
    assert "design-api" not in ids


def test_backend_action_applies_the_edit(session: dict[str, Any]) -> None:
    outcome = session["optimize"]
    assert outcome["err"] is None, outcome
    assert outcome["result"]["ok"] and outcome["result"]["applied"]
    original = session["_target"].read_text(encoding="utf-8")
    assert session["text_after_optimize"] + "\n" == original.replace(OLD, NEW)
    assert session["version_changed"] is True
    assert any("1 edit applied" in n["msg"] for n in session["notes"])


def test_backend_explain_opens_a_float_not_a_file(session: dict[str, Any]) -> None:
    assert session["explain"]["result"]["explanation"] == EXPLANATION
    assert session["float_is_floating"] is True
    assert EXPLANATION.splitlines()[0] in session["float_text"]
    assert session["current_is_source"] is True
    # the server asked to show the file; the plugin said yes and showed the float instead
    assert session["explain"]["result"]["shown"] is True


def test_backend_action_without_an_id_offers_a_picker(session: dict[str, Any]) -> None:
    assert session["picker_prompt"] == "Backend agent action"
    assert "Backend agent: Explain  [explain]" in session["picker_items"]
    picked = session["picked"]["result"]
    assert picked["explanation"] == EXPLANATION and picked["usage"]["cached"] is True


def test_backend_review_reports_findings_as_diagnostics(session: dict[str, Any]) -> None:
    assert session["review"]["result"]["findings"] == 1
    assert len(session["agent_diagnostics"]) == 1, (session["all_sources"], session["review"])
    [finding] = session["agent_diagnostics"]
    assert REVIEW in finding["message"]


def test_backend_context_shows_what_would_be_sent(session: dict[str, Any]) -> None:
    text = session["context_text"]
    assert session["context_filetype"] == "markdown"
    assert "(selection" in text and "def orders_by_status" in text
    assert "offline analyzer findings" in text
    assert KEY not in text


def test_backend_cancel_stops_the_running_action(session: dict[str, Any]) -> None:
    assert session["running_seen"] is True
    err = session["cancelled"]["err"]
    assert err is not None and err["code"] == -32800, session["cancelled"]
    # the server ended its progress: nothing is left running afterwards
    assert "Running:    nothing" in session["status_text"]


def test_backend_status_is_readable(session: dict[str, Any]) -> None:
    text = session["status_text"]
    assert text.startswith("# backend-lsp ")
    assert "Provider:   anthropic" in text
    assert "API key:    set" in text and KEY not in text
    assert "Session:    3 calls" in text and "~$" in text
    assert "Findings:   " in text and "in this buffer" in text
    assert "Index:      " in text


def test_checkhealth_reports_the_installation(session: dict[str, Any]) -> None:
    text = session["health_text"]
    assert "backend-lsp: server" in text
    assert "OK backend-lsp: " in text and "OK python: 3." in text
    assert "OK grammar python: ok" in text
    assert "OK ANTHROPIC_API_KEY: set" in text
    assert KEY not in text and KEY not in session["_output"]
