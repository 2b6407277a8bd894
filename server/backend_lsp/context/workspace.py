"""Context from the rest of the workspace: follow the backend from the selection outwards.

Per request, the selection's neighbourhood of the definition/reference graph
is collected best-first (at most ``MAX_DEPTH`` hops and ``MAX_NODES``
definitions, so the cost does not grow with the workspace), each edge
weighted by how likely a reader of the source needs the target. Edges a
backend developer would follow first weigh most: ``Depends`` dependencies and
the functions behind ``Annotated`` aliases, ORM models and schemas (with their
base classes), DRF serializer/queryset/permission links, services called, a
model's latest migration, and the tests that call the handler or request its
path. The seeds are the enclosing scope, the definitions the selection
names, the dependencies of its route and the models whose tables its SQL
touches. Candidates are then ordered by personalised PageRank from those
seeds (context.pagerank): what several of the selection's definitions lead
to outranks what one of them does. The best are sent in full, the rest as
outlines (signatures and fields), within the budget given.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, replace
from pathlib import Path

from backend_lsp.agent.types import ContextItem
from backend_lsp.context.budget import estimate_tokens
from backend_lsp.context.pagerank import personalised_pagerank
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
W_TABLE = 0.9  # a model whose table the selection's SQL names
W_VALUE = 0.45
_MAX_BASES = 64  # classes searched for an instance's field (settings mixins run deep)
W_FIELD = 0.75  # the field a read of ``instance.attr`` lands on (settings.debug)
MIN_SCORE = 0.12  # best-path product below which a definition is not a candidate
MAX_DEPTH = 3
MAX_NODES = 400  # the neighbourhood is cut here, whatever the workspace size
FULL_TEXT_PATH = 0.7  # full text only for definitions this close (best path: direct uses) ...
FULL_TEXT_SHARE = 0.08  # ... and this high in PageRank relative to the best candidate
_MAX_FULL_SHARE = 12  # one definition in full takes at most 1/12 of the budget
_SQL_TABLE = re.compile(
    r"\b(?:from|join|into|update|table)\s+[\"`\[]?([A-Za-z_][\w.]*)", re.IGNORECASE
)

_INSTANCE = re.compile(r"^\w+\s*(?::[^=\n]*)?=\s*([A-Za-z_][\w.]*)\(")  # x = Cls(...)

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked definition: PageRank ``score``, best-path ``closeness``, and why it is here."""

    score: float
    target: Target
    reason: str
    closeness: float = 1.0


def _key(target: Target) -> Key:
    return target.path, target.symbol.qualname if target.symbol else ""


@dataclass(slots=True)
class _Node:
    target: Target
    closeness: float  # product of edge weights along the best path from a seed
    reason: str
    depth: int


class _Neighbourhood:
    """The weighted graph around the seeds, collected best-first (best path keeps the reason)."""

    def __init__(self, view: WorkspaceView) -> None:
        self.view = view
        self.nodes: dict[Key, _Node] = {}
        self.edges: dict[Key, dict[Key, float]] = {}
        self.heap: list[tuple[float, int, Key]] = []
        self.counter = 0
        self.expanded: set[Key] = set()

    def seed(self, target: Target, reason: str) -> Key:
        key = _key(target)
        self.nodes[key] = _Node(target, 1.0, reason, 0)
        self.expanded.add(key)  # the caller expands seeds (with the selection's own uses)
        return key

    def link(
        self, source: Key, target: Target | None, weight: float, reason: str, depth: int
    ) -> None:
        """Edge ``source -> target``; the target becomes a candidate if its best path is good."""
        if target is None or target.symbol is None:
            return
        key = _key(target)
        if key == source:
            return
        closeness = self.nodes[source].closeness * weight
        old = self.nodes.get(key)
        if old is None:
            if closeness < MIN_SCORE or len(self.nodes) >= MAX_NODES:
                return
            self.nodes[key] = _Node(target, closeness, reason, depth)
            self._queue(key, closeness)
        elif closeness > old.closeness and old.depth > 0:
            self.nodes[key] = _Node(old.target, closeness, reason, min(old.depth, depth))
            self._queue(key, closeness)
        row = self.edges.setdefault(source, {})
        row[key] = max(row.get(key, 0.0), weight)

    def _queue(self, key: Key, closeness: float) -> None:
        self.counter += 1
        heapq.heappush(self.heap, (-closeness, self.counter, key))

    def run(self) -> None:
        while self.heap:
            _neg, _n, key = heapq.heappop(self.heap)
            node = self.nodes[key]
            if key in self.expanded or node.depth >= MAX_DEPTH:
                continue
            self.expanded.add(key)
            self.expand(key, node.target, node.depth + 1)

    def expand(self, key: Key, target: Target, depth: int) -> None:
        """Link everything ``target`` leads to, each with its weight and reason."""
        view, resolver = self.view, self.view.resolver
        symbol = target.symbol
        assert symbol is not None
        name = symbol.qualname
        facts = resolver.files[target.path]
        for use in symbol.uses:
            if use.startswith(".") or use in symbol.bases:
                continue
            resolved = resolver.lookup(target.path, use)
            if resolved is None or resolved.symbol is None:
                continue
            weight, reason = self.classify(resolved, use, name)
            self.link(key, resolved, weight, reason, depth)
            if "." in use and resolved.symbol.kind == "variable":  # settings.debug
                field = self.instance_field(resolved, use.split(".")[1])
                if field is not None:
                    reason = f"field `{field.symbol.qualname}` read as `{use}` by `{name}`"  # type: ignore[union-attr]
                    self.link(key, field, W_FIELD, reason, depth)
        for base in symbol.bases:
            self.link(
                key, resolver.lookup(target.path, base), W_BASE, f"base class of `{name}`", depth
            )
        owner = symbol.parent or symbol.name
        for relation in facts.relations:
            if relation.owner != symbol.name and relation.owner != owner:
                continue
            if relation.kind == "depends":
                linked = resolver.lookup(target.path, relation.target)
                reason = f"implementation of dependency `{symbol.name}`"
                self.link(key, linked, W_DEPENDENCY, reason, depth)
            elif relation.kind != "fk_table":
                linked = resolver.lookup(target.path, relation.target) or (
                    resolver.global_unique(relation.target) if relation.kind == "fk" else None
                )
                reason = f"{relation.kind} of `{relation.owner}`"
                self.link(key, linked, W_RELATION, reason, depth)
        model = model_of(resolver, target)
        if model is not None:
            self.migrations(key, model, depth)
        routes = view.routes_of(target.path, symbol)
        if routes and depth <= 2:
            label = ", ".join(sorted({f"{r.method} {r.path}" for r in routes})[:3])
            for route in routes:  # decorator/router-level dependencies of the route
                for linked, dependency in zip(
                    route.dependencies, route.resolved_names, strict=True
                ):
                    reason = f"dependency `{dependency}` of route {route.method} {route.path}"
                    self.link(key, linked, W_DEPENDENCY, reason, depth)
            for test in view.tests_for(target.path, symbol, routes):
                self.link(key, test, W_TEST, f"test of `{name}` ({label})", depth)

    def migrations(self, key: Key, model: tuple[str, str], depth: int) -> None:
        """The model's latest migration, and the SQL migration that created its table."""
        view, top = self.view, self.view.resolver.top
        name, table = model
        migration = view.latest_migration(table)
        if migration is None:
            return
        defining = view.defining_migration(table)
        if defining is not None and defining[0] != migration:
            reason = f"migration creating table `{table}` (model `{name}`)"
            self.link(key, Target(*defining), W_MIGRATION, reason, depth)
        statement = (
            top.get(migration, {}).get("upgrade")
            or top.get(migration, {}).get("Migration")
            or view.table_statement(migration, table)
        )
        reason = f"latest migration of table `{table}` (model `{name}`)"
        self.link(key, Target(migration, statement), W_MIGRATION, reason, depth)

    def instance_field(self, variable: Target, attribute: str) -> Target | None:
        """For ``settings = Settings()``: ``attribute``'s method, or the class (or base) setting it.

        Fields are not index symbols, so the target is a placeholder spanning the
        class (outline empty); ``workspace_items`` sends just the field's lines.
        """
        assert variable.symbol is not None
        made = _INSTANCE.match(variable.symbol.outline)
        if made is None:
            return None
        resolver = self.view.resolver
        member = re.compile(rf"^    {re.escape(attribute)}\s*[:=]", re.MULTILINE)
        pending = [resolver.lookup(variable.path, made.group(1))]
        seen: set[Key] = set()
        while pending and len(seen) < _MAX_BASES:
            found = pending.pop(0)
            if found is None or found.symbol is None or found.symbol.kind != "class":
                continue
            if _key(found) in seen:
                continue
            seen.add(_key(found))
            cls = found.symbol
            method = resolver.members.get(found.path, {}).get(cls.name, {}).get(attribute)
            if method is not None:
                return Target(found.path, method)
            if member.search(cls.outline):
                field = Symbol(attribute, "field", cls.name, cls.start_line, cls.end_line, "")
                return Target(found.path, field)
            pending += [resolver.lookup(found.path, base) for base in cls.bases]
        return None

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

    def ranked(self, seeds: dict[Key, float]) -> list[Candidate]:
        """Candidates (seeds excluded) by PageRank from ``seeds``, best first."""
        edges = {source: list(row.items()) for source, row in self.edges.items()}
        scores = personalised_pagerank(edges, seeds)
        found = [
            Candidate(scores.get(key, 0.0), node.target, node.reason, node.closeness)
            for key, node in self.nodes.items()
            if key not in seeds
        ]
        found.sort(key=lambda c: (-c.score, -c.closeness, c.target.path, _start(c.target)))
        return found


def _start(target: Target) -> int:
    return target.symbol.start_line if target.symbol else 0


def _overlaps(rel: str, symbol: Symbol, covered: list[tuple[str, int, int]]) -> bool:
    return any(
        path == rel and symbol.start_line <= last and symbol.end_line >= first
        for path, first, last in covered
    )


def _innermost(symbols: list[Symbol], start_line: int, end_line: int) -> list[Symbol]:
    """Definitions overlapping the lines that hold no smaller overlapping definition."""
    return [
        s
        for s in symbols
        if not any(
            o is not s
            and o.start_line >= s.start_line
            and o.end_line <= s.end_line
            and o.start_line <= end_line
            and o.end_line >= start_line
            for o in symbols
        )
    ]


def rank(
    index: WorkspaceIndex,
    path: Path,
    start_line: int,
    end_line: int,
    names: list[str],
    text: str = "",
) -> list[Candidate]:
    """Workspace definitions relevant to lines [start_line, end_line] of ``path``, best first.

    ``names`` are the names the selection uses, ``text`` its source (for the
    tables its SQL names).
    """
    rel = index.relative(path)
    view = index.view()
    if rel is None or rel not in view.resolver.files:
        return []
    facts = view.resolver.files[rel]
    graph = _Neighbourhood(view)
    enclosing = [
        s
        for s in facts.symbols
        if s.start_line <= end_line and s.end_line >= start_line and s.kind != "variable"
    ]
    scopes = _innermost(enclosing, start_line, end_line) or enclosing
    wanted = set(names)
    seeds: dict[Key, float] = {}
    for symbol in scopes:
        key = graph.seed(Target(rel, symbol), "selection")
        seeds[key] = 1.0
        inside = symbol.start_line >= start_line and symbol.end_line <= end_line
        uses = tuple(u for u in symbol.uses if inside or u.split(".")[0] in wanted)
        graph.expand(key, Target(rel, replace(symbol, uses=uses)), 1)
    if not scopes:  # module-level lines: the names themselves start the walk
        home = graph.seed(Target(rel, None), "selection")
        seeds[home] = 1.0
        for name in names:
            resolved = view.resolver.lookup(rel, name)
            if resolved is not None and resolved.symbol is not None:
                weight, reason = graph.classify(resolved, name, "the selection")
                graph.link(home, resolved, weight, reason, 1)
    home_key = next(iter(seeds))
    for table in sorted({m.group(1).split(".")[-1].lower() for m in _SQL_TABLE.finditer(text)}):
        for model in view.models_for_table(table):
            graph.link(home_key, model, W_TABLE, f"model of table `{table}` in the selection", 1)
    graph.run()
    return graph.ranked(seeds)


def workspace_items(
    index: WorkspaceIndex,
    path: Path,
    start_line: int,
    end_line: int,
    names: list[str],
    budget: int,
    covered: list[tuple[str, int, int]],
    text: str = "",
) -> list[ContextItem]:
    """Ranked items within ``budget`` tokens; ``covered`` ranges (path, L1, L2) are skipped.

    Every candidate that fits gets at least its outline; the ones near the top
    (close to the selection and high in PageRank) get their full text as long
    as that leaves room for the outlines of those below them.
    """
    texts: dict[str, list[str] | None] = {}
    allowed: dict[str, bool] = {}
    chosen: list[tuple[Candidate, Symbol, int]] = []
    for candidate in rank(index, path, start_line, end_line, names, text):
        symbol = candidate.target.symbol
        rel = candidate.target.path
        if symbol is None or _overlaps(rel, symbol, covered):
            continue
        if rel not in allowed:
            allowed[rel] = index.readable(rel)
        if not allowed[rel]:
            continue
        chosen.append((candidate, symbol, estimate_tokens(symbol.outline + "\n")))
    best = chosen[0][0].score if chosen else 0.0
    reserve = sum(outline for *_rest, outline in chosen)
    items: list[ContextItem] = []
    remaining = budget
    for candidate, symbol, outline_tokens in chosen:
        reserve -= outline_tokens
        rel = candidate.target.path
        placeholder = symbol.kind == "field" and not symbol.outline
        if not placeholder and _overlaps(rel, symbol, covered):  # e.g. a class sent holds it
            continue
        item = None
        if placeholder:  # an instance field: its own lines only
            lines = _lines(index, rel, texts)
            found = _field_lines(lines, symbol) if lines is not None else None
            if found is None:
                continue
            first, last, body = found
            tokens = estimate_tokens(body)
            if tokens > remaining or _overlaps(
                rel, replace(symbol, start_line=first, end_line=last), covered
            ):
                continue
            items.append(ContextItem(rel, first, last, candidate.reason, body, tokens))
            covered.append((rel, first, last))
            remaining -= tokens
            continue
        if candidate.closeness >= FULL_TEXT_PATH and candidate.score >= FULL_TEXT_SHARE * best:
            lines = _lines(index, rel, texts)  # only full text needs the file itself
            if lines is None:
                continue
            full = "".join(lines[symbol.start_line - 1 : symbol.end_line])
            tokens = estimate_tokens(full)
            if tokens * _MAX_FULL_SHARE <= budget and tokens <= remaining - min(
                reserve, remaining // 2
            ):
                item = ContextItem(
                    rel, symbol.start_line, symbol.end_line, candidate.reason, full, tokens
                )
        if item is None:
            if outline_tokens > remaining:
                continue
            item = ContextItem(
                rel,
                symbol.start_line,
                symbol.end_line,
                f"{candidate.reason} (outline)",
                symbol.outline + "\n",
                outline_tokens,
            )
        items.append(item)
        covered.append((rel, symbol.start_line, symbol.end_line))
        remaining -= item.tokens
    return items


def _field_lines(lines: list[str], field: Symbol) -> tuple[int, int, str] | None:
    """(first, last, text) of ``field`` set in its class body (lines field.start..end)."""
    head = re.compile(rf"^\s+{re.escape(field.name)}\s*[:=]")
    for number in range(field.start_line, min(field.end_line, len(lines)) + 1):
        match = head.match(lines[number - 1])
        if match is None:
            continue
        last = number
        depth = _brackets(lines[number - 1])
        while depth > 0 and last < min(field.end_line, len(lines)):  # a value over lines
            depth += _brackets(lines[last])
            last += 1
        return number, last, "".join(lines[number - 1 : last])
    return None


def _brackets(line: str) -> int:
    """Open minus closed brackets on a line (strings are not told apart: a rough guide)."""
    return sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")


def _lines(index: WorkspaceIndex, rel: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    """A file's lines, read only if the ignore rules allow it (checked on every read)."""
    if rel not in cache:
        if not index.readable(rel):  # checked again right before the read
            cache[rel] = None
        else:
            content = read_source(index.root / rel, 2_000_000)
            cache[rel] = (
                None if isinstance(content, SkipReason) else content.splitlines(keepends=True)
            )
    return cache[rel]
