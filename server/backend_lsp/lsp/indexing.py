"""The workspace index in the editor: built in the background, kept current, never on the loop.

One ``WorkspaceIndex`` per workspace folder. Every operation on it (the build,
one-file updates and removals, context assembly) runs in order on one daemon
thread, so an edit made during the cold build is applied after it and nothing
mutates the index concurrently; the parsing itself runs in worker processes
(index/build.py). Requests (symbols, hover) read the last published
``IndexSnapshot`` and never wait for the thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from backend_lsp.lsp.convert import uri_to_path

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

    from backend_lsp.index.build import WorkspaceIndex
    from backend_lsp.index.facts import FileFacts
    from backend_lsp.index.routes import ResolvedRoute
    from backend_lsp.index.view import WorkspaceView
    from backend_lsp.lsp.progress import CancelToken, CommandRunner, ProgressReporter

log = logging.getLogger(__name__)

T = TypeVar("T")

DEBOUNCE_S = 1.0
"""didChange -> index update: typing is coalesced; the index is for other files' views.
Longer than a typing pause on purpose: the update re-parses the whole file on the index
thread, and at 0.3 s it ran just as the next edit came in, competing with that edit's
diagnostics for the GIL (bench/lsp_latency.py, 5,000 lines: change->diagnostics p50
120 -> 45 ms with the taint engine off)."""
WATCHER_ID = "backend-lsp/watched-python-files"
SWITCH_INTERVAL_S = 0.0002
"""While index work runs, a thread waiting for the GIL gets it after 0.2 ms instead of 5 ms.
A request takes the GIL some ten times (the stdin reader thread three times per message,
the loop, the write), each a full interval while the index thread runs Python: at 1 ms,
requests during the end of a cold build (view, routes) took 10-17 ms; at 0.2 ms the
codeAction p99 of bench/lsp_latency.py --cold-index 5000 went 15 -> 6.3 ms. Only a
contended GIL switches more often, so the build itself does not slow down."""


@dataclass(frozen=True, slots=True)
class IndexSnapshot:
    """What requests read: the query view and the resolved routes of one root."""

    root: Path
    view: WorkspaceView
    routes: tuple[ResolvedRoute, ...]


class _Serial:
    """One daemon thread running submitted calls in order (a daemon never holds up exit)."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None

    def submit(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._loop, name="backend-lsp-index", daemon=True
            )
            self._thread.start()
        future: Future[T] = Future()
        self._queue.put((fn, future))
        return asyncio.wrap_future(future)

    def _loop(self) -> None:
        _lower_thread_priority()
        while (item := self._queue.get()) is not None:
            fn, future = item
            if not future.set_running_or_notify_cancel():
                continue
            interval = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL_S)
            try:
                result = fn()
            except BaseException as error:  # handed to the awaiting side
                sys.setswitchinterval(interval)
                future.set_exception(error)
            else:
                # Restored before the waiter wakes: it must not run on the short interval.
                sys.setswitchinterval(interval)
                future.set_result(result)

    def stop(self) -> None:
        self._queue.put(None)


INDEX_THREAD_NICE = 10


def _lower_thread_priority() -> None:
    """The index thread yields the CPU to the server's other threads (Linux: per thread).

    The loop and the stdin reader wake for every request; at the same priority they wait
    behind the index thread's Python (view, routes at the end of a build) on a busy
    machine. Measured with bench/lsp_latency.py --cold-index 5000: codeAction p99 during
    the build 6.1-10.4 -> 2.7-5.5 ms. Skipped elsewhere: there ``setpriority`` would
    nice the whole process.
    """
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError):
        tid = threading.get_native_id()
        os.setpriority(
            os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + INDEX_THREAD_NICE
        )


class WorkspaceIndexes:
    """The index of every workspace folder, for one session (given the parts of it it uses)."""

    def __init__(
        self,
        client: LanguageServer,
        runner: CommandRunner,
        spawn: Callable[[Any], asyncio.Task[Any]],
        roots: Callable[[], list[Path]],
        can_watch: Callable[[], bool],
    ) -> None:
        self._client = client
        self._runner = runner
        self._spawn = spawn
        self._roots = roots
        self._can_watch = can_watch
        self._serial = _Serial()
        self._indexes: dict[Path, WorkspaceIndex] = {}
        self._built: set[Path] = set()
        self._builds: dict[Path, asyncio.Task[bool]] = {}
        self._cancels: dict[Path, CancelToken] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self.snapshots: dict[Path, IndexSnapshot] = {}

    # -- building ------------------------------------------------------------------------

    def start(self) -> None:
        """Build every workspace folder's index in the background (after ``initialized``)."""
        for root in self._roots():
            self.ensure(root)

    def ensure(self, root: Path) -> asyncio.Task[bool]:
        """The running or finished build of ``root``; a new one if none succeeded yet."""
        root = root.resolve()
        task = self._builds.get(root)
        if task is None or (task.done() and root not in self._built):
            task = self._spawn(self._build(root))
            self._builds[root] = task
        return task

    async def _build(self, root: Path) -> bool:
        title = f"Indexing {root.name or root}"
        try:
            return await self._runner.run_with_progress(
                title, lambda reporter, cancel: self._build_work(root, reporter, cancel)
            )
        except JsonRpcRequestCancelled:
            return False
        except Exception:
            log.exception("workspace index of %s failed", root)
            return False

    async def _build_work(
        self, root: Path, reporter: ProgressReporter, cancel: CancelToken
    ) -> bool:
        loop = asyncio.get_running_loop()
        shown = [-1]
        self._cancels[root] = cancel

        def progress(done: int, total: int) -> None:  # on the index thread, once a batch
            # The facts parsed so far are kept for good: freeze them, so the collections
            # their allocations trigger never walk them (a full one stalled requests
            # 100-400 ms near the end of a 5,000-file build).
            gc.freeze()
            # the total grows while the walk still finds files: never show a step back
            percent = max(done * 100 // max(total, 1), shown[0])
            if percent != shown[0]:
                shown[0] = percent
                message = f"{done}/{total} files"
                loop.call_soon_threadsafe(reporter.report, message, percent)

        def work() -> str:
            from backend_lsp.index import shared
            from backend_lsp.index.build import WorkspaceIndex

            index = self._indexes.get(root)
            if index is None:
                index = self._indexes[root] = WorkspaceIndex(root)
            shared.building(root)
            try:
                stats = index.build(
                    progress=progress, cancelled=lambda: cancel.cancelled, low_priority=True
                )
            except BaseException:
                shared.abandon(root)
                raise
            self._built.add(root)
            # The index is long-lived and acyclic (refcounting frees what an update
            # replaces): no collection while its view is built (it allocates the whole
            # resolver at once), then keep full collections from walking it again.
            gc.disable()
            try:
                self._publish(root, index)
            finally:
                gc.freeze()
                gc.enable()
            log.info(
                "index of %s: %d files (%d parsed, %d reused) in %.2f s",
                root,
                stats.files,
                stats.parsed,
                stats.reused,
                stats.seconds,
            )
            return f"{len(index.files)} files indexed"

        try:
            reporter.done_message = await self._serial.submit(work)
        finally:
            self._cancels.pop(root, None)
        return True

    def _publish(self, root: Path, index: WorkspaceIndex, routes: bool = True) -> None:
        """On the index thread, after every change: requests read only this.

        ``routes`` False: the change cannot move a route (see ``_shapes_routes``), so the
        last resolved routes are kept; resolving them again costs ~50 ms on 1,400 files.
        """
        from backend_lsp.index.shared import publish

        view = index.view()
        old = self.snapshots.get(root)
        resolved = old.routes if old is not None and not routes else tuple(view.routes.routes)
        self.snapshots[root] = IndexSnapshot(root, view, resolved)
        publish(index)

    async def run(self, root: Path, fn: Callable[[WorkspaceIndex | None], T]) -> T:
        """Run ``fn`` on the index thread once ``root`` is built (building it if needed)."""
        root = root.resolve()
        await self.ensure(root)
        return await self._serial.submit(lambda: fn(self._indexes.get(root)))

    def stop(self) -> None:
        """Shutdown: stop running builds at their next batch; close the databases."""
        from backend_lsp.index.shared import withdraw

        for cancel in list(self._cancels.values()):
            cancel.cancel("the server is shutting down")
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()

        def close() -> None:
            for index in self._indexes.values():
                withdraw(index)
                index.close()
            self._indexes.clear()

        self._serial.submit(close)
        self._serial.stop()

    # -- keeping it current ----------------------------------------------------------------

    def root_of(self, path: Path) -> Path | None:
        """The innermost workspace folder holding ``path`` (None: outside, never indexed)."""
        found: Path | None = None
        for root in self._indexes:
            if (path == root or root in path.parents) and (
                found is None or len(root.parts) > len(found.parts)
            ):
                found = root
        return found

    def _apply(self, path: Path, text: str | None, deleted: bool = False) -> None:
        from backend_lsp.index.jsproject import is_install_marker

        def work() -> None:
            resolved = path.resolve()
            root = self.root_of(resolved)
            if root is None or root not in self._built:
                return  # not built (yet): the build reads the file itself
            index = self._indexes[root]
            rel = index.relative(resolved)
            if rel is None:
                return
            affected = [rel]
            if deleted:  # a deleted directory takes its files along
                affected += [r for r in index.files if r.startswith(f"{rel}/")]
            before = [index.files.get(r) for r in affected]
            if deleted:
                for gone in affected:
                    index.remove(index.root / gone)
            elif not index.update(resolved, text):
                return
            after = [index.files.get(r) for r in affected]
            shapes = (
                any(r.endswith("__init__.py") for r in affected)
                or any(_shapes_routes(f) for f in before + after)
                or is_install_marker(rel)  # configs from node_modules may have moved imports
            )
            self._publish(root, index, routes=shapes)

        self._serial.submit(work).add_done_callback(_log_failure)

    def document_changed(self, uri: str, text: Callable[[], str | None]) -> None:
        """didChange: update from the editor's text once typing pauses."""
        loop = asyncio.get_running_loop()
        old = self._timers.pop(uri, None)
        if old is not None:
            old.cancel()

        def fire() -> None:
            self._timers.pop(uri, None)
            current = text()
            if current is not None:
                self._apply(Path(uri_to_path(uri)), current)

        self._timers[uri] = loop.call_later(DEBOUNCE_S, fire)

    def document_saved(self, uri: str, text: str | None) -> None:
        handle = self._timers.pop(uri, None)
        if handle is not None:
            handle.cancel()
        self._apply(Path(uri_to_path(uri)), text)

    def document_closed(self, uri: str) -> None:
        """The editor's unsaved text is gone: the file on disk is the truth again."""
        self.document_saved(uri, None)

    def files_changed(self, changes: list[types.FileEvent], is_open: Callable[[str], bool]) -> None:
        """workspace/didChangeWatchedFiles: created/changed files re-read, deleted ones removed."""
        for change in changes:
            path = Path(uri_to_path(change.uri))
            if change.type == types.FileChangeType.Deleted:
                self._apply(path, None, deleted=True)
            elif not is_open(change.uri):  # an open document is followed from the editor
                self._apply(path, None)

    async def register_watcher(self) -> None:
        """Ask the client to report changes on disk to indexed files (dynamic registration only)."""
        if not self._can_watch():
            return
        from backend_lsp.index.extract import watched_globs

        options = types.DidChangeWatchedFilesRegistrationOptions(
            # what the index reads (index/extract.py EXTRACTORS), as the client's globs
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in watched_globs()]
        )
        registration = types.Registration(
            id=WATCHER_ID,
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        try:
            await self._client.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as error:
            log.info("the client refused to watch files: %s", error)


def _shapes_routes(facts: FileFacts | None) -> bool:
    """Whether a file's facts take part in route resolution (routes, routers, models...)."""
    return facts is not None and bool(
        facts.routes
        or facts.routers
        or facts.includes
        or facts.models
        or facts.relations
        or facts.language in ("gomod", "tsconfig")  # import paths move with the module path
    )


def _log_failure(future: asyncio.Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("index update failed: %s", future.exception())
