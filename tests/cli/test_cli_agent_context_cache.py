"""``backend-lsp context`` (what would be sent, redacted) and ``backend-lsp cache``."""

from __future__ import annotations

import json
from pathlib import Path

import fake_anthropic as fa
import pytest
from cli_agent_support import GOOD, PRODUCTS, cli

SECRET = "p9Xc2kWq7ZrT4vLmN8bY3sHd6FgJ1aQe"


def test_cli_agent_context_json(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "context", f"{PRODUCTS}:33-39", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"root", "items", "tokens", "budget"} and data["budget"] == 12_000
    first = data["items"][0]
    assert first == {
        "path": PRODUCTS,
        "start_line": 33,
        "end_line": 39,
        "reason": "selection",
        "tokens": first["tokens"],
    }
    assert any(item["reason"] == "imports" for item in data["items"])
    assert data["tokens"] == sum(item["tokens"] for item in data["items"])


def test_cli_agent_context_text_is_redacted(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "context", "app/settings.py:10-12")
    assert code == 0
    assert 'SECRET_KEY = "<<SECRET_1>>"' in out and SECRET not in out
    assert out.rstrip().endswith("of 12000 tokens")


def test_cli_agent_context_refuses_private_file(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (shop / ".env").write_text("DATABASE_PASSWORD=hunter2hunter2\n", encoding="utf-8")
    code, out, err = cli(capsys, "context", ".env:1")
    assert code == 1 and out == "" and "ignore rules" in err


def test_cli_agent_cache_info_and_clear(
    online: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(fa.tool_stream(GOOD))
    assert cli(capsys, "run", "optimize-query", f"{PRODUCTS}:29-30", "--json")[0] == 0
    code, out, _ = cli(capsys, "cache", "info", "--json")
    assert code == 0 and json.loads(out)["entries"] == 1
    code, out, _ = cli(capsys, "cache", "clear")
    assert code == 0 and out.startswith("removed 1 cached response(s)")
    code, out, _ = cli(capsys, "cache", "info")
    assert code == 0 and ": 0 response(s)" in out
    code, _, _ = cli(capsys, "cache", "nope")
    assert code == 2
