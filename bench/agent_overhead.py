"""Agent overhead against the fake Messages API on 127.0.0.1; prints JSON.

- first_byte_ms_p50: from run_action() being called until the request reaches the API
  (prompt building, cache lookup, SDK request building); target <= 20 ms.
- cancel_to_close_ms_p50: task.cancel() until the API sees the connection closed;
  target <= 200 ms.
- cache_hit_ms_p50: a full run_action() answered from the response cache; target <= 10 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fakes"))
sys.path.insert(0, str(ROOT / "tests" / "agent"))

import fake_anthropic as fa  # noqa: E402
from backend_lsp.agent.actions import find_action  # noqa: E402
from backend_lsp.agent.cache import ResponseCache  # noqa: E402
from backend_lsp.agent.definitions import builtin_agent  # noqa: E402
from backend_lsp.agent.providers.anthropic import AnthropicProvider  # noqa: E402
from backend_lsp.agent.requests import ActionRequest  # noqa: E402
from backend_lsp.agent.runner import run_action  # noqa: E402
from backend_lsp.config import DEFAULT_MODEL, AgentSettings  # noqa: E402
from helpers import bundle  # noqa: E402

ANSWER = {"edits": [{"search": "SELECT *", "replace": "SELECT id"}], "summary": "ok"}


def _request() -> ActionRequest:
    spec = find_action("optimize-query")
    assert spec is not None
    return ActionRequest(spec, builtin_agent(), bundle(), DEFAULT_MODEL, 1024)


async def main(runs: int = 20) -> dict[str, object]:
    with fa.FakeAnthropic() as fake:
        settings = AgentSettings(api_key="sk-bench", base_url=fake.base_url, max_retries=0)
        provider = AnthropicProvider(settings)
        fake.push(fa.tool_stream(ANSWER))
        await run_action(_request(), provider)  # warm up: SDK import, connection pool
        first: list[float] = []
        for _ in range(runs):
            fake.push(fa.tool_stream(ANSWER))
            before = len(fake.message_requests)
            started = time.monotonic()
            await run_action(_request(), provider)
            first.append((fake.message_requests[before].received_at - started) * 1000)
        cancels: list[float] = []
        for _ in range(5):
            fake.push(fa.tool_stream(ANSWER, chunks=500, delay=0.01))
            count = len(fake.message_requests) + 1
            task = asyncio.create_task(run_action(_request(), provider))
            await asyncio.to_thread(fake.wait_request, count)
            await asyncio.sleep(0.05)
            cancelled = time.monotonic()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            record = await asyncio.to_thread(fake.wait_closed, 2.0)
            if record is not None and record.closed_at is not None:
                cancels.append((record.closed_at - cancelled) * 1000)
        with tempfile.TemporaryDirectory() as tmp:
            cache = ResponseCache(Path(tmp))
            fake.push(fa.tool_stream(ANSWER))
            await run_action(_request(), provider, cache)
            hits: list[float] = []
            for _ in range(50):
                started = time.perf_counter()
                result = await run_action(_request(), provider, cache)
                hits.append((time.perf_counter() - started) * 1000)
                assert result.cached
            cache.close()
        await provider.aclose()
    return {
        "first_byte_ms_p50": round(statistics.median(first), 2),
        "first_byte_target_ms": 20,
        "cancel_to_close_ms_p50": round(statistics.median(cancels), 2) if cancels else None,
        "cancel_closed": f"{len(cancels)}/5",
        "cancel_target_ms": 200,
        "cache_hit_ms_p50": round(statistics.median(hits), 3),
        "cache_hit_target_ms": 10,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), indent=2))
