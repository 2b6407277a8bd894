"""Suite-wide set-up: shared fixtures (the fake Messages API, the shop example) and no test
touching the user's cache. Helper modules are importable through pyproject's ``pythonpath``.

The server and the CLI keep the response cache and explanation files under
the user cache dir unless BACKEND_LSP_CACHE_DIR says otherwise; every server a
test starts inherits this process's environment, so pointing it at a
temporary directory here keeps a test run from writing into ~/.cache.
Tests that need their own cache dir still set it explicitly.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import fake_anthropic as fa
import pytest

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"
_CACHE_DIR = "BACKEND_LSP_CACHE_DIR"


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get(_CACHE_DIR):
        directory = tempfile.mkdtemp(prefix="backend-lsp-test-cache-")
        os.environ[_CACHE_DIR] = directory
        config.stash[_cache_key] = directory


def pytest_unconfigure(config: pytest.Config) -> None:
    directory = config.stash.get(_cache_key, None)
    if directory:
        shutil.rmtree(directory, ignore_errors=True)


_cache_key = pytest.StashKey[str]()


@pytest.fixture
def fake() -> Iterator[fa.FakeAnthropic]:
    """The fake Anthropic Messages API on 127.0.0.1 (the real SDK talks to it)."""
    with fa.FakeAnthropic() as server:
        yield server


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of examples/shop, so new files and edits never touch the repository."""
    target = tmp_path / "shop"
    shutil.copytree(SHOP, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target
