"""One typed contract per command: names and arguments, encoded and decoded here only.

The code action listing, ``codeAction/resolve`` and the command handler all use
these classes, so an argument is spelled once. A client that sends something
else gets a JSON-RPC InvalidParams error naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

ANALYZE_WORKSPACE = "backend-lsp.analyzeWorkspace"
STATUS = "backend-lsp.status"
RUN_ACTION = "backend-lsp.runAction"
CONTEXT = "backend-lsp.context"
CLEAR_CACHE = "backend-lsp.clearCache"


class InvalidArguments(JsonRpcInvalidParams):
    """A command's arguments are not what the server sent: names the field."""


def _first(args: tuple[Any, ...] | list[Any]) -> Mapping[str, Any]:
    first: Any = args[0] if args else None
    if isinstance(first, list) and first:
        first = first[0]  # some clients wrap the argument list once more
    if not isinstance(first, Mapping):
        raise InvalidArguments(f"{RUN_ACTION} expects one object {{uri, version, action, range}}")
    return first


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArguments(f"{RUN_ACTION}: '{field}' must be an integer")
    return value


def range_from_json(value: Any, field: str = "range") -> types.Range:
    if not isinstance(value, Mapping):
        raise InvalidArguments(f"{RUN_ACTION}: '{field}' must be an LSP range")
    ends: list[types.Position] = []
    for end in ("start", "end"):
        point = value.get(end)
        if not isinstance(point, Mapping):
            raise InvalidArguments(f"{RUN_ACTION}: '{field}.{end}' must be an LSP position")
        line = _int(point.get("line"), f"{field}.{end}.line")
        character = _int(point.get("character"), f"{field}.{end}.character")
        if line < 0 or character < 0:
            raise InvalidArguments(f"{RUN_ACTION}: '{field}.{end}' must not be negative")
        ends.append(types.Position(line=line, character=character))
    return types.Range(start=ends[0], end=ends[1])


def range_to_json(rng: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": rng.start.line, "character": rng.start.character},
        "end": {"line": rng.end.line, "character": rng.end.character},
    }


@dataclass(frozen=True)
class RunAction:
    """``backend-lsp.runAction``: one agent action on a range of one document version."""

    uri: str
    version: int | None
    action: str
    range: types.Range

    def to_json(self) -> dict[str, Any]:
        return {
            "uri": self.uri,
            "version": self.version,
            "action": self.action,
            "range": range_to_json(self.range),
        }

    def to_arguments(self) -> list[Any]:
        return [self.to_json()]

    def command(self, title: str) -> types.Command:
        return types.Command(title=title, command=RUN_ACTION, arguments=self.to_arguments())

    @classmethod
    def from_arguments(cls, args: tuple[Any, ...] | list[Any]) -> RunAction:
        return cls.from_json(_first(args))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunAction:
        """The arguments object (also a listed action's ``data``, which adds ``source``)."""
        uri, action = data.get("uri"), data.get("action")
        if not isinstance(uri, str) or not uri:
            raise InvalidArguments(f"{RUN_ACTION}: 'uri' must be a document URI")
        if not isinstance(action, str) or not action:
            raise InvalidArguments(f"{RUN_ACTION}: 'action' must be an action id")
        version = data.get("version")
        return cls(
            uri=uri,
            version=None if version is None else _int(version, "version"),
            action=action,
            range=range_from_json(data.get("range")),
        )

    def lines(self) -> tuple[int, int]:
        """1-based inclusive lines; a range ending at column 0 stops before that line."""
        start, end = self.range.start.line, self.range.end.line
        if end > start and self.range.end.character == 0:
            end -= 1
        return start + 1, max(start, end) + 1
