"""The CLI's one workspace: nothing whose real path is outside it is read or sent.

``context`` prints exactly what an action would send, so it is the probe: a
file reached through a symlink, ``..`` or an absolute path outside the
project must be refused with a clear message and nothing of it printed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backend_lsp.cli import main
from backend_lsp.files import IgnoreRules, iter_source_files

OUTSIDE_SECRET = 'DATABASE_URL = "postgres://app:Outside-9xQ2@db/app"\nVALUE = 1\n'


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n", encoding="utf-8")
    (project / "app" / "views.py").write_text("def index():\n    return 1\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "leak.py").write_text(OUTSIDE_SECRET, encoding="utf-8")
    os.symlink(outside / "leak.py", project / "app" / "linked.py")
    os.symlink(outside, project / "vendor")
    monkeypatch.chdir(project)
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "BACKEND_LSP_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    return project, outside


def _context(capsys: pytest.CaptureFixture[str], target: str) -> tuple[int, str, str]:
    code = main(["context", target])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "target",
    ["app/linked.py:1", "vendor/leak.py:1", "../elsewhere/leak.py:1", "ABSOLUTE"],
)
def test_outside_paths_are_refused(
    layout: tuple[Path, Path], capsys: pytest.CaptureFixture[str], target: str
) -> None:
    _project, outside = layout
    if target == "ABSOLUTE":
        target = f"{outside / 'leak.py'}:1"
    code, out, err = _context(capsys, target)
    assert code != 0
    assert "outside the workspace" in err
    assert "Outside-9xQ2" not in out + err and "VALUE = 1" not in out


def test_inside_paths_still_work(
    layout: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _context(capsys, "app/views.py:1")
    assert code == 0, err
    assert "def index" in out


def test_root_option_moves_the_boundary(
    layout: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _outside = layout
    code, _out, err = _context(capsys, "app/views.py:1")
    assert code == 0, err
    code = main(["context", "app/views.py:1", "--root", str(project / "app" / "..")])
    assert code == 0
    code = main(["context", "app/views.py:1", "--root", str(project / "app")])
    assert code == 0  # app/views.py is inside app/
    capsys.readouterr()
    code = main(["context", "app/views.py:1", "--root", str(project / "vendor")])
    _out, err = capsys.readouterr()
    assert code != 0 and "outside the workspace" in err


def test_walking_the_tree_skips_symlinks_out_of_it(layout: tuple[Path, Path]) -> None:
    project, _outside = layout
    files = list(iter_source_files([project], project, IgnoreRules(project)))
    names = sorted(p.relative_to(project).as_posix() for p in files)
    assert names == ["app/views.py"]
