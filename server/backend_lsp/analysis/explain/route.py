"""Hover for a route handler: what request it answers and what it does with it."""

from __future__ import annotations

from pathlib import PurePath

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.explain.access import database_access
from backend_lsp.analysis.explain.markdown import code, findings_section, join_codes, overlapping
from backend_lsp.analysis.explain.params import classify_parameters, request_reads
from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.python.nodes import (
    decorators,
    keyword_argument,
    node_text,
    statement_assignment,
    walk,
)
from backend_lsp.analysis.python.routes import RouteHandler, module_routing, route_for_function

_FRAMEWORKS = {"fastapi": "FastAPI", "flask": "Flask", "django": "Django", "drf": "Django REST"}
_CLASS_AUTH = (
    "LoginRequiredMixin",
    "PermissionRequiredMixin",
    "UserPassesTestMixin",
    "IsAuthenticated",
    "IsAdminUser",
    "DjangoModelPermissions",
    "login_required",
    "permission_required",
)
_ALLOW_ANY = ("AllowAny",)


def handler_at(ctx: AnalysisContext, node: Node) -> Node | None:
    """The function whose decorator, ``def`` line or name is under ``node``."""
    current: Node | None = node
    while current is not None:
        if current.type == "decorator":
            definition = current.parent
            inner = definition.child_by_field_name("definition") if definition else None
            return inner if inner is not None and inner.type == "function_definition" else None
        if current.type == "function_definition":
            body = current.child_by_field_name("body")
            if body is not None and node.start_byte >= body.start_byte:
                return None
            return current
        if current.type in ("block", "class_definition", "module"):
            return None
        current = current.parent
    return None


def explain_route(
    ctx: AnalysisContext, function: Node, findings: list[Finding], dialect: str | None
) -> str | None:
    source = ctx.source
    views = (
        PurePath(ctx.path).stem in ("views", "api", "viewsets")
        or "views" in PurePath(ctx.path).parts
    )
    handler = route_for_function(source, function, views_module=views)
    if handler is None:
        return None
    lines = [_heading(handler, _owner_class(source, function))]
    lines.extend(_parameters(ctx, handler))
    deps = [d for d in handler.dependencies if d not in handler.auth]
    deps.extend(_decorator_dependencies(source, function))
    if deps:
        lines.append(f"- Dependencies: {join_codes(deps)}")
    auth = list(handler.auth) + _class_auth(source, function)
    if any(marker in a for a in auth for marker in _ALLOW_ANY):
        lines.append(f"- Auth: public ({join_codes(auth)})")
    elif auth:
        lines.append(f"- Auth: {join_codes(auth)}")
    else:
        lines.append("- Auth: none detected on this handler")
    body = function.child_by_field_name("body")
    if body is not None:
        access = database_access(source, body, handler.framework, dialect)
        if access.empty:
            lines.append("- Database: no access found in the body")
        else:
            if access.sql:
                lines.append(f"- SQL: {join_codes(access.sql)}")
            for summary in access.orm[:4]:
                lines.append(f"- ORM: {summary}")
            if access.calls:
                lines.append(f"- DB calls: {join_codes(access.calls)}")
    lines.extend(_response(ctx, function))
    outer = (
        function.parent
        if function.parent and function.parent.type == ("decorated_definition")
        else function
    )
    lines.extend(findings_section(overlapping(findings, outer.start_byte, outer.end_byte)))
    return "\n".join(lines)


def _owner_class(source: bytes, function: Node) -> str | None:
    holder = function.parent
    if holder is not None and holder.type == "decorated_definition":
        holder = holder.parent
    klass = holder.parent if holder is not None and holder.type == "block" else None
    if klass is None or klass.type != "class_definition":
        return None
    return node_text(source, klass.child_by_field_name("name")) or None


def _heading(handler: RouteHandler, owner: str | None) -> str:
    methods = "|".join(handler.methods) if handler.methods else "ANY"
    path = handler.path if handler.path is not None else "(path set in urls/router)"
    framework = _FRAMEWORKS.get(handler.framework, handler.framework)
    flavour = "async " if handler.is_async else ""
    return (
        f"**Route** {code(f'{methods} {path}')} · {framework} · {flavour}handler `{handler.name}`"
    )


def _parameters(ctx: AnalysisContext, handler: RouteHandler) -> list[str]:
    source = ctx.source
    enums = _enum_classes(ctx)
    aliases = module_routing(source, handler.function).aliases
    params = classify_parameters(source, handler.function, handler.path, enums, aliases)
    groups: dict[str, list[str]] = {}
    for param in params:
        if param.kind in ("dependency", "injected"):
            continue
        groups.setdefault(param.kind, []).append(param.text)
    body = handler.function.child_by_field_name("body")
    if body is not None and handler.framework != "fastapi":
        query, payload = request_reads(source, body)
        groups.setdefault("query", []).extend(query)
        groups.setdefault("body", []).extend(payload)
    lines = []
    for kind, label in (
        ("path", "Path params"),
        ("query", "Query params"),
        ("body", "Body"),
        ("form", "Form fields"),
        ("file", "Files"),
        ("header", "Headers"),
        ("cookie", "Cookies"),
    ):
        if groups.get(kind):
            lines.append(f"- {label}: {join_codes(groups[kind])}")
    if not lines:
        lines.append("- Parameters: none")
    return lines


def _enum_classes(ctx: AnalysisContext) -> set[str]:
    """Module-level classes deriving from an Enum (they are query params, not bodies)."""
    root = ctx.root
    names: set[str] = set()
    if root is None:
        return names
    for child in root.named_children:
        klass = (
            child.child_by_field_name("definition")
            if child.type == ("decorated_definition")
            else child
        )
        if klass is None or klass.type != "class_definition":
            continue
        bases = node_text(ctx.source, klass.child_by_field_name("superclasses"))
        if "Enum" in bases or "Choices" in bases:
            names.add(node_text(ctx.source, klass.child_by_field_name("name")))
    return names


def _decorator_dependencies(source: bytes, function: Node) -> list[str]:
    deps: list[str] = []
    for decorator in decorators(function):
        expression = decorator.named_children[0] if decorator.named_children else None
        if expression is None or expression.type != "call":
            continue
        value = keyword_argument(source, expression, "dependencies")
        if value is not None:
            deps.extend(node_text(source, item) for item in value.named_children)
    return deps


def _class_auth(source: bytes, function: Node) -> list[str]:
    """Auth declared on the enclosing class (mixins, permission_classes, decorators)."""
    block = function.parent
    if block is not None and block.type == "decorated_definition":
        block = block.parent
    klass = block.parent if block is not None else None
    if klass is None or klass.type != "class_definition":
        return []
    found: list[str] = []
    bases = klass.child_by_field_name("superclasses")
    for base in bases.named_children if bases is not None else []:
        text = node_text(source, base)
        if any(marker in text for marker in _CLASS_AUTH):
            found.append(text)
    body = klass.child_by_field_name("body")
    for statement in body.named_children if body is not None else []:
        assignment = statement_assignment(statement)
        if assignment is None:
            continue
        left = assignment.child_by_field_name("left")
        if node_text(source, left) in (
            "permission_classes",
            "authentication_classes",
            "permission_required",
        ):
            found.append(node_text(source, assignment))
    for decorator in decorators(klass):
        text = node_text(source, decorator)
        if any(marker in text for marker in _CLASS_AUTH):
            found.append(text.lstrip("@"))
    return found


def _response(ctx: AnalysisContext, function: Node) -> list[str]:
    source = ctx.source
    parts: list[str] = []
    for decorator in decorators(function):
        expression = decorator.named_children[0] if decorator.named_children else None
        if expression is None or expression.type != "call":
            continue
        for key, label in (
            ("response_model", "model"),
            ("status_code", "status"),
            ("response_class", "class"),
        ):
            value = keyword_argument(source, expression, key)
            if value is not None:
                parts.append(f"{label} {code(node_text(source, value))}")
    returns = function.child_by_field_name("return_type")
    if returns is not None and not any(p.startswith("model ") for p in parts):
        parts.append(f"returns {code(node_text(source, returns))}")
    raised = _raised_statuses(source, function)
    if raised:
        parts.append(f"raises {join_codes(raised, 4)}")
    return [f"- Response: {', '.join(parts)}"] if parts else []


def _raised_statuses(source: bytes, function: Node) -> list[str]:
    """``raise HTTPException(status_code=404)`` / ``abort(404)`` / ``Http404``."""
    body = function.child_by_field_name("body")
    found: list[str] = []
    for node in walk(body) if body is not None else []:
        if node.type == "raise_statement" and node.named_children:
            raised = node.named_children[0]
            if raised.type == "call":
                status = keyword_argument(source, raised, "status_code")
                args = raised.child_by_field_name("arguments")
                first = args.named_children[0] if args and args.named_children else None
                chosen = status or (
                    first if first is not None and first.type != ("keyword_argument") else None
                )
                if chosen is not None:
                    found.append(node_text(source, chosen))
            elif raised.type == "identifier" and node_text(source, raised) == "Http404":
                found.append("404")
        elif node.type == "call" and node_text(source, node.child_by_field_name("function")) in (
            "abort",
            "flask.abort",
        ):
            args = node.child_by_field_name("arguments")
            if args is not None and args.named_children:
                found.append(node_text(source, args.named_children[0]))
    return list(dict.fromkeys(found))
