"""Where the bytes a deserialiser reads come from (BE013): request, trusted, uploads, unknown.

The taint engine answers "request data" and "proven constant"; this module adds what a
reviewer reads off the code around a loader: a literal, bytes this code pickled itself, a
result of its own worker future, a file opened from a path the request does not choose
(trusted: the app's own artefact or cache), or a path under an upload directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from tree_sitter import Node

from backend_lsp.analysis.python.bindings import ASSIGNED_OR_OPENED, resolve_name
from backend_lsp.analysis.python.nodes import (
    call_name,
    node_text,
    positional_arguments,
)
from backend_lsp.analysis.taint.engine import FileTaint
from backend_lsp.analysis.taint.flow import Taint
from backend_lsp.analysis.taint.tables import DESERIALIZE


class Origin(Enum):
    REQUEST = "request"
    TRUSTED = "trusted"
    UPLOADS = "uploads"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Judged:
    origin: Origin
    taint: Taint | None = None  # the request taint, for REQUEST
    node: Node | None = None  # the expression that carries it


_OPENERS = frozenset({"open", "io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open"})
_WRAPPERS = frozenset(
    {"io.BytesIO", "io.StringIO", "base64.b64decode", "base64.urlsafe_b64decode",
     "base64.decodebytes", "gzip.decompress", "zlib.decompress", "bz2.decompress",
     "lzma.decompress", "bytes", "bytearray", "memoryview", "str", "codecs.decode"}
)  # fmt: skip
_READS = frozenset({"read", "getvalue", "encode", "decode", "strip", "read_bytes", "read_text"})
_DUMPERS = frozenset(f"{m}.dumps" for m in ("pickle", "cPickle", "_pickle", "dill", "cloudpickle"))
_UPLOADS = re.compile(r"upload|MEDIA_ROOT", re.IGNORECASE)


def judge(
    source: bytes, taint: FileTaint, aliases: dict[str, str], node: Node, depth: int = 0
) -> Judged:
    """The origin of the value ``node`` holds (a loader's data or file argument)."""
    if depth > 8 or node.type in ("list_splat", "dictionary_splat"):
        return Judged(Origin.UNKNOWN)
    if node.type in ("string", "concatenated_string", "integer", "none"):
        return Judged(Origin.TRUSTED)
    seen, fact = taint.fact(node)
    if seen and fact is not None and not fact.weak and fact.live(DESERIALIZE):
        return Judged(Origin.REQUEST, fact, node)
    if seen and (fact is None or not fact.live(DESERIALIZE)):
        return Judged(Origin.TRUSTED)  # proven constant or sanitized
    if node.type == "parenthesized_expression" and node.named_children:
        return judge(source, taint, aliases, node.named_children[0], depth + 1)
    if node.type == "identifier":
        value = _bound_value(source, node)
        if value is not None:
            return judge(source, taint, aliases, value, depth + 1)
        return Judged(Origin.UNKNOWN)
    if node.type != "call":
        return Judged(Origin.UNKNOWN)
    name = call_name(source, node)
    head, _, rest = name.partition(".")
    qualified = f"{aliases[head]}.{rest}".rstrip(".") if head in aliases else name
    args = positional_arguments(node)
    function = node.child_by_field_name("function")
    receiver = function.child_by_field_name("object") if function is not None else None
    method = name.rsplit(".", 1)[-1]
    if qualified in _DUMPERS:
        return Judged(Origin.TRUSTED)  # this code's own pickling
    if qualified in _OPENERS and args:
        return judge_path(source, taint, aliases, args[0], depth + 1)
    if qualified in _WRAPPERS and args:
        return judge(source, taint, aliases, args[0], depth + 1)
    own_future = receiver is not None and "future" in node_text(source, receiver).lower()
    if method == "result" and own_future:
        return Judged(Origin.TRUSTED)  # what this process's own worker returned
    if receiver is not None and method == "open":
        return judge_path(source, taint, aliases, receiver, depth + 1)
    if receiver is not None and method in _READS:
        if method in ("read_bytes", "read_text"):
            return judge_path(source, taint, aliases, receiver, depth + 1)
        return judge(source, taint, aliases, receiver, depth + 1)
    return Judged(Origin.UNKNOWN)


def judge_path(
    source: bytes, taint: FileTaint, aliases: dict[str, str], path: Node, depth: int = 0
) -> Judged:
    """A file named by ``path``: the request's choice, an upload folder, else the app's own."""
    seen, fact = taint.fact(path)
    if seen and fact is not None and not fact.weak and fact.live(DESERIALIZE):
        return Judged(Origin.REQUEST, fact, path)
    text = node_text(source, path)
    value = _bound_value(source, path) if path.type == "identifier" else None
    if value is not None and depth < 8:
        inner = judge_path(source, taint, aliases, value, depth + 1)
        if inner.origin is not Origin.TRUSTED:
            return inner
    if _UPLOADS.search(text):
        return Judged(Origin.UPLOADS)
    return Judged(Origin.TRUSTED)  # a constant, a setting, or a path the caller gives


def _bound_value(source: bytes, identifier: Node) -> Node | None:
    """``name = value`` or ``with value as name`` last before the use, in its function."""
    return resolve_name(source, identifier, ASSIGNED_OR_OPENED)
