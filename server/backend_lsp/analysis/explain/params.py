"""Where each handler parameter comes from (path, query, body, dependency...).

FastAPI decides this from annotations and markers, and so do we: a name in
the path template is a path parameter, ``Depends``/``Security`` make a
dependency, ``Query``/``Body``/``Header``... say it outright, a Pydantic
model is the body, scalars are query parameters. Flask and Django pass only
path values as arguments; their query/body reads happen through ``request``
inside the body and are collected separately.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from tree_sitter import Node

from backend_lsp.analysis.python.nodes import node_text, walk

_MARKERS = {
    "Path": "path",
    "Query": "query",
    "Body": "body",
    "Header": "header",
    "Cookie": "cookie",
    "Form": "form",
    "File": "file",
    "Depends": "dependency",
    "Security": "dependency",
}
_INJECTED = {
    "Request",
    "Response",
    "WebSocket",
    "BackgroundTasks",
    "HTTPConnection",
    "SecurityScopes",
    "Session",
    "AsyncSession",
}
_SCALARS = {
    "int", "str", "float", "bool", "bytes", "UUID", "uuid", "datetime", "date", "time",
    "timedelta", "Decimal", "EmailStr", "HttpUrl", "AnyUrl", "conint", "constr", "StrictStr",
    "StrictInt", "PositiveInt", "NonNegativeInt", "Literal", "Any", "UploadFile",
}  # fmt: skip
_WRAPPERS = {
    "Optional", "Union", "None", "list", "List", "set", "Set", "tuple", "Tuple",
    "Sequence", "Annotated", "typing", "uuid", "datetime", "decimal", "pydantic",
}  # fmt: skip
_PATH_PARAM = re.compile(r"[{<](?:[A-Za-z_]\w*:)?([A-Za-z_]\w*)(?::[^}>]*)?[}>]")
_IDENT = re.compile(r"[A-Za-z_]\w*")

# Reads of request data inside Flask / Django / DRF / Starlette bodies.
_QUERY_READS = ("request.args", "request.GET", "request.query_params", "request.values")
_BODY_READS = (
    "request.get_json",
    "request.json",
    "request.form",
    "request.files",
    "request.POST",
    "request.FILES",
    "request.data",
    "request.body",
)


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: str
    text: str


def path_parameters(path: str | None) -> set[str]:
    """Names in ``/users/{user_id}``, ``/u/<int:id>``, ``{file_path:path}``."""
    return set(_PATH_PARAM.findall(path or ""))


def classify_parameters(
    source: bytes,
    function: Node,
    path: str | None,
    enum_classes: set[str],
    aliases: Mapping[str, str] | None = None,
) -> list[Param]:
    """Each parameter's kind; ``aliases`` maps ``CurrentUser`` to its ``Annotated[...]``."""
    in_path = path_parameters(path)
    aliases = aliases or {}
    params = function.child_by_field_name("parameters")
    result: list[Param] = []
    for param in params.named_children if params is not None else []:
        if param.type in ("keyword_separator", "positional_separator", "comment"):
            continue
        name_node = param if param.type == "identifier" else param.child_by_field_name("name")
        if name_node is None and param.named_children:
            name_node = param.named_children[0]
        name = node_text(source, name_node).lstrip("*")
        if not name or name in ("self", "cls") or param.type.endswith("splat_pattern"):
            continue
        annotation = node_text(source, param.child_by_field_name("type"))
        annotation = aliases.get(annotation, annotation)
        default = param.child_by_field_name("value")
        kind = _kind(source, name, annotation, default, in_path, enum_classes)
        result.append(Param(name, kind, node_text(source, param)))
    return result


def _kind(
    source: bytes,
    name: str,
    annotation: str,
    default: Node | None,
    in_path: set[str],
    enum_classes: set[str],
) -> str:
    for text in (node_text(source, default), annotation):
        for marker, kind in _MARKERS.items():
            if re.search(rf"\b{marker}\(", text):
                return kind
    if name in in_path:
        return "path"
    if name == "request" and not annotation:
        return "injected"
    names = [
        n
        for n in _IDENT.findall(
            annotation.split("[", 1)[-1] if "Annotated[" in annotation else annotation
        )
        if n not in _WRAPPERS
    ]
    if any(n in _INJECTED for n in names):
        return "injected"
    if not names or all(n in _SCALARS or n in enum_classes for n in names):
        return "query"
    if any(n in ("dict", "Dict") or n[:1].isupper() for n in names):
        return "body"
    return "query"


def request_reads(source: bytes, body: Node) -> tuple[list[str], list[str]]:
    """Query keys and body sources read through ``request`` in a handler body."""
    query: list[str] = []
    payload: list[str] = []
    for node in walk(body):
        if node.type != "attribute":
            continue
        text = node_text(source, node)
        if text in _QUERY_READS:
            key = _subscript_or_get_key(source, node)
            query.append(key or text)
        elif text in _BODY_READS:
            payload.append(text)
    return list(dict.fromkeys(query)), list(dict.fromkeys(payload))


def _subscript_or_get_key(source: bytes, attribute: Node) -> str | None:
    """``request.args.get("page")`` / ``request.GET["q"]`` -> the key."""
    parent = attribute.parent
    if parent is None:
        return None
    if parent.type == "subscript":
        index = parent.child_by_field_name("subscript")
        return node_text(source, index).strip("'\"") if index is not None else None
    if parent.type == "attribute" and parent.parent is not None and parent.parent.type == "call":
        args = parent.parent.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        if first is not None and first.type == "string":
            return node_text(source, first).strip("'\"")
    return None
