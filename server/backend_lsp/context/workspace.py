"""Context from the rest of the workspace: follow the backend from the selection outwards.

Seeds are the definitions the selection uses (resolved through imports by the
index). A best-first walk over the definition/reference graph scores every
reachable definition by the product of its edge weights from the selection,
so what the selection uses directly outranks what those use in turn. Edges a
backend developer would follow first weigh most: ``Depends`` dependencies and
the functions behind ``Annotated`` aliases, ORM models and schemas, DRF
serializer/queryset/permission links, services called, a model's latest
migration, and the tests that call the handler or request its path.
The best definitions are sent in full, the rest as outlines (signatures and
fields), until the budget given is used.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, replace
from pathlib import Path

from backend_lsp.agent.types import ContextItem
from backend_lsp.context.budget import estimate_tokens
from backend_lsp.files import SkipReason, read_source
from backend_lsp.index.build import WorkspaceIndex
from backend_lsp.index.facts import TYPE_KINDS, Symbol
from backend_lsp.index.resolve import Target
from backend_lsp.index.routes import model_of
from backend_lsp.index.view import WorkspaceView

# Edge weights: how likely a reader of the source needs the target.
W_DEPENDENCY = 0.95
W_MODEL = 0.9
W_SCHEMA = 0.8
W_RELATION = 0.9
W_TEST = 0.85
W_CALL = 0.75
W_MIGRATION = 0.7
W_BASE = 0.8  # inherited fields are part of a schema
W_VALUE = 0.45
MIN_SCORE = 0.12
FULL_TEXT_SCORE = 0.7
MAX_DEPTH = 3
_MAX_FULL_SHARE = 12  # one definition in full takes at most 1/12 of the budget


@dataclass(frozen=True, slots=True)
class Candidate:
    score: float
    target: Target
    reason: str


def _key(target: Target) -> tuple[str, str]:
    return target.path, target.symbol.qualname if target.symbol else ""


class _Walk:
    def __init__(self, view: WorkspaceView) -> None:
        self.view = view
        self.best: dict[tuple[str, str], Candidate] = {}
        self.heap: list[tuple[float, int, int, Candidate]] = []
        self.counter = 0

    def push(self, target: Target | None, score: float, reason: str, depth: int) -> None:
        if target is None or target.symbol is None or score < MIN_SCORE:
            return
        key = _key(target)
        old = self.best.get(key)
        if old is not None and old.score >= score:
            return
        candidate = Candidate(score, target, reason)
        self.best[key] = candidate
        self.counter += 1
        heapq.heappush(self.heap, (-score, self.counter, depth, candidate))

    def run(self) -> list[Candidate]:
        done: set[tuple[str, str]] = set()
        while self.heap:
            _neg, _n, depth, candidate = heapq.heappop(self.heap)
            key = _key(candidate.target)
            if key in done or self.best[key] is not candidate:
                continue
            done.add(key)
            if depth < MAX_DEPTH:
                self.expand(candidate, depth + 1)
        return sorted(self.best.values(), key=lambda c: -c.score)

    def expand(self, candidate: Candidate, depth: int) -> None:
        self.edges(candidate.target, candidate.score, depth)

    def edges(self, target: Target, score: float, depth: int) -> None:
        """Push everything ``target`` leads to, each with its reason."""
        view, resolver = self.view, self.view.resolver
        symbol = target.symbol
        assert symbol is not None
        name = symbol.qualname
        facts = resolver.files[target.path]
        for use in symbol.uses:
            if use.startswith(".") or use in symbol.bases:
                continue
            resolved = resolver.lookup(target.path, use)
            if resolved is None or resolved.symbol is None or _key(resolved) == _key(target):
                continue
            weight, reason = self.classify(resolved, use, name)
            self.push(resolved, score * weight, reason, depth)
        for base in symbol.bases:
            self.push(
                resolver.lookup(target.path, base), score * W_BASE, f"base class of `{name}`", depth
            )
        owner = symbol.parent or symbol.name
        for relation in facts.relations:
            if relation.owner != symbol.name and relation.owner != owner:
                continue
            if relation.kind == "depends":
                linked = resolver.lookup(target.path, relation.target)
                self.push(
                    linked,
                    score * W_DEPENDENCY,
                    f"implementation of dependency `{symbol.name}`",
                    depth,
                )
            elif relation.kind == "fk_table":
                continue
            else:
                linked = resolver.lookup(target.path, relation.target) or (
                    resolver.global_unique(relation.target) if relation.kind == "fk" else None
                )
                self.push(
                    linked, score * W_RELATION, f"{relation.kind} of `{relation.owner}`", depth
                )
        model = model_of(resolver, target)
        if model is not None:
            self.migrations(model, score, depth)
        routes = view.routes_of(target.path, symbol)
        if routes and depth <= 2:
            label = ", ".join(sorted({f"{r.method} {r.path}" for r in routes})[:3])
            for test in view.tests_for(target.path, symbol, routes):
                self.push(test, score * W_TEST, f"test of `{name}` ({label})", depth)

    def migrations(self, model: tuple[str, str], score: float, depth: int) -> None:
        """The model's latest migration, and the SQL migration that created its table."""
        view, top = self.view, self.view.resolver.top
        name, table = model
        migration = view.latest_migration(table)
        if migration is None:
            return
        defining = view.defining_migration(table)
        if defining is not None and defining[0] != migration:
            self.push(
                Target(*defining),
                score * W_MIGRATION,
                f"migration creating table `{table}` (model `{name}`)",
                depth,
            )
        statement = (
            top.get(migration, {}).get("upgrade")
            or top.get(migration, {}).get("Migration")
            or view.table_statement(migration, table)
        )
        self.push(
            Target(migration, statement),
            score * W_MIGRATION,
            f"latest migration of table `{table}` (model `{name}`)",
            depth,
        )

    def classify(self, resolved: Target, use: str, user: str) -> tuple[float, str]:
        resolver = self.view.resolver
        symbol = resolved.symbol
        assert symbol is not None
        relations = resolver.files[resolved.path].relations
        if symbol.kind == "variable" and any(
            r.owner == symbol.name and r.kind == "depends" for r in relations
        ):
            return W_DEPENDENCY, f"dependency `{use}` of `{user}`"
        if symbol.kind in TYPE_KINDS:
            if model_of(resolver, resolved) is not None:
                return W_MODEL, f"model `{symbol.name}` used by `{user}`"
            return W_SCHEMA, f"{symbol.kind} `{symbol.name}` used by `{user}`"
        if symbol.kind in ("function", "method"):
            return W_CALL, f"`{symbol.qualname}` called by `{user}`"
        return W_VALUE, f"`{symbol.name}` used by `{user}`"


def _overlaps(rel: str, symbol: Symbol, covered: list[tuple[str, int, int]]) -> bool:
    return any(
        path == rel and symbol.start_line <= last and symbol.end_line >= first
        for path, first, last in covered
    )


def rank(
    index: WorkspaceIndex, path: Path, start_line: int, end_line: int, names: list[str]
) -> list[Candidate]:
    """Workspace definitions relevant to lines [start_line, end_line] of ``path``, best first."""
    rel = index.relative(path)
    view = index.view()
    if rel is None or rel not in view.resolver.files:
        return []
    facts = view.resolver.files[rel]
    walk = _Walk(view)
    enclosing = [
        s
        for s in facts.symbols
        if s.start_line <= end_line and s.end_line >= start_line and s.kind != "variable"
    ]
    innermost = [
        s
        for s in enclosing
        if not any(
            o is not s
            and o.start_line >= s.start_line
            and o.end_line <= s.end_line
            and o.start_line <= end_line
            and o.end_line >= start_line
            for o in enclosing
        )
    ]
    wanted = set(names)
    for symbol in innermost or enclosing:
        target = Target(rel, symbol)
        inside = symbol.start_line >= start_line and symbol.end_line <= end_line
        uses = [u for u in symbol.uses if inside or u.split(".")[0] in wanted]
        walk.best[_key(target)] = Candidate(1.0, target, "selection")
        walk.edges(Target(rel, replace(symbol, uses=tuple(uses))), 1.0, 1)
    if not innermost:
        for name in names:
            resolved = view.resolver.lookup(rel, name)
            if resolved is not None:
                weight, reason = (
                    walk.classify(resolved, name, "the selection")
                    if (resolved.symbol is not None)
                    else (0.0, "")
                )
                walk.push(resolved, weight, reason, 1)
    selected = {_key(Target(rel, s)) for s in innermost or enclosing}
    return [c for c in walk.run() if _key(c.target) not in selected]


def workspace_items(
    index: WorkspaceIndex,
    path: Path,
    start_line: int,
    end_line: int,
    names: list[str],
    budget: int,
    covered: list[tuple[str, int, int]],
) -> list[ContextItem]:
    """Ranked items within ``budget`` tokens; ``covered`` ranges (path, L1, L2) are skipped."""
    texts: dict[str, list[str] | None] = {}
    items: list[ContextItem] = []
    remaining = budget
    for candidate in rank(index, path, start_line, end_line, names):
        target = candidate.target
        symbol = target.symbol
        if symbol is None or _overlaps(target.path, symbol, covered):
            continue
        lines = _lines(index, target.path, texts)
        if lines is None:
            continue
        full = "".join(lines[symbol.start_line - 1 : symbol.end_line])
        full_tokens = estimate_tokens(full)
        if (
            candidate.score >= FULL_TEXT_SCORE
            and full_tokens * _MAX_FULL_SHARE <= budget
            and (full_tokens <= remaining)
        ):
            item = ContextItem(
                target.path, symbol.start_line, symbol.end_line, candidate.reason, full, full_tokens
            )
        else:
            outline = symbol.outline + "\n"
            item = ContextItem(
                target.path,
                symbol.start_line,
                symbol.end_line,
                f"{candidate.reason} (outline)",
                outline,
                estimate_tokens(outline),
            )
            if item.tokens > remaining:
                continue
        items.append(item)
        covered.append((target.path, symbol.start_line, symbol.end_line))
        remaining -= item.tokens
    return items


def _lines(index: WorkspaceIndex, rel: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    """A file's lines, read only if the ignore rules allow it (checked on every read)."""
    if rel not in cache:
        path = index.root / rel
        if index.rules.is_private(path):
            cache[rel] = None
        else:
            text = read_source(path, 2_000_000)
            cache[rel] = None if isinstance(text, SkipReason) else text.splitlines(keepends=True)
    return cache[rel]
