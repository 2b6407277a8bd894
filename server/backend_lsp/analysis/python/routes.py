"""Recognise HTTP route handlers in Python web frameworks.

Covers decorator routing (FastAPI, Starlette, Flask, Quart, Sanic, aiohttp's
RouteTableDef, Litestar), Django REST framework's ``@api_view``, and Django
class-based views (``get``/``post``... methods of a class deriving from a
*View/*ViewSet). Django function views are recognised by their ``request``
first parameter in a views module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath

from tree_sitter import Node

from backend_lsp.analysis.python.index import node_index
from backend_lsp.analysis.python.nodes import (
    call_arguments,
    decorators,
    function_name,
    is_async_function,
    keyword_argument,
    node_text,
    positional_arguments,
    statement_assignment,
    string_value,
)

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_ROUTE_DECORATORS = {*HTTP_METHODS, "route", "api_route", "websocket", "view_functions"}
_AUTH_DECORATORS = (
    "login_required",
    "permission_required",
    "jwt_required",
    "auth_required",
    "requires_auth",
    "user_passes_test",
    "staff_member_required",
    "permission_classes",
    "authentication_classes",
    "roles_required",
)
_AUTH_HINTS = ("user", "auth", "token", "current", "permission", "security", "oauth", "api_key")
# router factories and the keyword that holds their own prefix (FastAPI, Flask blueprints)
_ROUTER_FACTORIES = {"APIRouter": "prefix", "Blueprint": "url_prefix"}
_MOUNTS = {"include_router": "prefix", "register_blueprint": "url_prefix"}


@dataclass(frozen=True, slots=True)
class ModuleRouting:
    """What a module says about its handlers outside their own definitions.

    ``prefixes``: router variable -> the path prefix of its routes (its own
    ``APIRouter(prefix=...)`` after every ``include_router(..., prefix=...)``
    mount visible in the module). ``aliases``: ``CurrentUser = Annotated[User,
    Depends(get_current_user)]`` -> the aliased annotation, so a parameter
    annotated ``CurrentUser`` is the dependency it stands for.
    """

    prefixes: dict[str, str]
    aliases: dict[str, str]


def module_routing(source: bytes, node: Node) -> ModuleRouting:
    """The routing facts of the module ``node`` belongs to (module-level statements only)."""
    root = node
    while root.parent is not None:
        root = root.parent
    return _module_routing(source, root.id, root)


@lru_cache(maxsize=16)
def _module_routing(source: bytes, _root_id: int, root: Node) -> ModuleRouting:
    own: dict[str, str] = {}
    aliases: dict[str, str] = {}
    mounts: dict[str, tuple[str | None, str]] = {}  # child -> (parent router, mount prefix)
    for statement in root.named_children:
        if statement.type == "type_alias_statement":  # type CurrentUser = Annotated[...]
            names = statement.named_children
            if len(names) == 2 and _is_dependency(node_text(source, names[1])):
                aliases[node_text(source, names[0])] = node_text(source, names[1])
            continue
        assignment = statement_assignment(statement)
        if assignment is not None:
            left = assignment.child_by_field_name("left")
            right = assignment.child_by_field_name("right")
            if left is None or right is None or left.type != "identifier":
                continue
            name = node_text(source, left)
            if right.type == "call":
                factory = node_text(source, right.child_by_field_name("function")).rsplit(".")[-1]
                if factory in _ROUTER_FACTORIES:
                    prefix = keyword_argument(source, right, _ROUTER_FACTORIES[factory])
                    own[name] = (string_value(source, prefix) if prefix else None) or ""
            elif right.type == "subscript" and _is_dependency(node_text(source, right)):
                aliases[name] = node_text(source, right)
            continue
        call = statement.named_children[0] if statement.named_children else None
        if statement.type != "expression_statement" or call is None or call.type != "call":
            continue
        callee = node_text(source, call.child_by_field_name("function"))
        owner, _, method = callee.rpartition(".")
        args = positional_arguments(call)
        if method in _MOUNTS and args and args[0].type == "identifier":
            mount = keyword_argument(source, call, _MOUNTS[method])
            value = (string_value(source, mount) if mount else None) or ""
            mounts.setdefault(node_text(source, args[0]), (owner or None, value))
    prefixes = {name: _full_prefix(name, own, mounts, 0) for name in own}
    return ModuleRouting(prefixes, aliases)


def _full_prefix(
    name: str, own: dict[str, str], mounts: dict[str, tuple[str | None, str]], depth: int
) -> str:
    prefix = own.get(name, "")
    mounted = mounts.get(name)
    if mounted is None or depth > 8:
        return prefix
    parent, mount = mounted
    outer = _full_prefix(parent, own, mounts, depth + 1) if parent else ""
    return outer + mount + prefix


def _is_dependency(annotation: str) -> bool:
    return annotation.startswith(("Annotated[", "typing.Annotated[")) and (
        "Depends(" in annotation or "Security(" in annotation
    )


@dataclass(slots=True)
class RouteHandler:
    """A function that answers HTTP requests, and what we know about it."""

    function: Node
    name: str
    methods: tuple[str, ...]
    path: str | None
    is_async: bool
    framework: str
    parameters: list[str] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)
    detail: bool = False  # DRF ``@action(detail=True)``: routed under ``<pk>/``

    @property
    def is_list_endpoint(self) -> bool:
        """GET handlers whose path does not end in a single-item parameter."""
        if self.detail or (self.methods and "GET" not in self.methods):
            return False
        if self.path is None:
            return True
        last = self.path.rstrip("/").rsplit("/", 1)[-1]
        return not (last.startswith("{") or last.startswith("<") or last.startswith(":"))


def find_routes(source: bytes, root: Node, path: str = "") -> list[RouteHandler]:
    """Every route handler in a module, in source order."""
    handlers: list[RouteHandler] = []
    views_module = (
        PurePath(path).stem in ("views", "api", "viewsets") or "views" in PurePath(path).parts
    )
    for node in node_index(source, root).of("function_definition"):
        handler = route_for_function(source, node, views_module=views_module)
        if handler is not None:
            handlers.append(handler)
    return handlers


def route_for_function(
    source: bytes, function: Node, *, views_module: bool = False
) -> RouteHandler | None:
    """The route this function handles, or None when it is not a handler."""
    for decorator in decorators(function):
        handler = _from_decorator(source, function, decorator)
        if handler is not None:
            return handler
    method = _class_based_view_method(source, function)
    if method is not None:
        return _build(source, function, (method.upper(),), None, "django")
    if views_module and _first_parameter(source, function) == "request":
        return _build(source, function, (), None, "django")
    return None


def route_at(source: bytes, node: Node, path: str = "") -> RouteHandler | None:
    """The handler enclosing ``node``, if any."""
    current: Node | None = node
    views_module = PurePath(path).stem in ("views", "api", "viewsets")
    while current is not None:
        if current.type == "function_definition":
            handler = route_for_function(source, current, views_module=views_module)
            if handler is not None:
                return handler
        current = current.parent
    return None


def _from_decorator(source: bytes, function: Node, decorator: Node) -> RouteHandler | None:
    expression = next((c for c in decorator.named_children if c.type != "comment"), None)
    if expression is None or expression.type != "call":
        return None
    callee = expression.child_by_field_name("function")
    if callee is None:
        return None
    callee_text = node_text(source, callee)
    attribute = callee_text.rsplit(".", 1)[-1]
    if attribute == "api_view":
        drf_methods = _string_list(source, call_arguments(expression)[:1])
        return _build(source, function, drf_methods or ("GET",), None, "drf")
    if callee.type != "attribute" or attribute not in _ROUTE_DECORATORS:
        return None
    args = call_arguments(expression)
    route_path = None
    positional = [a for a in args if a.type != "keyword_argument"]
    if positional:
        route_path = string_value(source, positional[0])
    path_kw = keyword_argument(source, expression, "path") or keyword_argument(
        source, expression, "rule"
    )
    if route_path is None and path_kw is not None:
        route_path = string_value(source, path_kw)
    if attribute in HTTP_METHODS:
        methods: tuple[str, ...] = (attribute.upper(),)
    else:
        methods_node = keyword_argument(source, expression, "methods")
        methods = _string_list(source, [methods_node]) if methods_node is not None else ()
        if not methods and attribute == "route":
            methods = ("GET",)
    if route_path is None and positional and positional[0].type not in ("string",):
        # ``@app.get(PATH)``: a constant elsewhere; still a route.
        route_path = node_text(source, positional[0])
    elif route_path is not None:
        router = node_text(source, callee.child_by_field_name("object"))
        route_path = module_routing(source, function).prefixes.get(router, "") + route_path
    framework = "fastapi" if attribute in HTTP_METHODS or attribute == "api_route" else "flask"
    return _build(source, function, methods, route_path, framework)


def _string_list(source: bytes, nodes: list[Node]) -> tuple[str, ...]:
    values: list[str] = []
    for node in nodes:
        if node is None:
            continue
        candidates = node.named_children if node.type in ("list", "tuple", "set") else [node]
        for item in candidates:
            value = string_value(source, item)
            if value:
                values.append(value.upper())
    return tuple(values)


def _class_based_view_method(source: bytes, function: Node) -> str | None:
    name = function_name(source, function)
    if name not in HTTP_METHODS and name not in (
        "list",
        "retrieve",
        "create",
        "update",
        "partial_update",
        "destroy",
    ):
        return None
    block = function.parent
    klass = block.parent if block is not None else None
    if klass is None or klass.type != "class_definition":
        return None
    bases = klass.child_by_field_name("superclasses")
    base_text = node_text(source, bases)
    if not any(marker in base_text for marker in ("View", "ViewSet", "Resource", "Endpoint")):
        return None
    drf_verbs = {
        "list": "get",
        "retrieve": "get",
        "create": "post",
        "update": "put",
        "partial_update": "patch",
        "destroy": "delete",
    }
    return drf_verbs.get(name, name)


def _first_parameter(source: bytes, function: Node) -> str | None:
    params = function.child_by_field_name("parameters")
    if params is None:
        return None
    for param in params.named_children:
        name_node = param if param.type == "identifier" else param.child_by_field_name("name")
        if name_node is None and param.named_children:
            name_node = param.named_children[0]
        text = node_text(source, name_node)
        if text in ("self", "cls"):
            continue
        return text
    return None


def _detail_action(source: bytes, decorator: Node) -> bool:
    """``@action(detail=True, ...)``: a ViewSet extra action on one object, whose URL is
    ``<prefix>/<pk>/<url_path>/`` even though the method takes no ``pk`` parameter."""
    expression = next((c for c in decorator.named_children if c.type != "comment"), None)
    if expression is None or expression.type != "call":
        return False
    callee = node_text(source, expression.child_by_field_name("function"))
    detail = keyword_argument(source, expression, "detail")
    return callee.rsplit(".", 1)[-1] == "action" and node_text(source, detail) == "True"


def _build(
    source: bytes,
    function: Node,
    methods: tuple[str, ...],
    route_path: str | None,
    framework: str,
) -> RouteHandler:
    handler = RouteHandler(
        function=function,
        name=function_name(source, function),
        methods=methods,
        path=route_path,
        is_async=is_async_function(function),
        framework=framework,
    )
    params = function.child_by_field_name("parameters")
    aliases = module_routing(source, function).aliases if params is not None else {}
    for param in params.named_children if params is not None else []:
        text = node_text(source, param)
        name_node = param if param.type == "identifier" else param.child_by_field_name("name")
        if name_node is None and param.named_children:
            name_node = param.named_children[0]
        name = node_text(source, name_node) or text
        if name in ("self", "cls"):
            continue
        handler.parameters.append(name)
        meaning = text + " " + aliases.get(node_text(source, param.child_by_field_name("type")), "")
        if "Depends(" in meaning or "Security(" in meaning:
            handler.dependencies.append(text)
            if any(hint in meaning.lower() for hint in _AUTH_HINTS):
                handler.auth.append(text)
    for decorator in decorators(function):
        handler.detail = handler.detail or _detail_action(source, decorator)
        text = node_text(source, decorator)
        if any(marker in text for marker in _AUTH_DECORATORS) or (
            "dependencies=" in text and any(h in text.lower() for h in _AUTH_HINTS)
        ):
            handler.auth.append(text.lstrip("@"))
    return handler
