# mypy: disable-error-code="index"
# (the driver's report is parsed JSON: indexing it is the test)
"""Emacs + eglot and Vim 9 + ALE (both from Debian) against the real server, headless.

Each driver registers the server the way the README says, waits for the diagnostic,
asks for code actions (Emacs with the point where flymake-goto-next-error puts it, Vim
with the cursor at the start of the line), applies the quick fix through the client's own
code and waits for the finding to go away. The assertions live here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from e2e_editors import SOURCE, debian_dir, isolated_env, program, project, require

HERE = Path(__file__).parent
FIX = "Log the exception instead of ignoring it (BE015)"


def _drive(tmp_path: Path, command: list[str]) -> tuple[dict[str, Any], Path]:
    target = project(tmp_path, SOURCE)
    out = tmp_path / "result.json"
    env = isolated_env(tmp_path)
    env.update(BLSP_FILE=str(target), BLSP_PYTHON=sys.executable, BLSP_OUT=str(out))
    completed = subprocess.run(
        command,
        cwd=target.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    if not out.is_file():
        pytest.fail(
            f"the editor wrote no result (exit {completed.returncode})\n"
            f"stdout: {completed.stdout[-2000:]}\nstderr: {completed.stderr[-2000:]}"
        )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, (result["error"], completed.stderr[-2000:])
    return result, target


def _assert_fixed(result: dict[str, Any], target: Path) -> None:
    assert result["codes"] == ["BE015"]
    assert FIX in result["titles"]
    # no key: only actions that run offline are listed, none disabled or model-only
    offline = {FIX, "Ignore BE015 on this line"}
    assert all(t in offline or t.endswith("(offline)") for t in result["titles"]), result["titles"]
    assert result["fix_title"] == FIX
    text = result["text"]
    assert 'logging.getLogger(__name__).exception("unexpected error in load")' in text
    assert "import logging" in text and "    pass\n" not in text
    compile(text, "service.py", "exec")
    assert "BE015" not in result["codes_after"]
    assert target.read_text(encoding="utf-8") == SOURCE  # the buffer changed, not the file


def test_emacs_eglot_attaches_shows_the_finding_and_applies_the_fix(tmp_path: Path) -> None:
    emacs = require(program("emacs"), "Emacs (Debian emacs-nox)")
    builtin = subprocess.run(
        [str(emacs), "--batch", "-Q", "--eval", '(princ (if (locate-library "eglot") 1 0))'],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    if builtin != "1":
        elpa = sorted(Path("/usr/share/emacs/site-lisp/elpa").glob("eglot-*"))
        require(debian_dir(str(elpa[-1])) if elpa else None, "eglot (Debian elpa-eglot)")
    command = [str(emacs), "--batch", "-Q", "-l", str(HERE / "emacs_eglot_driver.el")]
    result, target = _drive(tmp_path, command)
    assert result["managed"] is True
    assert "BE015" in result["hover"]
    # eglot received the diagnostics twice: before the fix, and empty after it
    assert result["published"][0] == ["BE015"] and result["published"][-1] == []
    _assert_fixed(result, target)


def test_vim_ale_attaches_shows_the_finding_and_applies_the_fix(tmp_path: Path) -> None:
    vim = require(program("vim"), "Vim 9 (Debian vim-nox)")
    require(debian_dir("/usr/share/vim/vimfiles/pack/dist-bundle/opt/ale"), "ALE (Debian vim-ale)")
    command = [str(vim), "-N", "-u", "NONE", "-i", "NONE", "-n", "-es"]
    command += ["-S", str(HERE / "vim_ale_driver.vim")]
    result, target = _drive(tmp_path, command)
    assert result["filetype"] == "python"
    assert "leaving it ignored" in result["text_of_finding"]
    _assert_fixed(result, target)
