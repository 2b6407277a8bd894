"""The Anthropic provider through the real SDK against the fake Messages API."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import fake_anthropic as fa
import pytest
from helpers import SELECTION_TEXT, bundle

from backend_lsp.agent.actions import find_action
from backend_lsp.agent.cache import ResponseCache
from backend_lsp.agent.definitions import builtin_agent
from backend_lsp.agent.providers import make_provider, provider_status
from backend_lsp.agent.providers.anthropic import AnthropicProvider
from backend_lsp.agent.providers.offline import OfflineProvider
from backend_lsp.agent.requests import ActionRequest, ProviderError
from backend_lsp.agent.runner import run_action
from backend_lsp.agent.usage import SessionUsage
from backend_lsp.config import DEFAULT_MODEL, AgentSettings

KEY = "sk-ant-api03-SECRETSECRETSECRET-0123456789"
GOOD = {"edits": [{"search": "SELECT *", "replace": "SELECT id"}], "summary": "narrowed"}


def settings(fake: fa.FakeAnthropic, **over: object) -> AgentSettings:
    values: dict[str, object] = {
        "api_key": KEY,
        "base_url": fake.base_url,
        "max_retries": 0,
        "timeout_s": 2.0,
        "model": DEFAULT_MODEL,
    }
    values.update(over)
    return AgentSettings.model_validate(values)


def request(action: str = "optimize-query") -> ActionRequest:
    spec = find_action(action)
    assert spec is not None
    return ActionRequest(spec, builtin_agent(), bundle(), DEFAULT_MODEL, 1024)


async def call(fake: fa.FakeAnthropic, action: str = "optimize-query", **over: object):  # type: ignore[no-untyped-def]
    provider = AnthropicProvider(settings(fake, **over))
    try:
        return await run_action(request(action), provider)
    finally:
        await provider.aclose()


async def failure(fake: fa.FakeAnthropic, **over: object) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        await call(fake, **over)
    error = info.value
    assert KEY not in str(error) and KEY not in repr(error)
    return error


async def test_streamed_tool_answer_bytes_and_usage(fake: fa.FakeAnthropic) -> None:
    fake.push(
        fa.tool_stream(
            GOOD, chunks=6, input_tokens=300, output_tokens=50, cache_read=1000, cache_write=200
        )
    )
    progress: list[tuple[int, str]] = []
    provider = AnthropicProvider(settings(fake))
    session = SessionUsage()
    result = await run_action(
        request(), provider, None, lambda t, s: progress.append((t, s)), session
    )
    await provider.aclose()
    assert result.answer.edits[0].replace == "SELECT id" and not result.cached
    assert (result.usage.input_tokens, result.usage.output_tokens) == (300, 50)
    assert (result.usage.cache_read_tokens, result.usage.cache_write_tokens) == (1000, 200)
    assert result.cost_usd is not None and result.cost_usd > 0
    assert progress and progress[-1][0] == 50 and "narrowed" in progress[-1][1]
    [sent] = fake.message_requests
    body = sent.json
    assert body["stream"] is True and body["model"] == DEFAULT_MODEL
    assert body["tool_choice"] == {"type": "tool", "name": "submit_answer"}
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert "senior backend engineer" in body["system"][0]["text"]
    assert body["messages"][0]["content"][0]["cache_control"] == {"type": "ephemeral"}
    assert SELECTION_TEXT in body["messages"][0]["content"][-1]["text"]
    assert KEY.encode() not in sent.body
    assert (
        sent.headers.get("authorization") == f"Bearer {KEY}" or sent.headers.get("x-api-key") == KEY
    )
    assert session.to_dict()["calls"] == 1


async def test_cache_hit_sends_nothing(fake: fa.FakeAnthropic, tmp_path: Path) -> None:
    fake.push(fa.tool_stream(GOOD))
    cache = ResponseCache(tmp_path)
    provider = AnthropicProvider(settings(fake))
    first = await run_action(request(), provider, cache)
    started = time.perf_counter()
    second = await run_action(request(), provider, cache)
    elapsed = time.perf_counter() - started
    await provider.aclose()
    assert second.cached and not first.cached and second.usage.total_input == 0
    assert second.answer == first.answer
    assert elapsed < 0.05
    assert len(fake.message_requests) == 1


@pytest.mark.parametrize(
    ("reply", "kind", "needle"),
    [
        (fa.error(401, "authentication_error", f"invalid x-api-key {KEY}"), "auth", "API key"),
        (fa.error(403, "permission_error", "nope"), "permission", "403"),
        (fa.error(404, "not_found_error", "model: x"), "not_found", "agent.model"),
        (fa.error(500, "api_error", "boom"), "server", "500"),
        (
            fa.error(400, "invalid_request_error", f"prompt is too long {KEY}"),
            "bad_request",
            "prompt is too long",
        ),
        (fa.tool_stream(GOOD, cut_after=5), "stream_cut", "connection broke"),
        (
            fa.tool_stream('{"edits": [{"search": "a", "repl', chunks=3),
            "malformed",
            "not valid JSON",
        ),
        (
            fa.tool_stream({"edits": [{"search": ""}], "summary": ""}),
            "malformed",
            "edits[0].search",
        ),
        (fa.text_stream("I can't help with that.", stop_reason="refusal"), "refusal", "declined"),
        (fa.text_stream("Here is some prose instead."), "text_only", "prose"),
        (fa.tool_stream('{"edits": [', stop_reason="max_tokens"), "max_tokens", "max_tokens"),
    ],
)
async def test_errors_are_mapped(
    fake: fa.FakeAnthropic, reply: fa.Reply, kind: str, needle: str
) -> None:
    fake.push(reply)
    error = await failure(fake)
    assert error.kind == kind, error
    assert needle in error.message


async def test_rate_limit_and_overload_retry_then_explain(fake: fa.FakeAnthropic) -> None:
    fake.push(
        fa.error(429, "rate_limit_error", "slow down", retry_after=0.01),
        fa.error(429, "rate_limit_error", "slow down", retry_after=0.01),
    )
    error = await failure(fake, max_retries=1)
    assert (error.kind, error.retryable) == ("rate_limit", True)
    assert "after 1 retry" in error.message and len(fake.message_requests) == 2
    fake.push(fa.error(529, "overloaded_error", "busy", retry_after=0.01), fa.tool_stream(GOOD))
    result = await call(fake, max_retries=1)  # the SDK's retry succeeds
    assert result.answer.summary == "narrowed"
    fake.push(fa.error(529, "overloaded_error", "busy", retry_after=0.01))
    assert (await failure(fake)).kind == "overloaded"


async def test_timeout(fake: fa.FakeAnthropic) -> None:
    fake.push(fa.hang())
    started = time.monotonic()
    error = await failure(fake, timeout_s=0.3)
    assert error.kind == "timeout" and time.monotonic() - started < 2.0


async def test_no_key_message_says_how() -> None:
    provider = make_provider(AgentSettings())
    assert isinstance(provider, OfflineProvider)
    available, reason = provider_status(AgentSettings())
    assert not available and "ANTHROPIC_API_KEY" in reason
    with pytest.raises(ProviderError) as info:
        AnthropicProvider(AgentSettings()).client()
    assert info.value.kind == "no_key" and "ANTHROPIC_API_KEY" in info.value.message
    assert provider_status(AgentSettings(api_key=KEY))[0]
    assert KEY not in provider_status(AgentSettings(api_key=KEY))[1]
    assert not provider_status(AgentSettings(api_key=KEY, provider="offline"))[0]


@pytest.mark.parametrize("phase", ["streaming", "waiting"])
async def test_cancel_closes_upstream_quickly(fake: fa.FakeAnthropic, phase: str) -> None:
    if phase == "streaming":
        fake.push(fa.tool_stream(GOOD, chunks=200, delay=0.02))
    else:
        fake.push(fa.hang())
    provider = AnthropicProvider(settings(fake, timeout_s=30.0))
    task = asyncio.create_task(run_action(request(), provider))
    assert await asyncio.to_thread(fake.wait_request, 1) is not None
    await asyncio.sleep(0.1)
    cancelled_at = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    record = await asyncio.to_thread(fake.wait_closed, 1.0)
    await provider.aclose()
    assert record is not None and record.closed_at is not None
    assert record.closed_at - cancelled_at < 0.2


async def test_count_tokens_endpoint_works_with_sdk(fake: fa.FakeAnthropic) -> None:
    provider = AnthropicProvider(settings(fake))
    params = request().messages_request().params()
    params.pop("max_tokens")
    counted = await provider.client().messages.count_tokens(**params)
    await provider.aclose()
    assert counted.input_tokens > 100
    assert json.loads(fake.requests[-1].body)["tool_choice"]["name"] == "submit_answer"


async def test_key_never_logged(fake: fa.FakeAnthropic, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    fake.push(fa.error(401, "authentication_error", f"bad key {KEY}"), fa.tool_stream(GOOD))
    await failure(fake)
    await call(fake)
    assert caplog.records and all(KEY not in r.getMessage() for r in caplog.records)


async def test_non_streaming_fake_reply_with_sdk(fake: fa.FakeAnthropic) -> None:
    fake.push(fa.tool_json(GOOD))
    provider = AnthropicProvider(settings(fake))
    message = await provider.client().messages.create(**request().messages_request().params())
    await provider.aclose()
    assert message.content[0].type == "tool_use" and message.stop_reason == "tool_use"


def test_cloud_providers_name_the_extra() -> None:
    import importlib.util

    if importlib.util.find_spec("boto3") is not None:
        pytest.skip("boto3 installed")
    available, reason = provider_status(AgentSettings(provider="bedrock"))
    assert not available and "backend-lsp[bedrock]" in reason
