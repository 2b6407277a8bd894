from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from helpers import SELECTION_TEXT, bundle

from backend_lsp.agent.actions import find_action
from backend_lsp.agent.cache import CACHE_DIR_ENV, ResponseCache, default_cache_dir
from backend_lsp.agent.definitions import builtin_agent
from backend_lsp.agent.prompt import build_request, render_item
from backend_lsp.agent.protocol import TOOL_NAME
from backend_lsp.agent.types import ContextItem
from backend_lsp.agent.usage import SessionUsage, Usage, describe, estimate_cost


def _request(with_items: bool = True, model: str = "claude-sonnet-4-5"):  # type: ignore[no-untyped-def]
    action = find_action("optimize-query")
    assert action is not None
    return build_request(builtin_agent(), action, bundle(with_items), model=model, max_tokens=999)


def test_prompt_layout_and_cache_breakpoints() -> None:
    params = _request().params()
    assert params["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    assert params["max_tokens"] == 999
    [system] = params["system"]
    assert system["cache_control"] == {"type": "ephemeral"}
    assert builtin_agent().system_prompt in system["text"]
    assert "Answer protocol" in system["text"]
    stable, task = params["messages"][0]["content"]
    assert stable["cache_control"] == {"type": "ephemeral"}
    assert "app/models.py" in stable["text"] and "enclosing function" in stable["text"]
    assert SELECTION_TEXT not in stable["text"]
    assert "cache_control" not in task
    assert SELECTION_TEXT in task["text"] and "Optimize query" in task["text"]
    # JSON-serialisable exactly as sent
    json.dumps(params)


def test_no_empty_context_block_and_agent_model_wins() -> None:
    content = _request(with_items=False).params()["messages"][0]["content"]
    assert len(content) == 1 and content[0]["text"].strip()
    agent = builtin_agent()
    from dataclasses import replace

    action = find_action("explain")
    assert action is not None
    req = build_request(
        replace(agent, model="claude-opus-4-5"), action, bundle(), model="m", max_tokens=1
    )
    assert req.model == "claude-opus-4-5"


def test_fence_survives_backticks_in_code() -> None:
    text = render_item(ContextItem("README.md", 1, 3, "docs", "```py\nx\n```\n", 3))
    assert "````\n```py" in text


def test_cache_key_changes_with_anything_sent() -> None:
    a, b = _request(), _request()
    assert a.cache_key() == b.cache_key()
    assert _request(model="claude-haiku-4-5").cache_key() != a.cache_key()
    assert _request(with_items=False).cache_key() != a.cache_key()


def test_usage_and_cost() -> None:
    usage = Usage.from_api(
        {
            "input_tokens": 1000,
            "output_tokens": 2000,
            "cache_read_input_tokens": 10_000,
            "cache_creation_input_tokens": None,
        }
    )
    assert usage == Usage(1000, 2000, 10_000, 0)
    cost = estimate_cost("claude-sonnet-4-5-20250929", usage)
    assert cost == pytest.approx((1000 * 3 + 2000 * 15 + 10_000 * 0.3) / 1e6)
    assert estimate_cost("llama-3", usage) is None
    assert "cost unknown" in describe("llama-3", usage)
    assert "0 tokens" in describe("x", usage, cached=True)
    session = SessionUsage()
    session.record("claude-haiku-4-5", usage)
    session.record("claude-haiku-4-5", usage, cached=True)
    session.record("mystery", Usage(1, 1))
    totals = session.to_dict()
    assert totals["calls"] == 2 and totals["cache_hits"] == 1 and totals["unpriced_calls"] == 1
    assert totals["input_tokens"] == 1001


def test_cache_hit_miss_clear(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    assert cache.get("k") is None
    cache.put("k", {"answer": {"summary": "é"}, "usage": {"input_tokens": 3}})
    started = time.perf_counter()
    hit = cache.get("k")
    assert (time.perf_counter() - started) < 0.01
    assert hit == {"answer": {"summary": "é"}, "usage": {"input_tokens": 3}}
    # a second process/instance sees it too
    assert ResponseCache(tmp_path).get("k") == hit
    assert cache.stats()["entries"] == 1
    assert cache.clear() == 1
    assert cache.get("k") is None


def test_cache_evicts_least_recently_used(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path, max_mb=0.01)  # ~10 kB
    blob = "x" * 3000
    for key in ("a", "b", "c"):
        cache.put(key, {"v": blob})
        time.sleep(0.002)
    cache.get("a")  # a is now more recent than b
    time.sleep(0.002)
    cache.put("d", {"v": blob})
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("d") is not None
    assert cache.stats()["bytes"] <= cache.max_bytes
    cache.put("huge", {"v": "y" * 20_000})  # larger than the cap: not stored
    assert cache.get("huge") is None


def test_cache_concurrent_writers(tmp_path: Path) -> None:
    caches = [ResponseCache(tmp_path) for _ in range(4)]

    def work(i: int) -> None:
        for j in range(25):
            caches[i].put(f"{i}-{j}", {"n": j})
            assert caches[(i + 1) % 4].get(f"{i}-{j}") == {"n": j}

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert caches[0].stats()["entries"] == 100


def test_unusable_cache_degrades(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a dir")
    cache = ResponseCache(blocker)
    cache.put("k", {"a": 1})
    assert cache.get("k") is None and cache.clear() == 0
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    corrupt = tmp_path / "bad"
    corrupt.mkdir()
    (corrupt / "responses.sqlite3").write_bytes(b"garbage" * 1000)
    assert ResponseCache(corrupt).get("k") is None
