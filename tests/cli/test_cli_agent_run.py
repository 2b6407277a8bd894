"""``backend-lsp run`` and ``explain``: outputs, --apply, exit codes, through the fake API."""

from __future__ import annotations

import json
from pathlib import Path

import fake_anthropic as fa
import pytest
from cli_agent_support import GOOD, KEY, NEW, OLD, PRODUCTS, cli

from backend_lsp.cli import UsageError, parse_target


def test_cli_agent_parse_target() -> None:
    assert parse_target("a.py") == (Path("a.py"), None, None)
    assert parse_target("a.py:7") == (Path("a.py"), 7, 7)
    assert parse_target("dir/a.py:3-9") == (Path("dir/a.py"), 3, 9)
    assert parse_target("C:\\x\\a.py") == (Path("C:\\x\\a.py"), None, None)
    with pytest.raises(UsageError):
        parse_target("a.py:9-3")
    with pytest.raises(UsageError):
        parse_target("a.py:0")


def test_cli_agent_run_json(
    online: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(fa.tool_stream(GOOD))
    code, out, _ = cli(capsys, "run", "optimize-query", f"{PRODUCTS}:29-30", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["action"] == "optimize-query" and data["path"] == PRODUCTS
    [edit] = data["edits"]
    assert edit["range"]["start"] == {"line": 30, "column": 1}
    assert edit["range"]["end"]["line"] == 30
    assert data["new_text"] == (online / PRODUCTS).read_text().replace(OLD, NEW)
    assert data["usage"]["input_tokens"] == 120 and data["usage"]["cached"] is False
    assert data["summary"] == "bounded the export"
    assert KEY.encode() not in fake.message_requests[0].body
    assert (online / PRODUCTS).read_text().count(OLD) == 1  # nothing written without --apply


def test_cli_agent_run_default_and_diff(
    online: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(fa.tool_stream(GOOD))
    code, out, _ = cli(capsys, "run", "optimize-query", f"{PRODUCTS}:29-30")
    assert code == 0
    assert out.startswith("optimize-query on app/routes/products.py via anthropic")
    assert "bounded the export" in out and f"-{OLD}\n+{NEW}\n" in out
    # Same request again: answered from the response cache, diff only.
    code, out, _ = cli(capsys, "run", "optimize-query", f"{PRODUCTS}:29-30", "--diff")
    assert code == 0 and out.startswith(f"--- a/{PRODUCTS}\n+++ b/{PRODUCTS}\n")
    assert len(fake.message_requests) == 1


def test_cli_agent_run_apply_edit_and_new_file(
    online: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (online / PRODUCTS).read_text()
    fake.push(fa.tool_stream(GOOD))
    code, out, _ = cli(capsys, "run", "optimize-query", f"{PRODUCTS}:29-30", "--apply")
    assert code == 0 and f"wrote {online / PRODUCTS}" in out
    assert (online / PRODUCTS).read_text() == before.replace(OLD, NEW)
    test_file = "def test_ok():\n    assert True\n"
    fake.push(
        fa.tool_stream(
            {"new_files": [{"path": "tests/api/test_p.py", "content": test_file}], "summary": "s"}
        )
    )
    code, out, _ = cli(capsys, "run", "write-tests", f"{PRODUCTS}:52-57", "--apply")
    assert code == 0 and (online / "tests/api/test_p.py").read_text() == test_file
    leftovers = [p for p in online.rglob("*.tmp")]
    assert leftovers == []


def test_cli_agent_apply_refused_writes_nothing(
    online: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = {
        "edits": [{"search": OLD, "replace": NEW}],
        "new_files": [{"path": "tests/test_health.py", "content": "x = 1\n"}],
        "summary": "s",
    }
    before = (online / PRODUCTS).read_text()
    health = (online / "tests/test_health.py").read_text()
    fake.push(fa.tool_stream(answer))
    code, _, err = cli(capsys, "run", "write-tests", f"{PRODUCTS}:29-30", "--apply")
    assert code == 1 and "already exists" in err
    assert (online / PRODUCTS).read_text() == before
    assert (online / "tests/test_health.py").read_text() == health


def test_cli_agent_action_failure_exit_1(
    online: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = {"edits": [{"search": OLD, "replace": "    return (("}], "summary": "s"}
    fake.push(fa.tool_stream(broken), fa.tool_stream(broken))
    before = (online / PRODUCTS).read_text()
    code, out, err = cli(capsys, "run", "optimize-query", f"{PRODUCTS}:29-30", "--apply")
    assert code == 1 and out == ""
    assert "optimize-query failed" in err and "syntax errors" in err
    assert (online / PRODUCTS).read_text() == before
    fake.push(fa.error(401, "authentication_error", "invalid x-api-key"))
    code, _, err = cli(capsys, "run", "add-validation", f"{PRODUCTS}:52-57")
    assert code == 1 and "key" in err.lower()


def test_cli_agent_usage_errors(online: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "run", "no-such-action", PRODUCTS)
    assert code == 2 and "valid actions:" in err and "optimize-query" in err
    code, _, err = cli(capsys, "run", "explain", "missing.py:1-2")
    assert code == 2 and "no such file" in err
    code, _, err = cli(capsys, "run", "explain", f"{PRODUCTS}:5000")
    assert code == 2 and "past the end" in err
    code, _, err = cli(capsys, "explain", PRODUCTS)
    assert code == 2 and "FILE:LINE" in err
    code, _, _ = cli(capsys, "run", "explain", PRODUCTS, "--json", "--diff")
    assert code == 2


def test_cli_agent_progress_on_stderr(
    online: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(fa.tool_stream(GOOD, chunks=6))
    code, _, err = cli(capsys, "run", "optimize-query", f"{PRODUCTS}:29-30", "--progress")
    assert code == 0
    assert "Gathering context" in err and "tokens)" in err and "Done (100%)" in err


def test_cli_agent_explain_offline(
    shop: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "explain", f"{PRODUCTS}:36")
    assert code == 0 and "search_products" in out and "BE001" in out
    code, _, err = cli(capsys, "run", "design-api", "app/models.py")
    assert code == 1 and "ANTHROPIC_API_KEY" in err
    assert fake.requests == []


def test_cli_agent_explain_online_json(
    online: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.push(fa.tool_stream({"explanation": "## Search\n\nRuns a LIKE query.", "summary": "s"}))
    code, out, _ = cli(capsys, "explain", f"{PRODUCTS}:36", "--json")
    assert code == 0 and json.loads(out)["explanation"] == "## Search\n\nRuns a LIKE query."
