"""Which functions a framework calls as views: their parameters are request data.

A module-level ``def f(request, ...)`` is a view only on evidence: a view or route
decorator, a ``path()/re_path()/url()`` route naming it (in its own file or in a
``urls.py`` of the workspace), or, where no workspace route is known at all, a module
named ``views``. Without evidence it is a helper (``save_user(request, next_page)``,
``sendfile(request, filename)``): its caller, a view, says where the data comes from,
so its other parameters are not sources on their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePath

from tree_sitter import Node

from backend_lsp.analysis.python.bindings import assignments_before, bindings_before
from backend_lsp.analysis.python.nodes import (
    call_name,
    module_bindings,
    node_text,
    string_value,
    walk,
)
from backend_lsp.analysis.taint.tables import ENUM_BASES

# Calls that route a URL to a view (Django); the view is the second argument or ``view=``.
ROUTE_CALLS = frozenset({"path", "re_path", "url"})
# Decorators (last attribute) that only make sense on a view: Django's, DRF's.
VIEW_DECORATORS = frozenset(
    {"login_required", "permission_required", "user_passes_test", "staff_member_required",
     "superuser_required", "require_http_methods", "require_GET", "require_POST",
     "require_safe", "csrf_exempt", "csrf_protect", "ensure_csrf_cookie", "requires_csrf_token",
     "never_cache", "cache_page", "cache_control", "vary_on_cookie", "vary_on_headers",
     "xframe_options_exempt", "xframe_options_deny", "xframe_options_sameorigin",
     "sensitive_post_parameters", "condition", "etag", "last_modified", "gzip_page",
     "non_atomic_requests", "permission_classes", "authentication_classes",
     "throttle_classes", "renderer_classes", "parser_classes", "re_path", "path",
     "login_not_required"}
)  # fmt: skip


# What a route pattern says of each of its parameters: True when the framework converts
# the value to a number or UUID (or its regex admits only digits) before the view runs.
RouteParams = Mapping[str, bool]
Routes = Mapping[str, RouteParams]  # by the view's last name
# Converters (Flask/Werkzeug and Django) whose value holds no caller text.
# Werkzeug's ``any(a, b)`` admits only the listed words.
TYPED_CONVERTERS = frozenset({"int", "float", "uuid", "any"})
# ``<int:pk>``, ``<name>``, Werkzeug's ``<any(a, b):kind>``.
_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
# ``(?P<year>[0-9]{4})``: a named group's pattern, read up to its closing parenthesis.
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()\\]|\\.)*)\)")
_DIGITS = re.compile(r"(?:\\d|\[0-9\])(?:[+*]|\{\d+(?:,\d*)?\})?")


def pattern_params(pattern: str) -> dict[str, bool]:
    """The parameters a route pattern captures and whether each is typed."""
    found = {name: kind in TYPED_CONVERTERS for kind, name in _CONVERTER.findall(pattern)}
    for name, group in _NAMED_GROUP.findall(pattern):
        found[name] = bool(_DIGITS.fullmatch(group))
    return found


def merge_params(patterns: Iterable[Mapping[str, bool]]) -> dict[str, bool]:
    """One view's parameters over all its routes: typed only where every route that
    captures the parameter converts it (a route that does not capture it passes a default)."""
    merged: dict[str, bool] = {}
    for params in patterns:
        for name, typed in params.items():
            merged[name] = merged.get(name, True) and typed
    return merged


def routed_names(source: bytes, root: Node) -> Routes:
    """The views the file's route calls name, by last name (``views.download`` ->
    download), with what their patterns say of the parameters."""
    found: dict[str, list[dict[str, bool]]] = {}
    for node in walk(root):
        if node.type != "call":
            continue
        if call_name(source, node).rsplit(".", 1)[-1] not in ROUTE_CALLS:
            continue
        arguments = node.child_by_field_name("arguments")
        if arguments is None:
            continue
        positional = [a for a in arguments.named_children if a.type != "keyword_argument"]
        view = positional[1] if len(positional) > 1 else None
        for arg in arguments.named_children:
            if (
                arg.type == "keyword_argument"
                and node_text(source, arg.child_by_field_name("name")) == "view"
            ):
                view = arg.child_by_field_name("value")
        if view is not None and view.type in ("identifier", "attribute"):
            pattern = string_value(source, positional[0]) if positional else None
            found.setdefault(node_text(source, view).rsplit(".", 1)[-1], []).append(
                pattern_params(pattern or "")
            )
    return {name: merge_params(patterns) for name, patterns in found.items()}


def merge_routes(files: Iterable[Routes]) -> Routes:
    """The routes of several files: a view named in two is typed only where both agree."""
    found: dict[str, list[RouteParams]] = {}
    for routes in files:
        for name, params in routes.items():
            found.setdefault(name, []).append(params)
    return {name: merge_params(patterns) for name, patterns in found.items()}


def decorator_params(source: bytes, decorators: Iterable[Node]) -> dict[str, bool]:
    """What a Flask-style route decorator's pattern (``@app.route("/<int:id>")``) says
    of the view's parameters; decorators without a pattern string say nothing."""
    patterns: list[dict[str, bool]] = []
    for decorator in decorators:
        call = decorator.named_children[0] if decorator.named_children else None
        if call is None or call.type != "call":
            continue
        arguments = call.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        pattern = string_value(source, first) if first is not None else None
        if pattern:
            patterns.append(pattern_params(pattern))
    return merge_params(patterns)


def decorator_name(source: bytes, decorator: Node) -> str:
    """A decorator's last name: ``@bp.route("/x")`` -> route, ``@login_required`` -> itself."""
    return node_text(source, decorator).lstrip("@").split("(", 1)[0].rsplit(".", 1)[-1]


def views_module(path: str) -> bool:
    """``app/views.py`` or a module of a ``views`` package: where Django puts its views."""
    parts = PurePath(path).parts
    return bool(parts) and (parts[-1] == "views.py" or "views" in parts[:-1])


def enum_classes(
    source: bytes, root: Node, known: Callable[[str], bool] = lambda _: False
) -> frozenset[str]:
    """Top-level classes deriving from an Enum, directly, through another of the file's
    enums, or through a base ``known`` says is one (an imported enum)."""
    classes: dict[str, list[str]] = {}
    for node in root.named_children:
        if node.type == "decorated_definition":
            node = node.child_by_field_name("definition") or node
        if node.type != "class_definition":
            continue
        bases = node.child_by_field_name("superclasses")
        classes[node_text(source, node.child_by_field_name("name"))] = [
            node_text(source, b).rsplit(".", 1)[-1]
            for b in (bases.named_children if bases is not None else ())
            if b.type in ("identifier", "attribute")
        ]
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, parents in classes.items():
            if name not in found and any(
                b in ENUM_BASES or b in found or (b not in classes and known(b)) for b in parents
            ):
                found.add(name)
                changed = True
    return frozenset(found)


# Route decorators whose function's ``str`` return value Flask/Quart send as ``text/html``
# (DRF's ``api_view``/``action`` return a ``Response``; FastAPI's default is JSON).
HTML_ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete"})
HTML_FRAMEWORKS = ("flask", "quart")
JSON_FRAMEWORKS = ("fastapi", "starlette")


def serves_html(
    source: bytes, decorators: Iterable[Node], qualified: Callable[[str], str], frameworks: set[str]
) -> bool:
    """Is a ``str`` the route returns sent as an HTML page: a Flask/Quart route (the file
    imports one of them and no JSON-first framework), or any route declaring
    ``response_class=HTMLResponse``."""
    routes = [d for d in decorators if decorator_name(source, d) in HTML_ROUTE_DECORATORS]
    for decorator in routes:
        call = decorator.named_children[0] if decorator.named_children else None
        arguments = call.child_by_field_name("arguments") if call is not None else None
        for arg in arguments.named_children if arguments is not None else ():
            if (
                arg.type == "keyword_argument"
                and node_text(source, arg.child_by_field_name("name")) == "response_class"
            ):
                value = node_text(source, arg.child_by_field_name("value"))
                return qualified(value).endswith("HTMLResponse")
    return (
        bool(routes)
        and bool(frameworks & set(HTML_FRAMEWORKS))
        and not (frameworks & set(JSON_FRAMEWORKS))
    )


def built_string(source: bytes, value: Node) -> Node | None:
    """The body of a view's return value when it is assembled as a string (an f-string,
    ``+``/``%`` with a literal, ``"...".format()``/``"".join()``, or a name last assigned
    one; the first item of a ``(body, status)`` tuple), or None: a dict, a call's result
    or a bare request value may be JSON."""
    if value.type in ("tuple", "expression_list") and value.named_children:
        value = value.named_children[0]
    while value.type == "parenthesized_expression" and value.named_children:
        value = value.named_children[0]
    if value.type == "identifier":  # ``html = f"<ul>"`` ... ``html += ...`` ... ``return html``
        last, _ = assignments_before(source, node_text(source, value), value)
        right = last.child_by_field_name("right") if last is not None else None
        return value if right is not None and _string_shaped(source, right) else None
    return value if _string_shaped(source, value) else None


def _string_shaped(source: bytes, node: Node) -> bool:
    if node.type in ("string", "concatenated_string"):
        return True
    if node.type == "parenthesized_expression" and node.named_children:
        return _string_shaped(source, node.named_children[0])
    if node.type == "binary_operator":
        operator = node_text(source, node.child_by_field_name("operator"))
        sides = (node.child_by_field_name("left"), node.child_by_field_name("right"))
        return operator in ("+", "%") and any(
            side is not None and _string_shaped(source, side) for side in sides
        )
    if node.type == "call":
        function = node.child_by_field_name("function")
        if function is not None and function.type == "attribute":
            receiver = function.child_by_field_name("object")
            method = node_text(source, function.child_by_field_name("attribute"))
            return (
                method in ("format", "join")
                and receiver is not None
                and (
                    receiver.type in ("string", "concatenated_string")
                    or _names_a_string(source, receiver)
                )
            )
    return False


def _names_a_string(source: bytes, node: Node) -> bool:
    """``PAGE.format(...)`` with ``PAGE = "<html>..."`` assigned before: a template kept in a
    name (a module constant, or a local)."""
    if node.type != "identifier":
        return False
    name = node_text(source, node)
    local = bindings_before(source, name, node)
    if local:
        value = local[-1].value
    else:  # not bound in the function: the module's constant, if it is one
        root = node
        while root.parent is not None:
            root = root.parent
        assignment = module_bindings(source, root).get(name)
        value = assignment.child_by_field_name("right") if assignment is not None else None
    return value is not None and value.type in ("string", "concatenated_string")
