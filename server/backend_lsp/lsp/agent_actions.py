"""The agent's code actions: AI actions where they fit, and quick fixes of agent findings.

Listing must stay instant, so nothing here parses, analyses or touches the
network: where the cursor is (function, SQL string, route, model class) comes
from the last analysis snapshot's tree, and whether a provider is configured
from the settings alone. Running an action is the ``backend-lsp.runAction``
command's job; the listed action only carries (uri, version, action, range).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable

from lsprotocol import types

from backend_lsp.agent.actions import ActionSpec, catalog, disabled_reason
from backend_lsp.agent.providers import provider_status
from backend_lsp.analysis.model import AGENT_SOURCE, Finding
from backend_lsp.config import Settings
from backend_lsp.context.places import code_places_at
from backend_lsp.lsp.agent_results import AgentResults
from backend_lsp.lsp.capabilities import ClientCapabilities
from backend_lsp.lsp.code_actions import (
    ActionEnv,
    ContentModified,
    listed_state,
)
from backend_lsp.lsp.contracts import RunAction
from backend_lsp.lsp.convert import to_offset, to_offsets
from backend_lsp.lsp.diagnostics import as_diagnostic
from backend_lsp.lsp.documents import DocumentState, DocumentStore
from backend_lsp.lsp.kinds import wanted
from backend_lsp.text import Encoding

ACTION_SOURCE = "agent"
FIX_SOURCE = "agent-fix"
DIAGNOSTIC_SOURCE = AGENT_SOURCE  # the review findings' diagnostics source
FIX_KIND = "quickfix.backend.agent"


def action_kinds() -> list[str]:
    """The concrete kinds of the built-in actions.

    The capabilities declare prefixes instead (kinds.py: known before settings
    load); a test checks that they cover every kind listed here.
    """
    from backend_lsp.agent.actions import BUILTIN_ACTIONS

    generic = ["refactor", "refactor.rewrite", "source", FIX_KIND]
    return generic + sorted({spec.kind for spec in BUILTIN_ACTIONS} - set(generic))


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
    if snapshot is None:
        if state.language_id == "sql":
            places.add("sql")
        return places
    offset = to_offset(snapshot.index, rng.start, encoding)
    return places | code_places_at(snapshot, state.path, offset)


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
        passed = {
            str(d.data.get("id"))
            for d in context.diagnostics
            if d.source == DIAGNOSTIC_SOURCE and isinstance(d.data, dict)
        }
        actions: list[types.CodeAction] = []
        for item in items:
            item_id = item.data.get("id")
            if not (item.start <= end and start <= item.end) and item_id not in passed:
                continue
            action = types.CodeAction(
                title=f"Apply the agent's fix: {_short(item.message)}",
                kind=FIX_KIND,
                diagnostics=[as_diagnostic(item, index, env.encoding)],
                is_preferred=True,
                data={
                    "source": FIX_SOURCE,
                    "uri": state.uri,
                    "version": state.version,
                    "id": item_id,
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


def _fix_edit(state: DocumentState, item: Finding, env: ActionEnv) -> types.WorkspaceEdit:
    assert item.fix is not None
    builder = env.edit_builder()
    builder.replace(state.uri, state.version, state.document.index, item.fix.edits)
    return builder.build()
