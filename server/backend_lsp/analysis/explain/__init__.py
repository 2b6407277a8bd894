"""Static hover explanations: instant, offline markdown about the code under the cursor.

The most specific construct wins: a SQL string, then an ORM query chain,
then a route handler's header; elsewhere only the findings under the cursor
are shown. Everything comes from the cached tree (``ctx.root``), never a new
parse, and the result is passed through the secret mask before it leaves.
"""

from __future__ import annotations

import logging

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.explain.facts import string_node_at
from backend_lsp.analysis.explain.markdown import finding_line, mask_secrets
from backend_lsp.analysis.explain.orm import explain_orm
from backend_lsp.analysis.explain.route import explain_route, handler_at
from backend_lsp.analysis.explain.sql import explain_python_sql, explain_sql_file, module_dialect
from backend_lsp.analysis.model import Finding

__all__ = ["explain_at", "findings_markdown"]

log = logging.getLogger(__name__)


def explain_at(ctx: AnalysisContext, offset: int, findings: list[Finding]) -> str | None:
    """Markdown explaining the backend construct at byte ``offset``, or None."""
    offset = max(0, min(offset, len(ctx.source)))
    try:
        text = _explain(ctx, offset, findings)
    except Exception:  # a hover must never take the server down
        log.exception("hover explanation failed at %s:%d", ctx.path, offset)
        text = None
    if text is None:
        text = findings_markdown([f for f in findings if f.start <= offset <= f.end])
    return mask_secrets(text) if text else None


def findings_markdown(findings: list[Finding]) -> str | None:
    """Findings alone: one bullet each with code, severity, message and doc link."""
    if not findings:
        return None
    lines = [f"**backend-lsp** · {len(findings)} finding{'s' if len(findings) > 1 else ''}"]
    lines.extend(finding_line(f) for f in findings)
    return "\n".join(lines)


def _explain(ctx: AnalysisContext, offset: int, findings: list[Finding]) -> str | None:
    root = ctx.root
    if root is None:
        return None
    if ctx.language_id == "sql":
        return explain_sql_file(ctx, offset, findings, None)
    if ctx.language_id != "python":
        return None
    node = root.named_descendant_for_byte_range(offset, offset)
    if node is None:
        return None
    dialect = module_dialect(ctx)
    string = string_node_at(node)
    if string is not None:
        explained = explain_python_sql(ctx, string, findings, dialect)
        if explained is not None:
            return explained
    if node.type in ("identifier", "call", "attribute", "argument_list", "subscript"):
        explained = explain_orm(ctx, node, findings)
        if explained is not None:
            return explained
    function = handler_at(ctx, node)
    if function is not None:
        return explain_route(ctx, function, findings, dialect)
    return None
