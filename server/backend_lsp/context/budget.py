"""Token estimates and fitting ranked items into a budget.

Estimates are deliberately cheap: about four characters per token, which is
close for English and code with Claude's tokenizer and needs no network call,
so ranking and fitting use them. With a provider online the finished, redacted
bundle is recounted with the API's count_tokens (context.tokens, cached per
text). Each item also pays a fixed overhead for the header and fence it is
rendered with.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from backend_lsp.agent.types import ContextItem

CHARS_PER_TOKEN = 4
ITEM_OVERHEAD_TOKENS = 12


def estimate_tokens(text: str) -> int:
    """Rough token count of ``text`` (ceil(chars / 4)) plus the per-item overhead."""
    return math.ceil(len(text) / CHARS_PER_TOKEN) + ITEM_OVERHEAD_TOKENS


def truncate_item(item: ContextItem, budget: int) -> ContextItem:
    """``item`` cut at a line boundary to fit ``budget`` tokens, with a visible marker."""
    if item.tokens <= budget:
        return item
    lines = item.text.splitlines(keepends=True)
    kept: list[str] = []
    for line in lines:
        marker = _marker(len(lines) - len(kept) - 1, budget)
        if estimate_tokens("".join([*kept, line, marker])) > budget:
            break
        kept.append(line)
    marker = _marker(len(lines) - len(kept), budget)
    text = "".join(kept) + marker
    if estimate_tokens(text) > budget:  # even the marker alone is too big: cut characters
        room = max(0, (budget - ITEM_OVERHEAD_TOKENS) * CHARS_PER_TOKEN)
        text = text[:room]
    return dataclasses.replace(item, text=text, tokens=estimate_tokens(text))


def _marker(hidden_lines: int, budget: int) -> str:
    return f"\n… [truncated: {hidden_lines} more lines not shown; context budget {budget} tokens]\n"


def fit(
    selection: ContextItem, ranked: Sequence[ContextItem], budget: int
) -> tuple[ContextItem, list[ContextItem]]:
    """The selection (never dropped, truncated if it alone is too big) and the items that fit.

    Items are admitted best first; one that does not fit in what is left is
    dropped, so the lowest-ranked items go first, while a smaller item further
    down can still use room a big one could not.
    """
    selection = truncate_item(selection, budget)
    remaining = budget - selection.tokens
    kept: list[ContextItem] = []
    for item in ranked:
        if item.tokens <= remaining:
            kept.append(item)
            remaining -= item.tokens
    return selection, kept
