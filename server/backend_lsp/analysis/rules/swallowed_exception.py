"""BE015: broad exceptions swallowed silently (``except Exception: pass``).

Severity follows where it happens: WARNING inside a route handler or in
service code (views, api, services, tasks...), where a swallowed error turns
an outage into a silent wrong answer; INFORMATION elsewhere (scripts,
utilities), where it is still worth a look. A comment in the body marks the
choice as deliberate and lowers the severity one step. Narrow exceptions
(``except KeyError: pass``) and ``contextlib.suppress`` are deliberate and
never flagged.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import ONE_OFF_DATA_CODE
from backend_lsp.analysis.model import Edit, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.imports import ensure_import, import_aliases
from backend_lsp.analysis.python.nodes import (
    enclosing_function,
    function_name,
    node_text,
    statement_assignment,
)
from backend_lsp.analysis.python.paths import Location, is_service_path
from backend_lsp.analysis.python.routes import route_at
from backend_lsp.analysis.registry import register

_BROAD = {"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"}
_SILENT = ("pass_statement", "continue_statement")
_LOGGER_FACTORIES = ("getLogger", "get_logger", "getChild")


@register
class SwallowedException:
    meta = RuleMeta(
        code="BE015",
        name="swallowed-exception",
        severity=Severity.WARNING,
        summary="A broad exception is caught and silently ignored.",
        doc_url="https://cwe.mitre.org/data/definitions/390.html",
        locations=(*ONE_OFF_DATA_CODE[:-1], (Location.SCRIPTS, "info")),
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        logger: str | None = None
        logger_known = False
        for clause in ctx.nodes("except_clause"):
            caught = _caught(ctx.source, clause)
            if caught is None:
                continue
            body = clause.named_children[-1] if clause.named_children else None
            if body is None or body.type != "block":
                continue
            statements = [c for c in body.named_children if c.type != "comment"]
            if len(statements) != 1 or not _is_silent(statements[0]):
                continue
            if any(c.type == "comment" for c in (*clause.named_children, *body.named_children)):
                continue  # the author wrote down why (or silenced E722): a decision, not a slip
            if caught != "" and _probe_with_fallback(clause):
                continue
            if not logger_known:
                logger, logger_known = _module_logger(ctx), True
            yield self._finding(ctx, clause, body, statements[0], caught, logger)

    def _finding(
        self,
        ctx: AnalysisContext,
        clause: Node,
        body: Node,
        statement: Node,
        caught: str,
        logger: str | None,
    ) -> Finding:
        in_handler = route_at(ctx.source, clause, ctx.path) is not None
        severity = (
            Severity.WARNING if in_handler or is_service_path(ctx.path) else Severity.INFORMATION
        )
        if any(c.type == "comment" for c in (*clause.named_children, *body.named_children)):
            severity = Severity(min(int(severity) + 1, int(Severity.HINT)))
        what = (
            "every exception, even KeyboardInterrupt and SystemExit"
            if caught == ""
            else (f"`{caught}`")
        )
        action = "skipped with `continue`" if statement.type == "continue_statement" else "ignored"
        where = " in a request handler" if in_handler else ""
        message = (
            f"Catching {what} and leaving it {action}{where} hides failures: bugs and outages "
            "vanish without a trace. Log it (logger.exception), re-raise, or catch only the "
            "exception you expect."
        )
        header_end = next((c.end_byte for c in clause.children if c.type == ":"), clause.end_byte)
        return Finding.at(
            self.meta,
            clause.start_byte,
            header_end,
            message,
            _fix(ctx, clause, statement, logger),
            severity,
        )


def _caught(source: bytes, clause: Node) -> str | None:
    """'' for a bare except, the broad name caught, or None when the catch is narrow."""
    value = next((c for c in clause.named_children if c.type not in ("block", "comment")), None)
    if value is None:
        return ""
    if value.type == "as_pattern":
        value = value.named_children[0] if value.named_children else None
        if value is None:
            return None
    candidates = (
        value.named_children if value.type in ("tuple", "parenthesized_expression") else [value]
    )
    for candidate in candidates:
        if node_text(source, candidate) in _BROAD:
            return node_text(source, candidate).removeprefix("builtins.")
    return None


def _is_silent(statement: Node) -> bool:
    if statement.type in _SILENT:
        return True
    return (
        statement.type == "expression_statement"
        and statement.named_child_count == 1
        and statement.named_children[0].type == "ellipsis"
    )


def _module_logger(ctx: AnalysisContext) -> str | None:
    """Name of a module-level logger (``logger = logging.getLogger(__name__)``), if any."""
    assert ctx.root is not None
    for statement in ctx.root.named_children:
        assignment = statement_assignment(statement)
        if assignment is None:
            continue
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier" or right.type != "call":
            continue
        callee = node_text(ctx.source, right.child_by_field_name("function"))
        if callee.rsplit(".", 1)[-1] in _LOGGER_FACTORIES:
            return node_text(ctx.source, left)
    aliases = import_aliases(ctx.source, ctx.root)
    for local, qualified in aliases.items():
        if qualified == "loguru.logger":
            return local
    return None


def _fix(ctx: AnalysisContext, clause: Node, statement: Node, logger: str | None) -> Fix:
    assert ctx.root is not None
    edits: list[Edit] = []
    if logger is None:
        aliases = import_aliases(ctx.source, ctx.root)
        module = next((k for k, v in aliases.items() if v == "logging"), None)
        if module is None:
            module = "logging"
            added = ensure_import(ctx.source, ctx.root, "logging")
            if added is not None:
                edits.append(added)
        logger = f"{module}.getLogger(__name__)"
    function = enclosing_function(clause)
    context = function_name(ctx.source, function) if function is not None else ""
    text = "unexpected error" + (f" in {context}" if context else "")
    call = f'{logger}.exception("{text}")'
    if statement.type == "continue_statement":
        # Keep the loop going, but leave a trace first.
        if statement.start_point[0] == clause.start_point[0]:
            indent = ctx.line_indent(clause) + "    "
            edits.append(
                Edit(statement.start_byte, statement.start_byte, f"\n{indent}{call}\n{indent}")
            )
        else:
            edits.append(
                Edit(
                    statement.start_byte,
                    statement.start_byte,
                    f"{call}\n{ctx.line_indent(statement)}",
                )
            )
    else:
        edits.append(ctx.replace(statement, call))
    return Fix(title="Log the exception instead of ignoring it", edits=tuple(edits))


def _probe_with_fallback(clause: Node) -> bool:
    """``try: return probe() / except Exception: pass`` then a default: a lookup that may fail.

    The failure has a defined outcome (the code after the try), so nothing is
    hidden. Bare ``except:`` is still reported: it also swallows SystemExit.
    """
    statement = clause.parent
    if statement is None or statement.type != "try_statement":
        return False
    body = statement.child_by_field_name("body")
    statements = [c for c in body.named_children if c.type != "comment"] if body else []
    if not statements or statements[-1].type != "return_statement":
        return False
    after = statement.next_named_sibling
    while after is not None and after.type == "comment":
        after = after.next_named_sibling
    return after is not None  # an explicit fallback; falling off the end hides the failure
