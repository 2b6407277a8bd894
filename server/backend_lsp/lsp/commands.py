"""workspace/executeCommand: analyseWorkspace and status, on the cancellable runner."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backend_lsp.lsp.progress import CancelToken, ProgressReporter

if TYPE_CHECKING:
    from backend_lsp.lsp.server import BackendLanguageServer

log = logging.getLogger(__name__)

ANALYZE_WORKSPACE = "backend-lsp.analyzeWorkspace"
STATUS = "backend-lsp.status"
RUN_ACTION = "backend-lsp.runAction"  # the agent's command (agent_commands.py runs it)
COMMANDS = (ANALYZE_WORKSPACE, STATUS)


def source_files(paths: Sequence[Path], root: Path) -> Iterator[Path]:
    """The one place that walks the workspace (gitignore-aware when files.py is there)."""
    try:
        from backend_lsp.files import iter_source_files
    except ImportError:  # pragma: no cover - the walker ships with the CLI
        from backend_lsp.syntax.languages import language_for_path

        for base in paths:
            for path in sorted(base.rglob("*")):
                if path.is_file() and language_for_path(path) is not None:
                    yield path
        return
    yield from iter_source_files(paths, root)


def _analyse_file(path: Path, server: BackendLanguageServer) -> tuple[list[Any], bytes] | None:
    from backend_lsp.lsp.diagnostics import analyse_snapshot
    from backend_lsp.syntax.document import ParsedDocument
    from backend_lsp.syntax.languages import language_for_path

    settings = server.settings.analysis
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
    findings, _ = analyse_snapshot(str(path), document, settings, server.schema)
    return findings, data


async def analyze_workspace(
    server: BackendLanguageServer, reporter: ProgressReporter, cancel: CancelToken
) -> dict[str, Any]:
    """Analyse every source file; publish (push) or refresh (pull) diagnostics."""
    roots = server.workspace_roots()
    files = await asyncio.to_thread(lambda: list(source_files(roots, roots[0]))) if roots else []
    total = len(files)
    problems = 0
    done = 0
    for done, path in enumerate(files, start=1):
        cancel.check()
        result = await asyncio.to_thread(_analyse_file, path, server)
        if result is not None:
            findings, data = result
            problems += len(findings)
            server.publish_file_findings(path, data, findings)
        if done == total or done % 10 == 0:
            reporter.report(f"{done}/{total} files", int(done * 100 / max(total, 1)))
    server.refresh_diagnostics()
    return {"files": total, "analysed": done, "findings": problems}


def status(server: BackendLanguageServer) -> dict[str, Any]:
    from backend_lsp import __version__
    from backend_lsp.analysis.registry import all_rules
    from backend_lsp.lsp.configuration import summary

    return {
        "version": __version__,
        "settings": summary(server.settings),
        "openDocuments": server.store.uris(),
        "rules": len(all_rules()),
        "diagnostics": "push" if server.diagnostics.push else "pull",
        "positionEncoding": server.encoding.value,
        "schemaTables": len(server.schema) if server.schema is not None else 0,
        "agent": server.agent.status(),
        "startup": {"modulesAtInitialize": server.modules_at_initialize},
    }
