"""Run the analyzer over files on disk and gather a CheckReport.

The CLI's ``check`` is this plus formatting; nothing here prints, so the same
collection can back other front ends (a pre-commit hook, a bench).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from backend_lsp import __version__
from backend_lsp.analysis.registry import select_rules
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import FileTooLarge, analyze_document, is_excluded
from backend_lsp.files import IgnoreRules, SkipReason, iter_source_files, read_source
from backend_lsp.report.model import CheckReport, locate
from backend_lsp.syntax import ParsedDocument, language_for_path

log = logging.getLogger(__name__)


def discover(files: Sequence[Path]) -> WorkspaceSchema:
    """Workspace schema for SELECT * fixes; a discovery bug must not stop the check."""
    from backend_lsp.analysis.schema_discovery import discover_schema

    try:
        return discover_schema(files)
    except Exception:
        log.exception("schema discovery failed; continuing without a schema")
        return WorkspaceSchema()


def collect(
    paths: Sequence[Path], root: Path, settings: AnalysisSettings, *, cwd: Path
) -> CheckReport:
    """Findings for every source file under ``paths`` (gitignore respected)."""
    rules = select_rules(settings.select, settings.ignore)
    report = CheckReport(root=root, rules=[rule.meta for rule in rules], tool_version=__version__)
    files = [
        path
        for path in iter_source_files(paths, root, IgnoreRules(root))
        if not is_excluded(str(path), settings, root)
    ]
    schema = discover(files)
    for path in files:
        text = read_source(path, settings.max_file_bytes)
        if isinstance(text, SkipReason):
            report.skipped.append(text)
            continue
        document = ParsedDocument(text, language_for_path(path))
        try:
            findings = analyze_document(str(path), document, settings, schema, root=root)
        except FileTooLarge as error:  # text grew past the limit when re-encoded
            report.skipped.append(SkipReason(path, "too-large", str(error)))
            continue
        except Exception as error:  # never let one file end the run
            log.exception("analysis failed on %s", path)
            report.skipped.append(SkipReason(path, "failed", f"analysis failed: {error}"))
            continue
        report.files_checked += 1
        report.findings.extend(
            locate(finding, document.index, path, cwd=cwd, root=root) for finding in findings
        )
    return report
