"""Fixtures for the agent's LSP flow: the fake Messages API and a private copy of examples/shop."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parents[1]
for _extra in (_TESTS / "fakes", _TESTS / "lsp"):
    if str(_extra) not in sys.path:
        sys.path.insert(0, str(_extra))

import fake_anthropic as fa  # noqa: E402

SHOP = _TESTS.parent / "examples" / "shop"


@pytest.fixture
def fake() -> Iterator[fa.FakeAnthropic]:
    with fa.FakeAnthropic() as server:
        yield server


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of the example app, so new files and edits never touch the repository."""
    target = tmp_path / "shop"
    shutil.copytree(SHOP, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target
