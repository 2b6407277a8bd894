"""The state one client connection shares: documents, settings, roots, schema, services.

Handlers and the agent get this object (or the parts of it they need), never
the pygls server. ``initialize`` fills in what the client offered, cheaply;
settings and the services are built on first use, after the response is out,
so nothing heavy is imported here at module level.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from backend_lsp.lsp import configuration, logs
from backend_lsp.lsp.capabilities import ClientCapabilities
from backend_lsp.lsp.convert import encoding_of, uri_to_path
from backend_lsp.lsp.progress import CommandRunner
from backend_lsp.text import Encoding, LineIndex

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

    from backend_lsp.analysis.model import Finding
    from backend_lsp.analysis.schema import WorkspaceSchema
    from backend_lsp.analysis.taint.workspace import WorkspaceSummaries
    from backend_lsp.config import Settings
    from backend_lsp.lsp.code_actions import CodeActionService
    from backend_lsp.lsp.diagnostics import DiagnosticsManager
    from backend_lsp.lsp.documents import DocumentState, DocumentStore
    from backend_lsp.lsp.indexing import WorkspaceIndexes

log = logging.getLogger("backend_lsp.lsp")

PushDiagnostics = Callable[[str, int | None, str], None]
"""(uri, version, diagnostics as a JSON array text) -> publishDiagnostics."""


@dataclass
class Services:
    """The engine-facing parts, built together on first use."""

    store: DocumentStore
    diagnostics: DiagnosticsManager
    actions: CodeActionService


class Session:
    """One client's session; ``client`` is the connection used to talk back."""

    def __init__(
        self,
        client: LanguageServer,
        push: PushDiagnostics,
        cli: Mapping[str, Any] | None = None,
        on_services: Callable[[Services], None] | None = None,
    ) -> None:
        self.client = client
        self.cli: dict[str, Any] = dict(cli or {})
        self.capabilities = ClientCapabilities()
        self.encoding = Encoding.UTF16
        self.schema: WorkspaceSchema | None = None
        self.init_options: Mapping[str, Any] | None = None
        self.client_config: Mapping[str, Any] | None = None
        self.root: Path | None = None
        self.runner = CommandRunner(client, lambda: self.capabilities.work_done_progress)
        self.modules_at_initialize: list[str] = []
        self._push = push
        self._on_services = on_services
        self._settings: Settings | None = None
        self._services: Services | None = None
        self._summaries: WorkspaceSummaries | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._indexes: WorkspaceIndexes | None = None

    # -- set-up ----------------------------------------------------------------------------

    @property
    def push_diagnostics(self) -> bool:
        """Push (publishDiagnostics) unless the client pulls; never both."""
        return not self.capabilities.pull_diagnostics

    def initialize(self, params: types.InitializeParams, position_encoding: object) -> None:
        """Record what the client offered; everything that costs time waits for later."""
        self.capabilities = ClientCapabilities.of(params.capabilities)
        self.encoding = encoding_of(position_encoding or "utf-16")
        if self._services is not None:
            self._services.diagnostics.push = self.push_diagnostics
        folders = params.workspace_folders or []
        roots = [Path(uri_to_path(f.uri)) for f in folders]
        if not roots and params.root_uri:
            roots = [Path(uri_to_path(params.root_uri))]
        elif not roots and params.root_path:
            roots = [Path(params.root_path)]
        self.root = roots[0] if roots else None
        self.init_options = (
            params.initialization_options
            if isinstance(params.initialization_options, Mapping)
            else None
        )

    @property
    def settings(self) -> Settings:
        """Resolved on first use (normally in ``initialized``), never in ``initialize``."""
        if self._settings is None:
            self.apply_settings(report=False)
        assert self._settings is not None
        return self._settings

    @property
    def settings_resolved(self) -> Settings | None:
        return self._settings

    def apply_settings(self, report: bool) -> None:
        settings, problems = configuration.resolve(
            self.root, self.init_options, self.client_config, self.cli
        )
        self._settings = settings
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:
            logs.configure(self.client, loop, settings.log_level, settings.log_file)
        if report:
            configuration.report_problems(self.client, problems)

    async def pull_client_config(self) -> None:
        """Settings from workspace/configuration, when the client offers it."""
        if self.capabilities.configuration:
            self.client_config = await configuration.pull_client_config(self.client)

    def workspace_roots(self) -> list[Path]:
        try:
            folders = list(self.client.workspace.folders.values())
        except RuntimeError:
            folders = []
        roots = [Path(uri_to_path(f.uri)) for f in folders]
        if not roots and self.root is not None:
            roots = [self.root]
        return roots

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        """Run in the background, keeping a reference so the task is not collected."""
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    # -- services --------------------------------------------------------------------------

    def services(self) -> Services:
        if self._services is None:
            self._services = self._build_services()
            if self._on_services is not None:
                self._on_services(self._services)
        return self._services

    def _build_services(self) -> Services:
        from backend_lsp.lsp.code_actions import CodeActionService
        from backend_lsp.lsp.diagnostics import DiagnosticsManager
        from backend_lsp.lsp.documents import DocumentStore

        diagnostics = DiagnosticsManager(
            lambda: self.settings.analysis,
            lambda: self.schema,
            lambda: self.encoding,
            self._push,
            get_root=lambda: self.root,
            get_summaries=self.summaries,
        )
        diagnostics.push = self.push_diagnostics
        return Services(DocumentStore(), diagnostics, CodeActionService())

    def summaries(self) -> WorkspaceSummaries | None:
        """Taint summaries of imported helpers under the root (open files' live text)."""
        if self.root is None:
            return None
        if self._summaries is None or self._summaries.root != self.root.resolve():
            from backend_lsp.analysis.taint.workspace import WorkspaceSummaries

            self._summaries = WorkspaceSummaries(self.root, self.store.source_at)
        return self._summaries

    def helpers_changed(self, paths: list[str], *, files_moved: bool = False) -> None:
        """Re-analyse open documents whose last analysis used one of ``paths`` (a helper
        edited in the editor or changed on disk): their flows through it may differ."""
        summaries = self._summaries
        if summaries is None:
            return
        if files_moved:
            summaries.forget_locations()
        importers = {i for path in paths for i in summaries.importers_of(Path(path))}
        if not importers:
            return
        for uri in self.store.uris():
            state = self.store.get(uri)
            if state is not None and state.path in importers:
                self.diagnostics.invalidate(state)
                if self.diagnostics.push:
                    self.diagnostics.schedule(state)
        self.ask_for_diagnostics_again()

    @property
    def store(self) -> DocumentStore:
        return self.services().store

    @property
    def diagnostics(self) -> DiagnosticsManager:
        return self.services().diagnostics

    @property
    def actions(self) -> CodeActionService:
        return self.services().actions

    @property
    def indexes(self) -> WorkspaceIndexes:
        """The workspace index of each folder (lsp/indexing.py), created on first use."""
        if self._indexes is None:
            from backend_lsp.lsp.indexing import WorkspaceIndexes

            self._indexes = WorkspaceIndexes(
                self.client,
                self.runner,
                self.spawn,
                self.workspace_roots,
                lambda: self.capabilities.watched_files,
            )
        return self._indexes

    # -- diagnostics out -------------------------------------------------------------------

    def publish_file_findings(self, path: Path, data: bytes, findings: list[Finding]) -> None:
        """Diagnostics of a file analysed from disk (workspace analysis), push mode only."""
        from backend_lsp.lsp.diagnostics import diagnostics_json

        uri = path.resolve().as_uri()
        if not self.diagnostics.push or uri in self.store:
            return
        items = diagnostics_json(findings, LineIndex(data), self.encoding, uri)
        self._push(uri, None, json.dumps(items))

    def ask_for_diagnostics_again(self) -> None:
        """Pull clients re-ask after workspace/diagnostic/refresh, when they support it."""
        if not self.diagnostics.push and self.capabilities.diagnostic_refresh:
            self.client.workspace_diagnostic_refresh(None)

    def refresh_diagnostics(self) -> None:
        """After settings change: pull clients re-ask, push clients get a re-publish."""
        for uri in self.store.uris():
            state = self.store.get(uri)
            if state is not None:
                self.diagnostics.invalidate(state)
                if self.diagnostics.push:
                    self.diagnostics.schedule(state, delay_ms=0)
        self.ask_for_diagnostics_again()

    # -- schema ----------------------------------------------------------------------------

    async def discover_schema(self) -> None:
        roots = self.workspace_roots()
        if not roots:
            return

        def work() -> WorkspaceSchema:
            from backend_lsp.analysis.schema_discovery import discover_schema
            from backend_lsp.files import iter_source_files

            paths = [p for p in iter_source_files(roots, roots[0]) if p.suffix in (".sql", ".py")]
            return discover_schema(paths)

        try:
            self.set_schema(await asyncio.to_thread(work))
        except Exception:
            log.exception("schema discovery failed")
            return
        log.info("schema: %d tables found", len(self.schema or ()))

    async def refresh_schema_for(self, state: DocumentState) -> None:
        if state.snapshot is None or state.language_id not in ("sql", "python"):
            return
        snapshot, path, old = state.snapshot, state.path, self.schema

        def work() -> WorkspaceSchema:
            from backend_lsp.analysis.schema_discovery import with_document_schema

            return with_document_schema(old, path, snapshot)

        try:
            self.set_schema(await asyncio.to_thread(work))
        except Exception:
            log.exception("schema refresh failed for %s", path)

    def set_schema(self, fresh: WorkspaceSchema | None) -> None:
        """Keep the old object when nothing changed: a new one forces full re-analyses."""
        old = self.schema
        if (old is None and not fresh) or (old is not None and fresh == old):
            return
        self.schema = fresh
