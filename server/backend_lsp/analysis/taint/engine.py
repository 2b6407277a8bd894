"""Intra-function dataflow over tree-sitter with per-file function summaries.

Each function runs once, statements in order, over an environment of names
(``q``, ``self.url``, ``d['k']``) to taints. Branches fold when their condition
is constant; otherwise both run and merge, with guards (``x in ALLOWED``,
``not url_has_allowed_host_and_scheme(x)`` followed by ``return``) cleaning
the guarded name on the surviving path. Parameters start as weak taints, so a
function's run is also its summary: which parameters reach its return value
and which reach sinks. Work is bounded per file (``BUDGET`` node visits).

Calls of helpers imported from other workspace modules replay those modules'
summaries (``summaries.SummaryProvider``, passed in by the front end); a result
then depends on the helpers' content too (``FileTaint.dependencies``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tree_sitter import Node

from backend_lsp.analysis.model import FlowStep
from backend_lsp.analysis.python.imports import import_aliases, qualified_name
from backend_lsp.analysis.python.index import SourceMemo
from backend_lsp.analysis.python.nodes import (
    call_arguments,
    call_name,
    decorators,
    node_text,
    parameter_name,
    walk,
)
from backend_lsp.analysis.taint import tables, urls, views
from backend_lsp.analysis.taint.consts import UNKNOWN, fold
from backend_lsp.analysis.taint.facts import Facts
from backend_lsp.analysis.taint.flow import UNKNOWN_ORIGIN, Flow, Taint, merge
from backend_lsp.analysis.taint.memo import (
    Entry,
    FunctionMemo,
    Helper,
    ModuleKey,
    Move,
    Moves,
    PortableFlow,
    PortableSummary,
    moves_of,
    shift_taint,
)
from backend_lsp.analysis.taint.outline import outline
from backend_lsp.analysis.taint.summaries import (
    Dependency,
    ExternalFlow,
    ExternalFunction,
    ExternalModule,
    Imported,
    SummaryProvider,
    candidates,
    module_imports,
)
from backend_lsp.analysis.taint.tables import BUILTIN, TaintTables
from backend_lsp.analysis.taint.xml_parsers import parser_argument, resolves_no_entities
from backend_lsp.text import Encoding, LineIndex

BUDGET = 200_000
MAX_MODULE_LOOKUPS = 64  # distinct imported modules one file may consult
_COMBINING = frozenset({"format", "join", "replace", "format_map", "__add__"})
_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault"})
_ABORTS = frozenset({"abort", "exit", "_exit", "fail", "raise_for_status"})
# ``validate_session_id(sid)`` / ``self._validate_payload(policy, data)`` as a statement:
# a project validator that raises on bad input; what it was given is clean after it.
_VALIDATOR = re.compile(r"_?validate(?:_\w+)?")


class _OutOfBudget(Exception):
    pass


class _Shared(Exception):
    """A replayed function's fact key was written by another source too: the eager copy
    merged them in run order, which ``Facts`` layers do not keep."""


class _Reordered(Exception):
    """The budget ran out in a run that summarised helpers ahead: where a live run stops
    depends on the order work was done in, so the file is analysed again in order."""


@dataclass
class _Env:
    taints: dict[str, Taint | None] = field(default_factory=dict)
    consts: dict[str, Any] = field(default_factory=dict)
    # name -> the guard call whose result it holds (``ok = url_has_allowed_host_and_scheme(u)``)
    guards: dict[str, Node] = field(default_factory=dict)
    # name -> the text of the URL it holds the parts of (``parts = urlparse(target)``)
    parsed: dict[str, str] = field(default_factory=dict)
    # name -> the class of this file it holds an instance of, and the call that made it
    # (``repo = UserRepo(...)``: its attributes are what that call's ``__init__`` stored)
    instances: dict[str, tuple[str, int]] = field(default_factory=dict)

    def copy(self) -> _Env:
        return _Env(
            dict(self.taints),
            dict(self.consts),
            dict(self.guards),
            dict(self.parsed),
            dict(self.instances),
        )

    def bind(self, name: str, taint: Taint | None, const: Any = UNKNOWN) -> None:
        for key in [k for k in self.taints if k.startswith((name + "[", name + "."))]:
            del self.taints[key]
        self.taints[name] = taint
        self.parsed.pop(name, None)
        self.instances.pop(name, None)
        if const is UNKNOWN:
            self.consts.pop(name, None)
        else:
            self.consts[name] = const

    def clean(self, name: str, categories: frozenset[str]) -> None:
        taint = self.taints.get(name)
        if taint is not None:
            self.taints[name] = None if categories >= tables.ALL else taint.clear(categories)


def _join(a: _Env, b: _Env) -> _Env:
    out = _Env()
    for key in a.taints.keys() | b.taints.keys():
        out.taints[key] = merge(a.taints.get(key), b.taints.get(key))
    for key, value in a.consts.items():
        if key in b.consts and b.consts[key] == value:
            out.consts[key] = value
    for key, guard in a.guards.items():
        if b.guards.get(key) is guard:
            out.guards[key] = guard
    for key, url in a.parsed.items():
        if b.parsed.get(key) == url:
            out.parsed[key] = url
    for key, cls in a.instances.items():
        if b.instances.get(key) == cls:
            out.instances[key] = cls
    return out


@dataclass
class Summary:
    params: list[str]
    returns: Taint | None = None
    param_flows: list[Flow] = field(default_factory=list)
    # Per parameter reaching a return: what every return of it cleans. ``returns`` merges
    # the returns, so ``return reverse(kwargs=k)`` and ``return cache_hit`` would lose it.
    cleared_by_param: dict[int, frozenset[str]] = field(default_factory=dict)

    def cleared_for(self, index: int) -> frozenset[str]:
        returned = self.returns
        return self.cleared_by_param.get(index, returned.cleared if returned else frozenset())

    def note_return(self, taint: Taint) -> None:
        for index in taint.params:
            known = self.cleared_by_param.get(index)
            cleared = taint.cleared_for(index)
            self.cleared_by_param[index] = cleared if known is None else known & cleared


@dataclass
class _Trace:
    """What one function's live run did, to memoise it (``taint/memo.py``)."""

    work: int
    records: list[Flow] = field(default_factory=list)
    facts: set[tuple[int, int]] = field(default_factory=set)
    unresolved: set[str] = field(default_factory=set)
    helpers: dict[str, Node] = field(default_factory=dict)  # local helpers it resolved
    nested: int = 0  # budget ticks spent summarising helpers during the run
    pure: bool = True  # asked no summary provider


@dataclass
class FileTaint:
    """The flows of one file; build with ``file_taint``."""

    flows: list[Flow]
    weak_flows: list[Flow]
    facts: Facts
    # Imported modules whose summaries were used (path, content digest), transitively.
    dependencies: frozenset[Dependency] = frozenset()
    linked: bool = False  # computed with a summary provider
    # Computed for a views module: view-ness falls back on the file's name (``taint.views``),
    # so a memoised result is only reused for a path of the same kind.
    views_module: bool = False

    def fact(self, node: Node) -> tuple[bool, Taint | None]:
        """(was the expression evaluated, its taint) — for rules that judge a built string."""
        return self.facts.lookup((node.start_byte, node.end_byte))

    def signature(self, source: bytes) -> frozenset[tuple[Any, ...]]:
        """Offset-free identity of the flows: a helper edit that changes a caller's flows
        changes this, so incremental analysis cannot reuse the caller's stale findings."""
        return frozenset(
            (
                f.category,
                f.sink,
                node_text(source, f.arg),
                f.taint.source,
                len(f.taint.steps),
                tuple(s.message for s in f.tail),
            )
            for f in self.flows
        )

    def flows_for(self, category: str) -> list[Flow]:
        return [f for f in self.flows if f.category == category]


def file_taint(
    source: bytes,
    root: Node,
    taint_tables: TaintTables = BUILTIN,
    summaries: SummaryProvider | None = None,
    path: str = "",
    *,
    function_memo: bool = True,
) -> FileTaint:
    """Flows of the file, computed once per document version and tables, shared by every rule.

    ``taint_tables`` are the analysis context's (built-in plus the project's rows);
    ``summaries`` resolves imported workspace helpers for ``path`` (None: within the
    file only). A memoised result is reused while the helpers it read are unchanged.
    ``function_memo=False``: keep no per-function results (``taint/memo.py``) for later
    edits; a batch run sees each function once, so building them never pays.
    ``BACKEND_LSP_TAINT=off`` turns the engine off (no flows, no facts) so benchmarks can
    measure what it costs; rules then fall back to their syntactic checks.
    """
    if os.environ.get("BACKEND_LSP_TAINT", "on").lower() == "off" or not _may_read_requests(
        source, taint_tables
    ):
        return FileTaint([], [], Facts())
    memo = _memo(taint_tables)
    result = memo.peek(source, root) if _memo_on() else None
    if (
        result is None
        or result.linked != (summaries is not None)
        or result.views_module != views.views_module(path)
        or (summaries is not None and not summaries.current(result.dependencies))
    ):
        result = _run(_Analysis(source, root, taint_tables, summaries, path, memo=function_memo))
        memo.put(source, root, result)
    if summaries is not None:
        summaries.note(path, result.dependencies)
    return result


def _run(analysis: _Analysis) -> FileTaint:
    """``analysis.run()``, again in definition order if it summarised helpers ahead when
    the budget ran out, and again copying replayed facts if two sources shared a key."""
    try:
        return analysis.run()
    except _Reordered:
        again = analysis.again()
        again.ahead = False
        return _run(again)
    except _Shared:
        again = analysis.again()
        again.ahead, again.lazy = analysis.ahead, False
        return _run(again)


class ModuleExports:
    """A module's top-level function summaries for callers in other files, made on demand.

    Exactly what summarising every function in definition order (module block first,
    one budget for the module) gives, paused after the last function asked for so far:
    an importer that uses one helper no longer pays for the module's other functions,
    and a summary never depends on which names were asked for first. ``label`` names
    the file in step messages (``app/services.py:12``). Functions are summarised as
    helpers (never as views): their callers say where the data comes from.
    """

    def __init__(
        self,
        source: bytes,
        root: Node,
        taint_tables: TaintTables,
        summaries: SummaryProvider | None,
        path: str,
        label: str,
    ) -> None:
        self._analysis: _Analysis | None = _Analysis(
            source, root, taint_tables, summaries, path, exporting=True
        )
        self._lines = LineIndex(source)
        self._dependencies: frozenset[Dependency] = frozenset()  # once released
        self._path, self._label = path, label
        self._defs: list[tuple[str, Node]] = []
        for child in root.named_children:
            function = (
                child.child_by_field_name("definition")
                if child.type == "decorated_definition"
                else child
            )
            if function is not None and function.type == "function_definition":
                self._defs.append(
                    (node_text(source, function.child_by_field_name("name")), function)
                )
        # A name defined twice exports its last definition (the dict kept the last write).
        self.last: dict[str, int] = {name: i for i, (name, _) in enumerate(self._defs)}
        self._count = len(self._defs)
        self._out: dict[str, ExternalFunction] = {}
        self.position = 0  # functions exported (or tried) so far, in definition order
        self._started = False
        self.stopped = False  # the budget ran out: nothing more is exported

    def step(self) -> bool:
        """Export the function at ``position`` (the module block runs first); False once
        the budget ran out or every function is done."""
        analysis = self._analysis
        if self.finished or analysis is None:
            return False
        try:
            if not self._started:
                self._started = True
                analysis.block(analysis.root, analysis.module_env)
            name, function = self._defs[self.position]
            self.position += 1
            self._out[name] = _export(
                analysis.summary(function), self._lines, self._path, self._label
            )
        except _OutOfBudget:
            self.stopped = True
            return False
        return True

    @property
    def finished(self) -> bool:
        return self.stopped or self.position >= self._count

    def release(self) -> None:
        """Once ``finished``: keep the summaries, let the tree and the analysis go."""
        if self.finished and self._analysis is not None:
            self._dependencies = self.dependencies
            self._analysis = None
            self._defs = []

    def function(self, name: str) -> ExternalFunction | None:
        """``name``'s summary as exported so far (None: not exported, or not a function)."""
        return self._out.get(name)

    @property
    def dependencies(self) -> frozenset[Dependency]:
        """Imported modules whose summaries the functions exported so far used."""
        analysis = self._analysis
        return self._dependencies if analysis is None else frozenset(analysis.dependencies)


_LINE_IN_MESSAGE = re.compile(r"\(line (\d+)\)")


def _export(summary: Summary, lines: LineIndex, path: str, label: str) -> ExternalFunction:
    def foreign(step: FlowStep) -> FlowStep:
        if step.path is not None:
            return step
        start = lines.position(step.start, Encoding.UTF32)
        end = lines.position(step.end, Encoding.UTF32)
        message = _LINE_IN_MESSAGE.sub(lambda m: f"({label}:{m.group(1)})", step.message)
        place = (start.line, start.character, end.line, end.character)
        return FlowStep(step.start, step.end, message, path, place)

    flows: dict[tuple[str, int, int, frozenset[int]], ExternalFlow] = {}
    seen: set[tuple[str, int, int, frozenset[int]]] = set()
    for flow in summary.param_flows:
        key = (*flow.key, flow.taint.params)
        if key in seen:
            continue
        seen.add(key)
        steps = tuple(
            foreign(s)
            for s in flow.steps()
            if s.path is not None or not s.message.startswith("parameter ")
        )
        at = flow.at or f"{label}:{flow.call.start_point[0] + 1}"
        # One flow per set of parameters the sink cleans alike (``shlex.quote(a) + b``).
        alike: dict[frozenset[str], set[int]] = {}
        for index in sorted(flow.taint.params):
            alike.setdefault(flow.taint.cleared_for(index), set()).add(index)
        for cleared, params in alike.items():
            flows.setdefault(
                (*flow.key, frozenset(params)),
                ExternalFlow(flow.category, flow.sink, frozenset(params), cleared, steps, at),
            )
    returned = summary.returns
    if returned is None:
        return ExternalFunction(tuple(summary.params), tuple(flows.values()))
    return ExternalFunction(
        tuple(summary.params),
        tuple(flows.values()),
        {index: summary.cleared_for(index) for index in returned.params},
        returned.cleared,
        None if returned.weak else returned.source,
        () if returned.weak else tuple(foreign(s) for s in returned.steps),
    )


# Where a ``Location`` header is set by hand: ``resp.headers`` (Flask, Starlette) or a
# Django response indexed directly (``response["Location"] = url``).
_RESPONSE_HEADERS = re.compile(r"(?:^|\.)(?:headers|\w*resp(?:onse)?\w*)$")
# ``Depends(get_filter)`` / ``Annotated[str, Depends(get_filter)]``: the dependency's name.
_DEPENDS = re.compile(r"\bDepends\(\s*([A-Za-z_]\w*)\s*[,)]")
# What an allow-list test of a URL's host proves: where it sends a request or a visitor.
_HOST_CHECKED = frozenset({tables.SSRF, tables.REDIRECT})

# ``request`` as code (``request.GET``, ``def view(request, pk)``, ``helper(request)``), not
# ``requests``, ``request_id`` or a docstring's "sends a request to": on a site-packages
# tree the loose test let in four times the files, none of them with a flow.
_SOURCE_MARKERS = re.compile(
    rb"\brequest(?:\.[A-Za-z_]|\s*[,)\]:=])|(?<![\w.])input\("
    rb"|@[\w.]+\.(?:get|post|put|patch|delete|route|api_route|websocket)\("
)


def _may_read_requests(source: bytes, taint_tables: TaintTables) -> bool:
    """Files that cannot see request data (no ``request``, no route decorator) skip the engine."""
    if _SOURCE_MARKERS.search(source) is not None:
        return True
    return any(marker in source for marker in taint_tables.extra_source_markers)


_Memo = TypeVar("_Memo")
_MEMO_TABLES = 8  # distinct project tables memoised at once (one per live config)
_MEMOS: dict[TaintTables, SourceMemo[FileTaint]] = {}  # a direct walk, not node_index
_FUNCTION_MEMOS: dict[TaintTables, FunctionMemo] = {}
_MEMOS_LOCK = threading.Lock()


def _memo_on() -> bool:
    """``BACKEND_LSP_TAINT_MEMO=off``: nothing memoised is read (tests' full-run oracle)."""
    return os.environ.get("BACKEND_LSP_TAINT_MEMO", "on").lower() != "off"


def _function_memo(taint_tables: TaintTables) -> FunctionMemo:
    """Per-function results computed with ``taint_tables`` (never crossing tables)."""
    return _per_tables(_FUNCTION_MEMOS, taint_tables, FunctionMemo)


def _memo(taint_tables: TaintTables) -> SourceMemo[FileTaint]:
    """The memo of flows computed with ``taint_tables``: results never cross tables."""
    return _per_tables(_MEMOS, taint_tables, lambda: SourceMemo[FileTaint](regional=False))


def _per_tables(
    store: dict[TaintTables, _Memo], taint_tables: TaintTables, make: Callable[[], _Memo]
) -> _Memo:
    """``store``'s memo for ``taint_tables``, made on first use; at most ``_MEMO_TABLES`` kept."""
    with _MEMOS_LOCK:
        memo = store.get(taint_tables)
        if memo is None:
            if len(store) >= _MEMO_TABLES:
                del store[next(iter(store))]
            memo = store[taint_tables] = make()
        return memo


class _Analysis:
    def __init__(
        self,
        source: bytes,
        root: Node,
        taint_tables: TaintTables,
        summaries: SummaryProvider | None = None,
        path: str = "",
        *,
        exporting: bool = False,
        memo: bool = True,
    ) -> None:
        self.source = source
        self.root = root
        self.tables = taint_tables
        self.summaries_provider = summaries
        self.path = path
        self.exporting = exporting  # summarising for other files: no function is a view
        self._imports: dict[str, Imported] | None = None
        self.modules: dict[tuple[int, str], ExternalModule | None] = {}
        self.dependencies: set[Dependency] = set()
        self.aliases = import_aliases(source, root)
        found = outline(source, root, remember=_memo_on() and memo)
        self.functions: dict[str, Node] = found.functions  # any depth, last one wins
        self.called: set[str] = found.called  # plain names the file calls: helpers
        self.body_models = found.models  # pydantic models: FastAPI request bodies
        self.summaries: dict[int, Summary] = {}
        self.active: set[int] = set()
        self.flows: dict[tuple[str, int, int], Flow] = {}
        self.weak: dict[tuple[str, int, int], Flow] = {}
        self.facts: dict[tuple[int, int], Taint | None] = {}  # written by live runs
        self.fact_store = Facts(self.facts)  # and the replayed functions' layers
        self.lazy = memo  # replays add layers (False: they copy their facts in)
        self.work = 0
        self.current: Summary | None = None
        self.function: Node | None = None  # the function whose body runs live
        self._html: dict[int, bool] = {}  # a route's str return is an HTML page
        self._frameworks: set[str] | None = None  # top-level packages the file imports
        self.module_env = _Env()
        # Expression texts a guard cleaned: module-level ones, and the function's own
        # (each function sees only these, so its results do not depend on run order).
        self.module_guarded: set[str] = set()
        self.guarded = self.module_guarded
        self.trace: _Trace | None = None  # the function being analysed live, if memoisable
        self.memo = _function_memo(taint_tables) if _memo_on() and memo else FunctionMemo(0)
        self.memoising = memo  # False: no memo keys, no traces (nothing would read them)
        self._module_key: ModuleKey | None = None  # set once the module block ran
        self._request_params: dict[tuple[str, str], bool] = {}
        self._enums_read = False  # a parameter's kind read the Enum classes
        self._dependency_views: set[int] = set()  # views whose parameters read a dependency
        self._classes: dict[str, dict[str, Node]] | None = None  # made on first use
        # start byte of a call making an instance -> what its ``__init__`` stored per attribute
        self._made: dict[int, dict[str, Taint | None]] = {}
        self._enums: frozenset[str] | None = None  # the file's Enum classes
        self._routes: views.Routes | None = None  # views this file's route calls name
        self._workspace_routes: views.Routes | None = None  # and the workspace's urls.py
        self._typed: dict[int, frozenset[str]] = {}  # a view's parameters its routes convert
        # Helpers defined below a memoised caller, summarised ahead from their own memo
        # entries so the caller replays too (``helper_moves``); off in a second run.
        self.ahead = memo
        self.reordered = False  # a helper was summarised ahead of its definition order
        self._replaying: set[int] = set()  # functions whose memo replay is under way

    def text(self, node: Node | None) -> str:
        return node_text(self.source, node)

    def again(self) -> _Analysis:
        """A fresh analysis of the same file with the same settings."""
        return _Analysis(
            self.source,
            self.root,
            self.tables,
            self.summaries_provider,
            self.path,
            exporting=self.exporting,
            memo=self.memoising,
        )

    def fact(self, node: Node) -> Taint | None:
        """The taint ``node`` was evaluated to (None if never evaluated)."""
        return self.fact_store.get((node.start_byte, node.end_byte))

    def run(self) -> FileTaint:
        try:
            self.block(self.root, self.module_env)
            if self.memoising:
                self._module_key = self.module_key()
            for function in self.functions.values():
                self.summary(function)
        except _OutOfBudget:
            if self.reordered:
                raise _Reordered from None
        if self.fact_store.shared():
            raise _Shared
        return FileTaint(
            list(self.flows.values()),
            list(self.weak.values()),
            self.fact_store,
            frozenset(self.dependencies),
            self.summaries_provider is not None,
            views.views_module(self.path),
        )

    # Functions -------------------------------------------------------------------------

    def summary(self, function: Node) -> Summary:
        known = self.summaries.get(function.id)
        if known is not None:
            return known
        outer, started = self.trace, self.work
        try:
            return self._summary(function)
        finally:
            if outer is not None:  # the caller's own work excludes its helpers'
                outer.nested += self.work - started

    def _summary(self, function: Node) -> Summary:
        text, kinds = self.param_kinds(function)
        summary = Summary([name for name, _ in kinds])
        if function.id in self.active:
            return summary
        key = self.function_key(function, text, kinds)
        if key is not None:
            entry = self.memo.get(key)
            if entry is not None and self.replay_memo(function, entry, summary):
                self.summaries[function.id] = summary
                return summary
        params, env = self.parameters(function)
        with self.running(function, summary, _Trace(self.work) if key is not None else None):
            for name, taint in params:
                env.bind(name, taint)
            body = function.child_by_field_name("body")
            if body is not None:
                self.block(body, env)
            trace = self.trace
            if key is not None and trace is not None and trace.pure:
                entry = self.entry(function, summary, trace)
                if entry is not None:
                    self.memo.put(key, entry)
        self.summaries[function.id] = summary
        return summary

    @contextlib.contextmanager
    def running(self, function: Node, summary: Summary, trace: _Trace | None) -> Iterator[None]:
        """The state of a live run of ``function``'s body (what it returns goes to
        ``summary``, what it does to ``trace``), restored when it ends."""
        self.active.add(function.id)
        outer, self.current = self.current, summary
        outer_function, self.function = self.function, function
        outer_trace, self.trace = self.trace, trace
        outer_guarded, self.guarded = self.guarded, set(self.module_guarded)
        try:
            yield
        finally:
            self.current = outer
            self.function = outer_function
            self.trace = outer_trace
            self.guarded = outer_guarded
            self.active.discard(function.id)

    def module_key(self) -> ModuleKey:
        """What every function's run reads of the module (imports, module names, guards)."""
        env = self.module_env
        taints = tuple(sorted(env.taints.items(), key=lambda item: item[0]))
        return self.memo.module_key(
            (
                tuple(sorted(self.aliases.items())),
                taints,
                repr(sorted(env.consts.items(), key=lambda item: item[0])),
                frozenset(self.module_guarded),
                self.summaries_provider is not None,
                self.exporting,
            )
        )

    def param_kinds(self, function: Node) -> tuple[bytes, tuple[tuple[str, int], ...]]:
        """``function``'s text and its parameters with their kinds (0 clean, 1 plain,
        2 request data), remembered across versions by text, view-ness and the file's
        body models: a replayed function needs only these, not ``parameters``' taints.
        Kinds that read the file's Enum classes are not remembered (they are not keyed)."""
        text = self.source[function.start_byte : function.end_byte]
        view = self.is_view(function)
        key = (text, view, self.body_models, self.typed_params(function) if view else None)
        kinds = self.memo.kinds(key)
        if kinds is None:
            params, _ = self.parameters(function)
            kinds = tuple(
                (name, 0 if taint is None else 1 if taint.weak else 2) for name, taint in params
            )
            if not self._enums_read:
                self.memo.put_kinds(key, kinds)
        return text, kinds

    def function_key(
        self, function: Node, text: bytes, kinds: tuple[tuple[str, int], ...]
    ) -> tuple[Any, ...] | None:
        """The memo key of ``function``'s run, None while the module block still runs (and
        always when not memoising, and in module summaries: no key, no trace). Its
        decorators are outside ``text``: what they decide (an HTML route) is in the key."""
        module = self._module_key
        if module is None or function.id in self._dependency_views:
            return None  # a view reading a dependency's summary: its results are not keyed
        return (text, kinds, module, self.serves_html(function))

    def portable(self, summary: Summary) -> PortableSummary:
        return PortableSummary(
            tuple(summary.params),
            summary.returns,
            tuple(sorted(summary.cleared_by_param.items())),
            tuple(PortableFlow.of(flow) for flow in summary.param_flows),
        )

    def entry(self, function: Node, summary: Summary, trace: _Trace) -> Entry | None:
        """The memo entry of a live run; None when a helper it read had no summary yet
        (recursion: it saw the empty summary of a function still running)."""
        helpers: list[Helper] = []
        for name, node in trace.helpers.items():
            known = self.summaries.get(node.id)
            if known is None:
                return None
            helpers.append(
                Helper(
                    name, node.start_byte, node.end_byte, node.start_point[0], self.portable(known)
                )
            )
        facts, store = self.facts, self.fact_store
        if any(store.in_layer(key) for key in trace.facts):
            return None  # merged with a replayed fact: run() finds it and starts over
        return Entry(
            function.start_byte,
            function.end_byte,
            function.start_point[0],
            summary.returns,
            tuple(summary.cleared_by_param.items()),
            tuple(PortableFlow.of(flow) for flow in trace.records),
            {key: facts.get(key) for key in trace.facts},
            frozenset(trace.unresolved),
            self.work - trace.work - trace.nested,
            tuple(helpers),
            _span(trace.facts),
        )

    def replay_memo(self, function: Node, entry: Entry, summary: Summary) -> bool:
        """Apply a memoised run of ``function`` moved to its place; False if it cannot be
        (a name it looked up now resolves, the budget would run out in it, a node moved)."""
        if any(name in self.functions for name in entry.unresolved):
            return False
        if self.work + entry.work > BUDGET:
            return False  # the live run stops inside this function: let it
        if function.id in self._replaying:
            return False  # a helper cycle: the live run resolves it
        self._replaying.add(function.id)
        try:
            return self._replay(function, entry, summary)
        finally:
            self._replaying.discard(function.id)

    def _replay(self, function: Node, entry: Entry, summary: Summary) -> bool:
        delta = function.start_byte - entry.start
        own = Move(entry.start, entry.end, delta, function.start_point[0] - entry.line)
        found = self.helper_moves(own, entry.helpers) if entry.helpers else own
        if found is None:
            return False
        move: Moves = found
        flows: list[Flow] = []
        for portable in entry.records:
            flow = portable.flow(self.root, move)
            if flow is None:
                return False
            flows.append(flow)
        self.work += entry.work
        # Recorded for this function as its live run would (into its summary, not into
        # the trace of a caller being run live around it).
        outer, self.current = self.current, summary
        outer_trace, self.trace = self.trace, None
        try:
            for flow in flows:
                self.record(flow)
        finally:
            self.current = outer
            self.trace = outer_trace
        summary.returns = shift_taint(entry.returns, move)
        summary.cleared_by_param = dict(entry.cleared_by_param)
        if self.lazy:
            self.fact_store.add(entry.facts, entry.span, delta, move)
            return True
        facts = self.facts
        moved = (  # facts are the function's own expressions: keys move with it
            entry.facts
            if all(m.delta == 0 and m.lines == 0 for m in moves_of(move))
            else {
                (start + delta, end + delta): taint
                if taint is None or not taint.steps
                else shift_taint(taint, move)
                for (start, end), taint in entry.facts.items()
            }
        )
        if facts.keys().isdisjoint(moved):  # the common case, at C speed
            facts.update(moved)
            return True
        for key, taint in moved.items():
            facts[key] = merge(facts.get(key), taint) if key in facts else taint
        return True

    def helper_moves(self, own: Move, helpers: tuple[Helper, ...]) -> tuple[Move, ...] | None:
        """The moves of the function and of each helper it read, or None unless every
        helper is already summarised (a live run would not run it either: same budget
        ticks) to what it was, moved by its own displacement."""
        moves = [own]
        for helper in helpers:
            node = self.functions.get(helper.name)
            known = None if node is None else self.summaries.get(node.id)
            if node is not None and known is None and self.replay_ahead(node):
                known = self.summaries.get(node.id)
            if node is None or known is None:
                return None
            move = Move(
                helper.start,
                helper.end,
                node.start_byte - helper.start,
                node.start_point[0] - helper.line,
            )
            if self.portable(known) != helper.summary.moved(move):
                return None
            moves.append(move)
        return tuple(moves)

    def replay_ahead(self, function: Node) -> bool:
        """Summarise a helper not met yet (defined below its caller) from its memo entry
        alone, never live, so the caller can replay instead of re-running. Without an
        exhausted budget the order functions are summarised in changes nothing (each
        runs on its own: module context plus parameters); with one, ``run`` says so
        (``_Reordered``) and the file is analysed again in definition order."""
        if not self.ahead or function.id in self.active or function.id in self._replaying:
            return False
        text, kinds = self.param_kinds(function)
        key = self.function_key(function, text, kinds)
        entry = self.memo.get(key) if key is not None else None
        if entry is None:
            return False
        summary = Summary([name for name, _ in kinds])
        if not self.replay_memo(function, entry, summary):
            return False
        self.summaries[function.id] = summary
        self.reordered = True
        return True

    def parameters(self, function: Node) -> tuple[list[tuple[str, Taint | None]], _Env]:
        env = _Env(dict(self.module_env.taints), dict(self.module_env.consts))
        node = function.child_by_field_name("parameters")
        view = self.is_view(function)
        typed = self.typed_params(function) if view else frozenset()
        out: list[tuple[str, Taint | None]] = []
        index = 0
        for param in node.named_children if node is not None else ():
            name_node = param if param.type == "identifier" else param.child_by_field_name("name")
            if name_node is None and param.named_children:
                name_node = param.named_children[0]
            if name_node is None or name_node.type != "identifier":
                continue
            name = self.text(name_node)
            if name in ("self", "cls") and index == 0 and not out:
                continue
            annotation = self.text(param.child_by_field_name("type"))
            default = self.text(param.child_by_field_name("value"))
            line = param.start_point[0] + 1
            taint: Taint | None
            body_model = annotation.split("[")[-1].strip("] ") in self.body_models
            if (
                view
                and name != "request"
                and name not in typed
                and (body_model or self.request_param(annotation, default))
            ):
                taint = Taint(
                    f"route parameter {name}",
                    (
                        FlowStep(
                            param.start_byte,
                            param.end_byte,
                            f"route parameter `{name}` (line {line})",
                        ),
                    ),
                )
            elif view and name != "request":
                # typed/injected (int, Session, Depends(...)): validated or not user data,
                # unless a dependency of this file hands the request's own values on
                taint = self.dependency_value(function, param, annotation, default)
            else:
                taint = Taint(
                    f"parameter {name}",
                    (
                        FlowStep(
                            param.start_byte, param.end_byte, f"parameter `{name}` (line {line})"
                        ),
                    ),
                    weak=True,
                    params=frozenset({index}),
                )
            out.append((name, taint))
            index += 1
        return out, env

    def is_view(self, function: Node) -> bool:
        if self.exporting:
            return False
        for decorator in decorators(function):
            name = views.decorator_name(self.source, decorator)
            if name in tables.ROUTE_DECORATORS or name in views.VIEW_DECORATORS:
                return True
        params = function.child_by_field_name("parameters")
        names = [
            self.text(p).split(":")[0].strip() for p in (params.named_children if params else ())
        ]
        method = bool(names) and names[0] in ("self", "cls")
        names = [n for n in names if n not in ("self", "cls")]
        if not names or names[0] != "request":
            return False
        # ``request`` first makes a view only where the framework calls it: a function the
        # file calls itself, or a method that is not an HTTP handler, is a helper whose
        # other parameters come from its (view) caller, already checked there.
        name = self.text(function.child_by_field_name("name"))
        if method:
            return name in tables.VIEW_METHODS
        if name in self.called or name.startswith("_"):
            return False
        return self.routed(name)

    def routed(self, name: str) -> bool:
        """A route names the function (this file's or the workspace's ``urls.py``); with no
        route known anywhere (one file in an editor), a function of a views module is one."""
        routes = self.load_routes()
        if name in routes:
            return True
        if self._workspace_routes is not None:
            return name in self._workspace_routes
        return views.views_module(self.path)

    def load_routes(self) -> views.Routes:
        """The file's route calls, and once the workspace's ``urls.py`` routes (read once)."""
        if self._routes is None:
            self._routes = views.routed_names(self.source, self.root)
            found = self.summaries_provider.routed() if self.summaries_provider else None
            if found is not None:
                self._workspace_routes = found[0]
                self.dependencies |= found[1]
        return self._routes

    def serves_html(self, function: Node) -> bool:
        """The function is a route whose ``str`` return is sent as an HTML page."""
        known = self._html.get(function.id)
        if known is None:
            if self._frameworks is None:
                self._frameworks = {q.split(".", 1)[0] for q in self.aliases.values()}
            known = self._html[function.id] = not self.exporting and views.serves_html(
                self.source,
                decorators(function),
                lambda name: qualified_name(name, self.aliases),
                self._frameworks,
            )
        return known

    def typed_params(self, function: Node) -> frozenset[str]:
        """A view's parameters its URL patterns convert to a number or UUID (Flask's
        ``<int:id>`` on the route decorator, Django's ``path("<int:pk>/", view)``): the
        framework rejects any other text, so they carry none."""
        known = self._typed.get(function.id)
        if known is not None:
            return known
        routes = [
            d
            for d in decorators(function)
            if views.decorator_name(self.source, d) in tables.ROUTE_DECORATORS
        ]
        patterns: list[views.RouteParams] = []
        if routes:  # the decorator is the route: no ``path()`` call names this function
            patterns.append(views.decorator_params(self.source, routes))
        else:
            name = self.text(function.child_by_field_name("name"))
            for found in (self.load_routes(), self._workspace_routes or {}):
                if name in found:
                    patterns.append(found[name])
        merged = views.merge_params(patterns)
        typed = frozenset(param for param, converted in merged.items() if converted)
        self._typed[function.id] = typed
        return typed

    def dependency_value(
        self, view: Node, param: Node, annotation: str, default: str
    ) -> Taint | None:
        """``where: str = Depends(region_filter)`` with ``region_filter`` a function of this
        file: FastAPI fills its parameters from the request as it does a route's, so what it
        returns of them (or of the request) is request data in the view."""
        found = _DEPENDS.search(default) or _DEPENDS.search(annotation)
        if found is None:
            return None
        dependency = found.group(1)
        helper = self.functions.get(dependency)
        if helper is None or helper.id in self.active:
            return None
        self._enums_read = True  # the kind reads another function: not remembered by text
        self._dependency_views.add(view.id)
        summary = self.summary(helper)
        returned = summary.returns
        if returned is None:
            return None
        line = param.start_point[0] + 1
        step = FlowStep(
            param.start_byte,
            param.end_byte,
            f"route parameter `{self.text(param)}` filled by `{dependency}()` (line {line})",
        )
        if not returned.weak:
            return Taint(returned.source, (*returned.steps[:12], step), returned.cleared)
        # the dependency's parameters FastAPI reads from the request, by summary index
        node = helper.child_by_field_name("parameters")
        declared = {
            parameter_name(self.source, item): (
                self.text(item.child_by_field_name("type")),
                self.text(item.child_by_field_name("value")),
            )
            for item in (node.named_children if node is not None else ())
        }
        requested = {
            i
            for i, name in enumerate(summary.params)
            if name in declared and self.request_param(*declared[name])
        }
        hit = sorted(returned.params & requested)
        if not hit:
            return None
        cleared = summary.cleared_for(hit[0])
        return Taint(f"route parameter {self.text(param)}", (step,), cleared)

    def request_param(self, annotation: str, default: str) -> bool:
        """Does a view parameter so declared carry request data (memoised per run: most
        views of a file repeat a few declarations, and this was a tenth of an edit)."""
        known = self._request_params.get((annotation, default))
        if known is None:
            known = self._request_params[(annotation, default)] = self._request_param(
                annotation, default
            )
        return known

    def _request_param(self, annotation: str, default: str) -> bool:
        if self.validated_type(annotation):
            return False
        if any(
            default.startswith(m + "(") or default.startswith("fastapi." + m)
            for m in tables.ROUTE_PARAM_MARKERS
        ):
            return annotation.split("[")[0] not in ("int", "float", "bool", "UUID", "uuid.UUID")
        if default.startswith("Depends") or "Depends(" in annotation:
            return False
        base = annotation.split("[")[0].strip()
        if "UploadFile" in annotation:
            return True  # an uploaded file: its name, its content type and what it reads
        return base in ("", "str", "Optional", "bytes", "dict", "list", "Any", "Request") or (
            base.startswith("Annotated")
            and not any(t in annotation for t in ("int", "float", "UUID"))
        )

    def validated_type(self, annotation: str) -> bool:
        """FastAPI converts the value to this type or rejects the request: a number, date,
        UUID, ``Literal[...]`` choice or Enum member (``Optional``/``Annotated``/``| None``
        around one too) never carries the caller's text."""
        text = annotation.strip()
        for wrapper in ("Optional[", "typing.Optional[", "Annotated[", "typing.Annotated["):
            if text.startswith(wrapper) and text.endswith("]"):
                return self.validated_type(_top_level(text[len(wrapper) : -1], ",")[0])
        union = _top_level(text, "|")
        if len(union) > 1:
            kinds = [k.strip() for k in union if k.strip() != "None"]
            return bool(kinds) and all(self.validated_type(k) for k in kinds)
        base = text.split("[", 1)[0].strip()
        if not base:
            return False
        return base in tables.VALIDATED_TYPES or self.enum_type(base)

    def enum_type(self, name: str) -> bool:
        """``name`` is an Enum class of this file or of an imported workspace module."""
        self._enums_read = True
        if self._enums is None:
            self._enums = views.enum_classes(self.source, self.root, self.imported_enum)
        return name.rsplit(".", 1)[-1] in self._enums or self.imported_enum(name)

    def imported_enum(self, name: str) -> bool:
        provider = self.summaries_provider
        if provider is None:
            return False
        if self._imports is None:
            self._imports = module_imports(self.source, self.root)
        parts = name.split(".")
        imported = self._imports.get(parts[0])
        if imported is None:
            return False
        for module, class_name in candidates(imported, parts[1:]):
            found = provider.module(self.path, imported.level, module, self.tables)
            if found is not None:
                enums, dependencies = found.enum_classes()
                self.dependencies |= dependencies
                if class_name in enums:
                    return True
        return False

    # Statements ------------------------------------------------------------------------

    def block(self, block: Node, env: _Env) -> bool:
        """Run statements in order; True when the block always leaves (return/raise/abort)."""
        return any(self.statement(statement, env) for statement in block.named_children)

    def statement(self, node: Node, env: _Env) -> bool:
        self.tick()
        kind = node.type
        if kind == "expression_statement":
            for child in node.named_children:
                self.expression_statement(child, env)
            call = node.named_children[0] if node.named_children else None
            if call is None or call.type != "call":
                return False
            method = call_name(self.source, call).rsplit(".", 1)[-1]
            if _VALIDATOR.fullmatch(method):
                self.validated(call, env)
            return method in _ABORTS
        if kind == "return_statement":
            value = node.named_children[0] if node.named_children else None
            taint = self.expr(value, env) if value is not None else None
            if (
                taint is not None
                and value is not None
                and self.function is not None
                and taint.live(tables.XSS)
                and self.serves_html(self.function)
            ):
                body = views.built_string(self.source, value)
                held = self.fact(body) if body is not None else None
                if body is not None and held is not None and held.live(tables.XSS):
                    self.record(Flow(tables.XSS, node, body, "a view's text/html response", held))
            if self.current is not None and taint is not None and value is not None:
                self.current.note_return(taint)
                self.current.returns = merge(
                    self.current.returns,
                    taint.via(value, f"returned (line {value.start_point[0] + 1})"),
                )
            return True
        if kind in ("raise_statement", "continue_statement", "break_statement"):
            for child in node.named_children:
                self.expr(child, env)
            return True
        if kind == "if_statement":
            return self.if_statement(node, env)
        if kind in ("for_statement", "while_statement"):
            return self.loop(node, env)
        if kind == "try_statement":
            return self.try_statement(node, env)
        if kind == "with_statement":
            for item in walk(node):
                if item.type == "with_item":
                    value = item.named_children[0] if item.named_children else None
                    if value is not None and value.type == "as_pattern":
                        inner = value.named_children[0]
                        alias = value.child_by_field_name("alias") or value.named_children[-1]
                        self.assign(alias, self.expr(inner, env), env, inner)
                    elif value is not None:
                        self.expr(value, env)
            body = node.child_by_field_name("body")
            return self.block(body, env) if body is not None else False
        if kind == "assert_statement" and node.named_children:
            self.refine(node.named_children[0], env, True)
            return False
        if kind == "match_statement":
            subject = node.child_by_field_name("subject")
            self.expr(subject, env)
            body = node.child_by_field_name("body")
            merged = env.copy()
            for case in body.named_children if body is not None else ():
                branch = env.copy()
                consequence = case.child_by_field_name("consequence")
                if consequence is not None:
                    self.block(consequence, branch)
                merged = _join(merged, branch)
            env.taints, env.consts, env.guards = merged.taints, merged.consts, merged.guards
            return False
        if kind in ("function_definition", "class_definition", "decorated_definition"):
            return False
        return False

    def validated(self, call: Node, env: _Env) -> None:
        for arg in call_arguments(call):
            if arg.type in ("identifier", "attribute", "subscript"):
                env.clean(self.text(arg), tables.ALL)

    def expression_statement(self, node: Node, env: _Env) -> None:
        if node.type == "assignment":
            right = node.child_by_field_name("right")
            left = node.child_by_field_name("left")
            if right is None or left is None:
                return
            self.assign(left, self.expr(right, env), env, right)
        elif node.type == "augmented_assignment":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None:
                return
            before = self.expr(left, env)
            added = self.expr(right, env)
            name = self.text(left)
            value: Any = UNKNOWN
            taint = merge(
                before,
                added.via(node, f"appended to `{name}` (line {node.start_point[0] + 1})")
                if added
                else None,
            )
            if left.type == "identifier":
                env.bind(name, taint, value)
            else:
                env.taints[name] = taint
        else:
            self.expr(node, env)

    def assign(self, left: Node, taint: Taint | None, env: _Env, right: Node | None) -> None:
        line = left.start_point[0] + 1
        kind = left.type
        if kind in ("pattern_list", "tuple_pattern", "list_pattern"):
            targets = left.named_children
            items = (
                right.named_children
                if right is not None and right.type in ("tuple", "list", "expression_list")
                else None
            )
            for i, target in enumerate(targets):
                if items is not None and len(items) == len(targets):
                    self.assign(
                        target,
                        self.fact(items[i]),
                        env,
                        items[i],
                    )
                else:
                    self.assign(target, taint, env, None)
            return
        name = self.text(left)
        flowing = (
            taint.via(left, f"assigned to `{name}` (line {line})") if taint is not None else None
        )
        if kind == "identifier":
            const = fold(self.source, right, env.consts) if right is not None else UNKNOWN
            env.bind(name, flowing, const)
            env.guards.pop(name, None)
            if right is not None and right.type == "call" and self.guard(right) is not None:
                env.guards[name] = right
            url = self.parsed_url(right) if right is not None else None
            if url is not None:
                env.parsed[name] = url
            made = self.constructed_class(right) if right is not None else None
            if made is not None and right is not None:
                env.instances[name] = (made, right.start_byte)
            if right is not None and right.type in ("dictionary", "list", "tuple"):
                self.bind_entries(name, right, env)
        elif kind == "subscript":
            base = left.child_by_field_name("value")
            self.expr(left.child_by_field_name("subscript"), env)  # the key's fact (BE028)
            key = fold(self.source, left.child_by_field_name("subscript"), env.consts)
            if base is not None:
                if key is not UNKNOWN:
                    env.taints[f"{self.text(base)}[{key!r}]"] = flowing
                base_name = self.text(base)
                env.taints[base_name] = merge(env.taints.get(base_name), flowing)
                if (
                    taint is not None
                    and right is not None
                    and isinstance(key, str)
                    and key.lower() == "location"
                    and _RESPONSE_HEADERS.search(base_name) is not None
                    and taint.live(tables.REDIRECT)
                ):  # ``response.headers["Location"] = target``: a redirect written by hand
                    sink = f"{base_name}[{key!r}]"
                    self.record(Flow(tables.REDIRECT, left, right, sink, taint))
        elif kind == "attribute":
            env.bind(name, flowing)

    def bind_entries(self, name: str, literal: Node, env: _Env) -> None:
        if literal.type == "dictionary":
            for pair in literal.named_children:
                if pair.type == "pair":
                    key = fold(self.source, pair.child_by_field_name("key"), env.consts)
                    value = pair.child_by_field_name("value")
                    if key is not UNKNOWN and value is not None:
                        env.taints[f"{name}[{key!r}]"] = self.fact(value)
        else:
            for i, item in enumerate(literal.named_children):
                env.taints[f"{name}[{i!r}]"] = self.fact(item)

    def if_statement(self, node: Node, env: _Env) -> bool:
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        alternatives = [c for c in node.children if c.type in ("elif_clause", "else_clause")]
        return self.branches(condition, consequence, alternatives, env)

    def branches(
        self, condition: Node | None, body: Node | None, rest: list[Node], env: _Env
    ) -> bool:
        value = fold(self.source, condition, env.consts)
        if condition is not None:
            self.expr(condition, env)
        if value is not UNKNOWN:
            if value:
                return self.block(body, env) if body is not None else False
            return self.alternatives(rest, env)
        then_env, else_env = env.copy(), env.copy()
        if condition is not None:
            self.refine(condition, then_env, True)
            self.refine(condition, else_env, False)
        then_leaves = self.block(body, then_env) if body is not None else False
        else_leaves = self.alternatives(rest, else_env)
        if then_leaves and else_leaves:
            return True
        result = else_env if then_leaves else then_env if else_leaves else _join(then_env, else_env)
        env.taints, env.consts, env.guards = result.taints, result.consts, result.guards
        return False

    def alternatives(self, rest: list[Node], env: _Env) -> bool:
        if not rest:
            return False
        first = rest[0]
        if first.type == "else_clause":
            body = first.child_by_field_name("body") or (
                first.named_children[-1] if first.named_children else None
            )
            return self.block(body, env) if body is not None else False
        return self.branches(
            first.child_by_field_name("condition"),
            first.child_by_field_name("consequence"),
            rest[1:],
            env,
        )

    def refine(self, condition: Node, env: _Env, truth: bool) -> None:
        """Clean names a condition proves safe on the branch where it has ``truth``."""
        kind = condition.type
        if kind == "parenthesized_expression" and condition.named_children:
            self.refine(condition.named_children[0], env, truth)
        elif kind == "not_operator":
            self.refine(condition.named_children[-1], env, not truth)
        elif kind == "boolean_operator":
            op = self.text(condition.child_by_field_name("operator"))
            if (op == "and") == truth:
                for side in ("left", "right"):
                    part = condition.child_by_field_name(side)
                    if part is not None:
                        self.refine(part, env, truth)
        elif kind == "comparison_operator" and condition.named_child_count == 2:
            operator = " ".join(self.text(c) for c in condition.children if not c.is_named)
            subject, other = condition.named_children
            if self.expr(other, env) is not None:
                return
            if (operator in ("in", "==", "is") and truth) or (
                operator in ("not in", "!=", "is not") and not truth
            ):
                env.clean(self.text(subject), tables.ALL)
                url = self.host_of(subject, env)
                if url is not None:  # ``urlparse(u).hostname in ALLOWED``: u's host is known
                    env.clean(url, _HOST_CHECKED)
        elif kind == "identifier" and self.text(condition) in env.guards:
            self.refine(env.guards[self.text(condition)], env, truth)
        elif kind == "call":
            name = qualified_name(call_name(self.source, condition), self.aliases)
            method = name.rsplit(".", 1)[-1]
            args = condition.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            if first is not None and first.type == "keyword_argument":
                first = first.child_by_field_name("value")
            categories = self.guard(condition)
            if categories is not None and first is not None and truth:
                target = (
                    first
                    if method not in ("match", "fullmatch")
                    else (
                        args.named_children[1]
                        if args is not None and len(args.named_children) > 1
                        else None
                    )
                )
                if target is not None:
                    self.clean(target, categories, env)
            function = condition.child_by_field_name("function")
            receiver = (
                function.child_by_field_name("object")
                if function is not None and function.type == "attribute"
                else None
            )
            if receiver is not None and truth:
                if method in ("isdigit", "isnumeric", "isalnum", "isidentifier"):
                    env.clean(self.text(receiver), tables.ALL)
                elif method == "startswith" or method in ("is_relative_to",):
                    env.clean(self.text(receiver), frozenset({tables.PATH}))

    def parsed_url(self, node: Node) -> str | None:
        """The text of the URL ``node`` splits into parts (``urlparse(u)`` -> ``u``)."""
        if node.type != "call":
            return None
        name = qualified_name(call_name(self.source, node), self.aliases)
        arguments = call_arguments(node)
        if name not in tables.URL_PARSERS or not arguments:
            return None
        return self.text(arguments[0])

    def host_of(self, subject: Node, env: _Env) -> str | None:
        """The URL whose host ``subject`` reads: ``urlparse(u).netloc`` or ``parts.hostname``
        with ``parts = urlparse(u)`` (None: not a host part)."""
        if subject.type != "attribute":
            return None
        if self.text(subject.child_by_field_name("attribute")) not in tables.URL_HOST_PARTS:
            return None
        parts = subject.child_by_field_name("object")
        if parts is None:
            return None
        if parts.type == "identifier":
            return env.parsed.get(self.text(parts))
        return self.parsed_url(parts)

    def guard(self, call: Node) -> frozenset[str] | None:
        """Categories a guard call proves safe for its subject, by table or by name."""
        name = qualified_name(call_name(self.source, call), self.aliases)
        method = name.rsplit(".", 1)[-1]
        found = tables.GUARDS.get(name) or tables.GUARDS.get(method)
        if found is None and tables.GUARD_NAME.fullmatch(method):
            return frozenset({tables.REDIRECT})
        return found

    def clean(self, target: Node, categories: frozenset[str], env: _Env) -> None:
        """Clean a guarded name, or a guarded expression (``request.GET.get("next")``) that
        the guarded branch reads again by the same text."""
        text = self.text(target)
        if text in env.taints or target.type == "identifier":
            env.clean(text, categories)
            return
        taint = self.fact(target)
        if taint is not None:
            env.taints[text] = None if categories >= tables.ALL else taint.clear(categories)
            self.guarded.add(text)

    def loop(self, node: Node, env: _Env) -> bool:
        if node.type == "while_statement":
            condition = node.child_by_field_name("condition")
            if fold(self.source, condition, env.consts) is False:
                return False
            self.expr(condition, env)
        else:
            right = node.child_by_field_name("right")
            left = node.child_by_field_name("left")
            taint = self.expr(right, env)
            if left is not None:
                self.assign(left, taint, env, None)
        body = node.child_by_field_name("body")
        before = env.copy()
        for _ in range(2):
            if body is not None:
                self.block(body, env)
        merged = _join(before, env)
        env.taints, env.consts, env.guards = merged.taints, merged.consts, merged.guards
        alternative = node.child_by_field_name("alternative")
        if alternative is not None:
            self.block(alternative, env)
        return False

    def try_statement(self, node: Node, env: _Env) -> bool:
        body = node.child_by_field_name("body")
        start = env.copy()
        leaves = self.block(body, env) if body is not None else False
        merged = env if not leaves else None
        for clause in node.named_children:
            if clause.type == "except_clause":
                branch = _join(start, env)
                block = clause.named_children[-1] if clause.named_children else None
                if block is not None and block.type == "block" and not self.block(block, branch):
                    merged = branch if merged is None else _join(merged, branch)
            elif clause.type == "else_clause" and merged is not None:
                block = clause.named_children[-1]
                self.block(block, merged)
            elif clause.type == "finally_clause" and clause.named_children:
                self.block(clause.named_children[-1], merged or env)
        if merged is None:
            return True
        env.taints, env.consts, env.guards = merged.taints, merged.consts, merged.guards
        return False

    # Expressions -----------------------------------------------------------------------

    def tick(self) -> None:
        self.work += 1
        if self.work > BUDGET:
            raise _OutOfBudget

    def expr(self, node: Node | None, env: _Env) -> Taint | None:
        if node is None:
            return None
        self.tick()
        taint = self._expr(node, env)
        key = (node.start_byte, node.end_byte)
        self.facts[key] = merge(self.facts.get(key), taint) if key in self.facts else taint
        if self.trace is not None:
            self.trace.facts.add(key)
        return taint

    def union(self, nodes: Iterable[Node], env: _Env) -> Taint | None:
        result: Taint | None = None
        for child in nodes:
            result = merge(result, self.expr(child, env))
        return result

    def _expr(self, node: Node, env: _Env) -> Taint | None:
        kind = node.type
        if kind == "identifier":
            name = self.text(node)
            if name in env.consts:
                return None
            return env.taints.get(name, UNKNOWN_ORIGIN)
        if kind == "attribute":
            return self.attribute(node, env)
        if kind == "call":
            return self.call(node, env)
        if kind == "string":
            return self.positioned(
                urls.pieces(self.source, node),
                self.union(
                    (
                        c.named_children[0]
                        for c in node.named_children
                        if c.type == "interpolation" and c.named_children
                    ),
                    env,
                ),
            )
        if kind in (
            "concatenated_string",
            "list",
            "tuple",
            "set",
            "expression_list",
            "pair",
            "parenthesized_expression",
            "await",
            "list_splat",
            "dictionary_splat",
            "keyword_argument",
            "dictionary",
            "interpolation",
        ):
            parts = node.named_children
            if kind == "keyword_argument":
                value = node.child_by_field_name("value")
                parts = [value] if value is not None else []
            return self.union(parts, env)
        if kind == "binary_operator":
            return self.positioned(
                urls.pieces(self.source, node),
                self.union(
                    (
                        c
                        for c in (
                            node.child_by_field_name("left"),
                            node.child_by_field_name("right"),
                        )
                        if c is not None
                    ),
                    env,
                ),
            )
        if kind == "boolean_operator":
            return self.union(node.named_children, env)
        if kind in ("comparison_operator", "not_operator"):
            self.union(node.named_children, env)
            return None
        if kind == "conditional_expression":
            parts = node.named_children
            if len(parts) == 3:
                value = fold(self.source, parts[1], env.consts)
                self.expr(parts[1], env)
                if value is not UNKNOWN:
                    return self.expr(parts[0] if value else parts[2], env)
                then_env, else_env = env.copy(), env.copy()
                self.refine(parts[1], then_env, True)
                self.refine(parts[1], else_env, False)
                return merge(self.expr(parts[0], then_env), self.expr(parts[2], else_env))
            return self.union(parts, env)
        if kind == "subscript":
            return self.subscript(node, env)
        if kind == "slice":
            self.union(node.named_children, env)
            return None
        if kind in (
            "list_comprehension",
            "set_comprehension",
            "generator_expression",
            "dictionary_comprehension",
        ):
            inner = env.copy()
            for clause in node.named_children:
                if clause.type == "for_in_clause":
                    left = clause.child_by_field_name("left")
                    taint = self.expr(clause.child_by_field_name("right"), inner)
                    if left is not None:
                        self.assign(left, taint, inner, None)
                elif clause.type == "if_clause" and clause.named_children:
                    # a sink in the filter runs per item; the items kept passed its test
                    condition = clause.named_children[0]
                    self.expr(condition, inner)
                    self.refine(condition, inner, True)
            body = node.child_by_field_name("body") or (
                node.named_children[0] if node.named_children else None
            )
            return self.expr(body, inner)
        if kind == "named_expression":
            value = node.child_by_field_name("value")
            taint = self.expr(value, env)
            target = node.child_by_field_name("name")
            if target is not None:
                self.assign(target, taint, env, value)
            return taint
        return None

    def positioned(self, built: list[urls.Piece] | None, whole: Taint | None) -> Taint | None:
        """The build's taint with each hole cleared of what its place in a URL rules out
        (its parts were evaluated already, so their facts are read, not recomputed)."""
        if built is None or whole is None:
            return whole
        result: Taint | None = None
        prefix = ""
        for piece in built:
            if isinstance(piece, str):
                prefix += piece
                continue
            seen, taint = self.fact_store.lookup((piece.start_byte, piece.end_byte))
            if not seen:
                return whole  # a part we did not evaluate: keep the conservative answer
            if taint is not None:
                cleared = urls.cleared_by_prefix(prefix)
                result = merge(result, taint.clear(cleared) if cleared else taint)
            prefix += urls.OPAQUE
        return result

    def attribute(self, node: Node, env: _Env) -> Taint | None:
        text = self.text(node)
        if text in env.taints:
            return env.taints[text]
        qualified = qualified_name(text, self.aliases)
        if qualified in self.tables.source_attributes or text in self.tables.source_attributes:
            line = node.start_point[0] + 1
            routed = tables.ROUTED_PATH_CLEARS
            return Taint(
                text,
                (FlowStep(node.start_byte, node.end_byte, f"request data `{text}` (line {line})"),),
                routed.get(qualified, routed.get(text, frozenset())),
            )
        base = node.child_by_field_name("object")
        taint = self.expr(base, env) if base is not None else None
        field_node = node.child_by_field_name("attribute")
        if (
            taint is not None
            and base is not None
            and base.type == "call"
            and self.text(field_node) in tables.PATH_BASENAME
            and qualified_name(call_name(self.source, base), self.aliases) in tables.PATH_TYPES
        ):
            return taint.clear(frozenset({tables.PATH}))  # ``Path(x).name``: a basename
        return taint

    def subscript(self, node: Node, env: _Env) -> Taint | None:
        base = node.child_by_field_name("value")
        index = node.child_by_field_name("subscript")
        self.expr(index, env)
        if base is None:
            return None
        key = fold(self.source, index, env.consts)
        entry = f"{self.text(base)}[{key!r}]"
        taint = self.expr(base, env)
        if key is not UNKNOWN and entry in env.taints:
            return env.taints[entry]
        return taint

    def call(self, node: Node, env: _Env) -> Taint | None:
        if self.guarded:
            text = self.text(node)
            if text in self.guarded and text in env.taints:
                return env.taints[text]
        function = node.child_by_field_name("function")
        positional: list[Node] = []
        keywords: dict[str, Node] = {}
        for arg in call_arguments(node):
            if arg.type == "keyword_argument":
                key = arg.child_by_field_name("name")
                value = arg.child_by_field_name("value")
                if key is not None and value is not None:
                    keywords[self.text(key)] = value
            else:
                positional.append(arg)
        if function is not None and function.type == "call":
            self.expr(function, env)  # ``etree.XPath(expr)(tree)``: the inner call is a sink too
        arg_taints = [self.expr(a, env) for a in positional]
        keyword_taints = {k: self.expr(v, env) for k, v in keywords.items()}
        every = merge_all([*arg_taints, *keyword_taints.values()])
        name = call_name(self.source, node)
        qualified = qualified_name(name, self.aliases)
        method = name.rsplit(".", 1)[-1]
        receiver_node = (
            function.child_by_field_name("object")
            if function is not None and function.type == "attribute"
            else None
        )
        receiver = self.expr(receiver_node, env) if receiver_node is not None else None
        line = node.start_point[0] + 1
        if qualified in self.tables.source_calls or name in self.tables.source_calls:
            return Taint(
                name,
                (
                    FlowStep(
                        node.start_byte, node.end_byte, f"request data `{name}()` (line {line})"
                    ),
                ),
                tables.SOURCE_CALL_CLEARS.get(name, frozenset()),
            )
        own = self.class_method(receiver_node, method, env)
        if own is not None:  # ``repo.find()`` of a class of this file: its body decides
            own_method, made_at = own
            returned = None
            if receiver is not None and not receiver.weak:
                attributes = self._made.get(made_at, {})
                returned = self.with_instance(own_method, receiver, attributes, node)
            return merge(self.through(own_method, node, name, arg_taints, keyword_taints), returned)
        made = self.constructed_class(node)
        if made is not None:
            # ``UserRepo(conn, request.args["q"])``, a dataclass: the object keeps what it was
            # given, and its attributes and methods read it (``repo.name_filter``); what its
            # ``__init__`` stores where is known attribute by attribute
            init = self.classes()[made].get("__init__")
            if init is not None and every is not None and not every.weak:  # methods run with it
                self._made[node.start_byte] = self.stored_by(init, arg_taints, keyword_taints)
            return every.via(node, f"stored in `{name}(...)` (line {line})") if every else None
        self.check_sink(node, name, qualified, method, receiver_node, positional, keywords, env)
        sanitizer = self.tables.sanitizers.get(qualified)
        if sanitizer is not None:
            if sanitizer >= tables.ALL:
                return None
            return every.clear(sanitizer) if every is not None else None
        if qualified in tables.PROPAGATORS:
            return every
        local = self.local_function(function, name)
        if local is not None:
            return self.through(local, node, name, arg_taints, keyword_taints)
        external = self.external_function(function, name)
        if external is not None:
            return self.through_external(
                external, node, name, (positional, arg_taints), (keywords, keyword_taints)
            )
        module_function = name.split(".", 1)[0] in self.aliases and (
            receiver is None or receiver.weak
        )  # ``base64.b64decode(x)``, not ``request.args.get(k)``
        if receiver_node is not None and not module_function:
            if method in tables.CLEAN_METHODS:
                return None
            reversal = tables.REVERSAL_METHODS.get(method)
            if reversal is not None:
                return every.clear(reversal) if every is not None else None
            if method in _MUTATORS and every is not None:
                target = self.text(receiver_node)
                env.taints[target] = merge(
                    env.taints.get(target), every.via(node, f"added to `{target}` (line {line})")
                )
            if (
                method == "format"
                and not keywords
                and receiver_node.type in ("string", "concatenated_string")
            ):
                built = urls.format_pieces(self.source, receiver_node, positional)
                return self.positioned(built, merge(receiver, every))
            if method in _COMBINING or receiver_node.type == "string":
                return merge(receiver, every)
            return receiver
        # An external function (ORM lookup, URL builder, SDK constructor) returns its own
        # value, not its arguments: following arguments through it was the main source of
        # noise on real code (``redirect(get_object_or_404(Page, pk=pk).url)``).
        return UNKNOWN_ORIGIN

    def classes(self) -> dict[str, dict[str, Node]]:
        """The file's module-level classes (and the classes nested in them; the last of a
        name wins) and their instance methods (static and class methods take no instance,
        so no stored data reaches them). Read from the top level down, not from a walk of
        the whole tree: every imported module the engine summarises asks too."""
        if self._classes is None:
            self._classes = {}
            pending = list(self.root.named_children) if b"class " in self.source else []
            found: list[Node] = []
            while pending:
                statement = pending.pop(0)
                if statement.type == "decorated_definition":
                    statement = statement.child_by_field_name("definition") or statement
                if statement.type == "class_definition":
                    found.append(statement)
                    inner = statement.child_by_field_name("body")
                    pending.extend(inner.named_children if inner is not None else ())
            for node in found:
                body = node.child_by_field_name("body")
                methods: dict[str, Node] = {}
                for child in body.named_children if body is not None else ():
                    function = child
                    if child.type == "decorated_definition":
                        function = child.child_by_field_name("definition") or child
                        if any(
                            self.text(d).lstrip("@").strip() in ("staticmethod", "classmethod")
                            for d in decorators(function)
                        ):
                            continue
                    if function.type == "function_definition":
                        methods[self.text(function.child_by_field_name("name"))] = function
                self._classes[self.text(node.child_by_field_name("name"))] = methods
        return self._classes

    def with_instance(
        self,
        method: Node,
        instance: Taint,
        attributes: dict[str, Taint | None],
        call: Node,
    ) -> Taint | None:
        """Run ``method`` once more with ``self`` holding ``instance``, the request data the
        object was made from (and ``attributes``, what its ``__init__`` stored, where known):
        ``self.name_filter`` reaching a sink in it is a flow from the request, reported
        where it lands, and what it returns of it is the call's value. Its summary (for
        callers passing arguments) is the plain one."""
        line = call.start_point[0] + 1
        name = self.text(method.child_by_field_name("name"))

        def bind(params: list[tuple[str, Taint | None]], env: _Env) -> None:
            for param, taint in params:
                env.bind(param, taint)
            env.bind("self", instance.via(call, f"`self` in `{name}()` (line {line})"))
            for attribute, taint in attributes.items():
                env.taints[f"self.{attribute}"] = taint

        ran = self.run_method(method, bind)
        returned = ran.returns if ran is not None else None
        return returned if returned is not None and not returned.weak else None

    def stored_by(
        self, init: Node, args: list[Taint | None], keywords: dict[str, Taint | None]
    ) -> dict[str, Taint | None]:
        """What ``__init__`` stores in each ``self.<attribute>`` when a call with these
        arguments makes the object: its body run with them (a sink in it is reported too)."""
        stored: dict[str, Taint | None] = {}

        def bind(params: list[tuple[str, Taint | None]], inner: _Env) -> None:
            names = [n for n, _ in params]
            for param in names:
                inner.bind(param, None)  # a default: a constant of the class
            for param, taint in zip(names, args, strict=False):
                inner.bind(param, taint)
            for key, taint in keywords.items():
                if key in names:
                    inner.bind(key, taint)
            inner.bind("self", None)

        def keep(inner: _Env) -> None:
            for key, taint in inner.taints.items():
                attribute = key[5:] if key.startswith("self.") else ""
                if attribute.isidentifier():
                    stored[attribute] = taint

        self.run_method(init, bind, keep)
        return stored

    def run_method(
        self,
        method: Node,
        bind: Callable[[list[tuple[str, Taint | None]], _Env], None],
        keep: Callable[[_Env], None] | None = None,
    ) -> Summary | None:
        """A live run of ``method``'s body for one call (its parameters as ``bind`` sets
        them), outside its summary and the memo; None when it is already running."""
        if method.id in self.active:
            return None
        params, env = self.parameters(method)
        ran = Summary([n for n, _ in params])
        with self.running(method, ran, None):
            bind(params, env)
            body = method.child_by_field_name("body")
            if body is not None:
                self.block(body, env)
            if keep is not None:
                keep(env)
        return ran

    def constructed_class(self, node: Node) -> str | None:
        """The class of this file ``node`` makes an instance of (``UserRepo(...)``)."""
        if node.type != "call":
            return None
        function = node.child_by_field_name("function")
        if function is None or function.type != "identifier":
            return None
        name = self.text(function)
        if name in self.functions or name not in self.classes():
            return None  # a function of that name is called, not the class
        if self.trace is not None:
            self.trace.pure = False  # the result depends on the class's body: not memoised
        return name

    def class_method(
        self, receiver: Node | None, method: str, env: _Env
    ) -> tuple[Node, int] | None:
        """The method ``receiver.method(...)`` runs when the receiver is an instance of a
        class of this file (one just made, ``Runner(b).run()``, or a name holding one), and
        where the instance was made."""
        if receiver is None:
            return None
        made: tuple[str, int] | None
        if receiver.type == "identifier":
            made = env.instances.get(self.text(receiver))
        else:
            cls = self.constructed_class(receiver)
            made = (cls, receiver.start_byte) if cls is not None else None
        if made is None:
            return None
        found = self.classes().get(made[0], {}).get(method)
        if found is None:
            return None
        if self.trace is not None:
            self.trace.pure = False
        return found, made[1]

    def local_function(self, function: Node | None, name: str) -> Node | None:
        if function is None:
            return None
        if function.type == "identifier":
            return self.lookup(name)
        base, _, method = name.rpartition(".")
        if base in ("self", "cls"):
            return self.lookup(method)
        return None

    def lookup(self, name: str) -> Node | None:
        found = self.functions.get(name)
        trace = self.trace
        if trace is not None:
            if found is None:
                trace.unresolved.add(name)
            else:  # its results depend on the helper's summary: part of the memo entry
                trace.helpers.setdefault(name, found)
        return found

    def through(
        self,
        function: Node,
        call: Node,
        name: str,
        args: list[Taint | None],
        keywords: dict[str, Taint | None],
    ) -> Taint | None:
        summary = self.summary(function)
        by_index: dict[int, Taint] = {}
        for i, taint in enumerate(args):
            if taint is not None:
                by_index[i] = taint
        for key, taint in keywords.items():
            if taint is not None and key in summary.params:
                by_index[summary.params.index(key)] = taint
        line = call.start_point[0] + 1
        for flow in summary.param_flows:
            for index in flow.taint.params:
                passed = by_index.get(index)
                if passed is None:
                    continue
                carried = passed.via(call, f"passed to `{name}()` (line {line})")
                steps = carried.steps + tuple(
                    s for s in flow.taint.steps if not s.message.startswith("parameter ")
                )
                taint = Taint(
                    carried.source,
                    steps[:14],
                    # what the helper cleans of this parameter's part, not of the whole
                    # (``shlex.quote(a) + " " + b``: ``a`` is quoted, ``b`` is not)
                    carried.cleared | flow.taint.cleared_for(index),
                    carried.weak,
                    carried.params,
                )
                if taint.live(flow.category):
                    self.record(dataclasses.replace(flow, taint=taint))
        result: Taint | None = None
        returned = summary.returns
        if returned is not None:
            if not returned.weak:
                result = returned.via(call, f"returned by `{name}()` (line {line})")
            for index in returned.params:
                passed = by_index.get(index)
                if passed is not None:
                    carried = passed.via(call, f"through `{name}()` (line {line})")
                    result = merge(result, carried.clear(summary.cleared_for(index)))
        return result

    def external_function(self, function: Node | None, name: str) -> ExternalFunction | None:
        """The summary of an imported workspace helper ``name`` calls, if one is known."""
        provider = self.summaries_provider
        if provider is None or function is None or function.type not in ("identifier", "attribute"):
            return None
        if self._imports is None:
            self._imports = module_imports(self.source, self.root)
        parts = name.split(".")
        imported = self._imports.get(parts[0])
        if imported is None:
            return None
        if self.trace is not None:
            self.trace.pure = False  # its results depend on other files
        for module, function_name in candidates(imported, parts[1:]):
            key = (imported.level, module)
            if key not in self.modules:
                if len(self.modules) >= MAX_MODULE_LOOKUPS:
                    return None
                self.modules[key] = provider.module(self.path, imported.level, module, self.tables)
            found = self.modules[key]
            if found is None:
                continue
            summary, dependencies = found.summary(function_name)
            self.dependencies |= dependencies
            if summary is not None:
                return summary
        return None

    def through_external(
        self,
        external: ExternalFunction,
        call: Node,
        name: str,
        positional: tuple[list[Node], list[Taint | None]],
        keywords: tuple[dict[str, Node], dict[str, Taint | None]],
    ) -> Taint | None:
        """Replay an imported helper's summary at its call: flows to its sinks are
        reported here, with the helper's steps (in its file) as the flow's tail."""
        by_index: dict[int, tuple[Taint, Node]] = {}
        for i, (arg, taint) in enumerate(zip(*positional, strict=True)):
            if taint is not None:
                by_index[i] = (taint, arg)
        for key, taint in keywords[1].items():
            if taint is not None and key in external.params:
                by_index[external.params.index(key)] = (taint, keywords[0][key])
        line = call.start_point[0] + 1
        for flow in external.flows:
            self.replay(flow, call, name, by_index)
        result: Taint | None = None
        if external.returns_source is not None:
            step = FlowStep(call.start_byte, call.end_byte, f"returned by `{name}()` (line {line})")
            result = Taint(
                external.returns_source,
                (*external.returns_steps[:11], step),
                external.returns_cleared,
            )
        for index, cleared in external.returns_params.items():
            passed = by_index.get(index)
            if passed is not None:
                carried = passed[0].via(call, f"through `{name}()` (line {line})")
                result = merge(result, carried.clear(cleared))
        return result

    def replay(
        self, flow: ExternalFlow, call: Node, name: str, by_index: dict[int, tuple[Taint, Node]]
    ) -> None:
        line = call.start_point[0] + 1
        for index in flow.params:
            passed = by_index.get(index)
            if passed is None:
                continue
            carried = passed[0].via(call, f"passed to `{name}()` (line {line})")
            taint = Taint(
                carried.source,
                carried.steps,
                carried.cleared | flow.cleared,
                carried.weak,
                carried.params,
            )
            if taint.live(flow.category):
                found = Flow(flow.category, call, passed[1], flow.sink, taint)
                self.record(dataclasses.replace(found, tail=flow.steps, through=name, at=flow.at))

    def check_sink(
        self, call: Node, name: str, qualified: str, method: str, receiver: Node | None,
        positional: list[Node], keywords: dict[str, Node], env: _Env,
    ) -> None:  # fmt: skip
        if receiver is not None and method in tables.PATH_METHODS:
            held = self.fact(receiver)
            if held is not None and held.live(tables.PATH) and receiver.type != "string":
                self.record(Flow(tables.PATH, call, receiver, name, held))
        if receiver is not None and method == "save" and positional:
            # Werkzeug's ``request.files["doc"].save(dst)``: the upload is written to ``dst``
            # (a model's ``save()`` has no upload for a receiver)
            uploaded = self.fact(receiver)
            destination = self.fact(positional[0])
            if (
                uploaded is not None
                and not uploaded.weak
                and uploaded.source.endswith("request.files")
                and destination is not None
                and destination.live(tables.PATH)
            ):
                self.record(Flow(tables.PATH, call, positional[0], name, destination))
        sink = self.tables.sinks.get(qualified)
        if sink is None and receiver is not None:
            receiver_text = self.text(receiver).rsplit(".", 1)[-1].lower()
            if method in tables.HTTP_METHODS and any(
                r in receiver_text for r in tables.HTTP_CLIENT_RECEIVERS
            ):
                sink = tables.Sink(tables.SSRF, (0,), ("url",))
            elif not qualified.startswith(("subprocess.", "os.")) and tables.method_sink_fits(
                method, receiver_text
            ):  # checked here, so a helper's summary never holds `re.search` as a sink
                sink = tables.METHOD_SINKS.get(method)
        if sink is None:
            return
        if sink.category == tables.XSS and self.not_html(keywords):
            return
        if sink.category == tables.XXE and resolves_no_entities(
            self.source, parser_argument(positional, keywords)
        ):
            return
        targets: list[Node] = [positional[i] for i in sink.positions if i < len(positional)]
        targets += [keywords[k] for k in sink.keywords if k in keywords]
        if sink.when_true is not None:
            flag = keywords.get(sink.when_true)
            shell = flag is not None and self.text(flag) in ("True", "1")
            if not shell:
                targets = [self.program(t) for t in targets]
        for target in targets:
            taint = (
                self.fact(target)
                if target in positional or target in keywords.values()
                else self.expr(target, env)
            )
            if (
                target.type == "identifier"
                and sink.when_true is not None
                and target not in positional
                and target not in keywords.values()
            ):
                taint = env.taints.get(f"{self.text(target)}", None)
            if taint is None or not taint.live(sink.category):
                continue
            self.record(Flow(sink.category, call, target, name, taint))

    def not_html(self, keywords: dict[str, Node]) -> bool:
        """``HttpResponse(data, content_type="application/json")`` is not rendered as HTML;
        ``image/svg+xml`` is (an SVG document runs its scripts), and so is XHTML."""
        for key in ("content_type", "mimetype", "media_type"):
            value = keywords.get(key)
            if value is not None:
                text = self.text(value).lower()
                return "html" not in text and "svg" not in text
        return False

    def program(self, argument: Node) -> Node:
        """Without ``shell=True`` only the program (first list item) can inject."""
        if argument.type in ("list", "tuple") and argument.named_children:
            return argument.named_children[0]
        return argument

    def record(self, flow: Flow) -> None:
        if self.trace is not None:
            self.trace.records.append(flow)
        if flow.taint.weak:
            self.weak.setdefault(flow.key, flow)
            if self.current is not None and flow.taint.params:
                self.current.param_flows.append(flow)
        else:
            self.flows.setdefault(flow.key, flow)


def _top_level(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets (``X, Path(a, b)`` -> 2 parts)."""
    parts: list[str] = []
    depth = start = 0
    for i, char in enumerate(text):
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


def merge_all(taints: Iterable[Taint | None]) -> Taint | None:
    result: Taint | None = None
    for taint in taints:
        result = merge(result, taint)
    return result


def _span(keys: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """The smallest and largest key start (an empty set: an empty span)."""
    starts = [start for start, _ in keys]
    return (min(starts), max(starts)) if starts else (0, -1)
