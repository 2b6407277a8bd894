"""Constants and helpers shared by the workflow tests (a unique module name on sys.path)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import fake_anthropic as fa

from backend_lsp.agent.workflow import ActionOutcome, ActionWorkflow

KEY = "sk-ant-api03-WORKFLOWKEYWORKFLOWKEY-0123456789"
SHOP = Path(__file__).resolve().parents[3] / "examples" / "shop"
PRODUCTS = "app/routes/products.py"

MakeWorkflow = Callable[..., ActionWorkflow]


def read(shop: Path, rel: str) -> str:
    return (shop / rel).read_text(encoding="utf-8")


def task_text(record: fa.Recorded) -> str:
    """The volatile last block of the request: instruction + selection (+ note)."""
    return str(record.json["messages"][0]["content"][-1]["text"])


def assert_no_key(fake: fa.FakeAnthropic) -> None:
    for record in fake.message_requests:
        assert KEY.encode() not in record.body


def optimize_products(
    workflow: ActionWorkflow, shop: Path, text: str, **options: Any
) -> Coroutine[Any, Any, ActionOutcome]:
    """optimize-query on the unbounded product listing (lines 29-30), the usual target."""
    return workflow.run(
        "optimize-query", shop / PRODUCTS, text, 29, 30, language_id="python", **options
    )
