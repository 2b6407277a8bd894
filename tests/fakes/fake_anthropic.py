"""A scripted fake of the Anthropic Messages API on 127.0.0.1, for the real SDK.

Tests queue replies (``server.push(...)``); each POST /v1/messages takes the
next one; POST /v1/messages/count_tokens answers from ``count_tokens`` (or
``count_error``). Streaming replies use chunked SSE like the real API, so a cut stream
looks like a real cut to the client. Every request is recorded with its raw
bytes, and the server notices when the client hangs up early (``closed_at``).
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float
    closed_early: bool = False
    closed_at: float | None = None

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    """One scripted answer. ``kind``: json | sse | hang."""

    kind: str
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    delay: float = 0.0  # between SSE events
    cut_after: int | None = None  # close the socket after this many events


def usage(input_tokens: int = 100, output_tokens: int = 1, read: int = 0, write: int = 0) -> dict:
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cache_read_input_tokens": read,
        "cache_creation_input_tokens": write,
    }


def _message(model: str, content: list[dict], stop: str | None, use: dict) -> dict:
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": use,
    }


def _split(text: str, parts: int) -> list[str]:
    size = max(1, -(-len(text) // max(1, parts)))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def tool_stream(
    tool_input: dict | str,
    *,
    chunks: int = 4,
    stop_reason: str = "tool_use",
    input_tokens: int = 120,
    output_tokens: int = 42,
    cache_read: int = 0,
    cache_write: int = 0,
    delay: float = 0.0,
    cut_after: int | None = None,
    model: str = "claude-fake",
    name: str = "submit_answer",
) -> Reply:
    """A streamed forced-tool answer; a str ``tool_input`` is sent verbatim (malformed JSON)."""
    raw = tool_input if isinstance(tool_input, str) else json.dumps(tool_input)
    start_usage = usage(input_tokens, 1, cache_read, cache_write)
    events: list[tuple[str, dict[str, Any]]] = [
        (
            "message_start",
            {"type": "message_start", "message": _message(model, [], None, start_usage)},
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {
                    "type": "tool_use",
                    "id": "toolu_fake",
                    "name": name,
                    "input": {},
                },
            },
        ),
        ("ping", {"type": "ping"}),
    ]
    for piece in _split(raw, chunks):
        events.append(
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "input_json_delta", "partial_json": piece},
                },
            )
        )
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                "usage": {"output_tokens": output_tokens},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return Reply("sse", events=events, delay=delay, cut_after=cut_after)


def text_stream(text: str, *, stop_reason: str = "end_turn", model: str = "claude-fake") -> Reply:
    """A streamed prose answer (no tool call), e.g. a refusal or an off-protocol reply."""
    events: list[tuple[str, dict[str, Any]]] = [
        (
            "message_start",
            {"type": "message_start", "message": _message(model, [], None, usage(50, 1))},
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
    ]
    for piece in _split(text, 3):
        events.append(
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": piece},
                },
            )
        )
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                "usage": {"output_tokens": 9},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return Reply("sse", events=events)


def tool_json(tool_input: dict, *, model: str = "claude-fake") -> Reply:
    """A non-streaming tool answer."""
    content = [
        {"type": "tool_use", "id": "toolu_fake", "name": "submit_answer", "input": tool_input}
    ]
    return Reply("json", body=_message(model, content, "tool_use", usage(120, 42)))


def error(status: int, kind: str, message: str, retry_after: float | None = None) -> Reply:
    headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
    if retry_after is not None:
        headers["retry-after-ms"] = str(int(retry_after * 1000))
    body = {"type": "error", "error": {"type": kind, "message": message}}
    return Reply("json", status=status, body=body, headers=headers)


def hang() -> Reply:
    """Accept the request and never answer (until the client gives up or the server stops)."""
    return Reply("hang")


def count_tokens(body: bytes) -> int:
    """The fake's count: a fixed overhead plus one token per 3 characters of text (system,
    messages, tools), so a test can tell it from the client's 4-character estimate."""
    try:
        data = json.loads(body)
    except ValueError:
        return 1
    chars = 0
    texts: list[Any] = [data.get("system"), data.get("tools")]
    for message in data.get("messages") or []:
        texts.append(message.get("content"))
    stack = texts
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            chars += len(value)
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(v for k, v in value.items() if k in ("text", "content", "description"))
    return 7 + -(-chars // 3)


def _requested_model(body: bytes) -> str | None:
    try:
        model = json.loads(body).get("model")
    except (ValueError, AttributeError):
        return None
    return model if isinstance(model, str) else None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        record = Recorded(
            self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic()
        )
        fake = self.server.fake
        fake._record(record)
        if self.path.startswith("/v1/messages/count_tokens"):
            if fake.count_error is not None:
                status, kind = fake.count_error
                self._json(status, {"type": "error", "error": {"type": kind, "message": "fake"}})
            else:
                self._json(200, {"input_tokens": count_tokens(body)})
            return
        if not self.path.startswith("/v1/messages"):
            self._json(
                404,
                {"type": "error", "error": {"type": "not_found_error", "message": "no such path"}},
            )
            return
        reply = fake._next()
        if reply is None:
            self._json(
                500,
                {
                    "type": "error",
                    "error": {"type": "api_error", "message": "fake: no scripted reply left"},
                },
            )
        elif reply.kind == "json":
            self._json(reply.status, reply.body, reply.headers)
        elif reply.kind == "hang":
            self._wait(record, 30.0, until_stop=True)
        else:
            self._sse(reply, record, _requested_model(body))

    def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", "req_fake")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _peer_closed(self) -> bool:
        sock: socket.socket = self.connection
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            if not readable:
                return False
            return sock.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _wait(self, record: Recorded, seconds: float, until_stop: bool = False) -> bool:
        """Sleep, watching for the client hanging up; True if it did."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (until_stop and self.server.fake.stopping):
            sock: socket.socket = self.connection
            try:
                readable, _, _ = select.select([sock], [], [], min(0.005, seconds))
            except (OSError, ValueError):
                readable = [sock]
            if readable and self._peer_closed():
                self.server.fake._closed(record)
                return True
            if not until_stop and time.monotonic() >= deadline:
                break
        return False

    def _sse(self, reply: Reply, record: Recorded, model: str | None = None) -> None:
        self.send_response(reply.status)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("request-id", "req_fake")
        self.end_headers()
        try:
            for number, (name, data) in enumerate(reply.events):
                if reply.cut_after is not None and number >= reply.cut_after:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if reply.delay and number and self._wait(record, reply.delay):
                    return
                if self._peer_closed():
                    self.server.fake._closed(record)
                    return
                if name == "message_start" and model and data["message"]["model"] == "claude-fake":
                    data = {**data, "message": {**data["message"], "model": model}}
                payload = f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
                self.wfile.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.server.fake._closed(record)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeAnthropic


class FakeAnthropic:
    """Start with ``with FakeAnthropic() as fake:``; point the SDK at ``fake.base_url``."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._lock = threading.Lock()
        self._replies: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self.stopping = False
        self.count_error: tuple[int, str] | None = None  # (status, error type) for count_tokens

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def push(self, *replies: Reply) -> FakeAnthropic:
        with self._lock:
            self._replies.extend(replies)
        return self

    def _next(self) -> Reply | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def _record(self, record: Recorded) -> None:
        with self._lock:
            self.requests.append(record)

    def _closed(self, record: Recorded) -> None:
        with self._lock:
            record.closed_early = True
            record.closed_at = time.monotonic()

    @property
    def count_requests(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith("/v1/messages/count_tokens")]

    @property
    def message_requests(self) -> list[Recorded]:
        return [
            r
            for r in self.requests
            if r.path.startswith("/v1/messages") and "count_tokens" not in r.path
        ]

    def wait_closed(self, timeout: float = 2.0) -> Recorded | None:
        """The last messages request once the client has hung up on it, or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reqs = self.message_requests
            if reqs and reqs[-1].closed_early:
                return reqs[-1]
            time.sleep(0.002)
        return None

    def wait_request(self, count: int = 1, timeout: float = 2.0) -> Recorded | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reqs = self.message_requests
            if len(reqs) >= count:
                return reqs[count - 1]
            time.sleep(0.001)
        return None

    def all_bytes(self) -> Iterator[bytes]:
        for record in self.requests:
            yield json.dumps(record.headers).encode() + record.body

    def start(self) -> FakeAnthropic:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping = True
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeAnthropic:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
