"""The index thread's scheduling: it gives way to the threads answering requests."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import pytest

from backend_lsp.lsp.indexing import INDEX_THREAD_NICE, SWITCH_INTERVAL_S, _Serial


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread priorities are Linux's")
def test_index_thread_runs_niced_and_switches_often_while_the_rest_keeps_its_priority() -> None:
    def probe() -> tuple[int, float]:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), sys.getswitchinterval()

    async def run() -> tuple[int, float]:
        serial = _Serial()
        try:
            return await serial.submit(probe)
        finally:
            serial.stop()

    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    interval = sys.getswitchinterval()
    niceness, switch = asyncio.run(run())
    assert niceness == min(mine + INDEX_THREAD_NICE, 19)
    assert switch == pytest.approx(SWITCH_INTERVAL_S)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine
    assert sys.getswitchinterval() == interval
