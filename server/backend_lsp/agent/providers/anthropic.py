"""Claude through the official SDK: streaming, forced-tool answers, honest errors.

The SDK is imported lazily (it is slow to import and the server must answer
``initialize`` fast). The call streams raw events so progress can be reported
as tokens arrive and so cancelling the task closes the HTTP response at once
(the ``finally`` below), which is what makes editor cancellation real.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from backend_lsp import log_guard
from backend_lsp.agent.prompt import MessagesRequest
from backend_lsp.agent.protocol import TOOL_NAME, MalformedAnswer, parse_tool_input
from backend_lsp.agent.requests import (
    ActionRequest,
    ProgressCallback,
    ProviderAnswer,
    ProviderError,
)
from backend_lsp.agent.usage import Usage
from backend_lsp.config import AgentSettings
from backend_lsp.log_guard import mask_userinfo

if TYPE_CHECKING:
    from anthropic import AsyncAnthropic

log = logging.getLogger(__name__)

NO_KEY_MESSAGE = (
    "No Anthropic API key is configured. Set the ANTHROPIC_API_KEY environment variable "
    "(or the agent.api_key setting), or ANTHROPIC_BASE_URL / agent.base_url for a gateway "
    "that needs no key."
)
_KEY_SHAPES = re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}")
_PROGRESS_INTERVAL_S = 0.1
_SNIPPET_CHARS = 120
_COUNT_TIMEOUT_S = 5.0


def scrub(text: str, secret: str | None) -> str:
    """Remove the API key (and anything shaped like one) from text meant for people."""
    if secret:
        text = text.replace(secret, "***")
    return mask_userinfo(_KEY_SHAPES.sub("sk-ant-***", text))


class AnthropicProvider:
    """The Anthropic API (or an Anthropic-compatible gateway), Bedrock or Vertex."""

    cacheable = True

    def __init__(self, settings: AgentSettings, client: Any | None = None) -> None:
        self.settings = settings
        self.name: str = (
            settings.provider if settings.provider in ("bedrock", "vertex") else "anthropic"
        )
        self._key = settings.api_key.get_secret_value() if settings.api_key else None
        self._client: Any | None = client

    # -- client -----------------------------------------------------------------------------

    def client(self) -> AsyncAnthropic:
        """The SDK client, created on first use; raises ProviderError when it cannot be."""
        if self._client is None:
            self._client = self._make_client()
        client: AsyncAnthropic = self._client
        return client

    def _make_client(self) -> Any:
        s = self.settings
        common: dict[str, Any] = {"timeout": s.timeout_s, "max_retries": s.max_retries}
        if self.name == "bedrock":
            return self._cloud_client("AsyncAnthropicBedrock", "bedrock", common)
        if self.name == "vertex":
            return self._cloud_client("AsyncAnthropicVertex", "vertex", common)
        if not self._key and not s.base_url:
            raise ProviderError("no_key", NO_KEY_MESSAGE)
        import anthropic

        # Importing the SDK applies ANTHROPIC_LOG (maybe "debug"); whatever front end started
        # this process (CLI, `python -m backend_lsp.lsp`, a test), the guard holds from here.
        log_guard.install()
        # A gateway without auth still needs some credential for the SDK to send a request.
        return anthropic.AsyncAnthropic(
            api_key=self._key or "no-key", base_url=s.base_url or None, **common
        )

    def _cloud_client(self, class_name: str, extra: str, common: dict[str, Any]) -> Any:
        try:
            import anthropic

            log_guard.install()
            factory = getattr(anthropic, class_name)
            return factory(base_url=self.settings.base_url or None, **common)
        except (ImportError, AttributeError) as error:
            raise ProviderError(
                "missing_extra",
                f"The {extra} provider needs extra packages: pip install 'backend-lsp[{extra}]' "
                f"({error.__class__.__name__}: {scrub(str(error), self._key)})",
            ) from None
        except Exception as error:  # credential/region discovery of the cloud SDKs
            raise ProviderError(
                "config", f"Cannot set up the {extra} client: {scrub(str(error), self._key)}"
            ) from None

    def token_counter(self, model: str) -> Callable[[str], int] | None:
        """``count(text)`` through ``messages.count_tokens`` (None: Bedrock/Vertex, estimate).

        A separate synchronous client, made on first use, so counting works from
        any thread (the CLI, the index thread, ``asyncio.to_thread``); it gives up
        fast, because the caller falls back to the local estimate.
        """
        if self.name != "anthropic" or (not self._key and not self.settings.base_url):
            return None
        lock = threading.Lock()
        made: list[Any] = []

        def count(text: str) -> int:
            with lock:
                if not made:
                    import anthropic

                    log_guard.install()
                    made.append(
                        anthropic.Anthropic(
                            api_key=self._key or "no-key",
                            base_url=self.settings.base_url or None,
                            timeout=_COUNT_TIMEOUT_S,
                            max_retries=0,
                        )
                    )
            result = made[0].messages.count_tokens(
                model=model, messages=[{"role": "user", "content": text}]
            )
            return int(result.input_tokens)

        return count

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    # -- call -------------------------------------------------------------------------------

    async def answer(
        self,
        request: ActionRequest,
        messages: MessagesRequest,
        on_progress: ProgressCallback | None = None,
    ) -> ProviderAnswer:
        client = self.client()
        try:
            raw, usage, model = await self._stream(client, messages, on_progress)
        except ProviderError:
            raise
        except Exception as error:
            raise self._map_error(error, messages.model) from None
        try:
            answer = parse_tool_input(raw, request.action.output, request.workspace_root)
        except MalformedAnswer as error:
            raise ProviderError(
                "malformed", f"The model's answer was malformed: {scrub(str(error), self._key)}"
            ) from None
        return ProviderAnswer(answer, usage, model)

    async def _stream(
        self, client: Any, messages: MessagesRequest, on_progress: ProgressCallback | None
    ) -> tuple[str, Usage, str]:
        stream = await client.messages.create(**messages.params(), stream=True)
        state = _StreamState(on_progress)
        try:
            async for event in stream:
                state.feed(event)
        finally:
            # Runs on cancellation too: closing the response drops the connection upstream.
            await stream.close()
        return state.finish(self._key, messages.model)

    def _map_error(self, error: Exception, model: str) -> ProviderError:
        import anthropic

        key = self._key
        retries = self.settings.max_retries
        after = f" after {retries} retr{'y' if retries == 1 else 'ies'}" if retries else ""
        detail = scrub(_api_message(error), key)
        if isinstance(error, anthropic.AuthenticationError):
            return ProviderError(
                "auth",
                "The Anthropic API rejected the API key (401): check ANTHROPIC_API_KEY or "
                "agent.api_key.",
            )
        if isinstance(error, anthropic.PermissionDeniedError):
            return ProviderError(
                "permission",
                f"The API key is not allowed to use this model or feature (403): {detail}",
            )
        if isinstance(error, anthropic.NotFoundError):
            return ProviderError(
                "not_found",
                f"Model '{model}' was not found (404); set agent.model to a model your account "
                f"can use. {detail}".strip(),
            )
        if isinstance(error, anthropic.RateLimitError):
            return ProviderError(
                "rate_limit",
                f"Rate limited by the API (429){after}. Wait a minute and try again, or use a "
                "smaller selection or model; cached answers still work.",
                retryable=True,
            )
        if isinstance(error, anthropic.APIStatusError) and error.status_code == 529:
            return ProviderError(
                "overloaded",
                f"The API is overloaded (529){after}. Try again in a few minutes.",
                retryable=True,
            )
        if isinstance(error, anthropic.InternalServerError):
            return ProviderError(
                "server",
                f"The API had an internal error ({error.status_code}){after}. Try again later.",
                retryable=True,
            )
        if isinstance(error, anthropic.BadRequestError):
            return ProviderError("bad_request", f"The API refused the request (400): {detail}")
        if isinstance(error, anthropic.APIStatusError):
            return ProviderError(
                "api", f"The API answered with status {error.status_code}: {detail}"
            )
        if isinstance(error, anthropic.APITimeoutError):
            return ProviderError(
                "timeout",
                f"No answer from the API within {self.settings.timeout_s:g} s{after}; "
                "raise agent.timeout_s or narrow the selection.",
                retryable=True,
            )
        if isinstance(error, anthropic.APIConnectionError):
            where = mask_userinfo(self.settings.base_url or "the Anthropic API")
            return ProviderError(
                "connection", f"Cannot reach {where}: {scrub(str(error), key)}", retryable=True
            )
        if _is_transport_error(error):
            return ProviderError(
                "stream_cut",
                f"The connection broke while the answer was streaming ({type(error).__name__}); "
                "try again.",
                retryable=True,
            )
        log.exception("unexpected provider failure")
        return ProviderError(
            "internal",
            f"Unexpected failure calling the API: {type(error).__name__}: {scrub(str(error), key)}",
        )


def _api_message(error: Exception) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])
    return str(getattr(error, "message", "") or error)


def _is_transport_error(error: Exception) -> bool:
    import httpx2

    return isinstance(error, httpx2.TransportError | httpx2.StreamError)


class _StreamState:
    """Accumulates raw stream events into (tool input JSON, usage)."""

    def __init__(self, on_progress: ProgressCallback | None) -> None:
        self.on_progress = on_progress
        self.blocks: dict[int, dict[str, Any]] = {}
        self.usage = Usage()
        self.output_tokens = 0
        self.stop_reason: str | None = None
        self.model = ""
        self.stopped = False
        self.chars = 0
        self.tail = ""
        self.last_report = 0.0

    def feed(self, event: Any) -> None:
        kind = getattr(event, "type", None)
        if kind == "message_start":
            message = event.message
            self.model = getattr(message, "model", "") or ""
            self.usage = Usage.from_api(getattr(message, "usage", None))
        elif kind == "content_block_start":
            block = event.content_block
            self.blocks[event.index] = {
                "type": block.type,
                "name": getattr(block, "name", None),
                "text": getattr(block, "text", "") or "",
                "json": "",
            }
        elif kind == "content_block_delta":
            self._delta(event.index, event.delta)
        elif kind == "message_delta":
            self.stop_reason = getattr(event.delta, "stop_reason", None)
            final = Usage.from_api(getattr(event, "usage", None))
            self.output_tokens = final.output_tokens
            self.usage = Usage(
                input_tokens=final.input_tokens or self.usage.input_tokens,
                output_tokens=final.output_tokens,
                cache_read_tokens=final.cache_read_tokens or self.usage.cache_read_tokens,
                cache_write_tokens=final.cache_write_tokens or self.usage.cache_write_tokens,
            )
        elif kind == "message_stop":
            self.stopped = True
            self._report(force=True)

    def _delta(self, index: int, delta: Any) -> None:
        block = self.blocks.setdefault(index, {"type": "?", "name": None, "text": "", "json": ""})
        piece = ""
        if delta.type == "input_json_delta":
            piece = delta.partial_json or ""
            block["json"] += piece
        elif delta.type == "text_delta":
            piece = delta.text or ""
            block["text"] += piece
        self.chars += len(piece)
        self.tail = (self.tail + piece)[-_SNIPPET_CHARS:]
        self._report()

    def _report(self, force: bool = False) -> None:
        if self.on_progress is None:
            return
        now = time.monotonic()
        if not force and now - self.last_report < _PROGRESS_INTERVAL_S:
            return
        self.last_report = now
        tokens = max(self.output_tokens, self.chars // 4)
        try:
            self.on_progress(tokens, self.tail)
        except Exception:  # a broken progress sink must not break the call
            log.exception("progress callback failed")

    def finish(self, key: str | None, model: str) -> tuple[str, Usage, str]:
        tools = [b for b in self.blocks.values() if b["type"] == "tool_use"]
        texts = "".join(b["text"] for b in self.blocks.values() if b["type"] == "text").strip()
        if not self.stopped:
            raise ProviderError(
                "stream_cut",
                "The answer stream ended before it was complete; try again.",
                retryable=True,
            )
        if self.stop_reason == "refusal":
            raise ProviderError(
                "refusal",
                "The model declined to answer this request"
                + (f": {scrub(texts[:300], key)}" if texts else "."),
            )
        if self.stop_reason == "max_tokens":
            raise ProviderError(
                "max_tokens",
                f"The answer hit the output limit (agent.max_tokens) before it was complete; "
                f"raise agent.max_tokens or select less code "
                f"({self.usage.output_tokens:,} tokens).",
            )
        tool = next((b for b in tools if b["name"] == TOOL_NAME), None)
        if tool is None:
            snippet = scrub(texts[:300], key)
            raise ProviderError(
                "text_only",
                "The model answered in prose instead of the structured answer"
                + (f": {snippet}" if snippet else "."),
            )
        raw = tool["json"] or "{}"
        try:
            json.loads(raw)
        except json.JSONDecodeError as error:
            raise ProviderError(
                "malformed",
                f"The model's answer was malformed: the tool input is not valid "
                f"JSON ({error.msg} at character {error.pos}).",
            ) from None
        return raw, self.usage, self.model or model
