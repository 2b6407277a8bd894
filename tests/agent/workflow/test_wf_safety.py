"""Secrets, stale documents, repair round trips, refusals, offline mode and the cache."""

from __future__ import annotations

import json
from pathlib import Path

import fake_anthropic as fa
import pytest
from wf_support import (
    KEY,
    PRODUCTS,
    MakeWorkflow,
    assert_no_key,
    optimize_products,
    read,
    task_text,
)

from backend_lsp.agent.workflow import ActionFailed

SECRET = "p9Xc2kWq7ZrT4vLmN8bY3sHd6FgJ1aQe"
OLD = "    return db.query(Product).order_by(Product.name).all()"
NEW = "    return db.query(Product).order_by(Product.name).limit(200).all()"
GOOD = {"edits": [{"search": OLD, "replace": NEW}], "summary": "bounded"}
BROKEN = {"edits": [{"search": OLD, "replace": "    return db.query(Product).order_by(("}]}


async def failure(coro: object) -> ActionFailed:
    with pytest.raises(ActionFailed) as info:
        await coro  # type: ignore[misc]
    assert KEY not in info.value.message
    return info.value


async def test_wf_secrets_never_sent_and_restored_in_edit(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    settings_py = shop / "app/settings.py"
    text = read(shop, "app/settings.py") + f'\nGATEWAY_TOKEN = "{KEY}"\n'
    settings_py.write_text(text, encoding="utf-8")
    # Placeholders are numbered in order of appearance in the selection.
    search = 'SECRET_KEY = "<<SECRET_1>>"'
    replace = 'SECRET_KEY = os.environ.get("SECRET_KEY", "<<SECRET_1>>")'
    fake.push(fa.tool_stream({"edits": [{"search": search, "replace": replace}], "summary": "s"}))
    outcome = await make_workflow().run(
        "add-validation", settings_py, text, 11, 28, language_id="python"
    )
    body = fake.message_requests[0].body
    assert SECRET.encode() not in body and KEY.encode() not in body
    assert b"<<SECRET_1>>" in body and b"<<SECRET_2>>" in body  # the key in the file too
    assert f'SECRET_KEY = os.environ.get("SECRET_KEY", "{SECRET}")' in outcome.new_text
    assert "<<SECRET_" not in outcome.new_text and outcome.redacted_secrets == 2
    assert KEY not in json.dumps(make_workflow().status())


async def test_wf_stale_document_reanchored(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(fa.tool_stream(GOOD))
    text = read(shop, PRODUCTS)
    live = '"""Edited while the agent was working."""\n' + text
    outcome = await optimize_products(make_workflow(), shop, text, live_text=lambda: live)
    assert outcome.base_text == live and outcome.new_text == live.replace(OLD, NEW)
    assert outcome.edits[0].start == live.encode().index(OLD.encode())


async def test_wf_stale_document_no_longer_matches(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(fa.tool_stream(GOOD))
    text = read(shop, PRODUCTS)
    live = text.replace(OLD, "    return []")
    error = await failure(optimize_products(make_workflow(), shop, text, live_text=lambda: live))
    assert error.kind == "stale" and "document changed" in error.message


async def test_wf_document_closed_during_run(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(fa.tool_stream(GOOD))
    text = read(shop, PRODUCTS)
    error = await failure(optimize_products(make_workflow(), shop, text, live_text=lambda: None))
    assert error.kind == "stale" and "closed" in error.message


async def test_wf_syntax_error_gets_one_repair_then_succeeds(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(fa.tool_stream(BROKEN | {"summary": "oops"}), fa.tool_stream(GOOD))
    text = read(shop, PRODUCTS)
    outcome = await optimize_products(make_workflow(), shop, text)
    assert len(fake.message_requests) == 2
    assert "# Note" not in task_text(fake.message_requests[0])
    note = task_text(fake.message_requests[1])
    assert "# Note" in note and "syntax errors" in note and "- line 29: syntax error" in note
    assert outcome.repaired and outcome.new_text == text.replace(OLD, NEW)
    assert outcome.usage.input_tokens == 240  # both calls are accounted


async def test_wf_syntax_error_twice_fails_without_edit(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(*(fa.tool_stream(BROKEN | {"summary": "oops"}) for _ in range(3)))
    text = read(shop, PRODUCTS)
    error = await failure(optimize_products(make_workflow(), shop, text))
    assert error.kind == "syntax" and "even after one repair" in error.message
    assert len(fake.message_requests) == 2


async def test_wf_broken_new_file_is_repaired(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    bad = {"new_files": [{"path": "tests/test_p.py", "content": "def test_x(:\n    pass\n"}]}
    good = {"new_files": [{"path": "tests/test_p.py", "content": "def test_x():\n    pass\n"}]}
    fake.push(fa.tool_stream(bad | {"summary": "s"}), fa.tool_stream(good | {"summary": "s"}))
    text = read(shop, PRODUCTS)
    outcome = await make_workflow().run(
        "write-tests", shop / PRODUCTS, text, 52, 57, language_id="python"
    )
    assert "tests/test_p.py line 1" in task_text(fake.message_requests[1])
    assert outcome.new_files[0].content == "def test_x():\n    pass\n"


@pytest.mark.parametrize(
    ("tool_input", "expected"),
    [
        ('{"edits": [{"search": "x"', "malformed"),
        ({"edits": [{"replace": "y"}], "summary": "s"}, "edits[0].search"),
        ({"summary": "nothing"}, "expected 'new_files'"),
    ],
)
async def test_wf_malformed_tool_input(
    fake: fa.FakeAnthropic,
    shop: Path,
    make_workflow: MakeWorkflow,
    tool_input: object,
    expected: str,
) -> None:
    fake.push(fa.tool_stream(tool_input))
    text = read(shop, PRODUCTS)
    error = await failure(
        make_workflow().run("write-tests", shop / PRODUCTS, text, 52, 57, language_id="python")
    )
    assert expected in error.message and error.kind == "provider"


async def test_wf_new_file_refusals(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    text = read(shop, PRODUCTS)
    workflow = make_workflow()
    exists = {"new_files": [{"path": "tests/test_health.py", "content": "x = 1\n"}]}
    fake.push(fa.tool_stream(exists | {"summary": "s"}))
    error = await failure(
        workflow.run("write-tests", shop / PRODUCTS, text, 52, 57, language_id="python")
    )
    assert "already exists" in error.message and error.kind == "refused"
    escape = {"new_files": [{"path": "../evil.py", "content": "x = 1\n"}]}
    fake.push(fa.tool_stream(escape | {"summary": "s"}))
    error = await failure(
        workflow.run("write-tests", shop / PRODUCTS, text, 52, 57, language_id="python")
    )
    assert "'..'" in error.message
    assert len(fake.message_requests) == 2  # the refused answer was not cached
    assert not (shop.parent / "evil.py").exists()


async def test_wf_refuses_unknown_action_private_and_outside_files(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow, tmp_path: Path
) -> None:
    workflow = make_workflow()
    error = await failure(workflow.run("nope", shop / PRODUCTS, "x = 1\n", 1, 1, language_id=None))
    assert error.kind == "unknown_action" and "optimize-query" in error.message
    env = shop / ".env"
    env.write_text("TOKEN=abc\n", encoding="utf-8")
    error = await failure(workflow.run("explain", env, "TOKEN=abc\n", 1, 1, language_id=None))
    assert error.kind == "refused" and "ignore rules" in error.message
    outside = tmp_path / "elsewhere.py"
    outside.write_text("x = 1\n", encoding="utf-8")
    error = await failure(workflow.run("explain", outside, "x = 1\n", 1, 1, language_id=None))
    assert "outside the workspace" in error.message
    assert fake.message_requests == []


async def test_wf_offline_answers_and_refusal(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    workflow = make_workflow(provider="offline", api_key=None, base_url=None)
    text = read(shop, PRODUCTS)
    explained = await workflow.run("explain", shop / PRODUCTS, text, 53, 53, language_id="python")
    assert explained.provider == "offline" and explained.explanation
    reviewed = await workflow.run(
        "review-security", shop / PRODUCTS, text, 27, 31, language_id="python"
    )
    assert reviewed.findings and reviewed.usage.total_input == 0
    assert text.encode()[reviewed.findings[0].start : reviewed.findings[0].end]
    error = await failure(
        workflow.run("design-api", shop / PRODUCTS, text, 53, 57, language_id="python")
    )
    assert error.kind == "no_provider" and "ANTHROPIC_API_KEY" in error.message
    assert workflow.disabled_reason(workflow.find("design-api"))
    assert workflow.disabled_reason(workflow.find("explain")) is None
    assert workflow.status()["available"] is False
    assert fake.requests == []


async def test_wf_cache_hit_on_identical_second_run(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(fa.tool_stream(GOOD))
    workflow = make_workflow()
    text = read(shop, PRODUCTS)
    first = await workflow.run("optimize-query", shop / PRODUCTS, text, 29, 30, language_id="py")
    second = await workflow.run("optimize-query", shop / PRODUCTS, text, 29, 30, language_id="py")
    assert not first.cached and second.cached
    assert second.usage.total_input == 0 and second.usage.output_tokens == 0
    assert second.new_text == first.new_text
    assert len(fake.message_requests) == 1
    status = workflow.status()
    assert status["usage"]["calls"] == 1 and status["usage"]["cache_hits"] == 1
    assert status["cache"]["entries"] == 1
    assert_no_key(fake)


async def test_wf_bad_input_is_a_clear_failure(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    workflow = make_workflow(max_tokens=1024)
    workflow.settings = workflow.settings.model_copy(
        update={"analysis": workflow.settings.analysis.model_copy(update={"max_file_bytes": 100})}
    )
    error = await failure(
        workflow.run("explain", shop / PRODUCTS, "x = 1\n" * 100, 1, 1, language_id="python")
    )
    assert error.kind == "too_large" and "max_file_bytes" in error.message
    # Binary junk and a syntax error mid-edit still produce a request, not a crash.
    fake.push(fa.tool_stream({"explanation": "odd bytes", "summary": "s"}))
    junk = "def broken(:\n    \x00\x01 \udcff\n"
    outcome = await make_workflow().run(
        "explain", shop / "app/junk.py", junk, 1, 2, language_id="python"
    )
    assert outcome.explanation == "odd bytes"
