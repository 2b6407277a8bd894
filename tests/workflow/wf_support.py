"""Constants and helpers shared by the workflow tests (a unique module name on sys.path)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import fake_anthropic as fa

from backend_lsp.agent.workflow import ActionWorkflow

KEY = "sk-ant-api03-WORKFLOWKEYWORKFLOWKEY-0123456789"
SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
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
