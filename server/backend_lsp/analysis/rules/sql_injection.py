"""BE001: SQL built from runtime values by string formatting reaches a database call."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding, FlowStep, RuleMeta, Severity
from backend_lsp.analysis.python.imports import imported_modules
from backend_lsp.analysis.python.nodes import enclosing_function, node_text, walk
from backend_lsp.analysis.python.param_origin import depends_on_parameters
from backend_lsp.analysis.python.sql_strings import (
    AUGMENTED,
    CONCAT,
    CONSTANT,
    FORMAT,
    FSTRING,
    HOLE,
    PERCENT,
    REPLACE,
    SQL_READS,
    find_sql_calls,
    sql_literals,
    typed_numeric,
)
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.sql.parametrize import (
    FRAGMENT,
    IDENTIFIER,
    VALUE,
    hole_position,
    parametrize,
    paramstyle_for,
)
from backend_lsp.analysis.sql.placeholders import scan_sql
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.engine import FileTaint
from backend_lsp.analysis.taint.flow import Flow, Taint

_HOW = {
    FSTRING: "an f-string",
    PERCENT: "`%` formatting",
    FORMAT: "`.format()`",
    CONCAT: "string concatenation",
    AUGMENTED: "`+=` concatenation",
    REPLACE: "`.replace()`",
}


@register
class SqlInjection:
    meta = RuleMeta(
        code="BE001",
        name="sql-injection",
        severity=Severity.ERROR,
        summary="SQL text is built from runtime values instead of query parameters.",
        doc_url="https://cwe.mitre.org/data/definitions/89.html",
        reads=SQL_READS,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        source = ctx.source
        imports: set[str] | None = None
        taint = ctx.taint
        reported: set[int] = set()
        calls = find_sql_calls(source, ctx.root)
        for call in calls:
            reported.add(call.sql_arg.start_byte)
            built = call.sql
            unsafe = built.unsafe_holes
            if built.how == CONSTANT or not unsafe:
                continue
            origin = _request_data(taint, [h.expr for h in unsafe])
            if origin is False or (call.verbless and origin is True):
                continue  # every hole is a folded constant or a sanitized value
            template = built.template
            positions = [hole_position(template, built.holes.index(h)) for h in unsafe]
            names = ", ".join(
                dict.fromkeys(
                    f"`{node_text(source, h.expr)}`" if h.expr is not None else "values"
                    for h in unsafe
                )
            )
            how = _HOW.get(built.how, "string formatting")
            sink = node_text(source, call.call.child_by_field_name("function"))
            where = (
                f" (built on line {built.node.start_point[0] + 1})"
                if built.assignment is not None
                else ""
            )
            if origin is True and not any(
                p == VALUE
                and h.expr is not None
                and depends_on_parameters(source, h.expr, _receiver(call.call))
                for p, h in zip(positions, unsafe, strict=True)
            ):
                # No request data in sight: on real backends names and clauses spliced from
                # the code's own state (metadata, config, dialect text) were all noise; a
                # quoted value the caller passes in is the classic injectable helper.
                continue
            if call.params is not None and all(
                p == FRAGMENT and _clause_builder(source, h.expr)
                for p, h in zip(positions, unsafe, strict=True)
            ):
                continue  # "... WHERE " + " AND ".join(clauses), values passed as parameters
            if all(p == IDENTIFIER for p in positions) and (
                call.params is not None or call.extra_positional or _has_placeholders(template)
            ):
                continue  # dynamic table/column with parametrized values: names can't be bound
            fix = None
            if VALUE in positions and all(p == VALUE for p in positions):
                if imports is None:
                    imports = imported_modules(source, ctx.root)
                style = paramstyle_for(call, imports)
                fix = parametrize(source, call, style) if style is not None else None
                if all(typed_numeric(source, h.expr, call.call) for h in unsafe):
                    message = (
                        f"SQL built with {how} from {names} reaches `{sink}`{where}. The "
                        "annotation says number, which blocks SQL injection only where it is "
                        "enforced (e.g. FastAPI); plain callers can pass text. Pass the values "
                        "as query parameters."
                    )
                    severity = Severity.WARNING
                else:
                    message = (
                        f"SQL built with {how} from {names} reaches `{sink}`{where}: a value "
                        "containing a quote rewrites the query (SQL injection). Pass the "
                        "values as query parameters and let the driver quote them."
                    )
                    severity = Severity.ERROR
            elif all(p == IDENTIFIER for p in positions):
                message = (
                    f"SQL identifiers are interpolated from {names} with {how} into `{sink}`"
                    f"{where}: parameters cannot carry table or column names, so check the "
                    "name against a fixed allow-list (or compose with psycopg's "
                    "sql.Identifier / a quoting helper)."
                )
                severity = Severity.WARNING
            else:
                message = (
                    f"SQL text from {names} is spliced into the query with {how} before "
                    f"`{sink}`{where}: unless every piece is fixed text, this is SQL "
                    "injection. Build clauses from constant strings and pass the values "
                    "as query parameters."
                )
                severity = Severity.WARNING if VALUE not in positions else Severity.ERROR
            flow: tuple[FlowStep, ...] = ()
            if isinstance(origin, Taint):
                sink_flow = Flow(tables.SQL, call.call, call.sql_arg, sink, origin)
                first = origin.steps[0] if origin.steps else None
                line = ctx.document.index.line_of(first.start) + 1 if first is not None else None
                message = f"{sink_flow.describe(line)}. " + message
                severity = Severity.ERROR
                flow = sink_flow.steps()
            yield Finding.at(
                self.meta, call.sql_arg.start_byte, call.sql_arg.end_byte, message, fix,
                severity, flow,
            )  # fmt: skip
        handled = [(c.sql_arg.start_byte, c.sql_arg.end_byte) for c in calls]
        handled += [(f.arg.start_byte, f.arg.end_byte) for f in taint.flows_for(tables.SQL)]
        yield from _built_elsewhere(self.meta, ctx, taint, handled)
        for sink_flow in taint.flows_for(tables.SQL):
            if sink_flow.arg.start_byte in reported or not _textual_sink(sink_flow):
                continue  # judged above, or a driver/SDK ``run``/``execute`` taking objects
            first = sink_flow.taint.steps[0] if sink_flow.taint.steps else None
            line = ctx.document.index.line_of(first.start) + 1 if first is not None else None
            message = (
                f"{sink_flow.describe(line)} as SQL text: a value containing a quote rewrites "
                "the query (SQL injection). Keep the SQL constant and pass the values as "
                "query parameters."
            )
            yield Finding.at(
                self.meta, sink_flow.arg.start_byte, sink_flow.arg.end_byte, message,
                flow=sink_flow.steps(),
            )  # fmt: skip


def _built_elsewhere(
    meta: RuleMeta, ctx: AnalysisContext, taint: FileTaint, handled: list[tuple[int, int]]
) -> Iterator[Finding]:
    """SQL text built from request data that leaves the function (returned, or passed to a
    call that is not a known database sink) instead of being executed here: the query runs
    somewhere we cannot see, so it is a WARNING spanning the build and where it leaves."""
    assert ctx.root is not None
    if not taint.facts:
        return  # the engine saw no request data here: no literal below has a fact
    source = ctx.source
    for literal in sql_literals(source, ctx.root):
        built = _outer_build(source, literal.node)
        if built is literal.node and not literal.sql.holes:
            continue
        seen, origin = taint.fact(built)
        if not seen or origin is None or origin.weak or not origin.live(tables.SQL):
            continue
        if _inside(built, handled):
            continue
        leaves = _where_it_leaves(source, built, handled)
        if leaves is None:
            continue
        end, how = leaves
        first = origin.steps[0] if origin.steps else None
        line = ctx.document.index.line_of(first.start) + 1 if first is not None else None
        where = f" (line {line})" if line is not None else ""
        message = (
            f"`{origin.source}`{where} is built into SQL text here and {how}: whoever runs "
            "it runs an injectable query. Keep the SQL constant and pass the values along "
            "as query parameters."
        )
        step = FlowStep(
            built.start_byte, built.end_byte, f"built into SQL (line {built.start_point[0] + 1})"
        )
        yield Finding.at(
            meta, built.start_byte, end.end_byte, message, None, Severity.WARNING,
            (*origin.steps, step),
        )  # fmt: skip


def _outer_build(source: bytes, node: Node) -> Node:
    """The whole expression a SQL literal is built into (``"..." % x``, ``"..." + x``)."""
    while node.parent is not None:
        parent = node.parent
        if (
            parent.type == "binary_operator"
            and node_text(source, parent.child_by_field_name("operator")) in ("%", "+")
        ) or parent.type == "parenthesized_expression":
            node = parent
        elif (
            parent.type == "attribute"
            and parent.parent is not None
            and (
                parent.parent.type == "call"
                and node_text(source, parent.child_by_field_name("attribute")) == "format"
            )
        ):
            node = parent.parent
        else:
            break
    return node


def _inside(node: Node, spans: list[tuple[int, int]]) -> bool:
    return any(start <= node.start_byte and node.end_byte <= end for start, end in spans)


def _where_it_leaves(
    source: bytes, built: Node, handled: list[tuple[int, int]]
) -> tuple[Node, str] | None:
    """(node where the text leaves the function, how) or None when it stays or is executed."""
    parent = built.parent
    if parent is not None and parent.type == "return_statement":
        return parent, "returned"
    if parent is not None and parent.type == "argument_list" and parent.parent is not None:
        call = parent.parent
        return call, f"passed to `{node_text(source, call.child_by_field_name('function'))}()`"
    if parent is None or parent.type != "assignment":
        return None
    left = parent.child_by_field_name("left")
    function = enclosing_function(built)
    if left is None or left.type != "identifier" or function is None:
        return None
    name = node_text(source, left)
    leaves: tuple[Node, str] | None = None
    for node in walk(function):
        if node.start_byte <= parent.end_byte or node.type != "identifier":
            continue
        if node_text(source, node) != name:
            continue
        if _inside(node, handled):
            return None  # executed here after all: the sink rules judge it
        use = node.parent
        if leaves is None and use is not None and use.type == "return_statement":
            leaves = (use, "returned")
        elif leaves is None and use is not None and use.type == "argument_list":
            outer = use.parent
            if outer is not None:
                callee = node_text(source, outer.child_by_field_name("function"))
                leaves = (outer, f"passed to `{callee}()`")
    return leaves


def _receiver(call: Node) -> Node | None:
    """``conn`` in ``conn.execute(...)``: the object that runs the query."""
    function = call.child_by_field_name("function")
    return function.child_by_field_name("object") if function is not None else None


def _request_data(taint: FileTaint, holes: list[Node | None]) -> Taint | bool:
    """The request-data taint of the first hole that has one; False when all are proven clean."""
    clean = True
    for hole in holes:
        if hole is None:
            clean = False
            continue
        seen, value = taint.fact(hole)
        if not seen:
            clean = False
        elif value is not None and value.live(tables.SQL):
            if not value.weak:
                return value
            clean = False
    return not clean


def _clause_builder(source: bytes, expr: Node | None) -> bool:
    """A clause assembled in code: ``" AND ".join(conditions)`` or a variable holding one."""
    if expr is None:
        return False
    if expr.type == "identifier":
        return True
    text = node_text(source, expr)
    return expr.type == "call" and ".join(" in text and text[:1] in "'\""


def _has_placeholders(template: str) -> bool:
    return bool(scan_sql(template.replace(HOLE, "x")).placeholders)


_SQL_TEXT_METHODS = frozenset(
    {"execute", "executemany", "executescript", "raw", "read_sql", "read_sql_query", "mogrify"}
)


def _textual_sink(flow: Flow) -> bool:
    """SQL-taking methods only (``run``/``fetch`` names are too common elsewhere)."""
    return flow.sink.rsplit(".", 1)[-1] in _SQL_TEXT_METHODS
