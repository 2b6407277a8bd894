"""The installed console script end to end, as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("backend-lsp")


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed in this env")
def test_console_script_check_json(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "worker.py").write_text(
        "def run():\n    try:\n        step()\n    except Exception:\n        pass\n",
        encoding="utf-8",
    )
    (tmp_path / "image.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    done = subprocess.run(
        [str(SCRIPT), "check", ".", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    [item] = json.loads(done.stdout)
    assert (item["path"], item["code"], item["line"]) == ("worker.py", "BE015", 4)
    assert "image.py: skipped (binary file" in done.stderr
    assert "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr


def test_python_dash_m_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "backend_lsp", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("backend-lsp ")


def test_check_piped_into_a_closed_reader_is_quiet(tmp_path: Path) -> None:
    if shutil.which("head") is None:
        pytest.skip("no head(1)")
    for i in range(30):
        (tmp_path / f"m{i:03}.py").write_text(
            "try:\n    x()\nexcept Exception:\n    pass\n" * 15, encoding="utf-8"
        )
    (tmp_path / ".git").mkdir()
    command = f"'{sys.executable}' -m backend_lsp check . --select BE015 | head -n 1"
    done = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr
