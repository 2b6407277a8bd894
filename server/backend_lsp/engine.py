"""Front-end independent entry points: analyse one document with settings applied.

Both the language server and the CLI call this, so an editor diagnostic and a
``backend-lsp check`` line always agree. ``IncrementalAnalyzer`` gives the
same answer as ``analyze_document`` but, held per open document, re-analyses
only what an edit can affect (see ``analysis.incremental``).
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

from backend_lsp.analysis import locations, suppressions
from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.incremental import ChunkedAnalysis
from backend_lsp.analysis.model import Finding, Severity, Treatment
from backend_lsp.analysis.path_rules import PathRules, relative_posix
from backend_lsp.analysis.python.roles import file_kinds
from backend_lsp.analysis.registry import Rule, all_metas, analyze, matches_code, select_rules
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.analysis.taint.custom import tables_for
from backend_lsp.analysis.taint.summaries import SummaryProvider
from backend_lsp.config import AnalysisSettings
from backend_lsp.syntax.document import ParsedDocument


class FileTooLarge(Exception):
    """The document exceeds ``analysis.max_file_bytes``; it is skipped, not analysed."""


def analyze_document(
    path: str,
    document: ParsedDocument,
    settings: AnalysisSettings,
    schema: WorkspaceSchema | None = None,
    *,
    root: Path | None = None,
    summaries: SummaryProvider | None = None,
    batch: bool = False,
) -> list[Finding]:
    """Findings for one document with every setting and suppression applied.

    ``root`` is the project root that ``exclude`` and ``per-file-ignores``
    globs are relative to; ``summaries`` lets the taint engine follow calls of
    helpers imported from other workspace modules. ``batch``: the document will not
    be edited and analysed again (``check``), so nothing is kept for a re-run.
    """
    plan = _plan(path, document, settings, root)
    if plan is None:
        return []
    context = AnalysisContext(
        path,
        document,
        schema or WorkspaceSchema(),
        taint_tables=tables_for(settings.taint),
        taint_summaries=summaries,
        taint_function_memo=not batch,
        relative_path=plan.relative_path,
    )
    return _finish(analyze(context, plan.rules), document, settings, plan)


class IncrementalAnalyzer:
    """``analyze_document`` for one open document, reusing the previous run's findings.

    A change of path, settings or schema object means a full run. Calls are
    serialised per instance (overlapping runs of two versions would share state).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks = ChunkedAnalysis()
        self._schema: WorkspaceSchema | None = None  # kept alive: compared by identity

    @property
    def last_reused(self) -> int:
        """Top-level functions whose findings the last run reused (0 after a full run)."""
        return self._chunks.last_reused

    def reset(self) -> None:
        with self._lock:
            self._chunks.reset()

    def analyze(
        self,
        path: str,
        document: ParsedDocument,
        settings: AnalysisSettings,
        schema: WorkspaceSchema | None = None,
        *,
        root: Path | None = None,
        summaries: SummaryProvider | None = None,
    ) -> list[Finding]:
        """Same result as ``analyze_document``; raises FileTooLarge the same way."""
        with self._lock:
            plan = _plan(path, document, settings, root)
            if plan is None:
                self._chunks.reset()
                return []
            if schema is not self._schema:
                self._chunks.reset()
                self._schema = schema
            context = AnalysisContext(
                path,
                document,
                schema or WorkspaceSchema(),
                taint_tables=tables_for(settings.taint),
                taint_summaries=summaries,
                relative_path=plan.relative_path,
            )
            # The treatment follows the content too (a file that becomes an Alembic revision
            # skips other rules), so it is part of what a reused result depends on.
            key = (path, str(root), settings_key(settings), tuple(sorted(plan.treatment.items())))
            findings = self._chunks.run(context, plan.rules, key)
            return _finish(findings, document, settings, plan)


def settings_key(settings: AnalysisSettings) -> Any:
    """The settings that can change findings, as a comparable value (cache keys use it)."""
    dumped = settings.model_dump(exclude={"debounce_ms", "cache_max_mb"})
    return repr(sorted(dumped.items()))


@dataclasses.dataclass(frozen=True, slots=True)
class _Plan:
    """What runs on one document: its rules and whether BE100 is reported."""

    rules: list[Rule]
    report_unused_noqa: bool
    treatment: dict[str, Treatment]  # what tests/migrations/... do to each code
    relative_path: str  # the path relative to the project root, which roles are read from


def is_excluded(path: str, settings: AnalysisSettings, root: Path | None) -> bool:
    """True when ``exclude``/``extend-exclude`` covers ``path``."""
    return PathRules.from_settings(settings).is_excluded(relative_posix(path, root))


def _plan(
    path: str, document: ParsedDocument, settings: AnalysisSettings, root: Path | None
) -> _Plan | None:
    """The rules to run, None when the document is not analysed; raises FileTooLarge."""
    if not settings.enabled or not document.has_grammar:
        return None
    if len(document.source) > settings.max_file_bytes:
        raise FileTooLarge(
            f"{path}: {len(document.source):,} bytes is over analysis.max_file_bytes "
            f"({settings.max_file_bytes:,}); skipped"
        )
    path_rules = PathRules.from_settings(settings)
    relative = relative_posix(path, root)
    if path_rules.is_excluded(relative):
        return None
    ignore = [*settings.ignore, *path_rules.ignored_codes(relative)]
    report_unused = matches_code(suppressions.UNUSED_NOQA, settings.select) and not matches_code(
        suppressions.UNUSED_NOQA, ignore
    )
    rules = select_rules(settings.select, ignore)
    kinds = file_kinds(relative, document.source, document.root)
    treatment = locations.treatments(kinds, [r.meta for r in rules], settings.locations)
    rules = [r for r in rules if treatment.get(r.meta.code) != "skip"]
    return _Plan(rules, report_unused, treatment, relative)


def _finish(
    findings: list[Finding], document: ParsedDocument, settings: AnalysisSettings, plan: _Plan
) -> list[Finding]:
    """Suppression comments, then severity overrides, then location treatments."""
    found = suppressions.scan(
        document.source,
        document.root,
        document.index,
        foreign=settings.foreign_suppressions,
        nosec_codes=settings.honour_nosec_codes,
    )
    findings = suppressions.apply(
        findings,
        found,
        document.index,
        document.root,
        report_unused=plan.report_unused_noqa,
        enabled=frozenset(rule.meta.code for rule in plan.rules),
        known=frozenset(meta.code for meta in all_metas()),
    )
    return locations.apply(_with_overrides(findings, settings), plan.treatment)


def _with_overrides(findings: list[Finding], settings: AnalysisSettings) -> list[Finding]:
    if not settings.severity:
        return findings
    overrides = {code.upper(): Severity.parse(level) for code, level in settings.severity.items()}
    return [
        dataclasses.replace(f, severity=overrides[f.code]) if f.code in overrides else f
        for f in findings
    ]
