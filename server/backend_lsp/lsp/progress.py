"""Server-created work-done progress with real cancellation, for long commands.

pygls cancels only the outer future of a request; the command coroutine keeps
running. So the work runs as its own asyncio task, registered under both the
JSON-RPC request id (``$/cancelRequest``) and the progress token
(``window/workDoneProgress/cancel``); either one cancels that task, and the
cancellation is answered as a RequestCancelled error.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)

T = TypeVar("T")


class CancelToken:
    """Lets long synchronous work poll for cancellation between steps."""

    def __init__(self) -> None:
        self._cancelled = False
        self.reason = ""

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self, reason: str) -> None:
        self._cancelled = True
        self.reason = reason

    def check(self) -> None:
        if self._cancelled:
            raise asyncio.CancelledError(self.reason)


class ProgressReporter:
    """Sends report notifications for one token (a no-op when the client has no UI)."""

    def __init__(self, server: LanguageServer, token: str | None) -> None:
        self._server = server
        self.token = token
        self.done_message: str | None = None
        """Set by the work to replace "done" in the end notification (e.g. a usage summary)."""

    def report(self, message: str, percentage: int | None = None) -> None:
        if self.token is None:
            return
        value = types.WorkDoneProgressReport(
            message=message,
            percentage=None if percentage is None else max(0, min(100, percentage)),
            cancellable=True,
        )
        self._server.work_done_progress.report(self.token, value)


Work = Callable[[ProgressReporter, CancelToken], Awaitable[T]]


class CommandRunner:
    """Runs cancellable work with progress; owns the id/token -> task maps."""

    def __init__(self, server: LanguageServer, supports_progress: Callable[[], bool]) -> None:
        self._server = server
        self._supports_progress = supports_progress
        self._by_request: dict[Any, tuple[asyncio.Task[Any], CancelToken]] = {}
        self._by_token: dict[str, tuple[asyncio.Task[Any], CancelToken]] = {}

    @property
    def running(self) -> int:
        return len(self._by_token)

    def cancel_request(self, request_id: Any) -> bool:
        """``$/cancelRequest``: stop the work behind that request, if it is ours."""
        entry = self._by_request.get(request_id)
        if entry is None:
            return False
        entry[1].cancel("cancelled by the client")
        entry[0].cancel()
        return True

    def cancel_token(self, token: Any) -> bool:
        """``window/workDoneProgress/cancel``: stop the work shown under that token."""
        entry = self._by_token.get(str(token))
        if entry is None:
            return False
        entry[1].cancel("cancelled from the progress UI")
        entry[0].cancel()
        return True

    async def run_with_progress(self, title: str, work: Work[T]) -> T:
        """Run ``work`` under a fresh progress token; cancellation -> RequestCancelled."""
        request_id = self._server.protocol.msg_id
        token: str | None = None
        progress = self._server.work_done_progress
        if self._supports_progress():
            token = f"backend-lsp/{uuid.uuid4()}"
            try:
                await progress.create_async(token)
            except Exception as error:  # the client refused: run without a progress UI
                log.info("work done progress refused by the client: %s", error)
                token = None
        cancel = CancelToken()
        reporter = ProgressReporter(self._server, token)
        task: asyncio.Task[T] = asyncio.ensure_future(work(reporter, cancel))
        key = token or f"untracked/{uuid.uuid4()}"
        self._by_token[key] = (task, cancel)
        if request_id is not None:
            self._by_request[request_id] = (task, cancel)
        if token is not None:
            progress.begin(token, types.WorkDoneProgressBegin(title=title, cancellable=True))
        outcome = "cancelled"
        try:
            result = await task
            outcome = reporter.done_message or "done"
            return result
        except asyncio.CancelledError:
            log.info("%s: %s", title, cancel.reason or "cancelled")
            raise JsonRpcRequestCancelled(f"{title}: {cancel.reason or 'cancelled'}") from None
        except Exception as error:
            outcome = f"failed: {error}"
            raise
        finally:
            self._by_token.pop(key, None)
            if request_id is not None:
                self._by_request.pop(request_id, None)
            if token is not None:
                progress.end(token, types.WorkDoneProgressEnd(message=outcome))
                progress.tokens.pop(token, None)
