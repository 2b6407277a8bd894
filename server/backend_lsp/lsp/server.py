"""Wiring: one pygls server, one handler per LSP method, each delegating to a feature module.

Start-up cost matters: ``initialize`` must answer before anything of ours beyond
a few stdlib-only helpers is imported. Settings (pydantic), the document store
(tree-sitter), the analyzer and the agent are built on first use, which in
practice is the ``initialized`` notification, after the response is out.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
import logging
import sys
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from backend_lsp import __version__
from backend_lsp.lsp import commands as cmds
from backend_lsp.lsp import configuration, logs
from backend_lsp.lsp.convert import encoding_of, uri_to_path
from backend_lsp.lsp.kinds import DECLARED_KINDS
from backend_lsp.lsp.progress import CommandRunner
from backend_lsp.text import Encoding, LineIndex

if TYPE_CHECKING:
    from backend_lsp.config import Settings
    from backend_lsp.lsp.agent_commands import AgentSession
    from backend_lsp.lsp.code_actions import ActionEnv, CodeActionService
    from backend_lsp.lsp.diagnostics import DiagnosticsManager
    from backend_lsp.lsp.documents import DocumentState, DocumentStore

log = logging.getLogger("backend_lsp.lsp")


def loaded_modules() -> list[str]:
    """Top-level packages and every ``backend_lsp`` module imported so far (for status)."""
    names = {name.partition(".")[0] for name in sys.modules if not name.startswith("_")}
    names.update(name for name in sys.modules if name.startswith("backend_lsp."))
    return sorted(names)


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
        # What had been imported when the response left: the status command reports it.
        self._server.modules_at_initialize = loaded_modules()
        return result

    def send_notification_text(self, method: str, params: str) -> None:
        """Send a notification whose params are already serialised JSON text.

        ``notify`` would wrap them in the method's attrs type, unstructure that
        and dump it; for thousands of diagnostics that costs more than the
        analysis. Framing follows pygls' own writer (``_send_data``).
        """
        if self.writer is None:
            log.error("cannot send %s: no transport", method)
            return
        body = f'{{"jsonrpc":"2.0","method":{json.dumps(method)},"params":{params}}}'.encode()
        if getattr(self, "_include_headers", True):
            header = (
                f"Content-Length: {len(body)}\r\n"
                f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
            )
            body = header.encode() + body
        written = self.writer.write(body)
        if inspect.isawaitable(written):
            self._server.spawn(written)  # websocket writers are async

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


@dataclass
class _Services:
    """The session's engine-facing parts, built together on first use."""

    store: DocumentStore
    diagnostics: DiagnosticsManager
    actions: CodeActionService
    agent: AgentSession


class BackendLanguageServer(LanguageServer):
    """Session state: documents, settings, schema, and the feature services."""

    def __init__(self, cli_log_level: str | None = None, cli_log_file: str | None = None) -> None:
        super().__init__("backend-lsp", __version__, protocol_cls=BackendProtocol)
        self.cli: dict[str, Any] = {}
        if cli_log_level:
            self.cli["log_level"] = cli_log_level.lower()
        if cli_log_file:
            self.cli["log_file"] = cli_log_file
        self.encoding = Encoding.UTF16
        self.push_diagnostics = True
        self.schema: Any = None
        self.init_options: Mapping[str, Any] | None = None
        self.client_config: Mapping[str, Any] | None = None
        self.root: Path | None = None
        self.runner = CommandRunner(self)
        self.modules_at_initialize: list[str] = []
        self._settings: Settings | None = None
        self._services: _Services | None = None
        self._background: set[asyncio.Task[Any]] = set()

    # -- lazily built parts ------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """Resolved on first use (normally in ``initialized``), never in ``initialize``."""
        if self._settings is None:
            self.apply_settings(report=False)
        assert self._settings is not None
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value

    def services(self) -> _Services:
        if self._services is None:
            self._services = self._build_services()
        return self._services

    def _build_services(self) -> _Services:
        from backend_lsp.lsp.agent_actions import ACTION_SOURCE, FIX_SOURCE
        from backend_lsp.lsp.agent_commands import AgentSession
        from backend_lsp.lsp.code_actions import CodeActionService
        from backend_lsp.lsp.diagnostics import DiagnosticsManager
        from backend_lsp.lsp.documents import DocumentStore

        diagnostics = DiagnosticsManager(
            lambda: self.settings.analysis, lambda: self.schema, lambda: self.encoding, self._push
        )
        diagnostics.push = self.push_diagnostics
        actions = CodeActionService()
        services = _Services(DocumentStore(), diagnostics, actions, AgentSession(self))
        agent = services.agent
        actions.add_provider(agent.actions)
        actions.add_resolver(ACTION_SOURCE, agent.actions.resolve_action)
        actions.add_resolver(FIX_SOURCE, agent.actions.resolve_fix)
        diagnostics.extra = agent.diagnostics
        diagnostics.extra_generation = agent.results.generation
        return services

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
    def agent(self) -> AgentSession:
        return self.services().agent

    # -- session set-up ------------------------------------------------------------------

    def on_initialize(
        self, params: types.InitializeParams, capabilities: types.ServerCapabilities
    ) -> None:
        """Record what the client offered; everything that costs time waits for later."""
        self.encoding = encoding_of(capabilities.position_encoding or "utf-16")
        text = params.capabilities.text_document
        self.push_diagnostics = text is None or text.diagnostic is None
        if self._services is not None:
            self._services.diagnostics.push = self.push_diagnostics
        if self.push_diagnostics:
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

    def _push(self, uri: str, version: int | None, diagnostics: str) -> None:
        """Publish diagnostics given as a serialised JSON array."""
        params = f'{{"uri":{json.dumps(uri)},'
        if version is not None:
            params += f'"version":{int(version)},'
        params += f'"diagnostics":{diagnostics}}}'
        protocol = self.protocol
        assert isinstance(protocol, BackendProtocol)
        protocol.send_notification_text(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def publish_file_findings(self, path: Path, data: bytes, findings: list[Any]) -> None:
        """Diagnostics of a file analysed from disk (workspace analysis), push mode only."""
        from backend_lsp.lsp.diagnostics import diagnostics_json

        uri = path.resolve().as_uri()
        if not self.diagnostics.push or uri in self.store:
            return
        items = diagnostics_json(findings, LineIndex(data), self.encoding)
        self._push(uri, None, json.dumps(items))

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
        from backend_lsp.lsp.code_actions import ActionEnv

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
            self._set_schema(await asyncio.to_thread(work))
        except Exception:
            log.exception("schema discovery failed")
            return
        log.info("schema: %d tables found", len(self.schema or ()))

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
            self._set_schema(await asyncio.to_thread(work))
        except Exception:
            log.exception("schema refresh failed for %s", path)

    def _set_schema(self, fresh: Any) -> None:
        """Keep the old object when nothing changed: a new one forces full re-analyses."""
        old = self.schema
        if (old is None and not fresh) or (old is not None and fresh == old):
            return
        self.schema = fresh

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
        # The initialize response is out: now pay for settings, the store and the agent.
        ls.services()
        if configuration.supports_pull(ls):
            ls.client_config = await configuration.pull_client_config(ls)
        early = ls._settings  # resolved already if a document was opened while we waited
        ls.apply_settings(report=True)
        if early is not None and early != ls.settings:
            ls.refresh_diagnostics()  # documents opened meanwhile used the early settings
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
    ) -> dict[str, Any]:
        # A plain dict: the response's result is a union, so pygls sends it as it is.
        state = ls.store.get(params.text_document.uri)
        if state is None:
            return {"kind": "full", "items": []}
        return await ls.diagnostics.pull(state, params.previous_result_id)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=list(DECLARED_KINDS),
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
        from backend_lsp.lsp.hover import hover as hover_at

        return hover_at(state, params.position, ls.encoding, ls.agent.hover_markdown)

    @server.command(cmds.ANALYZE_WORKSPACE)
    async def analyze_workspace(ls: BackendLanguageServer, *args: Any) -> dict[str, Any]:
        return await ls.runner.run(
            "Analysing the workspace",
            lambda reporter, cancel: cmds.analyze_workspace(ls, reporter, cancel),
        )

    @server.command(cmds.RUN_ACTION)
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
    # Publishing thousands of diagnostics allocates ~10k containers, and analysis more:
    # at the default gen-0 threshold (700) the collector ran mid-publish often enough to
    # add ~50 ms to the p95 of change -> diagnostics (bench/lsp_latency.py). Young
    # collections 70x rarer cost little memory and keep the old generations' ratios.
    gc.set_threshold(50_000, 10, 10)
    server = build_server(log_level, log_file)
    if tcp is not None:
        server.start_tcp(*tcp)
    else:
        server.start_io()
