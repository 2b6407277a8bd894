"""Fixtures for workflow tests: the fake Messages API, a private copy of examples/shop."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import fake_anthropic as fa
import pytest
from wf_support import KEY, SHOP, MakeWorkflow

from backend_lsp.agent.cache import ResponseCache
from backend_lsp.agent.workflow import ActionWorkflow
from backend_lsp.config import Settings


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


@pytest.fixture
async def make_workflow(
    fake: fa.FakeAnthropic, shop: Path, tmp_path: Path
) -> AsyncIterator[MakeWorkflow]:
    made: list[ActionWorkflow] = []

    def build(**agent: Any) -> ActionWorkflow:
        values: dict[str, Any] = {
            "api_key": KEY,
            "base_url": fake.base_url,
            "max_retries": 0,
            "timeout_s": 5.0,
        }
        values.update(agent)
        settings = Settings.model_validate({"agent": values})
        cache = ResponseCache(tmp_path / "cache")
        workflow = ActionWorkflow(shop, settings, cache=cache)
        made.append(workflow)
        return workflow

    yield build
    for workflow in made:
        await workflow.aclose()
