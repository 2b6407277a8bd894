"""CLI agent tests: the real CLI in-process, the SDK pointed at the fake Messages API."""

from __future__ import annotations

from pathlib import Path

import fake_anthropic as fa
import pytest
from cli_agent_support import KEY


@pytest.fixture
def shop(shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared copy of the shop as the working directory, with no provider configured."""
    target = shop
    monkeypatch.chdir(target)
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "BACKEND_LSP_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("BACKEND_LSP_MODEL", raising=False)
    monkeypatch.setenv("BACKEND_LSP_CACHE_DIR", str(tmp_path / "cache"))
    return target


@pytest.fixture
def online(shop: Path, fake: fa.FakeAnthropic, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shop with the key and base URL pointing at the fake."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.base_url)
    return shop
