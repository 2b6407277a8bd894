"""One mechanism for every taint rule: the file's flows of a category become findings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding, RuleMeta
from backend_lsp.analysis.taint.flow import Flow


class TaintRule:
    """Subclasses set ``meta``, ``category`` and ``advice`` (how to fix, one sentence)."""

    meta: RuleMeta
    category: ClassVar[str]
    risk: ClassVar[str]
    advice: ClassVar[str]

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        for flow in ctx.taint.flows_for(self.category):
            if self.reports(ctx, flow):
                yield self.finding(ctx, flow)

    def reports(self, ctx: AnalysisContext, flow: Flow) -> bool:
        """Whether a flow of the category is a finding; a rule that knows a safe form of its
        sink (a sandboxed template engine) says no to it here."""
        return True

    def finding(self, ctx: AnalysisContext, flow: Flow) -> Finding:
        return Finding.at(
            self.meta,
            flow.arg.start_byte,
            flow.arg.end_byte,
            flow_message(ctx, flow, self.risk, self.advice),
            flow=flow.steps(),
        )


def flow_message(ctx: AnalysisContext, flow: Flow, risk: str, advice: str) -> str:
    first = flow.taint.steps[0] if flow.taint.steps else None
    line = ctx.document.index.line_of(first.start) + 1 if first is not None else None
    return f"{flow.describe(line)}: {risk}. {advice}"
