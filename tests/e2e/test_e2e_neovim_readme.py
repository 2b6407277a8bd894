"""The Neovim README's set-up, word for word: its init.lua with the clone at ~/src/backend-lsp.

HOME is a temp folder whose src/backend-lsp links to this checkout, and the server is
`backend-lsp` on PATH (the virtualenv running the tests), as the README's install step leaves it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from e2e_editors import REPO, isolated_env, neovim, project

README = REPO / "editors" / "neovim" / "README.md"
CHECK = Path(__file__).with_name("nvim_readme_check.lua")
SOURCE = (
    "def load(path, cache):\n    try:\n        cache.update(path, open(path).read())\n"
    "    except Exception:\n        pass\n"
)


def _snippet(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    match = re.search(r"```lua\n(.*?)```", section, re.S)
    assert match is not None, f"no lua block under {heading}"
    return match.group(1)


def test_plain_runtimepath_snippet_works_as_written(tmp_path: Path) -> None:
    nvim = neovim()
    env = isolated_env(tmp_path)
    src = Path(env["HOME"]) / "src"
    src.mkdir(parents=True)
    (src / "backend-lsp").symlink_to(REPO, target_is_directory=True)
    init = tmp_path / "init.lua"
    init.write_text(_snippet("### Plain runtimepath"), encoding="utf-8")
    target = project(tmp_path, SOURCE)
    out = tmp_path / "result.json"
    env.update(PATH=f"{Path(sys.executable).parent}:{env['PATH']}", BLSP_OUT=str(out))
    command = [str(nvim), "--headless", "-u", str(init), "-i", "NONE"]
    command += ["-c", f"luafile {CHECK}", str(target)]
    completed = subprocess.run(
        command, cwd=target.parent, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.is_file(), (completed.returncode, completed.stdout[-2000:], completed.stderr[-2000:])
    result = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, result
    assert result["commands"] is True
    assert result["cmd"] == ["backend-lsp", "serve"]  # the default: on PATH, as installed
    assert "BE015" in result["codes"]
