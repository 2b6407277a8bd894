"""Routes with their full paths, handlers, dependencies and the tables they touch.

Prefixes are followed the way the frameworks apply them: ``APIRouter(prefix=)``
plus every ``include_router(..., prefix=)`` up to the app (FastAPI), Blueprint
``url_prefix`` (Flask), ``path("api/", include("app.urls"))`` and DRF
``router.register`` behind ``include(router.urls)`` (Django). Go routes carry
their group prefixes from the extractor; a router handed to another function
(``routes.Register(v1)``) is an include of that function. Express mounts
(``app.use('/api', itemsRouter)``) are includes of the imported router; a
NestJS controller's ``@Controller`` prefix is its router's own prefix.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

from backend_lsp.index.facts import TYPE_KINDS, Include, Relation, Route, Symbol
from backend_lsp.index.js_routes import (
    DECORATES,
    PLUGIN_HOOK,
    REGISTERS,
    ROUTER_FRAMEWORKS,
    UNENCAPSULATED,
)
from backend_lsp.index.jsmodules import JS_LANGUAGES
from backend_lsp.index.resolve import Resolver, Target

_WRITES = (
    ".add",
    ".add_all",
    ".delete",
    ".merge",
    ".save",
    ".create",
    ".bulk_create",
    ".update",
    ".commit",
    ".insert",
    # GORM
    ".Create",
    ".Save",
    ".Delete",
    ".Update",
    ".Updates",
    # Prisma, TypeORM, Sequelize
    ".createMany",
    ".updateMany",
    ".deleteMany",
    ".upsert",
    ".remove",
    ".destroy",
    ".bulkCreate",
)
_GO_FRAMEWORKS = frozenset({"gin", "echo", "chi", "fiber", "net/http"})
# Stacks whose handlers reach the ORM through a service layer of methods.
_LAYERED = _GO_FRAMEWORKS | ROUTER_FRAMEWORKS | {"nestjs"}
# What a route's code is followed into: functions, and in Go (services are methods) methods.
_CALLABLE = {False: ("function",), True: ("function", "method")}
_CBV_METHODS = ("get", "post", "put", "patch", "delete")
# ViewSet action -> (method, on the detail path?)
_VIEWSET_METHODS = {
    "list": ("GET", False),
    "create": ("POST", False),
    "retrieve": ("GET", True),
    "update": ("PUT", True),
    "partial_update": ("PATCH", True),
    "destroy": ("DELETE", True),
}
_MODEL_VIEWSET = tuple(_VIEWSET_METHODS)
# DRF generic views: the HTTP methods their names promise.
_GENERIC_VERBS = {
    "List": ("GET",),
    "Retrieve": ("GET",),
    "Create": ("POST",),
    "Update": ("PUT", "PATCH"),
    "Destroy": ("DELETE",),
}


@dataclass(frozen=True, slots=True)
class ResolvedRoute:
    method: str
    path: str
    file: str
    line: int
    handler: Target | None
    handler_name: str
    dependencies: tuple[Target, ...]
    dependency_names: tuple[str, ...]
    models: tuple[tuple[str, str, str], ...]  # (model, table, read|write)
    framework: str
    resolved_names: tuple[str, ...] = ()  # the name of each of ``dependencies``, aligned

    def to_json(self) -> dict[str, Any]:
        handler = self.handler
        return {
            "method": self.method,
            "path": self.path,
            "handler": self.handler_name,
            "file": handler.path if handler else self.file,
            "line": handler.symbol.start_line if handler and handler.symbol else self.line,
            "framework": self.framework,
            "dependencies": list(self.dependency_names),
            "models": [{"model": m, "table": t, "access": a} for m, t, a in self.models],
        }


_SLICE = 1_000


def _sorted_in_slices(routes: list[ResolvedRoute]) -> list[ResolvedRoute]:
    """``sorted`` by (path, method), as short sorts merged step by step.

    One sort of 20,000 routes is ~25 ms in C without a GIL switch (requests on the
    server's loop wait for it); slices of 1,000 and a Python-level merge let them in.
    Both steps are stable, so the order is exactly ``sorted``'s.
    """

    def key(route: ResolvedRoute) -> tuple[str, str]:
        return (route.path, route.method)

    if len(routes) <= _SLICE:
        return sorted(routes, key=key)
    slices = [sorted(routes[i : i + _SLICE], key=key) for i in range(0, len(routes), _SLICE)]
    return list(heapq.merge(*slices, key=key))


def _join(*parts: str) -> str:
    joined = "/".join(p.strip("/") for p in parts if p and p.strip("/"))
    last = next((p for p in reversed(parts) if p), "")
    return "/" + joined + ("/" if last.endswith("/") and joined else "")


class RouteMap:
    """Every route of the workspace, computed from one resolver snapshot."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._parents: dict[tuple[str, str], tuple[str, str | None, str, tuple[str, ...]]] = {}
        # Express: (file, router) -> names ``use``d on it that are mounted routers, not the
        # middleware the extractor could not tell them from
        self._mounted: dict[tuple[str, str], set[str]] = {}
        self._module_parents: dict[str, tuple[str, str]] = {}
        self._router_includes: dict[tuple[str, str], str] = {}
        # Fastify decorators: name -> (file, function) of each ``decorate(name, fn)``
        self._decorators: dict[str, list[tuple[str, str]]] = {}
        for rel, facts in resolver.files.items():
            for relation in facts.relations:
                if relation.kind == DECORATES:
                    name, _, function = relation.target.partition(" ")
                    self._decorators.setdefault(name, []).append((rel, function))
        for rel, facts in resolver.files.items():
            for include in facts.includes:
                self._link(rel, include)
        # @api_view(["GET"]) says the methods; urls.py says the path.
        self._api_views = {
            (rel, route.handler): route.method
            for rel, facts in resolver.files.items()
            for route in facts.routes
            if route.framework == "drf" and not route.path
        }
        routed: set[tuple[str, str]] = set()
        self.routes: list[ResolvedRoute] = []
        for rel, facts in resolver.files.items():
            for route in facts.routes:
                if (rel, route.handler) in self._api_views or route.framework == "drf-action":
                    continue
                resolved = self._resolve(rel, route)
                self.routes.extend(resolved)
                routed.update(
                    (r.handler.path, r.handler.symbol.name)
                    for r in resolved
                    if r.handler is not None and r.handler.symbol is not None
                )
        for rel, handler in self._api_views:
            if (rel, handler) not in routed:  # not in any urls.py we could follow
                route = next(r for r in resolver.files[rel].routes if r.handler == handler)
                self.routes.extend(self._resolve(rel, route))
        self.routes = _sorted_in_slices(self.routes)

    def _link(self, rel: str, include: Include) -> None:
        child = include.child
        facts = self.resolver.files[rel]
        routers = set(facts.routers) | {r.router for r in facts.routes if r.router}
        if child.endswith(".urls") and child.split(".")[0] in routers:
            self._router_includes[(rel, child.split(".")[0])] = include.prefix
            return
        module_file = self.resolver.module_file(child)
        if module_file is not None and include.parent is None:
            self._module_parents[module_file] = (rel, include.prefix)
            return
        target = self.resolver.lookup(rel, child)
        registered = include.parent is not None and Relation(
            "", REGISTERS, f"{include.parent} {child}"
        ) in set(facts.relations)
        if target is None or target.symbol is None:
            if registered:  # a package's plugin: not the workspace's middleware
                self._mounted.setdefault((rel, include.parent or ""), set()).add(child)
            return
        name = target.symbol.name
        routed = name in self.resolver.files[target.path].routers
        if facts.language in JS_LANGUAGES and include.parent:
            if target.symbol.kind in ("function", "variable") and not routed and not registered:
                return  # ``use('/p', mw)``: kept as the middleware it is
            if not self._hooks(target):  # an ``fp`` plugin's hooks stay, as its name
                self._mounted.setdefault((rel, include.parent), set()).add(child)
        self._parents[(target.path, name)] = (
            rel,
            include.parent,
            include.prefix,
            include.dependencies,
        )

    def prefix(self, rel: str, router: str | None, depth: int = 0) -> str:
        """Everything mounted above ``router`` in ``rel``, outermost first."""
        if depth > 8:
            return ""
        own = self.resolver.files[rel].routers.get(router or "", "") if router else ""
        if router is not None and (rel, router) in self._router_includes:
            return _join(self._module_prefix(rel, depth), self._router_includes[(rel, router)])
        if router is not None and (rel, router) in self._parents:
            parent_file, parent_router, mount, _deps = self._parents[(rel, router)]
            if self._relation(rel, router, UNENCAPSULATED):
                mount = ""  # fastify-plugin: ``register``'s ``prefix`` is ignored
            return _join(self.prefix(parent_file, parent_router, depth + 1), mount, own)
        return _join(self._module_prefix(rel, depth), own)

    def inherited(self, rel: str, router: str | None, depth: int = 0) -> list[tuple[str, str]]:
        """(file, middleware) that the mounts above ``router`` apply, outermost first."""
        if router is None or (rel, router) not in self._parents or depth > 8:
            return []
        parent_file, parent_router, _mount, deps = self._parents[(rel, router)]
        above = self.inherited(parent_file, parent_router, depth + 1)
        routers = self._mounted.get((parent_file, parent_router or ""), set())
        return [*above, *((parent_file, d) for d in deps if d not in routers)]

    def _relation(self, rel: str, owner: str, kind: str) -> list[str]:
        """Targets of ``rel``'s relations of ``kind`` owned by ``owner``."""
        return [
            r.target
            for r in self.resolver.files[rel].relations
            if r.owner == owner and r.kind == kind
        ]

    def _hooks(self, target: Target) -> list[str]:
        """The hooks an ``fp``-wrapped plugin adds to the context it is registered in."""
        assert target.symbol is not None
        name = target.symbol.name
        if not self._relation(target.path, name, UNENCAPSULATED):
            return []
        return self._relation(target.path, name, PLUGIN_HOOK)

    def _expanded(self, located: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Each ``fp`` plugin among (file, dependency) as the hooks it adds, and each
        ``instance.name`` naming a Fastify decorator (one in the workspace) as its function."""
        found: list[tuple[str, str]] = []
        for rel, name in located:
            target = self.resolver.lookup(rel, name)
            _head, dot, member = name.partition(".")
            decorators = self._decorators.get(member, []) if target is None and dot else []
            if len(decorators) == 1 and "." not in member:  # fastify.authenticate
                found.append(decorators[0])
                continue
            hooks = self._hooks(target) if target is not None and target.symbol else []
            found += [(target.path, h) for h in hooks] if target and hooks else [(rel, name)]
        return found

    def _module_prefix(self, rel: str, depth: int) -> str:
        if rel not in self._module_parents or depth > 8:
            return ""
        parent, mount = self._module_parents[rel]
        return _join(self._module_prefix(parent, depth + 1), mount)

    def _resolve(self, rel: str, route: Route) -> list[ResolvedRoute]:
        resolver = self.resolver
        handler = resolver.lookup(rel, route.handler)
        full = _join(self.prefix(rel, route.router), route.path)
        if not route.path and route.framework == "drf":
            full = ""
        located = [(rel, d) for d in route.dependencies]
        if route.framework in ROUTER_FRAMEWORKS:
            routers = self._mounted.get((rel, route.router or ""), set())
            located = self._expanded(
                [*self.inherited(rel, route.router), *(p for p in located if p[1] not in routers)]
            )
        names = list(dict.fromkeys(d for _f, d in located))
        if handler is not None and handler.symbol is not None:
            extra_names = [a for a in dependency_aliases(resolver, handler) if a not in names]
            names += extra_names
            located += [(rel, a) for a in extra_names]
        pairs = [(d, t) for f, d in located if (t := resolver.lookup(f, d)) is not None]
        deps = tuple(t for _d, t in pairs)
        resolved_names = tuple(d for d, _t in pairs)
        symbols = [handler] if handler is not None else []
        endpoints = [(route.method, full)]
        extra: list[ResolvedRoute] = []
        if handler is not None and handler.symbol is not None:
            declared = self._api_views.get((handler.path, handler.symbol.name))
            if declared is not None and route.path:
                endpoints = [(m, full) for m in declared.split(",")]
        if handler is not None and handler.symbol is not None and handler.symbol.kind == "class":
            members = resolver.members.get(handler.path, {}).get(handler.symbol.name, {})
            own = [(m.upper(), full) for m in members if m in _CBV_METHODS]
            actions = [m for m in _VIEWSET_METHODS if m in members]
            if not actions and "ModelViewSet" in " ".join(handler.symbol.bases):
                actions = list(_MODEL_VIEWSET)
            detail = _join(full, "{pk}/")
            viewset = [
                (m, detail if d else full) for a in actions for m, d in [_VIEWSET_METHODS[a]]
            ]
            generic = [
                verb
                for base in handler.symbol.bases
                for word, verbs in _GENERIC_VERBS.items()
                if word in base.rsplit(".", 1)[-1] and base.endswith("APIView")
                for verb in verbs
            ]
            endpoints = own or viewset or [(m, full) for m in dict.fromkeys(generic)] or endpoints
            symbols += [Target(handler.path, s) for s in members.values()]
            names += [
                r.target
                for r in resolver.files[handler.path].relations
                if r.owner == handler.symbol.name and r.kind == "auth"
            ]
            pairs = [(d, t) for d in names if (t := resolver.lookup(handler.path, d)) is not None]
            deps = tuple(t for _d, t in pairs)
            resolved_names = tuple(d for d, _t in pairs)
            if viewset:
                extra = self._viewset_actions(handler, full, pairs, tuple(names))
        go = route.framework in _GO_FRAMEWORKS
        layered = route.framework in _LAYERED
        models = self.models_touched(symbols, hops=3 if layered else 2)  # handler, service, repo
        shown = route.handler
        if go and "()" in shown and handler is not None and handler.symbol is not None:
            shown = handler.symbol.qualname  # items.List where items := NewItemHandler(...)
        main = [
            ResolvedRoute(
                method,
                path,
                rel,
                route.line,
                handler,
                shown,
                deps,
                tuple(names),
                models,
                route.framework,
                resolved_names,
            )
            for method, path in endpoints
        ]
        return [*main, *extra]

    def _viewset_actions(
        self,
        viewset: Target,
        base: str,
        pairs: list[tuple[str, Target]],
        names: tuple[str, ...],
    ) -> list[ResolvedRoute]:
        """``@action`` methods of a routed ViewSet, each its own route under the base path."""
        assert viewset.symbol is not None
        deps = tuple(t for _d, t in pairs)
        resolved_names = tuple(d for d, _t in pairs)
        found: list[ResolvedRoute] = []
        members = self.resolver.members.get(viewset.path, {}).get(viewset.symbol.name, {})
        for route in self.resolver.files[viewset.path].routes:
            if route.framework != "drf-action" or route.router != viewset.symbol.name:
                continue
            method_name = route.handler.split(".", 1)[1]
            member = members.get(method_name)
            target = Target(viewset.path, member) if member is not None else viewset
            models = self.models_touched([target])
            found.extend(
                ResolvedRoute(
                    verb,
                    _join(base, route.path),
                    viewset.path,
                    route.line,
                    target,
                    route.handler,
                    deps,
                    names,
                    models,
                    "drf",
                    resolved_names,
                )
                for verb in route.method.split(",")
            )
        return found

    def models_touched(
        self, targets: list[Target], hops: int = 2
    ) -> tuple[tuple[str, str, str], ...]:
        """Models used by these definitions and the functions they call (``hops - 1`` calls)."""
        resolver = self.resolver
        found: dict[str, tuple[str, str, str]] = {}
        frontier = list(targets)
        for hop in range(hops):
            following: list[Target] = []
            for target in frontier:
                symbol = target.symbol
                if symbol is None:
                    continue
                writes = any(u.endswith(_WRITES) for u in symbol.uses)
                for name in (*symbol.uses, *_relation_targets(resolver, target)):
                    resolved = resolver.lookup(target.path, name)
                    if resolved is None or resolved.symbol is None:
                        continue
                    model = model_of(resolver, resolved)
                    if model is not None:
                        access = "write" if writes else "read"
                        old = found.get(model[0])
                        if old is None or access == "write":
                            found[model[0]] = (model[0], model[1], access)
                    elif hop < hops - 1 and resolved.symbol.kind in _CALLABLE[hops > 2]:
                        following.append(resolved)
            frontier = following
        return tuple(sorted(found.values()))


def _relation_targets(resolver: Resolver, target: Target) -> list[str]:
    if target.symbol is None:
        return []
    return [
        r.target for r in resolver.files[target.path].relations if r.owner == target.symbol.name
    ]


def model_of(resolver: Resolver, target: Target) -> tuple[str, str] | None:
    """(class name, table) when the target is an ORM model."""
    symbol: Symbol | None = target.symbol
    if symbol is None or symbol.kind not in TYPE_KINDS:
        return None
    table = resolver.tables_in(target.path).get(symbol.name)
    return None if table is None else (symbol.name, table)


def dependency_aliases(resolver: Resolver, target: Target) -> list[str]:
    """Names the definition uses that are ``Annotated[..., Depends(f)]`` aliases."""
    found: list[str] = []
    if target.symbol is None:
        return found
    for name in target.symbol.uses:
        resolved = resolver.lookup(target.path, name)
        if resolved is None or resolved.symbol is None or resolved.symbol.kind != "variable":
            continue
        if any(
            r.owner == resolved.symbol.name and r.kind == "depends"
            for r in resolver.files[resolved.path].relations
        ):
            found.append(name)
    return found
