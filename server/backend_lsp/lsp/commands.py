"""workspace/executeCommand: analyseWorkspace, clearCache and status (runAction is in agent/)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backend_lsp.lsp.progress import CancelToken, ProgressReporter

if TYPE_CHECKING:
    from backend_lsp.analysis.model import Finding
    from backend_lsp.lsp.session import Session

log = logging.getLogger(__name__)


def _analyse_file(path: Path, session: Session) -> tuple[list[Finding], bytes] | None:
    from backend_lsp.lsp.diagnostics import analyse_snapshot
    from backend_lsp.syntax.document import ParsedDocument
    from backend_lsp.syntax.languages import language_for_path

    settings = session.settings.analysis
    try:
        if path.stat().st_size > settings.max_file_bytes:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    document = ParsedDocument(data, language_for_path(path))
    findings, _ = analyse_snapshot(str(path), document, settings, session.schema, root=session.root)
    return findings, data


async def analyze_workspace(
    session: Session, reporter: ProgressReporter, cancel: CancelToken
) -> dict[str, Any]:
    """Analyse every source file; publish (push) or refresh (pull) diagnostics."""
    from backend_lsp.files import iter_source_files

    roots = session.workspace_roots()
    files = (
        await asyncio.to_thread(lambda: list(iter_source_files(roots, roots[0]))) if roots else []
    )
    total = len(files)
    problems = 0
    done = 0
    for done, path in enumerate(files, start=1):
        cancel.check()
        result = await asyncio.to_thread(_analyse_file, path, session)
        if result is not None:
            findings, data = result
            problems += len(findings)
            session.publish_file_findings(path, data, findings)
        if done == total or done % 10 == 0:
            reporter.report(f"{done}/{total} files", int(done * 100 / max(total, 1)))
    session.refresh_diagnostics()
    return {"files": total, "analysed": done, "findings": problems}


async def clear_cache() -> dict[str, Any]:
    """Empty the agent's response cache (as ``backend-lsp cache clear --json``), off the loop."""
    from backend_lsp.agent.cache import ResponseCache

    def clear() -> dict[str, Any]:
        cache = ResponseCache()
        try:
            return cache.clear_and_report()
        finally:
            cache.close()

    return await asyncio.to_thread(clear)


def status(session: Session, agent: dict[str, Any]) -> dict[str, Any]:
    from backend_lsp import __version__
    from backend_lsp.analysis.registry import all_rules
    from backend_lsp.lsp.configuration import summary

    return {
        "version": __version__,
        "settings": summary(session.settings),
        "openDocuments": session.store.uris(),
        "rules": len(all_rules()),
        "diagnostics": "push" if session.diagnostics.push else "pull",
        "positionEncoding": session.encoding.value,
        "schemaTables": len(session.schema) if session.schema is not None else 0,
        "agent": agent,
        "startup": {"modulesAtInitialize": session.modules_at_initialize},
    }
