"""Wiring: one pygls server, one handler per LSP method, each delegating to a feature module.

Start-up cost matters (initialize must answer fast), so the engine (grammars,
sqlglot, anthropic, rules) is imported lazily, on first analysis.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from backend_lsp import __version__
from backend_lsp.lsp import commands as cmds
from backend_lsp.lsp import configuration, logs
from backend_lsp.lsp.agent_actions import ACTION_SOURCE, FIX_SOURCE, RUN_ACTION, action_kinds
from backend_lsp.lsp.agent_commands import AgentSession
from backend_lsp.lsp.code_actions import ActionEnv, CodeActionService
from backend_lsp.lsp.convert import encoding_of, to_range
from backend_lsp.lsp.diagnostics import DiagnosticsManager, finding_data
from backend_lsp.lsp.documents import DocumentState, DocumentStore, uri_to_path
from backend_lsp.lsp.hover import hover as hover_at
from backend_lsp.lsp.progress import CommandRunner
from backend_lsp.text import Encoding, LineIndex

log = logging.getLogger("backend_lsp.lsp")


class BackendProtocol(LanguageServerProtocol):
    """pygls' protocol, adjusted where the issue asks for more than its defaults."""

    _server: BackendLanguageServer

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            # pygls follows the client's order; we prefer UTF-8 whenever it is offered.
            offered = list(general.position_encodings)
            utf8 = [e for e in offered if str(getattr(e, "value", e)) == "utf-8"]
            general.position_encodings = utf8 + [e for e in offered if e not in utf8]
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        self._server.on_initialize(params, result.capabilities)
        return result

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        self._server.runner.cancel_request(msg_id)
        super()._handle_cancel_notification(msg_id)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            # A request we cannot read still deserves an answer with its id.
            if "id" in data and "method" in data:
                self._send_response(data["id"], error=error.to_response_error())
                raise _Answered() from error
            raise


class _Answered(Exception):
    """Marks a bad message whose error response has already been sent."""


class BackendLanguageServer(LanguageServer):
    """Session state: documents, settings, schema, and the feature services."""

    def __init__(self, cli_log_level: str | None = None, cli_log_file: str | None = None) -> None:
        super().__init__("backend-lsp", __version__, protocol_cls=BackendProtocol)
        from backend_lsp.config import Settings

        self.cli: dict[str, Any] = {}
        if cli_log_level:
            self.cli["log_level"] = cli_log_level.lower()
        if cli_log_file:
            self.cli["log_file"] = cli_log_file
        self.settings = Settings()
        self.encoding = Encoding.UTF16
        self.store = DocumentStore()
        self.schema: Any = None
        self.init_options: Mapping[str, Any] | None = None
        self.client_config: Mapping[str, Any] | None = None
        self.root: Path | None = None
        self.actions = CodeActionService()
        self.runner = CommandRunner(self)
        self.diagnostics = DiagnosticsManager(
            lambda: self.settings.analysis, lambda: self.schema, lambda: self.encoding, self._push
        )
        self._background: set[asyncio.Task[Any]] = set()
        self.agent = AgentSession(self)
        self.actions.add_provider(self.agent.actions)
        self.actions.add_resolver(ACTION_SOURCE, self.agent.actions.resolve_action)
        self.actions.add_resolver(FIX_SOURCE, self.agent.actions.resolve_fix)
        self.diagnostics.extra = self.agent.diagnostics
        self.diagnostics.extra_generation = self.agent.results.generation

    # -- session set-up ------------------------------------------------------------------

    def on_initialize(
        self, params: types.InitializeParams, capabilities: types.ServerCapabilities
    ) -> None:
        self.encoding = encoding_of(capabilities.position_encoding or "utf-16")
        text = params.capabilities.text_document
        self.diagnostics.push = text is None or text.diagnostic is None
        if self.diagnostics.push:
            capabilities.diagnostic_provider = None  # never both
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
        self.apply_settings(report=True)

    def apply_settings(self, report: bool) -> None:
        settings, problems = configuration.resolve(
            self.root, self.init_options, self.client_config, self.cli
        )
        self.settings = settings
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:
            logs.configure(self, loop, settings.log_level, settings.log_file)
        if report:
            configuration.report_problems(self, problems)

    def workspace_roots(self) -> list[Path]:
        try:
            folders = list(self.workspace.folders.values())
        except RuntimeError:
            folders = []
        roots = [Path(uri_to_path(f.uri)) for f in folders]
        if not roots and self.root is not None:
            roots = [self.root]
        return roots

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    # -- diagnostics out -----------------------------------------------------------------

    def _push(self, uri: str, version: int | None, items: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=version)
        )

    def publish_file_findings(self, path: Path, data: bytes, findings: list[Any]) -> None:
        """Diagnostics of a file analysed from disk (workspace analysis), push mode only."""
        uri = path.resolve().as_uri()
        if not self.diagnostics.push or uri in self.store:
            return
        index = LineIndex(data)
        items = [
            types.Diagnostic(
                range=to_range(index, f.start, f.end, self.encoding),
                message=f.message,
                severity=types.DiagnosticSeverity(int(f.severity)),
                code=f.code,
                code_description=types.CodeDescription(href=f.doc_url) if f.doc_url else None,
                source=f.source,
                data=finding_data(f, uri, 0),
            )
            for f in findings
        ]
        self._push(uri, None, items)

    def supports_refresh(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(
            workspace is not None
            and workspace.diagnostics is not None
            and workspace.diagnostics.refresh_support
        )

    def refresh_diagnostics(self) -> None:
        """After settings change: pull clients re-ask, push clients get a re-publish."""
        for uri in self.store.uris():
            state = self.store.get(uri)
            if state is not None:
                self.diagnostics.invalidate(state)
                if self.diagnostics.push:
                    self.diagnostics.schedule(state, delay_ms=0)
        if not self.diagnostics.push and self.supports_refresh():
            self.workspace_diagnostic_refresh(None)

    def action_env(self) -> ActionEnv:
        text = self.client_capabilities.text_document
        action = text.code_action if text is not None else None
        resolve = action.resolve_support if action is not None else None
        workspace = self.client_capabilities.workspace
        edit = workspace.workspace_edit if workspace is not None else None
        return ActionEnv(
            encoding=self.encoding,
            resolve_edit=bool(resolve is not None and "edit" in resolve.properties),
            document_changes=bool(edit is not None and edit.document_changes),
        )

    # -- schema ----------------------------------------------------------------------------

    async def discover_schema(self) -> None:
        roots = self.workspace_roots()
        if not roots:
            return

        def work() -> Any:
            from backend_lsp.analysis.schema_discovery import discover_schema

            paths = [p for p in cmds.source_files(roots, roots[0]) if p.suffix in (".sql", ".py")]
            return discover_schema(paths)

        try:
            self.schema = await asyncio.to_thread(work)
        except Exception:
            log.exception("schema discovery failed")
            return
        log.info("schema: %d tables found", len(self.schema))

    async def refresh_schema_for(self, state: DocumentState) -> None:
        if state.snapshot is None or state.language_id not in ("sql", "python"):
            return
        snapshot, path = state.snapshot, state.path

        def work() -> Any:
            from backend_lsp.analysis.schema import WorkspaceSchema
            from backend_lsp.analysis.schema_discovery import schema_from_document

            tables = schema_from_document(path, snapshot)
            fresh = WorkspaceSchema()
            old = self.schema
            if old is not None:
                for table in old.tables.values():
                    if table.path != path:
                        fresh.add(table)
            for table in tables:
                fresh.add(table)
            return fresh

        try:
            self.schema = await asyncio.to_thread(work)
        except Exception:
            log.exception("schema refresh failed for %s", path)

    def report_server_error(self, error: Exception, source: Any) -> None:
        if isinstance(error, _Answered):
            return
        reply: JsonRpcException
        if isinstance(error, json.JSONDecodeError):
            reply = JsonRpcParseError(f"cannot parse the message: {error}")
        elif isinstance(error, AttributeError | TypeError):
            reply = JsonRpcInvalidRequest(f"not a JSON-RPC 2.0 message: {error}")
        else:
            log.debug("request failed: %s", error)  # already answered as a JSON-RPC error
            return
        log.warning("%s", reply.message)
        self.protocol._send_data(
            {
                "jsonrpc": "2.0",
                "id": None,
                "error": self.protocol._converter.unstructure(reply.to_response_error()),
            }
        )


def _range_tuple(change: Any) -> tuple[tuple[int, int, int, int] | None, str]:
    rng = getattr(change, "range", None)
    if rng is None:
        return None, change.text
    return (rng.start.line, rng.start.character, rng.end.line, rng.end.character), change.text


def build_server(
    log_level: str | None = None, log_file: str | None = None
) -> BackendLanguageServer:
    server = BackendLanguageServer(log_level, log_file)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: BackendLanguageServer, params: types.InitializedParams) -> None:
        if configuration.supports_pull(ls):
            ls.client_config = await configuration.pull_client_config(ls)
            ls.apply_settings(report=True)
        else:
            ls.apply_settings(report=False)
        log.info(
            "backend-lsp %s ready: %s diagnostics, %s positions",
            __version__,
            "push" if ls.diagnostics.push else "pull",
            ls.encoding.value,
        )
        ls.spawn(ls.discover_schema())
        ls.agent.report_problems_soon()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: BackendLanguageServer, params: types.DidChangeConfigurationParams
    ) -> None:
        if configuration.supports_pull(ls):
            ls.client_config = await configuration.pull_client_config(ls)
        elif isinstance(params.settings, Mapping):
            ls.client_config = dict(configuration.section_of(params.settings))
        ls.apply_settings(report=True)
        ls.refresh_diagnostics()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: BackendLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        state = ls.store.open(doc.uri, doc.language_id, doc.text, doc.version)
        if state.binary:
            log.info("%s looks binary: not analysed", state.path)
        ls.diagnostics.schedule(state, delay_ms=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: BackendLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = params.text_document
        changes = [_range_tuple(c) for c in params.content_changes]
        ls.agent.track(ls.store.get(doc.uri), changes)
        state = ls.store.change(doc.uri, doc.version, changes, ls.encoding)
        if state is not None:
            ls.diagnostics.schedule(state)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: BackendLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        state = ls.store.get(params.text_document.uri)
        if state is not None:
            await ls.diagnostics.ensure(state)
            await ls.refresh_schema_for(state)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BackendLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.store.close(uri)
        ls.agent.forget(uri)
        ls.diagnostics.forget(uri)
        ls.diagnostics.clear(uri)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier="backend-lsp", inter_file_dependencies=False, workspace_diagnostics=False
        ),
    )
    async def diagnostic(
        ls: BackendLanguageServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        state = ls.store.get(params.text_document.uri)
        if state is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        return await ls.diagnostics.pull(state, params.previous_result_id)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, *action_kinds()],
            resolve_provider=True,
        ),
    )
    def code_action(
        ls: BackendLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        state = ls.store.get(params.text_document.uri)
        if state is None:
            return None
        return ls.actions.actions(state, params.range, params.context, ls.action_env()) or None

    @server.feature(types.CODE_ACTION_RESOLVE)
    def code_action_resolve(
        ls: BackendLanguageServer, action: types.CodeAction
    ) -> types.CodeAction:
        return ls.actions.resolve(action, ls.store, ls.action_env())

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: BackendLanguageServer, params: types.HoverParams) -> types.Hover | None:
        state = ls.store.get(params.text_document.uri)
        if state is None:
            return None
        return hover_at(state, params.position, ls.encoding, ls.agent.hover_markdown)

    @server.command(cmds.ANALYZE_WORKSPACE)
    async def analyze_workspace(ls: BackendLanguageServer, *args: Any) -> dict[str, Any]:
        return await ls.runner.run(
            "Analysing the workspace",
            lambda reporter, cancel: cmds.analyze_workspace(ls, reporter, cancel),
        )

    @server.command(RUN_ACTION)
    async def run_action(ls: BackendLanguageServer, *args: Any) -> dict[str, Any]:
        return await ls.agent.run(*args)

    @server.command(cmds.STATUS)
    def status(ls: BackendLanguageServer, *args: Any) -> dict[str, Any]:
        return cmds.status(ls)

    @server.feature(types.WINDOW_WORK_DONE_PROGRESS_CANCEL)
    def progress_cancel(
        ls: BackendLanguageServer, params: types.WorkDoneProgressCancelParams
    ) -> None:
        ls.runner.cancel_token(params.token)

    return server


def serve(
    tcp: tuple[str, int] | None = None,
    log_level: str | None = None,
    log_file: str | None = None,
) -> None:
    """Run the language server on stdio (default) or TCP until the client exits."""
    logging.getLogger("pygls").setLevel(logging.WARNING)
    server = build_server(log_level, log_file)
    if tcp is not None:
        server.start_tcp(*tcp)
    else:
        server.start_io()
