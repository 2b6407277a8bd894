"""Fixtures for workflow tests: workflows built over the shared fake API and shop copy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import fake_anthropic as fa
import pytest
from wf_support import KEY, MakeWorkflow

from backend_lsp.agent.cache import ResponseCache
from backend_lsp.agent.workflow import ActionWorkflow
from backend_lsp.config import Settings


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
