"""What a run takes and gives back, and what every provider must implement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from backend_lsp.agent.actions import ActionSpec
from backend_lsp.agent.definitions import AgentDefinition
from backend_lsp.agent.prompt import MessagesRequest
from backend_lsp.agent.protocol import AgentAnswer
from backend_lsp.agent.types import ContextBundle
from backend_lsp.agent.usage import Usage
from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding

ProgressCallback = Callable[[int, str], None]
"""``on_progress(tokens_so_far, text_snippet)``: called as the answer streams in."""


class ProviderError(Exception):
    """A user-facing failure. ``kind`` is stable for code; ``message`` is for people.

    Messages never contain the API key. ``retryable`` says whether trying again
    later may help (rate limits, overload, timeouts, cut streams).
    """

    def __init__(self, kind: str, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.retryable = retryable

    def __repr__(self) -> str:
        return f"ProviderError({self.kind!r}, {self.message!r}, retryable={self.retryable})"


@dataclass(frozen=True, slots=True)
class SourceView:
    """The analysed document around the selection, for the offline provider.

    ``start``/``end`` are UTF-8 byte offsets of the selection in ``context.source``;
    ``findings`` are the analyzer's findings for the whole document.
    """

    context: AnalysisContext
    start: int
    end: int
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ActionRequest:
    """One action to run on one selection."""

    action: ActionSpec
    agent: AgentDefinition
    bundle: ContextBundle
    model: str
    max_tokens: int
    workspace_root: Path | None = None
    source: SourceView | None = None
    note: str | None = None
    """Extra text appended to the task (e.g. why the previous answer was rejected)."""

    def messages_request(self) -> MessagesRequest:
        from backend_lsp.agent.prompt import build_request

        return build_request(
            self.agent,
            self.action,
            self.bundle,
            model=self.model,
            max_tokens=self.max_tokens,
            note=self.note,
        )


@dataclass(frozen=True, slots=True)
class ProviderAnswer:
    answer: AgentAnswer
    usage: Usage
    model: str


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The validated answer, what it cost, and whether it came from the cache."""

    action_id: str
    answer: AgentAnswer
    usage: Usage
    model: str
    provider: str
    cached: bool = False
    cost_usd: float | None = None
    elapsed_s: float = 0.0


class Provider(Protocol):
    """Turns a request into a validated answer; raises ProviderError with a clear message."""

    name: str
    cacheable: bool

    async def answer(
        self,
        request: ActionRequest,
        messages: MessagesRequest,
        on_progress: ProgressCallback | None = None,
    ) -> ProviderAnswer: ...
