"""textDocument/hover: the agent's explanation of this code, then the static explanation.

Reads only the last analysis snapshot (its tree is already parsed), so it
never waits for analysis; while the editor is ahead of the snapshot the
cursor is mapped through the snapshot's own line index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from lsprotocol import types

from backend_lsp.analysis.model import Finding
from backend_lsp.lsp.convert import to_offset, to_range
from backend_lsp.lsp.documents import DocumentState
from backend_lsp.text import Encoding

log = logging.getLogger(__name__)


AgentHover = Callable[[DocumentState, types.Position], "str | None"]
"""Markdown the agent left for this position (an explanation), or None."""
IndexHover = Callable[[DocumentState, int], "str | None"]
"""What the workspace index knows of the name at this byte offset, or None."""


def hover(
    state: DocumentState,
    position: types.Position,
    encoding: Encoding,
    agent: AgentHover | None = None,
    index: IndexHover | None = None,
) -> types.Hover | None:
    parts: list[str] = []
    if agent is not None:
        explained = agent(state, position)
        if explained:
            parts.append(explained)
    snapshot = state.snapshot
    if snapshot is None:
        return _hover(parts, None)
    offset = to_offset(snapshot.index, position, encoding)
    findings = [f for f in state.findings if isinstance(f, Finding)]
    under = [f for f in findings if f.start <= offset <= max(f.end, f.start + 1)]
    try:
        from backend_lsp.analysis.context import AnalysisContext
        from backend_lsp.analysis.explain import explain_at

        # explain_at lists the findings under the cursor itself: its markdown is the whole hover.
        explanation = explain_at(AnalysisContext(state.path, snapshot), offset, findings)
    except Exception:
        log.exception("explain_at failed at %s:%d", state.path, offset)
        explanation = None
    if explanation:
        parts.append(explanation)
    if index is not None:
        try:
            indexed = index(state, offset)
        except Exception:
            log.exception("index hover failed at %s:%d", state.path, offset)
            indexed = None
        if indexed:
            parts.append(indexed)
    rng = None
    if under:
        rng = to_range(snapshot.index, under[0].start, under[0].end, encoding)
    return _hover(parts, rng)


def _hover(parts: list[str], rng: types.Range | None) -> types.Hover | None:
    if not parts:
        return None
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
        ),
        range=rng,
    )
