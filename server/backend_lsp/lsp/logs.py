"""Log records of the engine -> window/logMessage (and optionally a file).

Records can come from worker threads, so they are handed to the event loop.
pygls' own loggers are never forwarded: they log every message sent, which
would loop and could echo document text.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
_LEVELS["error"] = logging.ERROR


def level_of(name: str | None) -> int:
    return _LEVELS.get((name or "info").lower(), logging.INFO)


def _message_type(level: int) -> types.MessageType:
    if level >= logging.ERROR:
        return types.MessageType.Error
    if level >= logging.WARNING:
        return types.MessageType.Warning
    if level >= logging.INFO:
        return types.MessageType.Info
    return types.MessageType.Log


class ClientLogHandler(logging.Handler):
    """Sends records to the client as window/logMessage notifications."""

    def __init__(self, server: LanguageServer, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._server = server
        self._loop = loop
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            params = types.LogMessageParams(
                type=_message_type(record.levelno), message=self.format(record)
            )
            self._loop.call_soon_threadsafe(self._server.window_log_message, params)
        except RuntimeError:
            pass  # the loop is closed: shutting down
        except Exception:
            self.handleError(record)


def configure(
    server: LanguageServer,
    loop: asyncio.AbstractEventLoop,
    level: str | None,
    log_file: str | None,
) -> None:
    """(Re)attach handlers on the ``backend_lsp`` logger at ``level``."""
    logger = logging.getLogger("backend_lsp")
    for handler in list(logger.handlers):
        if isinstance(handler, (ClientLogHandler, logging.FileHandler)):
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level_of(level))
    logger.propagate = False
    logger.addHandler(ClientLogHandler(server, loop))
    if log_file:
        try:
            file_handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as error:
            logger.warning("cannot open log file %s: %s", log_file, error)
        else:
            file_handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
            logger.addHandler(file_handler)
