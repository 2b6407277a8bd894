"""Token counts for a context bundle: the provider's count when online, else the estimate.

Ranking and fitting use the cheap local estimate (context.budget); once the
bundle is redacted, ``TokenCounter.recount`` replaces each item's estimate
with the provider's count of exactly that (redacted) text and re-fits the
bundle to its budget. Counts are cached per text hash, so a preview followed
by the action, or the next action on the same code, asks for nothing new;
uncached items are counted a few at a time in parallel under one deadline.
Any failure (offline, an error, the deadline) falls back to the estimate for
that item and pauses counting for a while, so a dead gateway never slows
every action down.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait

from backend_lsp.agent.types import ContextBundle, ContextItem
from backend_lsp.context.budget import ITEM_OVERHEAD_TOKENS, estimate_tokens, fit

log = logging.getLogger(__name__)

CountText = Callable[[str], int]

_CACHE_ENTRIES = 8192
_PARALLEL = 4
_DEADLINE_S = 5.0
_PAUSE_AFTER_ERROR_S = 60.0


class TokenCounter:
    """Counts texts with ``count_text`` (None: offline, the estimate only), cached by hash."""

    def __init__(
        self,
        count_text: CountText | None = None,
        *,
        deadline_s: float = _DEADLINE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._count_text = count_text
        self._deadline_s = deadline_s
        self._clock = clock
        self._cache: OrderedDict[bytes, int] = OrderedDict()
        self._lock = threading.Lock()
        self._paused_until = 0.0
        self.requests = 0  # texts sent for counting (the cache's misses), for tests and status

    @property
    def online(self) -> bool:
        return self._count_text is not None and self._clock() >= self._paused_until

    def count(self, texts: Sequence[str]) -> list[int]:
        """Tokens of each text as an item (its rendering overhead included)."""
        keys = [hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).digest()
                for t in texts]  # fmt: skip
        found: dict[bytes, int] = {}
        with self._lock:
            for key in keys:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    found[key] = self._cache[key]
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
        if missing and self.online:
            found.update(self._ask(missing))
        return [
            found[key] + ITEM_OVERHEAD_TOKENS if key in found else estimate_tokens(text)
            for key, text in zip(keys, texts, strict=True)
        ]

    def _ask(self, missing: dict[bytes, str]) -> dict[bytes, int]:
        count_text = self._count_text
        assert count_text is not None
        counted: dict[bytes, int] = {}
        pool = ThreadPoolExecutor(min(_PARALLEL, len(missing)), thread_name_prefix="count")
        try:
            futures = {pool.submit(count_text, text): key for key, text in missing.items()}
            self.requests += len(futures)
            done, _late = wait(futures, timeout=self._deadline_s)
            failed = len(done) < len(futures)
            for future in done:
                error = future.exception()
                if error is None:
                    counted[futures[future]] = int(future.result())
                else:
                    failed = True
                    log.info("token counting failed, using estimates: %s", type(error).__name__)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        if failed:
            self._paused_until = self._clock() + _PAUSE_AFTER_ERROR_S
        with self._lock:
            for key, value in counted.items():
                self._cache[key] = value
            while len(self._cache) > _CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return counted

    def recount(self, bundle: ContextBundle) -> ContextBundle:
        """``bundle`` with counted tokens, items dropped from the bottom if it no longer fits."""
        if self._count_text is None:
            return bundle
        texts = [bundle.selection.text, *(item.text for item in bundle.items)]
        counts = self.count(texts)
        selection = dataclasses.replace(bundle.selection, tokens=counts[0])
        items: list[ContextItem] = [
            dataclasses.replace(item, tokens=tokens)
            for item, tokens in zip(bundle.items, counts[1:], strict=True)
        ]
        selection, kept = fit(selection, items, bundle.budget)
        if selection.text != bundle.selection.text:  # cut to fit: count what is left
            selection = dataclasses.replace(selection, tokens=self.count([selection.text])[0])
        total = selection.tokens + sum(item.tokens for item in kept)
        return dataclasses.replace(bundle, items=kept, selection=selection, tokens=total)
