"""Wiring: one pygls server, one handler per LSP method, each delegating to a feature module.

The server object is only the connection and the composition root: the state
the handlers share lives in ``Session`` (session.py), the agent in
``AgentSession`` (agent_session.py). Start-up cost matters: ``initialize`` must
answer before anything of ours beyond a few stdlib-only helpers is imported.
Settings (pydantic), the document store (tree-sitter), the analyzer and the
agent are built on first use, which in practice is the ``initialized``
notification, after the response is out.
"""

from __future__ import annotations

import gc
import inspect
import json
import logging
import sys
from collections.abc import Generator, Mapping
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from backend_lsp import __version__
from backend_lsp.lsp import commands as cmds
from backend_lsp.lsp import configuration
from backend_lsp.lsp import index_features as indexed
from backend_lsp.lsp.contracts import ANALYZE_WORKSPACE, CLEAR_CACHE, CONTEXT, RUN_ACTION, STATUS
from backend_lsp.lsp.convert import uri_to_path
from backend_lsp.lsp.kinds import DECLARED_KINDS
from backend_lsp.lsp.session import Services, Session

if TYPE_CHECKING:
    from backend_lsp.lsp.agent_session import AgentSession
    from backend_lsp.lsp.code_actions import ActionEnv

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
        self._server.session.modules_at_initialize = loaded_modules()
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
            self._server.session.spawn(written)  # websocket writers are async

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        self._server.session.runner.cancel_request(msg_id)
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
    """The connection and the composition root: builds the session and plugs the agent in."""

    def __init__(self, cli_log_level: str | None = None, cli_log_file: str | None = None) -> None:
        super().__init__("backend-lsp", __version__, protocol_cls=BackendProtocol)
        cli: dict[str, Any] = {}
        if cli_log_level:
            cli["log_level"] = cli_log_level.lower()
        if cli_log_file:
            cli["log_file"] = cli_log_file
        self.session = Session(self, self._push, cli, on_services=self._plug_in_agent)
        self._agent: AgentSession | None = None

    def _plug_in_agent(self, services: Services) -> None:
        from backend_lsp.lsp.agent_actions import ACTION_SOURCE, DIAGNOSTIC_SOURCE, FIX_SOURCE
        from backend_lsp.lsp.agent_session import AgentSession
        from backend_lsp.lsp.diagnostics import DiagnosticSource

        agent = AgentSession(self.session)
        services.actions.add_provider(agent.actions)
        services.actions.add_resolver(ACTION_SOURCE, agent.actions.resolve_action)
        services.actions.add_resolver(FIX_SOURCE, agent.actions.resolve_fix)
        services.store.subscribe(agent.follow_changes)
        services.diagnostics.add_source(
            DIAGNOSTIC_SOURCE, DiagnosticSource(agent.diagnostics, agent.results.generation)
        )
        self._agent = agent

    @property
    def agent(self) -> AgentSession:
        self.session.services()
        assert self._agent is not None
        return self._agent

    def on_initialize(
        self, params: types.InitializeParams, capabilities: types.ServerCapabilities
    ) -> None:
        self.session.initialize(params, capabilities.position_encoding)
        if self.session.push_diagnostics:
            capabilities.diagnostic_provider = None  # never both

    def action_env(self) -> ActionEnv:
        from backend_lsp.lsp.code_actions import ActionEnv

        return ActionEnv(self.session.encoding, self.session.capabilities)

    def _push(self, uri: str, version: int | None, diagnostics: str) -> None:
        """Publish diagnostics given as a serialised JSON array."""
        params = f'{{"uri":{json.dumps(uri)},'
        if version is not None:
            params += f'"version":{int(version)},'
        params += f'"diagnostics":{diagnostics}}}'
        protocol = self.protocol
        assert isinstance(protocol, BackendProtocol)
        protocol.send_notification_text(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

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


def _text(session: Session, uri: str) -> str | None:
    state = session.store.get(uri)
    return state.document.text if state is not None else None


def build_server(
    log_level: str | None = None, log_file: str | None = None
) -> BackendLanguageServer:
    server = BackendLanguageServer(log_level, log_file)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: BackendLanguageServer, params: types.InitializedParams) -> None:
        # The initialize response is out: now pay for settings, the store and the agent.
        session = ls.session
        session.services()
        await session.pull_client_config()
        early = session.settings_resolved  # set already if a document was opened meanwhile
        session.apply_settings(report=True)
        if early is not None and early != session.settings:
            session.refresh_diagnostics()  # documents opened meanwhile used the early settings
        log.info(
            "backend-lsp %s ready: %s diagnostics, %s positions",
            __version__,
            "push" if session.diagnostics.push else "pull",
            session.encoding.value,
        )
        session.spawn(session.discover_schema())
        if session.settings.index.background:
            session.indexes.start()
        session.spawn(session.indexes.register_watcher())
        ls.agent.report_problems_soon()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: BackendLanguageServer, params: types.DidChangeConfigurationParams
    ) -> None:
        session = ls.session
        if session.capabilities.configuration:
            await session.pull_client_config()
        elif isinstance(params.settings, Mapping):
            session.client_config = dict(configuration.section_of(params.settings))
        session.apply_settings(report=True)
        session.refresh_diagnostics()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: BackendLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        session = ls.session
        state = session.store.open(doc.uri, doc.language_id, doc.text, doc.version)
        if state.binary:
            log.info("%s looks binary: not analysed", state.path)
        session.diagnostics.schedule(state, delay_ms=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: BackendLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = params.text_document
        session = ls.session
        changes = [_range_tuple(c) for c in params.content_changes]
        state = session.store.change(doc.uri, doc.version, changes, session.encoding)
        if state is not None:
            session.diagnostics.schedule(state)
            session.indexes.document_changed(doc.uri, lambda: _text(session, doc.uri))
            session.helpers_changed([state.path])

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: BackendLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        session = ls.session
        state = session.store.get(params.text_document.uri)
        if state is not None:
            session.indexes.document_saved(state.uri, state.document.text)
            await session.diagnostics.ensure(state)
            await session.refresh_schema_for(state)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BackendLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        session = ls.session
        session.store.close(uri)
        ls.agent.forget(uri)
        session.diagnostics.forget(uri)
        session.diagnostics.clear(uri)
        session.indexes.document_closed(uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: BackendLanguageServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        store = ls.session.store
        ls.session.indexes.files_changed(list(params.changes), lambda uri: uri in store)
        moved = any(c.type != types.FileChangeType.Changed for c in params.changes)
        paths = [uri_to_path(c.uri) for c in params.changes]
        ls.session.helpers_changed(paths, files_moved=moved)

    @server.feature(types.WORKSPACE_SYMBOL)
    async def workspace_symbol(
        ls: BackendLanguageServer, params: types.WorkspaceSymbolParams
    ) -> list[types.SymbolInformation]:
        return await indexed.workspace_symbols(ls.session, params.query)

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
        state = ls.session.store.get(params.text_document.uri)
        if state is None:
            return {"kind": "full", "items": []}
        return await ls.session.diagnostics.pull(state, params.previous_result_id)

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
        session = ls.session
        state = session.store.get(params.text_document.uri)
        if state is None:
            return None
        ls.agent  # noqa: B018 - the agent's providers are plugged in with the services
        found = session.actions.actions(state, params.range, params.context, ls.action_env())
        return found or None

    @server.feature(types.CODE_ACTION_RESOLVE)
    def code_action_resolve(
        ls: BackendLanguageServer, action: types.CodeAction
    ) -> types.CodeAction:
        return ls.session.actions.resolve(action, ls.session.store, ls.action_env())

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: BackendLanguageServer, params: types.HoverParams) -> types.Hover | None:
        state = ls.session.store.get(params.text_document.uri)
        if state is None:
            return None
        from backend_lsp.lsp.hover import hover as hover_at

        return hover_at(
            state,
            params.position,
            ls.session.encoding,
            ls.agent.hover_markdown,
            lambda doc, offset: indexed.hover_markdown(ls.session, doc, offset),
        )

    @server.command(ANALYZE_WORKSPACE)
    async def analyze_workspace(ls: BackendLanguageServer, *args: Any) -> dict[str, Any]:
        session = ls.session
        return await session.runner.run_with_progress(
            "Analysing the workspace",
            lambda reporter, cancel: cmds.analyze_workspace(session, reporter, cancel),
        )

    @server.command(RUN_ACTION)
    async def run_action(ls: BackendLanguageServer, *args: Any) -> dict[str, Any]:
        return await ls.agent.handle_run_action(*args)

    @server.command(CONTEXT)
    async def context(ls: BackendLanguageServer, *args: Any) -> dict[str, Any]:
        return await indexed.context(ls.session, ls.agent.workflow(), *args)

    @server.command(STATUS)
    def status(ls: BackendLanguageServer, *args: Any) -> dict[str, Any]:
        return cmds.status(ls.session, ls.agent.status())

    @server.command(CLEAR_CACHE)
    async def clear_cache(ls: BackendLanguageServer, *args: Any) -> dict[str, Any]:
        return await cmds.clear_cache()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: BackendLanguageServer, *args: Any) -> None:
        ls.session.indexes.stop()

    @server.feature(types.WINDOW_WORK_DONE_PROGRESS_CANCEL)
    def progress_cancel(
        ls: BackendLanguageServer, params: types.WorkDoneProgressCancelParams
    ) -> None:
        ls.session.runner.cancel_token(params.token)

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
