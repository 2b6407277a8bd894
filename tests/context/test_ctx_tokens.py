"""Token counting: the provider's count through the real SDK against the fake API.

The fake (tests/fakes) counts one token per 3 characters plus 7, the local
estimate one per 4 plus the item overhead, so every assertion can tell which
one produced a figure.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import fake_anthropic as fa
import pytest

from backend_lsp.agent.providers.anthropic import AnthropicProvider
from backend_lsp.agent.workflow import ActionWorkflow
from backend_lsp.config import AgentSettings, Settings
from backend_lsp.context.budget import ITEM_OVERHEAD_TOKENS, estimate_tokens
from backend_lsp.context.tokens import TokenCounter

DATA = Path(__file__).resolve().parents[1] / "data" / "index"
MODEL = "claude-count-test"
SECRET = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"


def _agent(fake: fa.FakeAnthropic) -> dict[str, object]:
    return {"api_key": "sk-ant-test-key-0123456789", "base_url": fake.base_url,
            "max_retries": 0, "timeout_s": 2.0, "model": MODEL}  # fmt: skip


def _counter(fake: fa.FakeAnthropic) -> TokenCounter:
    provider = AnthropicProvider(AgentSettings.model_validate(_agent(fake)))
    # A deadline no loaded CI machine reaches: these tests are about what is counted, not when
    # the estimate takes over (that has its own test).
    return TokenCounter(provider.token_counter(MODEL), deadline_s=120)


def _expected(text: str) -> int:
    body = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": text}]})
    return fa.count_tokens(body.encode()) + ITEM_OVERHEAD_TOKENS


def test_counts_through_the_sdk_once_per_text(fake: fa.FakeAnthropic) -> None:
    counter = _counter(fake)
    texts = ["def f():\n    return 1\n", "class Item(SQLModel):\n    id: int\n" * 20]
    assert counter.count(texts) == [_expected(t) for t in texts]
    assert counter.count(texts) != [estimate_tokens(t) for t in texts]
    sent = [r.json for r in fake.count_requests]
    assert len(sent) == 2 and {r["model"] for r in sent} == {MODEL}
    assert sorted(r["messages"][0]["content"] for r in sent) == sorted(texts)
    # Cached per text: the same texts again (a preview, then the action) ask for nothing.
    assert counter.count(list(reversed(texts))) == [_expected(t) for t in reversed(texts)]
    assert len(fake.count_requests) == 2


def test_an_error_falls_back_to_the_estimate_and_pauses(fake: fa.FakeAnthropic) -> None:
    fake.count_error = (529, "overloaded_error")
    counter = _counter(fake)
    assert counter.count(["x = 1\n"]) == [estimate_tokens("x = 1\n")]
    assert not counter.online
    assert counter.count(["y = 2\n"]) == [estimate_tokens("y = 2\n")]
    assert len(fake.count_requests) == 1  # paused: no request per item per action


def test_a_count_past_the_deadline_falls_back_to_the_estimate() -> None:
    release = threading.Event()

    def stuck(_text: str) -> int:
        release.wait(10)
        return 1

    counter = TokenCounter(stuck, deadline_s=0.2)
    try:
        assert counter.count(["x = 1\n"]) == [estimate_tokens("x = 1\n")]
        assert not counter.online  # paused: the next request does not wait again
    finally:
        release.set()


def test_offline_counter_never_asks() -> None:
    counter = TokenCounter(None)
    assert not counter.online and counter.count(["a"]) == [estimate_tokens("a")]
    bedrock = AnthropicProvider(AgentSettings.model_validate({"provider": "bedrock"}))
    assert bedrock.token_counter(MODEL) is None


@pytest.fixture
def app_with_secret(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "fastapi_sqlmodel", tmp_path / "w")
    root = tmp_path / "w" / "backend"
    crud = root / "app" / "crud.py"
    crud.write_text(crud.read_text() + f'\n\nSTRIPE_SECRET_KEY = "{SECRET}"\n')
    return root


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_context_is_counted_after_redaction(fake: fa.FakeAnthropic, app_with_secret: Path) -> None:
    root = app_with_secret
    items_py = root / "app/api/routes/items.py"
    # The selection uses the secret, so crud.py's constant is a context item.
    items_py.write_text(
        items_py.read_text().replace(
            "item = crud.create_item(", "key = crud.STRIPE_SECRET_KEY\n    item = crud.create_item("
        )
    )
    settings = Settings.model_validate({"agent": _agent(fake)})
    workflow = ActionWorkflow(root, settings, cache=None)
    line = _line(items_py, "item = crud.create_item(")
    bundle = workflow.context_bundle(items_py, items_py.read_text(), line, line, language_id=None)
    counted = [r.json["messages"][0]["content"] for r in fake.count_requests]
    assert counted and all(SECRET not in text for text in counted)
    assert any("STRIPE_SECRET_KEY" in text for text in counted)  # the item, redacted
    sent = [bundle.selection.text, *(i.text for i in bundle.items)]
    assert set(counted) == set(sent)  # exactly the texts that would be sent, nothing else
    assert bundle.tokens == sum(_expected(t) for t in sent) <= bundle.budget
    # The same preview again is served from the cache.
    before = len(fake.count_requests)
    workflow.context_bundle(items_py, items_py.read_text(), line, line, language_id=None)
    assert len(fake.count_requests) == before


def test_recount_refits_to_the_budget(fake: fa.FakeAnthropic, app_with_secret: Path) -> None:
    settings = Settings.model_validate({"agent": {**_agent(fake), "context_budget_tokens": 900}})
    workflow = ActionWorkflow(app_with_secret, settings, cache=None)
    items_py = app_with_secret / "app/api/routes/items.py"
    line = _line(items_py, "item = crud.create_item(")
    bundle = workflow.context_bundle(items_py, items_py.read_text(), line, line, language_id=None)
    # The fake counts ~4/3 of the estimate, so estimated items that filled 900 no longer fit.
    assert bundle.tokens <= 900
    assert bundle.tokens == bundle.selection.tokens + sum(i.tokens for i in bundle.items)
    offline = ActionWorkflow(
        app_with_secret,
        Settings.model_validate({"agent": {"provider": "offline", "context_budget_tokens": 900}}),
        cache=None,
    )
    estimated = offline.context_bundle(items_py, items_py.read_text(), line, line, language_id=None)
    assert len(bundle.items) < len(estimated.items)
