"""BE015: exceptions swallowed silently (``except: pass``)."""

from __future__ import annotations

from collections.abc import Iterator

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.nodes import node_text
from backend_lsp.analysis.registry import register
from backend_lsp.syntax import run_query

# An except clause whose whole body is ``pass`` (or ``...``).
QUERY = """
(except_clause
  (block . [(pass_statement) (expression_statement (ellipsis))] @body .)) @clause
"""

_BROAD = {"", "Exception", "BaseException"}


@register
class SwallowedException:
    meta = RuleMeta(
        code="BE015",
        name="swallowed-exception",
        severity=Severity.WARNING,
        summary="An exception is caught and silently ignored.",
        doc_url="https://cwe.mitre.org/data/definitions/390.html",
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        for _, captures in run_query("python", QUERY, ctx.root):
            clause = captures["clause"][0]
            body = captures["body"][0]
            caught = self._caught(ctx, clause)
            if caught not in _BROAD:
                continue  # `except KeyError: pass` is a deliberate, narrow choice
            what = "every exception" if caught == "" else f"`{caught}`"
            indent = ctx.line_indent(body)
            bind = "" if " as " in node_text(ctx.source, clause).split(":", 1)[0] else None
            fix = None
            if bind is None and caught:
                fix = Fix(
                    title="Log the exception instead of ignoring it",
                    edits=(
                        ctx.replace(
                            body,
                            'logging.getLogger(__name__).exception("unexpected error")'
                            if indent is not None
                            else "",
                        ),
                    ),
                )
            yield ctx.finding(
                self.meta,
                clause.children[0],
                f"{what.capitalize() if caught == '' else 'Catching ' + what} is swallowed "
                "with `pass`: failures vanish without a trace, so bugs and outages go unseen. "
                "Log it (logger.exception), re-raise, or catch only the exception you expect.",
                fix,
            )

    @staticmethod
    def _caught(ctx: AnalysisContext, clause: object) -> str:
        from tree_sitter import Node

        assert isinstance(clause, Node)
        for child in clause.named_children:
            if child.type == "block":
                break
            if child.type == "as_pattern":
                inner = child.named_children[0] if child.named_children else None
                return node_text(ctx.source, inner)
            return node_text(ctx.source, child)
        return ""
