"""Credentials never reach a log line, a status text or an error message.

Three leaks this closes: HTTP libraries (httpx, httpcore, the anthropic SDK)
log request headers and bodies at debug level, so their records below WARNING
are dropped at our handlers whatever level the user asked for (and whatever
``ANTHROPIC_LOG`` set); URLs with ``user:password@`` are masked in every text
we emit; and values registered as secret (the API key), plus anything the
secret detector recognises, are replaced before a record is formatted.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable
from typing import Any

# Loggers of the HTTP stack; their debug/info records carry headers and bodies.
HTTP_LOGGERS: tuple[str, ...] = (
    "httpx", "httpcore", "httpx2", "httpcore2", "anthropic", "urllib3", "hpack", "h2", "h11",
)  # fmt: skip

# scheme://userinfo@host: the userinfo runs to the last "@" before a host name,
# so a password holding "@" or "#" is masked whole.
_USERINFO = re.compile(
    r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,30}://)(?P<userinfo>[^/?\s'\"`<>]+)@"
    r"(?=[A-Za-z0-9\[][\w.\[\]:-]*(?:[/?#:'\"`\s,;)>]|$))"
)
MASK = "***"

_registered: set[str] = set()


def register_secret(value: str | None) -> None:
    """Mask ``value`` (the API key, a token from config) in every guarded log line."""
    if value and len(value.strip()) >= 8:
        _registered.add(value)
        _registered.add(value.strip())


def mask_userinfo(text: str) -> str:
    """``https://user:pw@host`` -> ``https://***@host`` everywhere in ``text``."""
    if "@" not in text:
        return text
    return _USERINFO.sub(lambda m: f"{m.group('scheme')}{MASK}@", text)


def scrub_text(text: str, extra: Iterable[str | None] = ()) -> str:
    """``text`` without URL credentials, registered secrets, ``extra`` or detected secrets."""
    for secret in sorted({*_registered, *(e for e in extra if e)}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = mask_userinfo(text)
    from backend_lsp.analysis.secrets import find_secrets  # the table is costly to compile

    matches = find_secrets(text)
    for match in reversed(matches):
        text = text[: match.start] + MASK + text[match.end :]
    return text


def scrub_record(record: logging.LogRecord) -> None:
    """Fold arguments, traceback and stack into ``record.msg``, scrubbed."""
    try:
        message = record.getMessage()
    except Exception:  # a broken %-format: keep the template, drop the arguments
        message = str(record.msg)
    if record.exc_info:
        message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        record.exc_info = None
    if record.exc_text:
        message += "\n" + record.exc_text
        record.exc_text = None
    if record.stack_info:
        message += "\n" + record.stack_info
        record.stack_info = None
    record.msg = scrub_text(message)
    record.args = None


class LogGuard(logging.Filter):
    """A handler filter: drops HTTP-stack chatter and scrubs every message it lets through."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING and _is_http_logger(record.name):
            return False
        scrub_record(record)
        return True


_installed = False


def install() -> None:
    """Scrub every log record when it is created, for every handler (ours and the client's).

    A record factory rather than per-handler filters, so handlers added later
    (the language server's client and file handlers) are covered too.
    """
    global _installed
    quiet_http_loggers()
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        scrub_record(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def _is_http_logger(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in HTTP_LOGGERS)


def guard(handler: logging.Handler) -> logging.Handler:
    """``handler`` with a LogGuard attached (once)."""
    if not any(isinstance(f, LogGuard) for f in handler.filters):
        handler.addFilter(LogGuard())
    return handler


def quiet_http_loggers() -> None:
    """HTTP-stack loggers at WARNING, so their debug records are not even created."""
    for name in HTTP_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
