"""Turning a validated answer into checked, byte-anchored results.

Each step is all or nothing: a hunk that does not anchor, a new file that
would overwrite or escape the workspace, refuses the whole answer. Findings
are the one exception: a finding whose quote is not in the text is dropped
(with a log line), because the other findings are still right.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from backend_lsp.agent.edits import (
    EditError,
    apply_edits,
    introduces_syntax_errors,
    match_hunks,
    plan_edits,
)
from backend_lsp.agent.protocol import (
    AgentAnswer,
    AgentFinding,
    MalformedAnswer,
    NewFile,
    validate_new_file_path,
)
from backend_lsp.agent.redaction import Redactor
from backend_lsp.agent.types import ContextBundle
from backend_lsp.agent.workflow.outcome import ActionFailed
from backend_lsp.analysis.model import AGENT_SOURCE, Edit, Finding, Fix, Severity
from backend_lsp.files import IgnoreRules
from backend_lsp.syntax.languages import language_for_path

log = logging.getLogger(__name__)

# Replacement used only to locate a quote: never equal to real text, so the
# matcher reports the span instead of dropping a no-op edit.
_LOCATE = "\ufffe"


def redact_bundle(bundle: ContextBundle, redactor: Redactor) -> ContextBundle:
    """The bundle with every text (selection first) passed through ``redactor``."""
    selection = replace(bundle.selection, text=redactor.redact(bundle.selection.text))
    items = [replace(item, text=redactor.redact(item.text)) for item in bundle.items]
    return replace(bundle, items=items, selection=selection)


def restore_answer(answer: AgentAnswer, redactor: Redactor) -> AgentAnswer:
    """Secrets back in place of their placeholders, everywhere in the answer."""
    if redactor.count == 0:
        return answer
    restored = redactor.restore_value(answer.model_dump(mode="python"))
    return AgentAnswer.model_validate(restored)


def plan(original: str, live: str, answer: AgentAnswer) -> tuple[list[Edit], str]:
    """(edits against ``live`` for hunks written against ``original``, text after them)."""
    if not answer.edits:
        return [], live
    try:
        edits = plan_edits(original, live, answer.edits)
        after = apply_edits(live, edits)
    except EditError as error:
        kind = "stale" if original != live else "edit"
        raise ActionFailed(f"The answer cannot be applied: {error}", kind) from error
    return edits, after


def new_file_syntax(files: Sequence[NewFile]) -> list[str]:
    """Syntax problems in new files we have a grammar for, prefixed with their path."""
    problems: list[str] = []
    for new in files:
        language = language_for_path(new.path)
        problems.extend(
            f"{new.path} {p}" for p in introduces_syntax_errors(language, "", new.content)
        )
    return problems


def check_new_files(files: Sequence[NewFile], root: Path, ignore: IgnoreRules) -> list[NewFile]:
    """Paths normalised and checked: inside ``root``, not private, not existing yet."""
    checked: list[NewFile] = []
    for new in files:
        try:
            relative = validate_new_file_path(new.path, root)
        except MalformedAnswer as error:
            raise ActionFailed(f"The answer was refused: {error}", "refused") from error
        target = root / relative
        if ignore.is_private(target):
            raise ActionFailed(
                f"The answer was refused: new file {relative!r} matches the ignore rules "
                "(.gitignore, .env*, key files or .backend-lsp-ignore)",
                "refused",
            )
        if target.exists() or target.is_symlink():
            raise ActionFailed(
                f"The answer was refused: new file {relative!r} already exists; "
                "the agent never overwrites files (move it away and run the action again)",
                "refused",
            )
        checked.append(NewFile(path=relative, content=new.content))
    return checked


def _locate(live: str, quote: str) -> Edit | None:
    try:
        spans = match_hunks(live, [{"search": quote, "replace": _LOCATE}])
    except EditError as error:
        log.info("agent finding dropped: %s", error)
        return None
    return spans[0] if spans else None


def anchor_findings(live: str, findings: Sequence[AgentFinding], action_id: str) -> list[Finding]:
    """Findings as byte ranges of ``live``; each fix pre-matched into edits (or dropped).

    They are the analyzer's Finding type, with the agent as source and the
    action as code, so every front end shows both kinds the same way.
    """
    results: list[Finding] = []
    for finding in findings:
        span = _locate(live, finding.search)
        if span is None:
            continue
        fix: list[Edit] = []
        if finding.fix is not None:
            try:
                fix = match_hunks(live, [finding.fix])
            except EditError as error:
                log.info("fix of agent finding %r dropped: %s", finding.message[:60], error)
        results.append(
            Finding(
                code=action_id,
                name=action_id,
                severity=Severity.parse(finding.severity),
                message=finding.message,
                start=span.start,
                end=span.end,
                doc_url="",
                fix=Fix("Apply the agent's fix", tuple(fix)) if fix else None,
                source=AGENT_SOURCE,
            )
        )
    return results
