"""Go HTTP routes from function bodies: gin, echo, chi, fiber and net/http.

Routers are local values, so prefixes are followed inside the function that
builds them: ``api := r.Group("/api")`` (gin, echo, fiber), chi's
``r.Route("/p", func(r chi.Router) {...})``, ``r.Group(func(r chi.Router) {...})``
and ``r.Mount("/p", sub)``, with ``Use(...)`` middleware as the route's
dependencies. A router passed to another function (``routes.Register(v1)``) or
mounted from a function's result (``r.Mount("/api", apiRouter())``) becomes an
``Include`` of that function with the prefix at the call, and every route
carries its enclosing function as ``router``, so ``index.routes`` joins the
prefixes across functions and files like FastAPI's ``include_router``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from backend_lsp.index.facts import Import, Include, Route, Symbol
from backend_lsp.index.golang_syntax import Bindings, chain, string_value, text

# import path prefix -> framework
_FRAMEWORKS = (
    ("github.com/gin-gonic/gin", "gin"),
    ("github.com/labstack/echo", "echo"),
    ("github.com/go-chi/chi", "chi"),
    ("github.com/gofiber/fiber", "fiber"),
    ("net/http", "net/http"),
)
_ROUTER_TYPES = frozenset(
    {
        "Engine",
        "RouterGroup",
        "IRouter",
        "IRoutes",
        "Echo",
        "Group",
        "Router",
        "Mux",
        "ServeMux",
        "App",
    }
)
_FACTORIES = frozenset({"Default", "New", "NewRouter", "NewMux", "NewServeMux"})
_VERBS = {v: v for v in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")}
_VERBS.update({v.title(): v for v in list(_VERBS)})
_VERBS.update({"Any": "ANY", "All": "ANY"})


@dataclass(slots=True)
class _Router:
    """A router value: its own prefix, where it hangs, the middleware it applies."""

    prefix: str = ""
    parent: _Router | None = None
    deps: list[str] = field(default_factory=list)

    def full(self, depth: int = 0) -> str:
        if self.parent is None or depth > 16:
            return self.prefix
        return join(self.parent.full(depth + 1), self.prefix)

    def all_deps(self, depth: int = 0) -> list[str]:
        above = self.parent.all_deps(depth + 1) if self.parent is not None and depth < 16 else []
        return [*above, *(d for d in self.deps if d not in above)]


def join(*parts: str) -> str:
    """Path parts joined with single slashes, keeping a trailing slash of the last part."""
    joined = "/".join(p.strip("/") for p in parts if p and p.strip("/"))
    last = next((p for p in reversed(parts) if p), "")
    return "/" + joined + ("/" if last.endswith("/") and joined else "")


class RouteWalker:
    """Routes and includes of one file, one top-level function at a time."""

    def __init__(self, source: bytes, imports: list[Import]) -> None:
        self.source = source
        self.frameworks: dict[str, str] = {}  # import alias -> framework
        for imp in imports:
            for prefix, name in _FRAMEWORKS:
                if imp.module == prefix or imp.module.startswith(prefix + "/"):
                    self.frameworks[imp.alias] = name
        self.framework = next(
            (f for f in self.frameworks.values() if f != "net/http"),
            "net/http" if self.frameworks else "",
        )
        self.routes: list[Route] = []
        self.includes: list[Include] = []

    def function(self, node: Node, symbol: Symbol, bindings: Bindings) -> None:
        if not self.frameworks:
            return
        self._owner = symbol.name
        self._handler_self = symbol.qualname
        self._bindings = bindings
        self._pending: list[tuple[Node, _Router, str, str, str, list[str]]] = []
        self._mounts: list[tuple[str, _Router, int]] = []
        env: dict[str, _Router] = {}
        parameters = node.child_by_field_name("parameters")
        self._bind_parameters(parameters, env, None)
        body = node.child_by_field_name("body")
        if body is not None:
            self._walk(body, env)
        for call, router, method, path, handler, deps in self._pending:
            self.routes.append(
                Route(
                    method,
                    join(router.full(), path) if path else router.full(),
                    handler,
                    self._owner,
                    call.start_point[0] + 1,
                    tuple(dict.fromkeys([*router.all_deps(), *deps])),
                    self.framework,
                )
            )
        for child, router, line in self._mounts:
            self.includes.append(Include(self._owner, child, router.full(), line))

    def _bind_parameters(
        self, parameters: Node | None, env: dict[str, _Router], router: _Router | None
    ) -> None:
        """Router-typed parameters (``rg *gin.RouterGroup``, chi's ``func(r chi.Router)``)."""
        source = self.source
        for parameter in parameters.named_children if parameters else []:
            declared = text(source, parameter.child_by_field_name("type")).lstrip("*")
            alias, _, name = declared.rpartition(".")
            if alias in self.frameworks and name in _ROUTER_TYPES:
                for param_name in parameter.children_by_field_name("name"):
                    env[text(source, param_name)] = router or _Router()

    def _router_of(self, node: Node | None, env: dict[str, _Router]) -> _Router | None:
        """The router a receiver expression is: a name, or ``r.With(mw)`` (chi)."""
        if node is None:
            return None
        if node.type == "identifier":
            return env.get(text(self.source, node))
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            if (
                function is not None
                and function.type == "selector_expression"
                and text(self.source, function.child_by_field_name("field")) == "With"
            ):
                base = self._router_of(function.child_by_field_name("operand"), env)
                if base is not None:
                    return _Router("", base, self._names(node))
        return None

    def _names(self, call: Node) -> list[str]:
        """Middleware/handler names among a call's arguments (calls by their callee)."""
        arguments = call.child_by_field_name("arguments")
        return [n for a in (arguments.named_children if arguments else []) if (n := self._name(a))]

    def _name(self, node: Node | None) -> str | None:
        """A handler or middleware expression as an index name (``ItemHandler.List``)."""
        if node is None:
            return None
        if node.type == "call_expression":
            return self._name(node.child_by_field_name("function"))
        if node.type == "func_literal":
            return self._handler_self
        if node.type == "identifier":
            return self._bindings.rewrite([text(self.source, node)])
        if node.type == "selector_expression":
            parts = chain(self.source, node)
            return self._bindings.rewrite(parts) if parts else None
        return None

    def _walk(self, node: Node, env: dict[str, _Router]) -> None:
        source = self.source
        kind = node.type
        if kind in ("short_var_declaration", "assignment_statement", "var_spec"):
            left = node.child_by_field_name("left") or node
            right = node.child_by_field_name("right") or node.child_by_field_name("value")
            names = [
                text(source, n)
                for n in (
                    left.named_children if left is not node else node.children_by_field_name("name")
                )
            ]
            values = right.named_children if right is not None else []
            for name, value in zip(names, values, strict=False):
                made = self._router_value(value, env)
                if made is not None:
                    env[name] = made
        if kind == "call_expression" and self._call(node, env):
            return
        if kind == "func_literal":
            inner = dict(env)
            self._bind_parameters(node.child_by_field_name("parameters"), inner, None)
            for child in node.children:
                self._walk(child, inner)
            return
        for child in node.children:
            self._walk(child, env)

    def _router_value(self, value: Node, env: dict[str, _Router]) -> _Router | None:
        """``gin.Default()``, ``r.Group("/api", mw)``, ``chi.NewRouter()``, or another router."""
        source = self.source
        if value.type == "identifier":
            return env.get(text(source, value))
        if value.type != "call_expression":
            return None
        function = value.child_by_field_name("function")
        if function is None or function.type != "selector_expression":
            return None
        operand = function.child_by_field_name("operand")
        method = text(source, function.child_by_field_name("field"))
        if operand is not None and operand.type == "identifier":
            alias = text(source, operand)
            if alias in self.frameworks and alias not in env and method in _FACTORIES:
                return _Router()
        base = self._router_of(operand, env)
        if base is None or method not in ("Group", "Subrouter"):
            return None
        args = self._arguments(value)
        path = self._string(args[0]) if args else None
        if path is None:
            return None
        return _Router(path, base, [n for a in args[1:] if (n := self._name(a))])

    def _arguments(self, call: Node) -> list[Node]:
        arguments = call.child_by_field_name("arguments")
        return [a for a in (arguments.named_children if arguments else []) if a.type != "comment"]

    def _string(self, node: Node | None) -> str | None:
        return string_value(self.source, node)

    def _call(self, call: Node, env: dict[str, _Router]) -> bool:
        """Handle one call; True when its arguments were walked here (closures bound)."""
        source = self.source
        function = call.child_by_field_name("function")
        args = self._arguments(call)
        if function is None:
            return False
        if function.type != "selector_expression":
            self._passes_router(call, function, args, env)
            return False
        operand = function.child_by_field_name("operand")
        method = text(source, function.child_by_field_name("field"))
        router = self._router_of(operand, env)
        if router is None and operand is not None and operand.type == "identifier":
            alias = text(source, operand)
            default_mux = self.frameworks.get(alias) == "net/http" and alias not in env
            if default_mux and method in ("HandleFunc", "Handle"):  # http.HandleFunc
                router = env.setdefault(f"{alias}.DefaultServeMux", _Router())
        if router is None:
            self._passes_router(call, function, args, env)
            return False
        first = self._string(args[0]) if args else None
        if method == "Use":
            router.deps.extend(n for a in args if (n := self._name(a)))
        elif method in _VERBS and first is not None and len(args) >= 2:
            self._route(call, router, _VERBS[method], first, args[1:])
        elif method in ("HandleFunc", "Handle") and first is not None and len(args) >= 2:
            second = self._string(args[1])
            if second is not None and first.upper() in _VERBS.values():  # gin r.Handle("GET", p, h)
                self._route(call, router, first.upper(), second, args[2:])
            else:
                verb, _, rest = first.partition(" ")
                if rest and verb.upper() in _VERBS.values():  # Go 1.22 "GET /items/{id}"
                    self._route(call, router, verb.upper(), rest.strip(), args[1:])
                elif first.startswith("/"):
                    self._route(call, router, "ANY", first, args[1:])
        elif method in ("Method", "MethodFunc") and first is not None and len(args) >= 3:
            path = self._string(args[1])
            if path is not None:
                self._route(call, router, first.upper(), path, args[2:])
        elif method in ("Route", "Group") and args and args[-1].type == "func_literal":
            prefix = first if method == "Route" and first is not None else ""
            inner_router = _Router(prefix, router)
            closure = args[-1]
            inner = dict(env)
            self._bind_parameters(closure.child_by_field_name("parameters"), inner, inner_router)
            body = closure.child_by_field_name("body")
            if body is not None:
                self._walk(body, inner)
            return True
        elif method == "Mount" and first is not None and len(args) >= 2:
            mounted = self._router_of(args[1], env)
            if mounted is not None:  # a local sub-router: it hangs here from now on
                mounted.parent, mounted.prefix = _Router(first, router), mounted.prefix
            else:
                child = self._name(args[1])
                if child is not None:
                    self._mounts.append((child, _Router(first, router), call.start_point[0] + 1))
        return False

    def _passes_router(
        self, call: Node, function: Node, args: list[Node], env: dict[str, _Router]
    ) -> None:
        """``routes.Register(v1)``: that function's routes hang under ``v1``."""
        for argument in args:
            router = self._router_value(argument, env)  # v1, or v1.Group("/orders")
            if router is not None:
                child = self._name(function)
                if child is not None:
                    self._mounts.append((child, router, call.start_point[0] + 1))
                return

    def _route(self, call: Node, router: _Router, method: str, path: str, rest: list[Node]) -> None:
        names = [n for a in rest if (n := self._name(a))]
        if not names:
            return
        # echo: e.GET(path, handler, middleware...); the others put the handler last.
        if self.framework == "echo":
            handler, deps = names[0], names[1:]
        else:
            handler, deps = names[-1], names[:-1]
        self._pending.append((call, router, method, path, handler, deps))
