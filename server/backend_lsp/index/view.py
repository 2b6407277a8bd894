"""A read-only snapshot of the index for queries: resolver, routes, tests, migrations.

Built without parsing from ``WorkspaceIndex.files``; a one-file change is
applied in place (``apply``), so an edit never re-reads the workspace.
"""

from __future__ import annotations

import re
from collections import defaultdict

from backend_lsp.analysis.python.paths import is_test_path
from backend_lsp.index.facts import FileFacts, Symbol
from backend_lsp.index.javascript import is_js_test_path
from backend_lsp.index.jsmodules import JS_LANGUAGES, imports_file
from backend_lsp.index.resolve import Resolver, Target
from backend_lsp.index.routes import ResolvedRoute, RouteMap

# {id} (FastAPI, Go 1.22, chi), <int:id> (Flask, Django), :id and *path (gin, echo)
_PARAM = re.compile(r"\{[^}]*\}|<[^>]*>|(?<=/)[:*]\w+")
_NUMBERS = re.compile(r"(\d+)")


class WorkspaceView:
    """Resolver plus the derived maps; routes are resolved on first use after a change."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._tests: dict[str, list[Target]] = {}
        self._tables: dict[str, tuple[str, ...]] = {}
        self._models: dict[str, tuple[str, ...]] = {}  # rel -> tables its ORM models map
        for rel, facts in resolver.files.items():
            self._note(rel, facts)
        self._routes: RouteMap | None = None
        self._by_handler: dict[tuple[str, str], list[ResolvedRoute]] = {}

    @classmethod
    def build(cls, files: dict[str, FileFacts]) -> WorkspaceView:
        return cls(Resolver(files))

    def applied(
        self, files: dict[str, FileFacts], rel: str, old: FileFacts | None, new: FileFacts | None
    ) -> WorkspaceView | None:
        """A new view over ``files`` (this one with ``rel`` changed), or None: rebuild.

        Copy-on-write: this view is left as it was, so a reader on another thread
        (an agent action, hover) keeps a consistent snapshot without a lock while
        the index thread applies an edit. The copies are shallow (per-file maps),
        far cheaper than a rebuild. Routes are resolved again on first use.
        """
        twin = WorkspaceView.__new__(WorkspaceView)
        twin.resolver = self.resolver.copy(files)
        twin._tests = dict(self._tests)
        twin._tables = dict(self._tables)
        twin._models = dict(self._models)
        twin._routes = None
        twin._by_handler = {}
        return twin if twin._apply(rel, old, new) else None

    def _apply(self, rel: str, old: FileFacts | None, new: FileFacts | None) -> bool:
        """Follow one file's change in place (only on a fresh, unpublished copy)."""
        if not self.resolver.replace(rel, old, new):
            return False
        self._tests.pop(rel, None)
        self._tables.pop(rel, None)
        self._models.pop(rel, None)
        if new is not None:
            self._note(rel, new)
        self._routes = None
        return True

    def _note(self, rel: str, facts: FileFacts) -> None:
        if facts.migration_tables:
            self._tables[rel] = facts.migration_tables
        if facts.models:
            self._models[rel] = tuple(m.table for m in facts.models)
        if facts.language in JS_LANGUAGES:  # it('...') / test('...') cases
            tests = [Target(rel, s) for s in facts.symbols if s.kind == "test"]
            if tests and is_js_test_path(rel):
                self._tests[rel] = tests
        elif facts.symbols and is_test_path(rel):
            prefix = "Test" if facts.language == "go" else "test"  # go test: func TestX(t)
            tests = [
                Target(rel, s)
                for s in facts.symbols
                if s.kind in ("function", "method") and s.name.startswith(prefix)
            ]
            if tests:
                self._tests[rel] = tests

    @property
    def routes(self) -> RouteMap:
        if self._routes is None:
            self._routes = RouteMap(self.resolver)
            self._by_handler = {}
            for route in self._routes.routes:
                handler = route.handler
                if handler is not None and handler.symbol is not None:
                    key = (handler.path, handler.symbol.qualname)
                    self._by_handler.setdefault(key, []).append(route)
        return self._routes

    @property
    def tests(self) -> list[Target]:
        return [t for rel in sorted(self._tests) for t in self._tests[rel]]

    @property
    def migrations(self) -> dict[str, list[str]]:
        """table -> migration files touching it, oldest first (file names sort by date/number)."""
        found: dict[str, list[str]] = defaultdict(list)
        for rel in sorted(self._tables, key=migration_order):
            for table in self._tables[rel]:
                found[table].append(rel)
        return dict(found)

    def routes_of(self, rel: str, symbol: Symbol) -> list[ResolvedRoute]:
        """Routes served by this definition (a function, or a view class and its methods)."""
        _ = self.routes
        found = list(self._by_handler.get((rel, symbol.qualname), []))
        if symbol.parent is not None:
            found += self._by_handler.get((rel, symbol.parent), [])
        return found

    def tests_for(self, rel: str, symbol: Symbol, routes: list[ResolvedRoute]) -> list[Target]:
        """Test functions that call this definition by name or request one of its paths."""
        patterns = [_path_pattern(r.path) for r in routes if r.path]
        found: list[Target] = []
        for test in self.tests:
            test_symbol = test.symbol
            assert test_symbol is not None
            calls = any(
                u.rsplit(".", 1)[-1] == symbol.name and self._calls(test.path, u, rel, symbol)
                for u in test_symbol.uses
            )
            hits = any(_requests(p, s) for p in patterns for s in test_symbol.strings)
            if calls or hits:
                found.append(test)
        return found

    def models_for_table(self, table: str) -> list[Target]:
        """ORM model classes mapped to ``table`` (the table name, lower-case)."""
        found: list[Target] = []
        for rel in sorted(self._models):
            if table not in self._models[rel]:
                continue
            top = self.resolver.top.get(rel, {})
            for model in self.resolver.files[rel].models:
                symbol = top.get(model.name)
                if model.table == table and symbol is not None:
                    found.append(Target(rel, symbol))
        return found

    def _calls(self, rel: str, use: str, target: str, symbol: Symbol) -> bool:
        """Go method names (Create, Get, List) are everywhere: a Go test's use must resolve;
        a JS test's file must import the definition's module (its locals are not indexed)."""
        language = self.resolver.files[rel].language
        if language in JS_LANGUAGES:
            return imports_file(self.resolver, rel, target)
        if language != "go":
            return True
        found = self.resolver.lookup(rel, use)
        return found is not None and found == Target(target, symbol)

    def latest_migration(self, table: str) -> str | None:
        short = table.split("_", 1)[-1]
        ordered = sorted(self._tables, key=migration_order)
        files = [rel for rel in ordered if table in self._tables[rel]] or [
            rel for rel in ordered if short in self._tables[rel]
        ]
        return files[-1] if files else None

    def defining_migration(self, table: str) -> tuple[str, Symbol] | None:
        """The first SQL file whose ``CREATE TABLE`` makes ``table`` (and that statement)."""
        for rel in sorted(self._tables, key=migration_order):
            if table not in self._tables[rel]:
                continue
            for symbol in self.resolver.files[rel].symbols:
                if (symbol.kind, symbol.name) == ("table", table) and symbol.outline.startswith(
                    "CREATE"
                ):
                    return rel, symbol
        return None

    def table_statement(self, rel: str, table: str) -> Symbol | None:
        """The last statement of a SQL file on ``table`` (what that migration did to it)."""
        facts = self.resolver.files.get(rel)
        found = [s for s in facts.symbols if s.kind == "table" and s.name == table] if facts else []
        return found[-1] if found else None


def migration_order(rel: str) -> tuple[str | int, ...]:
    """Numbers compared as numbers: flyway's V10__ comes after V9__ (0001_ names sort as text)."""
    return tuple(int(p) if p.isdigit() else p for p in _NUMBERS.split(rel))


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
