"""Token usage per call, an estimated cost, and totals for the session.

Prices are estimates in USD per million tokens by model family, taken from the
public list prices when this was written; they are for orientation in the
progress message and the status command, not for billing. Cache writes cost
1.25x the input price and cache reads 0.1x (5-minute cache).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# family -> (input, output) USD per million tokens; first matching family wins.
PRICES: tuple[tuple[str, float, float], ...] = (
    ("opus-4-5", 5.0, 25.0),
    ("opus", 15.0, 75.0),
    ("sonnet", 3.0, 15.0),
    ("haiku-3", 0.8, 4.0),
    ("haiku", 1.0, 5.0),
)
OFFLINE_MODEL = "offline-analyzer"
"""The model name of answers from the offline analyzer: no tokens, no cost."""
CACHE_WRITE_FACTOR = 1.25
CACHE_READ_FACTOR = 0.1


def _int(value: Any) -> int:
    return value if isinstance(value, int) and value > 0 else 0


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens of one call; ``input_tokens`` excludes cached tokens, as the API reports."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @classmethod
    def from_api(cls, usage: Any) -> Usage:
        """From an SDK usage object or a plain mapping (missing fields count as zero)."""

        def get(key: str) -> Any:
            if isinstance(usage, Mapping):
                return usage.get(key)
            return getattr(usage, key, None)

        return cls(
            input_tokens=_int(get("input_tokens")),
            output_tokens=_int(get("output_tokens")),
            cache_read_tokens=_int(get("cache_read_input_tokens")),
            cache_write_tokens=_int(get("cache_creation_input_tokens")),
        )

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )

    @property
    def total_input(self) -> int:
        return self.input_tokens + self.cache_read_tokens + self.cache_write_tokens

    def to_dict(self) -> dict[str, int]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_read_tokens": self.cache_read_tokens,
            "cache_write_tokens": self.cache_write_tokens,
        }


def prices_for(model: str) -> tuple[float, float] | None:
    """(input, output) USD per million tokens for a model id, None when unknown."""
    lowered = model.lower()
    for family, input_price, output_price in PRICES:
        if family in lowered:
            return input_price, output_price
    return None


def estimate_cost(model: str, usage: Usage) -> float | None:
    """Estimated USD cost of one call, or None for a model family not in the table."""
    if model == OFFLINE_MODEL:
        return 0.0
    prices = prices_for(model)
    if prices is None:
        return None
    input_price, output_price = prices
    total = (
        usage.input_tokens * input_price
        + usage.cache_write_tokens * input_price * CACHE_WRITE_FACTOR
        + usage.cache_read_tokens * input_price * CACHE_READ_FACTOR
        + usage.output_tokens * output_price
    )
    return total / 1_000_000


def describe(model: str, usage: Usage, cached: bool = False) -> str:
    """One line for a progress end message or a log entry."""
    if cached:
        return "answered from the local cache (0 tokens)"
    if model == OFFLINE_MODEL:
        return "answered by the offline analyzer (0 tokens, no cost)"
    cost = estimate_cost(model, usage)
    money = f"~${cost:.4f}" if cost is not None else "cost unknown for this model"
    return (
        f"{usage.input_tokens:,} in, {usage.output_tokens:,} out, "
        f"{usage.cache_read_tokens:,} cache read, {usage.cache_write_tokens:,} cache write; {money}"
    )


@dataclass
class SessionUsage:
    """Running totals for the server session (thread-safe: the CLI may use threads).

    ``calls`` counts requests to a model; offline-analyzer answers are counted
    apart in ``offline_calls`` (free, so never "unpriced").
    """

    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    cache_hits: int = 0
    cost_usd: float = 0.0
    unpriced_calls: int = 0
    offline_calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, model: str, usage: Usage, cached: bool = False) -> None:
        with self._lock:
            if cached:
                self.cache_hits += 1
                return
            if model == OFFLINE_MODEL:
                self.offline_calls += 1
                return
            self.calls += 1
            self.usage = self.usage + usage
            cost = estimate_cost(model, usage)
            if cost is None:
                self.unpriced_calls += 1
            else:
                self.cost_usd += cost

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "calls": self.calls,
                "cache_hits": self.cache_hits,
                **self.usage.to_dict(),
                "estimated_cost_usd": round(self.cost_usd, 6),
                "unpriced_calls": self.unpriced_calls,
                "offline_calls": self.offline_calls,
            }
