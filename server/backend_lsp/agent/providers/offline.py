"""The offline provider: real answers from the analyzer where one exists, else a clear no.

explain -> the static explanation of the selection; review-security -> the
analyzer's findings in the selection (with their deterministic fixes);
optimize-query -> analyzer fixes in range plus sqlglot-based SELECT * expansion
and index suggestions. Every other action says that it needs a provider and how
to enable one. It costs no tokens and sends nothing anywhere.
"""

from __future__ import annotations

import difflib

from backend_lsp.agent.prompt import MessagesRequest
from backend_lsp.agent.protocol import AgentAnswer, AgentFinding, Hunk
from backend_lsp.agent.providers.offline_sql import advise, sql_statements, sql_string_spans
from backend_lsp.agent.requests import (
    ActionRequest,
    ProgressCallback,
    ProviderAnswer,
    ProviderError,
    SourceView,
)
from backend_lsp.agent.usage import OFFLINE_MODEL, Usage
from backend_lsp.analysis.explain.markdown import finding_line, flow_chain
from backend_lsp.analysis.model import Finding

__all__ = ["OFFLINE_MODEL", "OfflineProvider", "compose_hunks", "explain", "optimize", "review"]


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
    flows: list[str] = []
    for finding in findings:
        fix, anchor = _hunk_for(source, finding)
        if not anchor.strip():
            continue
        message = f"{finding.message} [{finding.code}]"
        if finding.flow:
            message += f" Flow: {flow_chain(finding)}."
            flows.append(finding_line(finding))
        fields = {"search": anchor, "message": message, "severity": finding.severity.label}
        out.append(AgentFinding.model_validate({**fields, "fix": fix}))
    summary = (
        f"The offline analyzer found {len(out)} problem(s) in the selection. "
        "This is a rule-based check, not a full security review; an AI review needs a provider."
        if out
        else "The offline analyzer found no problems in the selection (rule-based check only; "
        "an AI review needs a provider)."
    )
    # The proved paths, step by step: where request data enters and where it lands.
    explanation = "**Data flows the analyzer proved**\n" + "\n".join(flows) if flows else ""
    return AgentAnswer(findings=out, summary=summary, explanation=explanation)


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
_MAX_NODES = 2_000  # tree nodes visited for constructs: a huge selection stays cheap
# Constructs worth explaining wherever they sit on a line (a SQL string inside a call, a
# decorator above a handler): the static explainer keys on these, not on line starts.
_CONSTRUCTS = frozenset({"string", "concatenated_string", "call", "decorator"})


def _candidate_offsets(view: SourceView) -> list[int]:
    """The selection start, then line starts and constructs of the selection, in order."""
    source = view.context.source
    offsets: list[int] = []
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
    offsets.extend(_construct_offsets(view, end))
    return list(dict.fromkeys([view.start, *sorted(offsets)]))


def _construct_offsets(view: SourceView, end: int) -> list[int]:
    """Start bytes of the strings, calls and decorators that begin inside the selection."""
    root = view.context.root
    if root is None:
        return []
    start = view.start
    found: list[int] = []
    stack = [root]
    for _ in range(_MAX_NODES):
        if not stack:
            break
        node = stack.pop()
        if node.end_byte <= start or node.start_byte >= end:
            continue
        if node.type in _CONSTRUCTS and node.start_byte >= start:
            found.append(node.start_byte)
        stack.extend(reversed(node.children))
    return found


def optimize(view: SourceView) -> AgentAnswer | None:
    """Analyzer fixes and SQL rewrites composed into one new text, then diffed into hunks.

    Composing first means a fix and a rewrite of the same line become one hunk
    instead of two overlapping ones that the workflow would have to refuse.
    """
    source = view.context.source
    notes: list[str] = []
    fixes: list[Span] = []
    # the most severe fix wins a conflict (the injection fix over a column list); a
    # SELECT * expansion that loses is redone below on the fixed text by the SQL advice
    for finding in sorted(_in_range(view), key=lambda f: (int(f.severity), f.start)):
        if finding.fix is None or not finding.fix.edits:
            continue
        edits = [(e.start, e.end, e.new_text.encode("utf-8")) for e in finding.fix.edits]
        if not all(view.start <= s and e <= view.end for s, e, _ in edits):
            continue
        if any(_overlaps(edit, other) for edit in edits for other in fixes):
            continue  # two fixes of the same code: the first wins, a rerun offers the next
        fixes.extend(edits)
        notes.append(f"{finding.message} [{finding.code}]")
    patched = _apply(source, fixes)
    rewrites: list[Span] = []
    for start, end, sql in _sql_spans(view, patched, fixes):
        advice = advise(sql, view.context.schema)
        if advice is None:
            continue
        if advice.rewritten:
            rewrites.append((start, end, advice.rewritten.encode("utf-8")))
        if advice.index:
            notes.append(f"Suggested index: `{advice.index}`")
        notes.append(advice.reason)
    original = source.decode("utf-8", "replace")
    hunks = compose_hunks(original, _apply(patched, rewrites).decode("utf-8", "replace"))
    if hunks is None or (hunks and not _applies(original, hunks)):
        hunks = []
        notes.append(
            "The rewrite is not offered as an edit: the changed lines are not unique in the file."
        )
    if not hunks and not notes:
        return None
    listed = "\n".join(f"- {n}" for n in dict.fromkeys(notes))
    return AgentAnswer(edits=hunks, summary=f"Offline analysis (no AI provider):\n{listed}")


Span = tuple[int, int, bytes]
"""(start, end, new bytes): one byte-offset replacement."""


def _overlaps(a: Span, b: Span) -> bool:
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def _apply(text: bytes, edits: list[Span]) -> bytes:
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _shift(offset: int, edits: list[Span], inclusive: bool = False) -> int:
    """Where ``offset`` of the original lands after ``edits`` (non-overlapping).

    ``inclusive``: an insertion exactly at ``offset`` counts as before it.
    """
    moved = offset
    for start, end, new in edits:
        if end < offset or (end == offset and (start < offset or inclusive)):
            moved += len(new) - (end - start)
    return moved


def _sql_spans(view: SourceView, patched: bytes, fixes: list[Span]) -> list[tuple[int, int, str]]:
    """(start, end, sql) in ``patched`` of the statements in the selection.

    A .sql document's statements are the SQL; in code, the SELECT/WITH string
    literals of the selection after the fixes (so a fixed query is rewritten too).
    """
    if view.context.language_id == "sql":
        spans: list[tuple[int, int, str]] = []
        for s, e, _sql in sql_statements(view.context):
            inside = s < max(view.end, view.start + 1) and e >= view.start
            if not inside or any(f[0] < s < f[1] or f[0] < e < f[1] for f in fixes):
                continue  # outside the selection, or a fix straddles the statement's edge
            first, last = _shift(s, fixes), _shift(e, fixes, inclusive=True)
            spans.append((first, last, patched[first:last].decode("utf-8", "replace")))
        return spans
    start, end = _shift(view.start, fixes), _shift(view.end, fixes, inclusive=True)
    selection = patched[start:end].decode("utf-8", "replace")
    return [
        (start + _bytes(selection, s), start + _bytes(selection, e), sql)
        for s, e, sql in sql_string_spans(selection)
    ]


def _bytes(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def compose_hunks(original: str, final: str) -> list[Hunk] | None:
    """Whole-line hunks turning ``original`` into ``final``, each anchored once, none touching.

    None when a change cannot be anchored uniquely (the file repeats those lines
    from end to end), so the caller offers no edit rather than a refused one.
    """
    if original == final:
        return []
    before = original.splitlines(keepends=True)
    after = final.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    changes = [op[1:] for op in matcher.get_opcodes() if op[0] != "equal"]

    def bounds(group: list[int]) -> tuple[int, int, int, int]:
        # a group: changes[first..last] plus `lead` and `trail` unchanged lines around them
        first, last, lead, trail = group
        return (
            changes[first][0] - lead,
            changes[last][1] + trail,
            changes[first][2] - lead,
            changes[last][3] + trail,
        )

    groups = [[k, k, 0, 0] for k in range(len(changes))]
    k = 0
    while k < len(groups):
        group = groups[k]
        i1, i2, _, _ = bounds(group)
        if k > 0 and bounds(groups[k - 1])[1] >= i1:  # touches the previous hunk: one hunk
            groups[k - 1] = [groups[k - 1][0], group[1], groups[k - 1][2], group[3]]
            del groups[k]
            k -= 1
            continue
        if k + 1 < len(groups) and i2 >= bounds(groups[k + 1])[0]:
            groups[k] = [group[0], groups[k + 1][1], group[2], groups[k + 1][3]]
            del groups[k + 1]
            continue
        search = "".join(before[i1:i2])
        if search.strip() and _once(original, search):
            k += 1
            continue
        if i1 == 0 and i2 == len(before):
            return None
        group[2] += 1 if i1 > 0 else 0
        group[3] += 1 if i2 < len(before) else 0
    hunks: list[Hunk] = []
    for group in groups:
        i1, i2, j1, j2 = bounds(group)
        hunks.append(Hunk(search="".join(before[i1:i2]), replace="".join(after[j1:j2])))
    return hunks


def _once(text: str, needle: str) -> bool:
    first = text.find(needle)
    return first >= 0 and text.find(needle, first + 1) < 0


def _applies(text: str, hunks: list[Hunk]) -> bool:
    """The workflow's own matcher accepts the hunks (an offline answer is never refused)."""
    from backend_lsp.agent.edits import EditError, match_hunks

    try:
        match_hunks(text, hunks)
    except EditError:
        return False
    return True
