"""One checker for the "qualified call with a keyword value" rules, driven by tables.

BE007 (no HTTP timeout), BE011 (JWT decode without verification), BE012 (TLS
verification off) and BE014 (fast password hash) all ask the same questions of
a call: is its callee, resolved through the imports, one of these names; does a
keyword (or the positional slot that carries it) hold a value that makes it a
finding, or is it missing; is there a value that makes it safe. A rule states
the answers as a :class:`CallTable` and keeps only the logic no table can say
(BE011's verify-then-decode exemption, BE014's password judgement).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Edit, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.needs import EVERY_FILE, NO_FILE, Needs, all_of, any_of
from backend_lsp.analysis.python.calls import ResolvedCall, resolved_calls
from backend_lsp.analysis.python.edits import insert_keyword, remove_argument
from backend_lsp.analysis.python.imports import import_aliases, qualified_name
from backend_lsp.analysis.python.index import node_index
from backend_lsp.analysis.python.nodes import (
    binding,
    call_name,
    has_kwargs_splat,
    keyword_argument,
    node_text,
    positional_arguments,
    string_value,
    walk,
)

_NAME_MEMO = 8192  # distinct callees remembered per table (a pure function of the names)

ValueTest = Callable[[bytes, Node], Node | None]
"""A keyword's value -> the node that makes it a finding (the value or a part of it), or None."""


def text_in(*texts: str) -> ValueTest:
    """The value is written as one of ``texts`` (``None``, ``False``)."""
    wanted = frozenset(texts)
    return lambda source, value: value if node_text(source, value) in wanted else None


FALSE = text_in("False", "0")
NONE = text_in("None")


def item_string(*strings: str) -> ValueTest:
    """A list/tuple value holding a string literal that is one of ``strings`` (case-folded)."""
    wanted = frozenset(s.lower() for s in strings)

    def test(source: bytes, value: Node) -> Node | None:
        items = value.named_children if value.type in ("list", "tuple") else []
        for item in items:
            text = string_value(source, item)
            if text is not None and text.strip().lower() in wanted:
                return item
        return None

    return test


def key_is(key: str, test: ValueTest) -> ValueTest:
    """A dict display or ``dict(...)`` value whose first ``key`` entry passes ``test``."""

    def check(source: bytes, value: Node) -> Node | None:
        for node in walk(value):
            if node.type == "pair":
                name = node.child_by_field_name("key")
                named = name is not None and string_value(source, name) == key
            elif node.type == "keyword_argument":
                named = node_text(source, node.child_by_field_name("name")) == key
            else:
                continue
            if named:
                entry = node.child_by_field_name("value")
                return value if entry is not None and test(source, entry) is not None else None
        return None

    return check


MISSING: Literal["missing"] = "missing"
Anchor = Literal["call", "function", "keyword", "match"]
"""Where a finding sits: the whole call, its callee, the ``name=value`` argument, or the
node the value test returned."""


@dataclass(frozen=True, slots=True)
class Check:
    """One way a matched call is a finding.

    ``keyword`` None: the call itself is the finding. Otherwise its value is
    the keyword argument, or the positional argument at ``position`` when
    given; ``when`` is a value test or ``MISSING`` (absent, and no ``**kwargs``
    splat that could carry it). ``message`` and the fix texts are templates
    over ``{name}`` (the callee as written), ``{qualified}`` and the rule's
    parameters. ``unless(source, call)`` exempts the call; ``last``: a match
    (exempt or not) ends the call's checks.
    """

    message: str
    keyword: str | None = None
    when: ValueTest | Literal["missing"] | None = None
    position: int | None = None
    anchor: Anchor = "keyword"
    severity: Severity | None = None
    fix: Literal["remove", "replace", "insert"] | None = None
    fix_title: str = ""
    fix_text: str = ""
    unless: Callable[[bytes, Node], bool] | None = None
    last: bool = True

    @property
    def needs(self) -> Needs:
        """A value read from the keyword needs it written (unless a position can hold it)."""
        if self.keyword is None or self.when == MISSING:
            return EVERY_FILE
        if self.when is None:
            return NO_FILE  # a keyword with no test never reports
        return EVERY_FILE if self.position is not None else all_of(self.keyword.encode())


@dataclass(frozen=True, slots=True)
class Instances:
    """Method calls on names bound to what ``factories`` return (``s = requests.Session()``).

    A name on which one of ``configured_by`` is called (``s.mount(...)``) is left out:
    that is how a project gives the object its own default.
    """

    factories: frozenset[str]
    methods: frozenset[str]
    configured_by: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CallRule:
    """The calls one row applies to and what it checks on them.

    A call matches when its qualified callee is in ``callees``, starts with one
    of ``prefixes``, ends with one of ``suffixes``, its last segment is in
    ``methods``, its callee *as written* is in ``written``, or it is an
    ``instances`` method call. ``safe``: keyword values that make the call fine.
    """

    checks: tuple[Check, ...] = ()
    callees: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    methods: frozenset[str] = frozenset()
    written: frozenset[str] = frozenset()
    instances: Instances | None = None
    safe: tuple[tuple[str, ValueTest], ...] = ()

    def matches(self, call: ResolvedCall, instances: Mapping[Instances, frozenset[str]]) -> bool:
        return self.names_match(call.qualified, call.name) or self.instance_matches(
            call.qualified, instances
        )

    def names_match(self, qualified: str, name: str) -> bool:
        """Whether the callee's names alone make the call match (not ``instances``)."""
        if qualified in self.callees or name in self.written:
            return True
        if self.prefixes and qualified.startswith(self.prefixes):
            return True
        if self.suffixes and qualified.endswith(self.suffixes):
            return True
        return qualified.rpartition(".")[2] in self.methods

    def instance_matches(
        self, qualified: str, instances: Mapping[Instances, frozenset[str]]
    ) -> bool:
        kind = self.instances
        if kind is None:
            return False
        receiver, _, last = qualified.rpartition(".")
        return last in kind.methods and receiver in instances.get(kind, ())

    @property
    def needs(self) -> Needs:
        """What a file holding a call this row reports needs: every segment of a
        resolved callee is text of the file (the call's own, or its import's), and a
        check on a keyword's value needs the keyword."""
        names = NO_FILE
        for dotted in (*self.callees, *self.written, *self.prefixes, *self.suffixes):
            names = names | all_of(*(part.encode() for part in dotted.split(".")))
        names = names | any_of(*(method.encode() for method in self.methods))
        kind = self.instances
        if kind is not None:  # a method called on a name bound to a factory's call
            factories = NO_FILE
            for factory in kind.factories:
                factories = factories | all_of(*(part.encode() for part in factory.split(".")))
            names = names | (any_of(*(method.encode() for method in kind.methods)) & factories)
        checks = NO_FILE
        for check in self.checks:
            checks = checks | check.needs
        return names & checks

    def is_safe(self, source: bytes, call: Node) -> bool:
        for keyword, test in self.safe:
            value = keyword_argument(source, call, keyword)
            if value is not None and test(source, value) is not None:
                return True
        return False


@dataclass(frozen=True, slots=True)
class CallTable:
    """A rule's rows, tried in order (the first that matches a call applies)."""

    rows: tuple[CallRule, ...]
    # qualified prefixes never matched (``jwt.decode(verify=False)`` is not TLS)
    never: tuple[str, ...] = ()
    _kinds: tuple[Instances, ...] = field(init=False, default=())
    _instance_rows: tuple[int, ...] = field(init=False, default=())
    gate: Needs = field(init=False, default=EVERY_FILE, compare=False, repr=False)  # = needs
    # (qualified, as written) -> index of the first row its names match (len(rows): none).
    # A file has thousands of calls and few distinct callees: each is looked up once.
    _first_by_name: dict[tuple[str, str], int] = field(
        init=False, default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        kinds = tuple(dict.fromkeys(r.instances for r in self.rows if r.instances is not None))
        object.__setattr__(self, "_kinds", kinds)
        rows = tuple(i for i, r in enumerate(self.rows) if r.instances is not None)
        object.__setattr__(self, "_instance_rows", rows)
        object.__setattr__(self, "gate", self.needs)

    @property
    def needs(self) -> Needs:
        """What a file with a finding of ``check_calls`` on this table holds."""
        needs = NO_FILE
        for row in self.rows:
            needs = needs | row.needs
        return needs

    def matches(self, ctx: AnalysisContext) -> Iterator[tuple[ResolvedCall, CallRule]]:
        """Each call with the row that applies to it (safe calls left out)."""
        assert ctx.root is not None
        instances = _instance_names(ctx.source, ctx.root, self._kinds) if self._kinds else {}
        for call in resolved_calls(ctx.source, ctx.root):
            row = self.row_for(call, instances)
            if row is not None and not row.is_safe(ctx.source, call.node):
                yield call, row

    def row_for(
        self, call: ResolvedCall, instances: Mapping[Instances, frozenset[str]] | None = None
    ) -> CallRule | None:
        if self.never and call.qualified.startswith(self.never):
            return None
        first = self._first_by_names(call.qualified, call.name)
        for index in self._instance_rows:
            if index >= first:
                break
            if self.rows[index].instance_matches(call.qualified, instances or {}):
                first = index
                break
        return self.rows[first] if first < len(self.rows) else None

    def _first_by_names(self, qualified: str, name: str) -> int:
        key = (qualified, name)
        first = self._first_by_name.get(key)
        if first is None:
            if len(self._first_by_name) >= _NAME_MEMO:
                self._first_by_name.clear()
            first = next(
                (i for i, r in enumerate(self.rows) if r.names_match(qualified, name)),
                len(self.rows),
            )
            self._first_by_name[key] = first
        return first


def check_calls(
    ctx: AnalysisContext,
    meta: RuleMeta,
    table: CallTable,
    params: Mapping[str, str] | None = None,
    severity: Severity | None = None,
) -> Iterator[Finding]:
    """The findings ``table`` describes in this file.

    ``params`` fill the templates (BE007's project timeout constant); ``severity``
    replaces the rule's default for checks that do not name their own.
    """
    if not table.gate.met(ctx.source):
        return
    for call, row in table.matches(ctx):
        for check in row.checks:
            found, matched = _run(ctx, meta, call, check, params or {}, severity)
            if found is not None:
                yield found
            if matched and check.last:
                break


def _run(
    ctx: AnalysisContext,
    meta: RuleMeta,
    call: ResolvedCall,
    check: Check,
    params: Mapping[str, str],
    severity: Severity | None,
) -> tuple[Finding | None, bool]:
    """(the finding or None, whether the check matched at all)."""
    source = ctx.source
    node = call.node
    value: Node | None = None
    if check.keyword is not None:
        value = keyword_argument(source, node, check.keyword)
        if value is None and check.position is not None:
            positional = positional_arguments(node)
            value = positional[check.position] if len(positional) > check.position else None
    hit: Node | None
    if check.keyword is None:
        hit = node
    elif check.when == MISSING:
        hit = node if value is None and not has_kwargs_splat(node) else None
    elif check.when is not None and value is not None:
        hit = check.when(source, value)
    else:
        hit = None
    if hit is None:
        return None, False
    if check.unless is not None and check.unless(source, node):
        return None, True
    words = {"name": call.name, "qualified": call.qualified, **params}
    anchor = _anchor(node, value, hit, check.anchor)
    return (
        ctx.finding(
            meta,
            anchor,
            check.message.format(**words),
            _fix(ctx, check, node, value, words),
            check.severity if check.severity is not None else severity,
        ),
        True,
    )


def _anchor(call: Node, value: Node | None, hit: Node, anchor: Anchor) -> Node:
    if anchor == "function":
        return call.child_by_field_name("function") or call
    if anchor == "keyword" and value is not None:
        parent = value.parent
        return parent if parent is not None and parent.type == "keyword_argument" else value
    return call if anchor == "call" else hit


def _fix(
    ctx: AnalysisContext, check: Check, call: Node, value: Node | None, words: dict[str, str]
) -> Fix | None:
    edit: Edit | None = None
    text = check.fix_text.format(**words)
    if check.fix == "insert":
        edit = insert_keyword(ctx, call, text)
    elif check.fix == "replace" and value is not None:
        edit = ctx.replace(value, text)
    elif check.fix == "remove" and value is not None and value.parent is not None:
        edit = remove_argument(value.parent)
    return Fix(check.fix_title.format(**words), (edit,)) if edit is not None else None


def _instance_names(
    source: bytes, root: Node, kinds: tuple[Instances, ...]
) -> dict[Instances, frozenset[str]]:
    """For each kind, the names (as written: ``s``, ``self.session``) bound to one of its
    factories anywhere in the module, less those configured by a ``configured_by`` call."""
    aliases = import_aliases(source, root)
    bound: dict[Instances, set[str]] = {kind: set() for kind in kinds}
    configured: dict[Instances, set[str]] = {kind: set() for kind in kinds}
    for node in node_index(source, root).of("assignment", "as_pattern", "call"):
        if node.type == "call":
            receiver, _, method = call_name(source, node).rpartition(".")
            for kind in kinds:
                if method in kind.configured_by:
                    configured[kind].add(receiver)
        target, created = binding(node)
        if target is None or created is None or created.type != "call":
            continue
        factory = qualified_name(call_name(source, created), aliases)
        for kind in kinds:
            if factory in kind.factories:
                bound[kind].add(node_text(source, target))
                break
    return {kind: frozenset(bound[kind] - configured[kind]) for kind in kinds}
