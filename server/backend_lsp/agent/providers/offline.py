"""The offline provider: real answers from the analyzer where one exists, else a clear no.

explain -> the static explanation of the selection; review-security -> the
analyzer's findings in the selection (with their deterministic fixes);
optimize-query -> analyzer fixes in range plus sqlglot-based SELECT * expansion
and index suggestions. Every other action says that it needs a provider and how
to enable one. It costs no tokens and sends nothing anywhere.
"""

from __future__ import annotations

from backend_lsp.agent.prompt import MessagesRequest
from backend_lsp.agent.protocol import AgentAnswer, AgentFinding, Hunk
from backend_lsp.agent.providers.offline_sql import advise, sql_strings
from backend_lsp.agent.requests import (
    ActionRequest,
    ProgressCallback,
    ProviderAnswer,
    ProviderError,
    SourceView,
)
from backend_lsp.agent.usage import Usage
from backend_lsp.analysis.model import Finding

OFFLINE_MODEL = "offline-analyzer"


class OfflineProvider:
    """Answers without a model. ``reason`` explains why no model is available."""

    name = "offline"
    cacheable = False

    def __init__(self, reason: str = "No AI provider is configured.") -> None:
        self.reason = reason

    async def answer(
        self,
        request: ActionRequest,
        messages: MessagesRequest,
        on_progress: ProgressCallback | None = None,
    ) -> ProviderAnswer:
        action = request.action.id
        view = request.source
        answer: AgentAnswer | None = None
        if view is not None and request.action.builtin:
            if action == "explain":
                answer = explain(view)
            elif action == "review-security":
                answer = review(view)
            elif action == "optimize-query":
                answer = optimize(view)
        if answer is None:
            what = "found nothing it can answer here" if request.action.offline else "cannot"
            raise ProviderError(
                "no_provider",
                f"'{request.action.title}' needs an AI provider (the offline analyzer {what}). "
                f"{self.reason}",
            )
        if on_progress is not None:
            on_progress(0, "")
        return ProviderAnswer(answer, Usage(), OFFLINE_MODEL)


def _in_range(view: SourceView) -> list[Finding]:
    start, end = view.start, view.end
    if start == end:  # a cursor: findings that contain it
        return [f for f in view.findings if f.start <= start <= f.end]
    return [f for f in view.findings if f.start < end and f.end > start]


def _anchor(source: bytes, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) to whole lines until the text occurs once in the source."""
    if source.count(source[start:end]) == 1 and end > start:
        return start, end
    line_start = source.rfind(b"\n", 0, start) + 1
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end < 0 else line_end
    while source.count(source[line_start:line_end]) > 1:
        grown_start = source.rfind(b"\n", 0, max(0, line_start - 1)) + 1
        grown_end = source.find(b"\n", line_end + 1)
        grown_end = len(source) if grown_end < 0 else grown_end
        if (grown_start, grown_end) == (line_start, line_end):
            break
        line_start, line_end = grown_start, grown_end
    return line_start, line_end


def _hunk_for(source: bytes, finding: Finding) -> tuple[Hunk | None, str]:
    """The finding's anchor text, and its fix as one hunk when the fix is local."""
    start, end = finding.start, finding.end
    edits = finding.fix.edits if finding.fix else ()
    if edits:
        start = min(start, *(e.start for e in edits))
        end = max(end, *(e.end for e in edits))
    start, end = _anchor(source, start, end)
    anchor = source[start:end].decode("utf-8", "replace")
    if not edits:
        return None, anchor
    patched = source[start:end]
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        patched = (
            patched[: edit.start - start]
            + edit.new_text.encode("utf-8")
            + patched[edit.end - start :]
        )
    return Hunk(search=anchor, replace=patched.decode("utf-8", "replace")), anchor


def review(view: SourceView) -> AgentAnswer | None:
    findings = _in_range(view)
    source = view.context.source
    out: list[AgentFinding] = []
    for finding in findings:
        fix, anchor = _hunk_for(source, finding)
        if not anchor.strip():
            continue
        message = f"{finding.message} [{finding.code}]"
        fields = {"search": anchor, "message": message, "severity": finding.severity.label}
        out.append(AgentFinding.model_validate({**fields, "fix": fix}))
    summary = (
        f"The offline analyzer found {len(out)} problem(s) in the selection. "
        "This is a rule-based check, not a full security review; an AI review needs a provider."
        if out
        else "The offline analyzer found no problems in the selection (rule-based check only; "
        "an AI review needs a provider)."
    )
    return AgentAnswer(findings=out, summary=summary)


def explain(view: SourceView) -> AgentAnswer | None:
    """Static explanations of the distinct constructs the selection starts lines with."""
    from backend_lsp.analysis.explain import explain_at

    parts: list[str] = []
    for offset in _candidate_offsets(view):
        try:
            text = explain_at(view.context, offset, view.findings)
        except Exception:  # the static explainer is best effort; never fail the action
            text = None
        if text and text not in parts and not any(text in p for p in parts):
            parts.append(text)
        if len(parts) == _MAX_EXPLANATIONS:
            break
    if not parts:
        return None
    return AgentAnswer(
        explanation="\n\n---\n\n".join(parts),
        summary="Static explanation from the offline analyzer (no AI provider configured).",
    )


_MAX_EXPLANATIONS = 3
_MAX_LINES = 80


def _candidate_offsets(view: SourceView) -> list[int]:
    """The selection start, then the first non-blank byte of each selected line."""
    source = view.context.source
    offsets = [view.start]
    position = view.start
    end = max(view.end, view.start + 1)
    for _ in range(_MAX_LINES):
        if position >= min(end, len(source)):
            break
        line_end = source.find(b"\n", position)
        line_end = len(source) if line_end < 0 else line_end
        line = source[position:line_end]
        stripped = line.lstrip()
        if stripped:
            offsets.append(position + len(line) - len(stripped))
        position = line_end + 1
    return list(dict.fromkeys(offsets))


def optimize(view: SourceView) -> AgentAnswer | None:
    source = view.context.source
    hunks: list[Hunk] = []
    notes: list[str] = []
    for finding in _in_range(view):
        if finding.fix is None:
            continue
        if not all(view.start <= e.start and e.end <= view.end for e in finding.fix.edits):
            continue
        fix, _anchor_text = _hunk_for(source, finding)
        if fix is not None:
            hunks.append(fix)
            notes.append(f"{finding.message} [{finding.code}]")
    selection = source[view.start : view.end].decode("utf-8", "replace")
    for sql in sql_strings(selection):
        advice = advise(sql, view.context.schema)
        if advice is None:
            continue
        if advice.rewritten and source.count(sql.encode("utf-8")) == 1:
            hunks.append(Hunk(search=sql, replace=advice.rewritten))
        if advice.index:
            notes.append(f"Suggested index: `{advice.index}`")
        notes.append(advice.reason)
    if not hunks and not notes:
        return None
    summary = "Offline analysis (no AI provider):\n" + "\n".join(f"- {n}" for n in notes)
    return AgentAnswer(edits=_dedupe(hunks), summary=summary)


def _dedupe(hunks: list[Hunk]) -> list[Hunk]:
    seen: set[str] = set()
    out: list[Hunk] = []
    for hunk in hunks:
        if hunk.search not in seen:
            seen.add(hunk.search)
            out.append(hunk)
    return out
