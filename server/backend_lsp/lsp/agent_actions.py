"""The agent's code actions: AI actions where they fit, and quick fixes of agent findings.

Listing must stay instant, so nothing here parses, analyses or touches the
network: where the cursor is (function, SQL string, route, model class) comes
from the last analysis snapshot's tree, and whether a provider is configured
from the settings alone. Running an action is the ``backend-lsp.runAction``
command's job; the listed action only carries (uri, version, action, range).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING

from lsprotocol import types

from backend_lsp.agent.actions import ActionSpec, catalog
from backend_lsp.agent.providers import provider_status
from backend_lsp.config import Settings
from backend_lsp.lsp.agent_results import AgentDiagnostic, AgentResults
from backend_lsp.lsp.capabilities import ClientCapabilities
from backend_lsp.lsp.code_actions import (
    ActionEnv,
    ContentModified,
    listed_state,
)
from backend_lsp.lsp.contracts import RunAction, range_to_json
from backend_lsp.lsp.convert import to_offset, to_offsets, to_range
from backend_lsp.lsp.documents import DocumentState, DocumentStore
from backend_lsp.lsp.kinds import wanted
from backend_lsp.text import Encoding, LineIndex

if TYPE_CHECKING:
    from tree_sitter import Node

ACTION_SOURCE = "agent"
FIX_SOURCE = "agent-fix"
DIAGNOSTIC_SOURCE = "backend-agent"
FIX_KIND = "quickfix.backend.agent"

_FUNCTIONS = frozenset(
    {
        "function_definition",
        "function_declaration",
        "method_definition",
        "method_declaration",
        "constructor_declaration",
        "function_expression",
        "arrow_function",
        "func_literal",
        "function_item",
        "generator_function_declaration",
    }
)
_CLASSES = frozenset({"class_definition", "class_declaration", "type_spec", "struct_item"})
_STRINGS = frozenset(
    {
        "string",
        "template_string",
        "string_literal",
        "interpreted_string_literal",
        "raw_string_literal",
        "text_block",
        "concatenated_string",
    }
)
_SQL = re.compile(
    r"\b(select\b[\s\S]*?\bfrom|insert\s+into|update\s+[\w.\"`]+\s+set|delete\s+from|"
    r"create\s+(?:unique\s+)?(?:table|index|view)|alter\s+table|with\s+\w+\s+as\s*\()",
    re.IGNORECASE,
)
# Base classes / markers of persistence and schema models across the usual frameworks.
_MODEL = re.compile(
    r"\b(Model|Base|DeclarativeBase|BaseModel|SQLModel|Document|EmbeddedDocument|Schema|"
    r"Serializer|ModelSerializer|TypedDict|Struct|Entity|Table|Embeddable)\b|@Entity|@Table|"
    r"@Document|@Schema|gorm\.Model|`(?:json|db|gorm):"
)
_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
_MAX_SCAN = 64  # ancestors visited from the cursor: deep trees stay cheap


def action_kinds() -> list[str]:
    """The concrete kinds of the built-in actions.

    The capabilities declare prefixes instead (kinds.py: known before settings
    load); a test checks that they cover every kind listed here.
    """
    from backend_lsp.agent.actions import BUILTIN_ACTIONS

    generic = ["refactor", "refactor.rewrite", "source", FIX_KIND]
    return generic + sorted({spec.kind for spec in BUILTIN_ACTIONS} - set(generic))


def _is_sql_string(source: bytes, node: Node) -> bool:
    if node.end_byte - node.start_byte > 20_000:
        return False
    return (
        _SQL.search(source[node.start_byte : node.end_byte].decode("utf-8", "replace")) is not None
    )


def _is_model(source: bytes, node: Node) -> bool:
    body = node.child_by_field_name("body")
    end = body.start_byte if body is not None else node.end_byte
    header = source[node.start_byte : min(end, node.start_byte + 600)]
    if node.prev_named_sibling is not None and node.prev_named_sibling.type in ("decorator",):
        header = source[node.prev_named_sibling.start_byte : node.start_byte] + header
    parent = node.parent
    if parent is not None and parent.type == "decorated_definition":
        header = source[parent.start_byte : node.start_byte] + header
    if node.type in ("type_spec", "struct_item") and body is None:
        header = source[node.start_byte : min(node.end_byte, node.start_byte + 2000)]
    return _MODEL.search(header.decode("utf-8", "replace")) is not None


def places_at(
    state: DocumentState, rng: types.Range, context: types.CodeActionContext, encoding: Encoding
) -> set[str]:
    """Where the request is: selection, function, sql, route, model, diagnostic."""
    places: set[str] = set()
    if rng.start != rng.end:
        places.add("selection")
    if context.diagnostics:
        places.add("diagnostic")
    snapshot = state.snapshot
    if state.language_id == "sql":
        places.add("sql")
    if snapshot is None or not snapshot.has_grammar:
        return places
    root = snapshot.root  # parsed already: a snapshot is never stale
    if root is None:
        return places
    source = snapshot.source
    offset = to_offset(snapshot.index, rng.start, encoding)
    node: Node | None = root.named_descendant_for_byte_range(offset, offset)
    python = snapshot.language_id == "python"
    for _ in range(_MAX_SCAN):
        if node is None:
            break
        if node.type in _FUNCTIONS and "function" not in places:
            places.add("function")
            if python:
                from backend_lsp.analysis.python.routes import route_for_function

                views = PurePath(state.path).stem in ("views", "api", "viewsets")
                if route_for_function(source, node, views_module=views) is not None:
                    places.add("route")
        elif node.type in _STRINGS and "sql" not in places and _is_sql_string(source, node):
            places.add("sql")
        elif node.type in _CLASSES and "model" not in places and _is_model(source, node):
            places.add("model")
        node = node.parent
    return places


def disabled_reason(spec: ActionSpec, available: bool, reason: str) -> str | None:
    """Same rule as the workflow: offline built-ins always run, the rest need a provider."""
    if available or (spec.offline and spec.builtin):
        return None
    return reason


def cannot_create_reason(spec: ActionSpec, path: str, rng: types.Range) -> str:
    """Why a new-file action is greyed out, with the CLI command that does the same work."""
    first, last = rng.start.line, rng.end.line
    if last > first and rng.end.character == 0:
        last -= 1  # a range ending at column 0 stops before that line
    target = shlex.quote(f"{path}:{first + 1}-{max(first, last) + 1}")
    return (
        "this editor cannot create files through LSP (no 'create' resource operation); "
        f"run it from a terminal instead: backend-lsp run {spec.id} {target} --apply"
    )


class AgentActionProvider:
    """Lists AI actions and agent-finding quick fixes; resolves both."""

    def __init__(
        self,
        settings: Callable[[], Settings],
        client: Callable[[], ClientCapabilities],
        results: AgentResults,
    ) -> None:
        self._settings = settings
        self._client = client
        self._results = results
        self._catalog_key: object = None
        self._catalog: list[ActionSpec] = []

    def specs(self) -> list[ActionSpec]:
        agent = self._settings().agent
        if self._catalog_key is not agent.actions:
            self._catalog = catalog(agent.actions)
            self._catalog_key = agent.actions
        return self._catalog

    # -- listing ---------------------------------------------------------------------------

    def __call__(
        self,
        state: DocumentState,
        rng: types.Range,
        context: types.CodeActionContext,
        env: ActionEnv,
    ) -> list[types.CodeAction]:
        if state.binary or not self._client().action_literals:
            return []
        found = self.agent_fixes(state, rng, context, env)
        found.extend(self.ai_actions(state, rng, context, env))
        return found

    def ai_actions(
        self,
        state: DocumentState,
        rng: types.Range,
        context: types.CodeActionContext,
        env: ActionEnv,
    ) -> list[types.CodeAction]:
        client = self._client()
        only = context.only
        specs = [s for s in self.specs() if wanted(s.kind, only)]
        if not specs:
            return []
        asked = bool(only)
        places = set() if asked else places_at(state, rng, context, env.encoding)
        available, reason = provider_status(self._settings())
        actions: list[types.CodeAction] = []
        for spec in specs:
            if not asked and not spec.applies(sorted(places)):
                continue
            why = disabled_reason(spec, available, reason)
            if why is None and spec.output == "new_files" and not client.create_files:
                # running it could only end in a refusal (the run path refuses too)
                why = cannot_create_reason(spec, state.path, rng)
            if why is not None and not client.action_disabled:
                continue  # a client that cannot grey it out would offer a dead action
            title = spec.title if available or why else f"{spec.title} (offline)"
            run = RunAction(state.uri, state.version, spec.id, rng)
            action = types.CodeAction(
                title=f"Backend agent: {title}",
                kind=spec.kind,
                tags=[types.CodeActionTag.LlmGenerated] if client.action_llm_tag else None,
                disabled=types.CodeActionDisabled(reason=why) if why else None,
                data={"source": ACTION_SOURCE, **run.to_json()},
            )
            if why is None and not client.resolve_command:
                action.command = run.command(title)
            actions.append(action)
        return actions

    def agent_fixes(
        self,
        state: DocumentState,
        rng: types.Range,
        context: types.CodeActionContext,
        env: ActionEnv,
    ) -> list[types.CodeAction]:
        items = [d for d in self._results.diagnostics(state.uri) if d.fix]
        if not items or not wanted(FIX_KIND, context.only):
            return []
        index = state.document.index
        start, end = to_offsets(index, rng, env.encoding)
        actions: list[types.CodeAction] = []
        for item in items:
            if not (item.start <= end and start <= item.end):
                continue
            action = types.CodeAction(
                title=f"Apply the agent's fix: {_short(item.message)}",
                kind=FIX_KIND,
                diagnostics=[lsp_diagnostic(item, state.uri, index, env.encoding)],
                is_preferred=True,
                data={
                    "source": FIX_SOURCE,
                    "uri": state.uri,
                    "version": state.version,
                    "id": item.id,
                },
            )
            if not env.capabilities.resolve_edit:
                action.edit = _fix_edit(state, item, env)
            actions.append(action)
        return actions

    # -- resolving -------------------------------------------------------------------------

    def resolve_action(
        self, action: types.CodeAction, store: DocumentStore, env: ActionEnv
    ) -> types.CodeAction:
        data, _ = listed_state(action, store)
        spec = next((s for s in self.specs() if s.id == data.get("action")), None)
        if spec is None:
            raise ContentModified(f"unknown agent action {data.get('action')!r}")
        run = RunAction.from_json(data)
        if action.disabled is None:
            action.command = run.command(spec.title)
        return action

    def resolve_fix(
        self, action: types.CodeAction, store: DocumentStore, env: ActionEnv
    ) -> types.CodeAction:
        data, state = listed_state(action, store)
        item = self._results.find(state.uri, str(data.get("id")))
        if item is None:
            raise ContentModified("the agent finding this fix was for is gone")
        action.edit = _fix_edit(state, item, env)
        return action


def _short(message: str, limit: int = 70) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "finding"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _fix_edit(state: DocumentState, item: AgentDiagnostic, env: ActionEnv) -> types.WorkspaceEdit:
    builder = env.edit_builder()
    builder.replace(state.uri, state.version, state.document.index, item.fix)
    return builder.build()


def lsp_diagnostic(
    item: AgentDiagnostic, uri: str, index: LineIndex, encoding: Encoding
) -> types.Diagnostic:
    """An agent finding as a diagnostic whose ``data`` carries its fix."""
    fix = [
        {"range": range_to_json(to_range(index, e.start, e.end, encoding)), "newText": e.new_text}
        for e in item.fix
    ]
    return types.Diagnostic(
        range=to_range(index, item.start, item.end, encoding),
        message=item.message,
        severity=_SEVERITY.get(item.severity.lower(), types.DiagnosticSeverity.Warning),
        code=item.action_id,
        source=DIAGNOSTIC_SOURCE,
        data={"source": DIAGNOSTIC_SOURCE, "uri": uri, "id": item.id, "fix": fix},
    )


def lsp_diagnostics(
    results: AgentResults, state: DocumentState, encoding: Encoding
) -> list[types.Diagnostic]:
    items = results.diagnostics(state.uri)
    if not items:
        return []
    index = state.document.index
    return [lsp_diagnostic(item, state.uri, index, encoding) for item in items]
