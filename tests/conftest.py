"""Suite-wide set-up: tests/fakes importable everywhere, and no test touches the user's cache.

The server and the CLI keep the response cache and explanation files under
the user cache dir unless BACKEND_LSP_CACHE_DIR says otherwise; every server a
test starts inherits this process's environment, so pointing it at a
temporary directory here keeps a test run from writing into ~/.cache.
Tests that need their own cache dir still set it explicitly.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

_FAKES = Path(__file__).resolve().parent / "fakes"
if str(_FAKES) not in sys.path:
    sys.path.insert(0, str(_FAKES))

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
