"""textDocument/hover: the findings under the cursor plus a static explanation.

Reads only the last analysis snapshot (its tree is already parsed), so it
never waits for analysis; while the editor is ahead of the snapshot the
cursor is mapped through the snapshot's own line index.
"""

from __future__ import annotations

import logging

from lsprotocol import types

from backend_lsp.analysis.model import Finding
from backend_lsp.lsp.convert import to_offset, to_range
from backend_lsp.lsp.documents import DocumentState
from backend_lsp.text import Encoding

log = logging.getLogger(__name__)


def _finding_markdown(finding: Finding) -> str:
    link = f" ([docs]({finding.doc_url}))" if finding.doc_url else ""
    return f"**{finding.code}** `{finding.name}`{link}: {finding.message}"


def hover(state: DocumentState, position: types.Position, encoding: Encoding) -> types.Hover | None:
    snapshot = state.snapshot
    if snapshot is None:
        return None
    offset = to_offset(snapshot.index, position, encoding)
    under = [
        f
        for f in state.findings
        if isinstance(f, Finding) and f.start <= offset <= max(f.end, f.start + 1)
    ]
    parts = [_finding_markdown(f) for f in under]
    try:
        from backend_lsp.analysis.context import AnalysisContext
        from backend_lsp.analysis.explain import explain_at

        explanation = explain_at(AnalysisContext(state.path, snapshot), offset, under)
    except Exception:
        log.exception("explain_at failed at %s:%d", state.path, offset)
        explanation = None
    if explanation:
        parts.append(explanation)
    if not parts:
        return None
    rng = None
    if under:
        rng = to_range(snapshot.index, under[0].start, under[0].end, encoding)
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
        ),
        range=rng,
    )
