"""The index a server publishes: an action waits for a build in progress instead of building."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from backend_lsp.agent.workflow import ActionWorkflow
from backend_lsp.config import Settings
from backend_lsp.index import WorkspaceIndex, shared


def test_workflow_waits_for_the_published_build(fastapi_root: Path, cache_dir: Path) -> None:
    index = WorkspaceIndex(fastapi_root, cache_dir=cache_dir)
    workflow = ActionWorkflow(fastapi_root, Settings(), cache=None)
    shared.building(index.root)
    try:
        assert workflow.workspace_index_pending()

        def build() -> None:
            time.sleep(0.3)
            index.build()
            shared.publish(index)

        worker = threading.Thread(target=build)
        worker.start()
        started = time.perf_counter()
        got = workflow.workspace_index(wait=True)
        worker.join()
        assert got is index  # not a second index of its own
        assert time.perf_counter() - started >= 0.25
        assert not workflow.workspace_index_pending()
        assert "app/models.py" in got.files
    finally:
        shared.withdraw(index)
        index.close()


def test_an_abandoned_build_lets_the_workflow_build_its_own(
    fastapi_root: Path, cache_dir: Path
) -> None:
    shared.building(fastapi_root.resolve())
    threading.Timer(0.2, shared.abandon, [fastapi_root.resolve()]).start()
    workflow = ActionWorkflow(fastapi_root, Settings(), cache=None)
    own = workflow.workspace_index(wait=True)
    assert own is not None and shared.find(fastapi_root) is None
    assert "app/models.py" in own.files
    own.close()
