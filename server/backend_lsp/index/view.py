"""A read-only snapshot of the index for queries: resolver, routes, tests, migrations.

Built without parsing from ``WorkspaceIndex.files`` and cached per index
generation, so a request after an edit pays one rebuild (milliseconds for
thousands of files) and every other request pays nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from backend_lsp.analysis.python.paths import is_test_path
from backend_lsp.index.facts import FileFacts, Symbol
from backend_lsp.index.resolve import Resolver, Target
from backend_lsp.index.routes import ResolvedRoute, RouteMap

_PARAM = re.compile(r"\{[^}]*\}|<[^>]*>")


@dataclass
class WorkspaceView:
    resolver: Resolver
    routes: RouteMap
    tests: list[Target] = field(default_factory=list)
    migrations: dict[str, list[str]] = field(default_factory=dict)  # table -> files, oldest first
    routes_by_handler: dict[tuple[str, str], list[ResolvedRoute]] = field(default_factory=dict)

    @classmethod
    def build(cls, files: dict[str, FileFacts]) -> WorkspaceView:
        resolver = Resolver(files)
        view = cls(resolver, RouteMap(resolver))
        view._derive()
        return view

    def apply(self, rel: str, old: FileFacts | None, new: FileFacts | None) -> bool:
        """Follow one file's change without re-reading the others; False: rebuild instead."""
        if not self.resolver.replace(rel, old, new):
            return False
        self.routes = RouteMap(self.resolver)
        self._derive()
        return True

    def _derive(self) -> None:
        """Tests, migrations and handler lookup: cheap passes over the facts."""
        files = self.resolver.files
        migrations: dict[str, list[str]] = defaultdict(list)
        self.tests = []
        for rel in sorted(files):
            facts = files[rel]
            for table in facts.migration_tables:
                migrations[table].append(rel)
            if facts.symbols and is_test_path(rel):
                self.tests.extend(
                    Target(rel, s)
                    for s in facts.symbols
                    if s.kind in ("function", "method") and s.name.startswith("test")
                )
        self.migrations = dict(migrations)
        self.routes_by_handler = {}
        view = self
        for route in view.routes.routes:
            handler = route.handler
            if handler is not None and handler.symbol is not None:
                key = (handler.path, handler.symbol.qualname)
                view.routes_by_handler.setdefault(key, []).append(route)

    def routes_of(self, rel: str, symbol: Symbol) -> list[ResolvedRoute]:
        """Routes served by this definition (a function, or a view class and its methods)."""
        found = list(self.routes_by_handler.get((rel, symbol.qualname), []))
        if symbol.parent is not None:
            found += self.routes_by_handler.get((rel, symbol.parent), [])
        return found

    def tests_for(self, rel: str, symbol: Symbol, routes: list[ResolvedRoute]) -> list[Target]:
        """Test functions that call this definition by name or request one of its paths."""
        patterns = [_path_pattern(r.path) for r in routes if r.path]
        found: list[Target] = []
        for test in self.tests:
            test_symbol = test.symbol
            assert test_symbol is not None
            calls = any(u.rsplit(".", 1)[-1] == symbol.name for u in test_symbol.uses)
            hits = any(_requests(p, s) for p in patterns for s in test_symbol.strings)
            if calls or hits:
                found.append(test)
        return found

    def latest_migration(self, table: str) -> str | None:
        files = self.migrations.get(table) or self.migrations.get(table.split("_", 1)[-1])
        return files[-1] if files else None


def _path_pattern(path: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in _PARAM.split(path)]
    return re.compile("[^/]+".join(parts).rstrip("/") + "/?")


def _requests(pattern: re.Pattern[str], literal: str) -> bool:
    """``literal`` is the route's path, or its tail after an f-string prefix."""
    text = literal.rstrip("/")
    if not text.startswith("/") or len(text.strip("/")) < 2:
        return False
    if pattern.fullmatch(literal):
        return True
    tail = pattern.pattern.rstrip("/?")
    return tail.endswith(re.escape(text).rstrip("/")) and text.count("/") >= 1
