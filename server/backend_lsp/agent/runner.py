"""Run one action: build the request, answer from the cache or a provider, account usage.

This is the single entry point the LSP command and the CLI call, so both give
the same answer for the same code. Cancelling the awaiting task cancels the
provider call, which closes the upstream stream.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from backend_lsp.agent.cache import ResponseCache
from backend_lsp.agent.protocol import AgentAnswer, MalformedAnswer, parse_tool_input
from backend_lsp.agent.requests import (
    ActionRequest,
    ActionResult,
    ProgressCallback,
    Provider,
)
from backend_lsp.agent.usage import SessionUsage, Usage, describe, estimate_cost

log = logging.getLogger(__name__)

_CACHE_FORMAT = 1


async def run_action(
    request: ActionRequest,
    provider: Provider,
    cache: ResponseCache | None = None,
    on_progress: ProgressCallback | None = None,
    session: SessionUsage | None = None,
) -> ActionResult:
    """The validated answer for ``request``; raises ProviderError with a user-facing message."""
    started = time.perf_counter()
    messages = request.messages_request()
    key = messages.cache_key() if cache is not None and provider.cacheable else None
    if key is not None and cache is not None:
        hit = _from_cache(cache.get(key), request)
        if hit is not None:
            answer, model = hit
            if session is not None:
                session.record(model, Usage(), cached=True)
            log.info("%s: %s", request.action.id, describe(model, Usage(), cached=True))
            return ActionResult(
                request.action.id,
                answer,
                Usage(),
                model,
                provider.name,
                cached=True,
                cost_usd=0.0,
                elapsed_s=time.perf_counter() - started,
            )
    result = await provider.answer(request, messages, on_progress)
    if key is not None and cache is not None:
        cache.put(
            key,
            {
                "format": _CACHE_FORMAT,
                "model": result.model,
                "answer": result.answer.model_dump(mode="json"),
                "usage": result.usage.to_dict(),
            },
        )
    if session is not None:
        session.record(result.model, result.usage)
    log.info(
        "%s via %s (%s): %s",
        request.action.id,
        provider.name,
        result.model,
        describe(result.model, result.usage),
    )
    return ActionResult(
        request.action.id,
        result.answer,
        result.usage,
        result.model,
        provider.name,
        cached=False,
        cost_usd=estimate_cost(result.model, result.usage),
        elapsed_s=time.perf_counter() - started,
    )


def _from_cache(
    payload: dict[str, Any] | None, request: ActionRequest
) -> tuple[AgentAnswer, str] | None:
    if payload is None or payload.get("format") != _CACHE_FORMAT:
        return None
    try:
        answer = parse_tool_input(
            payload.get("answer"), request.action.output, request.workspace_root
        )
    except MalformedAnswer:
        return None  # an entry from an older protocol: ignore it, a fresh call replaces it
    return answer, str(payload.get("model") or request.model)
