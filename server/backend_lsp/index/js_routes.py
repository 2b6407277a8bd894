"""JavaScript/TypeScript HTTP routes: Express routers and NestJS controllers.

Express: a router is a value made by ``express()``, ``express.Router()`` or
``Router()`` (or a parameter typed ``Router``/``Express``/``Application``, or
named ``app``/``router``). ``r.get('/p', mw, handler)``, ``r.route('/p').get(h)
.post(h2)`` and ``r.use(mw)`` are read per router; ``r.use('/p', child)``
mounts a router of the same scope under a prefix, and mounting an imported
router (or a function's result, ``r.use('/p', makeRouter())``) becomes an
``Include``; whether ``r.use([path,] x)`` mounts or applies middleware is told
by what ``x`` resolves to (a router value or a function making one), not by
its name, so each imported ``x`` is recorded both ways and ``index.routes``
keeps one. An include lets ``index.routes`` join the prefixes across files
like FastAPI's ``include_router``. Middleware is kept in the order Express runs it:
a route gets the ``use`` middleware registered on its router before it (a
``use('/p', mw)`` only under ``/p``), then the ``all`` middleware of its
``r.route('/p').all(mw).get(h)`` chain and its own leading handlers; a mount
records what its parent applied before it (and its own leading handlers,
``app.use('/admin', requireAuth, adminRouter)``), so routes mounted from
another file inherit it through ``index.routes``. A router made inside a function hangs off that
function's name (the Go walker does the same). An inline handler becomes a
function symbol named after its route (``GET /:id``) so it has a body to rank.

Fastify: a plugin is a function taking the instance; ``register(plugin, {
prefix })`` mounts it (``register(import('./routes/users.js'))`` too). A plugin
wrapped in ``fp(...)`` (fastify-plugin, ``PLUGIN_WRAPPERS``) runs in its
parent's context, as Fastify documents: the ``prefix`` it is registered with is
ignored (``UNENCAPSULATED``), and the hooks it adds (``PLUGIN_HOOK``) apply to
the parent's routes registered after it, so each ``register`` is also recorded
as a candidate dependency (``REGISTERS``) that ``index.routes`` replaces by
those hooks or drops.

NestJS: ``@Controller('items')`` gives the class's prefix (kept in
``routers``), ``@Get(':id')``/``@Post()``... on a method its route, with
``@UseGuards`` (class and method) as dependencies. ``@Module`` imports and
controllers are includes of their module, and ``app.setGlobalPrefix('api')``
after ``NestFactory.create(AppModule)`` mounts the root module under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from backend_lsp.index.facts import Include, Relation, Route, Symbol
from backend_lsp.index.golang_routes import join
from backend_lsp.index.js_syntax import (
    Decorator,
    arguments,
    call_expressions,
    chain,
    object_entries,
    string_value,
    text,
)

_VERBS = {v.lower(): v for v in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")}
_VERBS["all"] = "ANY"
_NEST_VERBS = {v.title(): v for v in _VERBS.values() if v != "ANY"} | {"All": "ANY"}
# The module an app/router maker is imported from -> the framework its routes belong to.
HTTP_MODULES = {
    "express": "express",
    "fastify": "fastify",
    "koa": "koa",
    "@koa/router": "koa",
    "koa-router": "koa",
}
# The module of a wrapper whose plugin runs in its parent's context -> the framework:
# ``fp(plugin)`` (fastify-plugin) sets ``skip-override``, so ``register``'s ``prefix`` is
# ignored and the plugin's hooks apply to its parent's routes registered after it.
PLUGIN_WRAPPERS = {"fastify-plugin": "fastify"}
# The module of a function that mounts an app under a path -> the framework:
# ``app.use(mount('/admin', adminApp))`` (koa-mount) is ``use('/admin', adminApp)``.
MOUNTERS = {"koa-mount": "koa"}
UNENCAPSULATED = "unencapsulated"  # Relation kind: a plugin ``fp`` wraps (owner: its name)
PLUGIN_HOOK = "plugin_hook"  # Relation kind: a hook such a plugin adds (target: the hook)
# Relation kind: ``parent.register(child)``, target "parent child" (a plugin, not middleware;
# owned by no symbol: plumbing, not a link the context should follow)
REGISTERS = "registers"
# Relation kind: ``fastify.decorate('authenticate', fn)``, target "authenticate fn" (owned by
# no symbol); a route's ``{ onRequest: [fastify.authenticate] }`` names it by the member
DECORATES = "decorates"
# Frameworks whose routers keep Express's model: verbs, ``use`` middleware, mounts.
ROUTER_FRAMEWORKS = frozenset(HTTP_MODULES.values())
_ROUTER_TYPES = {
    "Router": "express",
    "Express": "express",
    "Application": "express",
    "express.Router": "express",
    "IRouter": "express",
    "FastifyInstance": "fastify",
}
_ROUTER_PARAMETERS = {"app": "express", "router": "express", "fastify": "fastify"}
# Fastify route options holding hooks that run before the handler, in the order it runs them.
_FASTIFY_HOOKS = ("onRequest", "preParsing", "preValidation", "preHandler")
_FUNCTIONS = ("arrow_function", "function_expression", "function_declaration", "method_definition")


@dataclass(slots=True)
class _Router:
    key: str  # what Route.router / Include.parent name: the variable, or its function
    framework: str = "express"
    prefix: str = ""
    deps: list[tuple[str, str]] = field(default_factory=list)  # (path scope, middleware)
    inherited: list[str] = field(default_factory=list)  # from a same-scope parent's mount

    def applied(self, path: str) -> list[str]:
        """Middleware registered so far that runs for ``path`` (router-local)."""
        return [*self.inherited, *(name for scope, name in self.deps if _under(path, scope))]


def _under(path: str, scope: str) -> bool:
    """Express matches a ``use`` path by whole segments: ``/admin`` covers ``/admin/x``."""
    scope = scope.rstrip("/")
    return not scope or path == scope or path.startswith(scope + "/")


class ExpressWalker:
    """Routes, includes and inline handlers of one file's Express code."""

    def __init__(
        self,
        source: bytes,
        makers: dict[str, str],
        router_names: set[str],
        wrappers: dict[str, str] | None = None,
        mounters: dict[str, str] | None = None,
    ) -> None:
        self.source = source
        self.makers = makers  # names that make apps/routers (express, Router) -> framework
        self.wrappers = wrappers or {}  # names of PLUGIN_WRAPPERS (fp) -> framework
        self.mounters = mounters or {}  # names of MOUNTERS (koa-mount) -> framework
        self.express = set(makers) | set(self.wrappers) | set(self.mounters)
        self.known = router_names  # imported names that are routers elsewhere
        self.routes: list[Route] = []
        self.includes: list[Include] = []
        self.routers: dict[str, str] = {}
        self.handlers: list[tuple[Node, Symbol]] = []
        self.relations: list[Relation] = []
        self.default: str | None = None  # ``export default fp(...)``: the plugin's name
        self._wrapped: dict[int, str] = {}  # start byte of a function ``fp`` wraps -> framework
        self._fastify: set[str] = set()  # names a Fastify instance is bound to (decorators)
        # routes and mounts are finished after the walk (a same-scope mount below a route
        # still moves its prefix), with the middleware that applied when they were made
        self._pending: list[tuple[Node, _Router, str, str, list[Node], list[str]]] = []
        self._mounts: list[tuple[_Router, str, str, int, list[str]]] = []

    def run(self, root: Node) -> None:
        self._walk(root, {}, None)
        for call, router, method, path, handlers, deps in self._pending:
            full = join(router.prefix, path) if router.prefix else path
            deps = [*router.inherited, *deps]
            self._route(call, router, method, "" if full == "/" else full, handlers, deps)
        for router, child, prefix, line, deps in self._mounts:
            deps = list(dict.fromkeys([*router.inherited, *deps]))
            full = join(router.prefix, prefix)
            self.includes.append(Include(router.key, child, full, line, tuple(deps)))

    def _walk(self, node: Node, env: dict[str, _Router], owner: str | None) -> None:
        kind = node.type
        if kind in _FUNCTIONS:
            inner = dict(env)
            name = owner or self._function_name(node) or self._anonymous_default(node)
            self._parameters(node, inner, name)
            for child in node.children:
                self._walk(child, inner, name)
            return
        if kind == "variable_declarator":
            name_node = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            framework = self._makes(value)
            if name_node is not None and name_node.type == "identifier" and framework:
                name = text(self.source, name_node)
                env[name] = _Router(owner or name, framework)
                if env[name].framework == "fastify":
                    self._fastify.add(name)
                self.routers.setdefault(owner or name, self._own_prefix(value))
        elif kind == "call_expression":
            if self._plugin(node, env):
                return
            self._call(node, env)
        for child in node.children:
            self._walk(child, env, owner)

    def _anonymous_default(self, function: Node) -> str | None:
        """``module.exports = async function (fastify) {...}`` (or ``export default``):
        a plugin without a name is the module's ``default``, a symbol of its own."""
        if not _exported(self.source, function.parent):
            return None
        head = text(self.source, function).split("\n", 1)[0]
        lines = (function.start_point[0] + 1, function.end_point[0] + 1)
        self.handlers.append((function, Symbol("default", "function", None, *lines, head)))
        self.default = "default"
        return "default"

    def _plugin(self, call: Node, env: dict[str, _Router]) -> bool:
        """``fp(async (fastify) => {...}, { name })``: the wrapped function is walked as a
        plugin of its framework, named by what holds it (``const p = fp(...)``), else its
        own name, else ``default`` when it is the module's default export; True when
        walked. ``fp(auditRoutes)`` marks that function (declared elsewhere) likewise."""
        function = call.child_by_field_name("function")
        framework = self.wrappers.get(text(self.source, function)) if function else None
        args = arguments(call)
        if framework is None or not args:
            return False
        plugin = args[0]
        holder = call.parent
        if holder is not None and holder.type == "await_expression":
            holder = holder.parent
        exported = _exported(self.source, holder)
        if plugin.type == "identifier":
            name = text(self.source, plugin)
        else:
            declared = holder.child_by_field_name("name") if holder is not None else None
            own = plugin.child_by_field_name("name")
            name = text(self.source, declared or own) if (declared or own) else ""
            name = name or ("default" if exported else "")
            if not name or plugin.type not in _FUNCTIONS:
                return False
            if declared is None:  # no definition holds it: the function is one
                head = text(self.source, call).split("\n", 1)[0]
                lines = (plugin.start_point[0] + 1, plugin.end_point[0] + 1)
                self.handlers.append((plugin, Symbol(name, "function", None, *lines, head)))
            self._wrapped[plugin.start_byte] = framework
            self._walk(plugin, env, name)
        if exported:
            self.default = name
        self.relations.append(Relation(name, UNENCAPSULATED, framework))
        return True

    def _function_name(self, node: Node) -> str | None:
        name = node.child_by_field_name("name")
        if name is None and node.parent is not None and node.parent.type == "variable_declarator":
            name = node.parent.child_by_field_name("name")
        return text(self.source, name) if name is not None else None

    def _parameters(self, function: Node, env: dict[str, _Router], owner: str | None) -> None:
        if owner is None:
            return
        parameters = function.child_by_field_name("parameters")
        wrapped = self._wrapped.get(function.start_byte)
        for index, parameter in enumerate(parameters.named_children if parameters else []):
            pattern = parameter.child_by_field_name("pattern") or parameter
            if pattern.type != "identifier":
                continue
            name = text(self.source, pattern)
            if wrapped is not None and index == 0:  # fp's plugin: its instance, by position
                env[name] = _Router(owner, wrapped)
                if env[name].framework == "fastify":
                    self._fastify.add(name)
                self.routers.setdefault(owner, "")
                continue
            annotation = parameter.child_by_field_name("type")
            declared = text(self.source, annotation).lstrip(":").strip() if annotation else ""
            framework = self.makers.get(declared) if declared in _ROUTER_TYPES else None
            framework = framework or _ROUTER_TYPES.get(declared)
            if framework is None and not declared:
                framework = _ROUTER_PARAMETERS.get(name)
            if framework is not None:
                env[name] = _Router(owner, framework)
                if env[name].framework == "fastify":
                    self._fastify.add(name)
                self.routers.setdefault(owner, "")

    def _makes(self, value: Node | None) -> str | None:
        """The framework of ``express()``, ``express.Router()``, ``Router()``,
        ``new Router()`` (``@koa/router``), ``new Koa()``, ``Fastify()``; None otherwise."""
        if value is None or value.type not in ("call_expression", "new_expression"):
            return None
        callee = value.child_by_field_name(
            "function" if value.type == "call_expression" else "constructor"
        )
        inner = callee.child_by_field_name("function") if callee is not None else None
        if callee is not None and inner is not None and text(self.source, inner) == "require":
            return self.makers.get(require_alias(callee))  # require('fastify')({ logger })
        parts = chain(self.source, callee)
        if not parts or parts[0] not in self.makers:
            return None
        return self.makers[parts[0]] if len(parts) == 1 or parts[-1] == "Router" else None

    def _own_prefix(self, value: Node | None) -> str:
        """``new Router({ prefix: '/items' })`` (Koa): the router's own prefix."""
        args = arguments(value) if value is not None else []
        entries = object_entries(self.source, args[0]) if args else {}
        found = string_value(self.source, entries["prefix"]) if "prefix" in entries else None
        return found or ""

    def _call(self, call: Node, env: dict[str, _Router]) -> None:
        source = self.source
        function = call.child_by_field_name("function")
        if function is None:
            return
        if function.type != "member_expression" or text(
            source, function.child_by_field_name("property")
        ) not in (*_VERBS, "use", "route", "register", "addHook", "decorate"):
            self._passes_router(call, function, env)
            if function.type != "member_expression":
                return
        prop = text(source, function.child_by_field_name("property"))
        base = function.child_by_field_name("object")
        args = arguments(call)
        if prop in _VERBS:
            found = self._route_base(base, env)
            if found is not None:  # r.route('/p').get(h)
                owner, at, chained = found
                if prop == "all" and self._chained_verb(call):
                    return  # middleware of the verbs chained after it
                deps = [*owner.applied(at), *chained, *self._middleware(args[:-1])]
                self._pending.append((call, owner, _VERBS[prop], at, args, deps))
                return
            router = self._router(self._chain_root(base), env)
            path = string_value(source, args[0]) if args else None
            if router is not None and path is not None and len(args) >= 2:
                deps = [*router.applied(path), *self._middleware(args[1:-1])]
                self._pending.append((call, router, _VERBS[prop], path, args[1:], deps))
        elif prop == "route" and args and args[0].type == "object":
            self._fastify_route(call, base, args[0], env)
        elif prop == "register":  # fastify.register(plugin, { prefix: '/items' })
            router = self._router(base, env)
            name = self._name(args[0]) if args else None
            if router is None or name is None:
                return
            options = object_entries(source, args[1]) if len(args) > 1 else {}
            prefix = string_value(source, options["prefix"]) if "prefix" in options else None
            line = call.start_point[0] + 1
            applied = router.applied(prefix or "/")
            child = name.removesuffix("()")
            self._mounts.append((router, child, prefix or "", line, applied))
            # an ``fp`` plugin's hooks apply to what is registered after it here; which
            # plugin is one is known once imports resolve (``index.routes`` drops the rest)
            router.deps.append(("", child))
            self.relations.append(Relation("", REGISTERS, f"{router.key} {child}"))
        elif prop == "decorate":  # fastify.decorate('authenticate', verifySession)
            self._decorate(call, self._router(base, env), args)
        elif prop == "addHook":  # fastify.addHook('preHandler', authenticate)
            router = self._router(base, env)
            hook = string_value(source, args[0]) if args else None
            if router is not None and hook in _FASTIFY_HOOKS:
                hooks = self._middleware(args[1:])
                router.deps += [("", name) for name in hooks]
                self.relations += [Relation(router.key, PLUGIN_HOOK, h) for h in hooks]
        elif prop == "use":
            router = self._router(base, env)
            if router is None:
                return
            prefix = string_value(source, args[0]) if args else None
            rest = _flat(args[1:] if prefix is not None else args)
            for argument in rest:
                self._use(call, router, prefix or "", argument, env)

    def _passes_router(self, call: Node, function: Node, env: dict[str, _Router]) -> None:
        """``mountAuthors(app)``: that function's routes hang under ``app``."""
        for argument in arguments(call):
            if argument.type == "identifier" and text(self.source, argument) in env:
                name = self._name(function)
                head = name.split(".")[0] if name else ""
                if name is not None and head in self.known and head not in self.express:
                    router = env[text(self.source, argument)]
                    line = call.start_point[0] + 1
                    self._mounts.append((router, name, "", line, router.applied("/")))
                return

    def _use(
        self,
        call: Node,
        router: _Router,
        prefix: str,
        argument: Node,
        env: dict[str, _Router],
    ) -> None:
        """One handler of ``r.use([prefix,] ...handlers)``: a router of this file mounted,
        else a mount and a middleware (for what is registered after it) to choose from."""
        source = self.source
        line = call.start_point[0] + 1
        mounted = (
            argument.child_by_field_name("function") if argument.type == "call_expression" else None
        )
        if mounted is not None and text(source, mounted) in self.mounters:
            inner = arguments(argument)  # mount('/admin', adminApp): use('/admin', adminApp)
            path = string_value(source, inner[0]) if inner else None
            for app in inner[1:] if path is not None else inner[:1]:
                self._use(call, router, join(prefix, path or ""), app, env)
            return
        if argument.type == "identifier" and text(source, argument) in env:
            child = env[text(source, argument)]
            applied = router.applied(prefix or "/")
            if child.key == router.key:  # same scope: it hangs here from now on
                child.prefix = join(router.prefix, prefix, child.prefix)
                child.inherited = [*applied, *child.inherited]
            else:
                self._mounts.append((router, child.key, prefix, line, applied))
            return
        name = self._name(argument)
        if name is None:
            return
        head = name.split(".")[0].removesuffix("()")
        if head in self.express or head not in self.known:
            return  # express.json(), inline functions, what this file does not name
        name = name.removesuffix("()")
        # What ``x`` is decides, not its name: an imported ``Router()`` value (or a
        # function that makes one) is mounted, anything else is middleware for what is
        # registered after it (under ``prefix``). That is known once imports resolve, so
        # both are recorded: ``index.routes`` keeps the mount of a router (and drops it
        # from the middleware), and drops the mount of anything else.
        self._mounts.append((router, name, prefix, line, router.applied(prefix or "/")))
        router.deps.append((prefix, name))

    def _fastify_route(
        self, call: Node, base: Node | None, options: Node, env: dict[str, _Router]
    ) -> None:
        """``fastify.route({ method, url, preHandler: [auth], handler })``."""
        router = self._router(base, env)
        entries = object_entries(self.source, options)
        url = entries.get("url") or entries.get("path")
        path = string_value(self.source, url) if url is not None else None
        handler = entries.get("handler")
        method = entries.get("method")
        if router is None or path is None or handler is None or method is None:
            return
        methods = method.named_children if method.type == "array" else [method]
        deps = [*router.applied(path), *self._middleware([options])]
        for item in methods:
            verb = (string_value(self.source, item) or "").lower()
            if verb in _VERBS:
                self._pending.append((call, router, _VERBS[verb], path, [handler], deps))

    def _decorate(self, call: Node, router: _Router | None, args: list[Node]) -> None:
        """A decorator a route may name as a hook: its function, or an inline one as a
        symbol ``decorate <name>`` (a body to rank, as inline route handlers are)."""
        name = string_value(self.source, args[0]) if args else None
        if router is None or router.framework != "fastify" or name is None or len(args) < 2:
            return
        value = args[1]
        if value.type in ("arrow_function", "function_expression"):
            function = f"decorate {name}"
            head = text(self.source, call).split("\n", 1)[0]
            lines = (value.start_point[0] + 1, value.end_point[0] + 1)
            self.handlers.append((value, Symbol(function, "function", None, *lines, head)))
        else:
            found = self._name(value)
            if found is None or found.split(".")[0] not in self.known:
                return
            function = found
        self.relations.append(Relation("", DECORATES, f"{name} {function}"))

    def _middleware(self, handlers: list[Node]) -> list[str]:
        """Names of a route's leading handlers this file knows (``requireRole('admin')``
        is ``requireRole``); arrays are flattened as Express does, and a Fastify route
        options object gives its hooks (``{ preHandler: [auth] }``)."""
        found = []
        for handler in _flat(handlers):
            if handler.type == "object":
                hooks = object_entries(self.source, handler)
                found += self._middleware([hooks[h] for h in _FASTIFY_HOOKS if h in hooks])
                continue
            name = self._name(handler)
            head = name.split(".")[0].removesuffix("()") if name else ""
            if name and (head in self.known or (head in self._fastify and "." in name)):
                found.append(name.removesuffix("()"))  # fastify.authenticate: a decorator
        return found

    def _router(self, node: Node | None, env: dict[str, _Router]) -> _Router | None:
        if node is not None and node.type == "identifier":
            return env.get(text(self.source, node))
        return None

    def _route_base(
        self, node: Node | None, env: dict[str, _Router]
    ) -> tuple[_Router, str, list[str]] | None:
        """For ``r.route('/p').all(mw).get(h).post(h2)``: the router and path under the verb
        calls, and the middleware of the ``.all(mw)`` calls registered before this one."""
        source = self.source
        chained: list[str] = []
        while node is not None and node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is None or function.type != "member_expression":
                return None
            prop = text(source, function.child_by_field_name("property"))
            if prop == "route":
                router = self._router(function.child_by_field_name("object"), env)
                args = arguments(node)
                path = string_value(source, args[0]) if args else None
                if router is None or path is None:
                    return None
                return router, path, chained
            if prop not in _VERBS:
                return None
            if prop == "all":
                chained = [*self._middleware(arguments(node)), *chained]
            node = function.child_by_field_name("object")
        return None

    def _chain_root(self, node: Node | None) -> Node | None:
        """``router.get('/', list).post('/', create)``: each verb returns the router, so a
        verb chained on verb calls belongs to the router at the chain's root."""
        while node is not None and node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is None or function.type != "member_expression":
                return node
            if text(self.source, function.child_by_field_name("property")) not in _VERBS:
                return node
            node = function.child_by_field_name("object")
        return node

    def _chained_verb(self, call: Node) -> bool:
        """Whether a verb call is chained on ``call`` (``.all(mw).get(h)``)."""
        parent = call.parent
        if parent is None or parent.type != "member_expression":
            return False
        return text(self.source, parent.child_by_field_name("property")) in _VERBS

    def _name(self, node: Node) -> str | None:
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is not None and text(self.source, function) in ("require", "import"):
                return require_alias(node)
            inner = self._name(function) if function is not None else None
            return inner + "()" if inner is not None else None
        if node.type == "identifier":
            return text(self.source, node)
        if node.type == "member_expression":
            parts = chain(self.source, node)
            return ".".join(parts) if parts else None
        return None

    def _route(
        self, call: Node, router: _Router, method: str, path: str, args: list[Node], deps: list[str]
    ) -> None:
        if not args:
            return
        last = args[-1]
        if last.type in ("arrow_function", "function_expression"):
            handler = f"{method} {path or '/'}"
            head = text(self.source, call).split("\n", 1)[0]
            lines = (last.start_point[0] + 1, last.end_point[0] + 1)
            self.handlers.append((last, Symbol(handler, "function", None, *lines, head)))
            handlers = [(last, handler)]
        else:
            name = self._name(last)
            handlers = [(last, name.removesuffix("()"))] if name else []
        for _node, handler in handlers:
            self.routes.append(
                Route(
                    method,
                    path,
                    handler,
                    router.key,
                    call.start_point[0] + 1,
                    tuple(dict.fromkeys(deps)),
                    router.framework,
                )
            )


def _exported(source: bytes, holder: Node | None) -> bool:
    """Whether ``holder`` makes its value the module's default export."""
    if holder is None:
        return False
    if holder.type == "export_statement":
        return True
    left = holder.child_by_field_name("left") if holder.type == "assignment_expression" else None
    return left is not None and text(source, left) == "module.exports"


def _flat(nodes: list[Node]) -> list[Node]:
    """``[auth, validate]`` handler arrays spread into their elements."""
    found: list[Node] = []
    for node in nodes:
        found += _flat(node.named_children) if node.type == "array" else [node]
    return found


def require_alias(call: Node) -> str:
    """The import name an unassigned ``require('./r')`` gets (by position: no dots in it)."""
    return f"require@{call.start_byte}"


def nest_routes(
    source: bytes,
    cls: str,
    class_decorators: list[Decorator],
    methods: list[tuple[str, int, list[Decorator]]],
) -> tuple[str | None, list[Route]]:
    """A controller's prefix (None: not a controller) and its methods' routes."""
    controller = next((d for d in class_decorators if d.name == "Controller"), None)
    if controller is None:
        return None, []
    prefix = _decorator_path(source, controller) or ""
    guards = _guards(source, class_decorators)
    routes = []
    for name, line, decorators in methods:
        for found in decorators:
            if found.name in _NEST_VERBS:
                path = _decorator_path(source, found) or ""
                deps = tuple(dict.fromkeys([*guards, *_guards(source, decorators)]))
                routes.append(
                    Route(_NEST_VERBS[found.name], path, f"{cls}.{name}", cls, line, deps, "nestjs")
                )
    return prefix, routes


def _decorator_path(source: bytes, found: Decorator) -> str | None:
    """``@Get(':id')``, ``@Controller({ path: 'items' })``, ``@Get(['a', 'b'])`` (first)."""
    if not found.args:
        return None
    first = found.args[0]
    if first.type == "array" and first.named_children:
        first = first.named_children[0]
    if first.type == "object":
        for pair in first.named_children:
            if pair.type == "pair" and text(source, pair.child_by_field_name("key")) == "path":
                return string_value(source, pair.child_by_field_name("value"))
        return None
    return string_value(source, first)


def _guards(source: bytes, decorators: list[Decorator]) -> list[str]:
    names: list[str] = []
    for found in decorators:
        if found.name in ("UseGuards", "UseInterceptors"):
            for argument in found.args:
                parts = chain(source, argument)
                if parts:
                    names.append(".".join(p.removesuffix("()") for p in parts))
    return names


def nest_modules(
    source: bytes, cls: str, class_decorators: list[Decorator], line: int
) -> list[Include]:
    """``@Module({ imports: [ItemsModule], controllers: [ItemsController] })``: each hangs
    under this module, so a prefix set above it (``setGlobalPrefix``) reaches its routes."""
    marker = next((d for d in class_decorators if d.name == "Module"), None)
    if marker is None or not marker.args:
        return []
    found: list[Include] = []
    entries = object_entries(source, marker.args[0])
    for key in ("imports", "controllers"):
        listed = entries.get(key)
        for item in listed.named_children if listed is not None and listed.type == "array" else []:
            if item.type == "identifier":
                found.append(Include(cls, text(source, item), "", line))
    return found


def nest_bootstrap(source: bytes, root: Node) -> list[Include]:
    """``app = await NestFactory.create(AppModule); app.setGlobalPrefix('api')``."""
    created: list[str] = []
    prefix: str | None = None
    line = 0
    for node in call_expressions(root):
        parts = chain(source, node.child_by_field_name("function"))
        args = arguments(node)
        if not parts or not args:
            continue
        if parts[-2:] == ["NestFactory", "create"] and args[0].type == "identifier":
            created.append(text(source, args[0]))
        elif parts[-1] == "setGlobalPrefix":
            prefix = string_value(source, args[0])
            line = node.start_point[0] + 1
    if prefix is None:
        return []
    return [Include(None, module, prefix, line) for module in created]
