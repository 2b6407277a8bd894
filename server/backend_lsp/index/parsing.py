"""Parse files while the walk still finds them: the cold build's parse scheduler.

The walk of a large tree takes about half as long as parsing it on one core; run
before the pool, it was wall time no worker used. Here each full batch goes to
the worker processes as soon as the walk has it, and finished batches are handed
on (``sink``) in walk order between the walk's steps, so the parent decodes and
stores them while the workers parse the next ones.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace

from backend_lsp.index.extract import Extracted, extract_many, extract_path
from backend_lsp.index.store import deserialize

POOL_THRESHOLD = 48  # below this many files, a pool costs more than it saves
BATCH = 64

Sink = Callable[[list[Extracted]], None]


class ParseRun:
    """Files in (``add``), results out in the same order (``sink``), one batch at a time.

    In-process when there are fewer than ``POOL_THRESHOLD`` files, or one worker
    and no ``low_priority`` (a pool of one only adds the transfer); otherwise a
    pool starts once that many are waiting.
    """

    def __init__(self, root: str, workers: int, low_priority: bool, sink: Sink) -> None:
        self.root = root
        self.workers = workers
        self.low_priority = low_priority
        self.sink = sink
        self.pending: list[str] = []
        self.pool: ProcessPoolExecutor | None = None
        self.running: deque[Future[list[Extracted]]] = deque()
        self.inline = workers == 1 and not low_priority

    def add(self, rel: str) -> None:
        self.pending.append(rel)
        if self.pool is None and not self.inline and len(self.pending) >= POOL_THRESHOLD:
            # forkserver: never fork a process that runs the server's threads.
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_lower_priority if self.low_priority else None,
            )
        if self.pool is not None:
            while len(self.pending) >= BATCH:
                self._submit(BATCH)
            self.collect(wait=False)
        elif self.inline and len(self.pending) >= BATCH:
            self._inline()

    def finish(self) -> None:
        """Parse what is left and hand on every result."""
        if self.pool is None:
            self._inline()
            return
        if self.pending:
            self._submit(len(self.pending))
        self.collect(wait=True)

    def collect(self, wait: bool) -> None:
        """Hand on the finished batches at the head of the queue (all, when ``wait``)."""
        while self.running and (wait or self.running[0].done()):
            batch = self.running.popleft().result()
            decoded_batch = []
            for result in batch:
                decoded_batch.append(decoded(result))
                time.sleep(0)  # a thread waiting for the GIL (the server's loop) runs now
            self.sink(decoded_batch)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, count: int) -> None:
        assert self.pool is not None
        batch, self.pending = self.pending[:count], self.pending[count:]
        self.running.append(self.pool.submit(extract_many, self.root, batch))

    def _inline(self) -> None:
        while self.pending:
            batch, self.pending = self.pending[:BATCH], self.pending[BATCH:]
            self.sink([extract_path(self.root, rel) for rel in batch])


def _lower_priority() -> None:
    """In a parse worker: let the editor's own process run first."""
    with contextlib.suppress(OSError):
        os.nice(10)


def decoded(result: Extracted) -> Extracted:
    """``result`` with its facts read back from the stored form a parse worker sent."""
    if result.facts is not None or result.blob is None:
        return result
    return replace(result, facts=deserialize(result.blob))
