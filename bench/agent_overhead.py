"""Agent overhead against the fake Messages API on 127.0.0.1; prints JSON.

- first_byte_ms_p50: from run_action() being called until the request reaches the API
  (prompt building, cache lookup, SDK request building); target <= 20 ms.
- cancel_to_close_ms_p50: task.cancel() until the API sees the connection closed;
  target <= 200 ms.
- cache_hit_ms_p50: a full run_action() answered from the response cache; target <= 10 ms.
- workflow_first_byte_ms_p50: the same, through ActionWorkflow.run on a real file of
  examples/shop, so context gathering, analysis of the file and redaction are included:
  everything the server adds before the first byte reaches the API.
- input_tokens_per_action: for each built-in action on a representative selection of
  examples/shop, the request's size in bytes and its input tokens, estimated as characters/4
  of the text sent (system + messages + tool schema). The fake API cannot tokenize; the
  real count differs by a few percent.
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
from helpers import bundle  # noqa: E402

from backend_lsp.agent.actions import find_action  # noqa: E402
from backend_lsp.agent.cache import ResponseCache  # noqa: E402
from backend_lsp.agent.definitions import builtin_agent  # noqa: E402
from backend_lsp.agent.providers.anthropic import AnthropicProvider  # noqa: E402
from backend_lsp.agent.requests import ActionRequest  # noqa: E402
from backend_lsp.agent.runner import run_action  # noqa: E402
from backend_lsp.agent.workflow import ActionFailed, ActionWorkflow  # noqa: E402
from backend_lsp.config import DEFAULT_MODEL, AgentSettings, Settings  # noqa: E402

ANSWER = {"edits": [{"search": "SELECT *", "replace": "SELECT id"}], "summary": "ok"}


def _request() -> ActionRequest:
    spec = find_action("optimize-query")
    assert spec is not None
    return ActionRequest(spec, builtin_agent(), bundle(), DEFAULT_MODEL, 1024)


EXAMPLE = ROOT / "examples" / "shop"

# action -> (file under examples/shop, a line inside the code it works on)
SELECTIONS: dict[str, tuple[str, str]] = {
    "design-api": ("app/models.py", "class Product"),
    "optimize-query": ("app/services/reporting.py", "SELECT *"),
    "review-security": ("app/security.py", "def "),
    "explain": ("app/routes/products.py", "def search_products"),
    "add-validation": ("app/routes/orders.py", "def "),
    "add-error-handling": ("app/services/payments.py", "def "),
    "write-tests": ("app/services/reporting.py", "def "),
}

# A valid answer of each output kind, so every action completes.
ANSWERS: dict[str, dict[str, object]] = {
    "edit": {"edits": [], "summary": "no change"},
    "new_files": {
        "new_files": [{"path": "app/generated_bench.py", "content": "x = 1\n"}],
        "summary": "ok",
    },
    "diagnostics": {"findings": [], "summary": "nothing found"},
    "explanation": {"explanation": "It searches products.", "summary": "ok"},
}


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise LookupError(needle)


def _estimated_tokens(body: dict[str, object]) -> int:
    sent = {key: body[key] for key in ("system", "messages", "tools") if key in body}
    return len(json.dumps(sent, ensure_ascii=False)) // 4


async def _workflow_figures(fake: fa.FakeAnthropic, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.model_validate(
            {
                "agent": {
                    "api_key": "sk-bench",
                    "base_url": fake.base_url,
                    "max_retries": 0,
                    "cache_enabled": False,
                }
            }
        )
        workflow = ActionWorkflow(EXAMPLE, settings, cache=ResponseCache(Path(tmp)))
        per_action: dict[str, dict[str, int]] = {}
        for action_id, (relative, needle) in SELECTIONS.items():
            path = EXAMPLE / relative
            text = path.read_text(encoding="utf-8")
            line = _line_of(text, needle)
            fake.push(fa.tool_stream(ANSWERS[workflow.find(action_id).output]))
            before = len(fake.message_requests)
            try:
                await workflow.run(action_id, path, text, line, line, language_id="python")
            except ActionFailed as error:  # an answer shape the action refused: still sent
                print(f"{action_id}: {error.message}", file=sys.stderr)
            request = fake.message_requests[before]
            per_action[action_id] = {
                "request_bytes": len(request.body),
                "input_tokens_estimate": _estimated_tokens(request.json),
            }
        path = EXAMPLE / "app/routes/products.py"
        text = path.read_text(encoding="utf-8")
        line = _line_of(text, "def search_products")
        first: list[float] = []
        for _ in range(runs):
            fake.push(fa.tool_stream(ANSWERS["explanation"]))
            before = len(fake.message_requests)
            started = time.monotonic()
            await workflow.run("explain", path, text, line, line, language_id="python")
            first.append((fake.message_requests[before].received_at - started) * 1000)
        await workflow.aclose()
    return {
        "workflow_first_byte_ms_p50": round(statistics.median(first), 2),
        "input_tokens_per_action": per_action,
    }


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
        workflow = await _workflow_figures(fake, runs)
    return {
        "first_byte_ms_p50": round(statistics.median(first), 2),
        "first_byte_target_ms": 20,
        "cancel_to_close_ms_p50": round(statistics.median(cancels), 2) if cancels else None,
        "cancel_closed": f"{len(cancels)}/5",
        "cancel_target_ms": 200,
        "cache_hit_ms_p50": round(statistics.median(hits), 3),
        "cache_hit_target_ms": 10,
        **workflow,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), indent=2))
