"""textDocument/codeAction and codeAction/resolve, from cached results only.

Listing must be instant, so it never parses or analyses: it reads the last
analysis snapshot. Actions come from pluggable providers
``(state, range, context, env) -> list[CodeAction]``; each action's ``data``
names its ``source`` so resolve can dispatch to the provider that made it.
The quick fixes of findings are the first provider; the agent's actions can
be added with ``CodeActionService.add_provider`` / ``add_resolver``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.suppressions import ignore_finding_edit
from backend_lsp.lsp.capabilities import ClientCapabilities
from backend_lsp.lsp.convert import to_offsets
from backend_lsp.lsp.diagnostics import to_diagnostic
from backend_lsp.lsp.documents import DocumentState, DocumentStore
from backend_lsp.lsp.edits import WorkspaceEditBuilder
from backend_lsp.lsp.kinds import wanted
from backend_lsp.text import Encoding, LineIndex

FINDING_SOURCE = "finding"
IGNORE_SOURCE = "ignore"
IGNORE_KIND = "quickfix.backend.ignore"


class ContentModified(JsonRpcException):
    """LSP's ContentModified: the document moved on since the action was listed."""

    CODE = -32801


@dataclass(frozen=True)
class ActionEnv:
    """What providers and resolvers need to know about the client and session."""

    encoding: Encoding
    capabilities: ClientCapabilities

    def edit_builder(
        self, annotation: types.ChangeAnnotation | None = None
    ) -> WorkspaceEditBuilder:
        return WorkspaceEditBuilder(self.capabilities, self.encoding, annotation)


Provider = Callable[
    [DocumentState, types.Range, types.CodeActionContext, ActionEnv], list[types.CodeAction]
]
Resolver = Callable[[types.CodeAction, DocumentStore, ActionEnv], types.CodeAction]


def _fix_edit(finding: Finding, state: DocumentState, env: ActionEnv) -> types.WorkspaceEdit:
    assert finding.fix is not None and state.snapshot is not None
    builder = env.edit_builder()
    builder.replace(state.uri, state.version, state.snapshot.index, finding.fix.edits)
    return builder.build()


def _passed_diagnostics(
    context: types.CodeActionContext, index: LineIndex, encoding: Encoding
) -> set[tuple[str, int, int]]:
    """(code, start, end) of the diagnostics the client sent with the request.

    Clients such as Neovim send every diagnostic of the cursor's line, wherever
    the cursor is on it: each of them gets its quick fix, not only those under
    the cursor.
    """
    passed: set[tuple[str, int, int]] = set()
    for diagnostic in context.diagnostics:
        if diagnostic.code is None:
            continue
        start, end = to_offsets(index, diagnostic.range, encoding)
        passed.add((str(diagnostic.code), start, end))
    return passed


def _listed_findings(
    state: DocumentState, rng: types.Range, context: types.CodeActionContext, env: ActionEnv
) -> list[Finding]:
    """The cached findings under the range or among the diagnostics the client passed."""
    snapshot = state.snapshot
    if snapshot is None or state.analysed_version != state.version:
        return []  # stale offsets: wait for the next analysis rather than guess
    start, end = to_offsets(snapshot.index, rng, env.encoding)
    passed = _passed_diagnostics(context, snapshot.index, env.encoding)
    return [
        f
        for f in state.findings
        if isinstance(f, Finding)
        and ((f.start <= end and start <= f.end) or (f.code, f.start, f.end) in passed)
    ]


def _finding_action(
    title: str, kind: str, source: str, finding: Finding, state: DocumentState, env: ActionEnv
) -> types.CodeAction:
    assert state.snapshot is not None
    return types.CodeAction(
        title=title,
        kind=kind,
        diagnostics=[to_diagnostic(finding, state, env.encoding)],
        data={
            "source": source,
            "uri": state.uri,
            "version": state.snapshot.version,
            "code": finding.code,
            "start": finding.start,
            "end": finding.end,
        },
    )


def finding_fixes(
    state: DocumentState,
    rng: types.Range,
    context: types.CodeActionContext,
    env: ActionEnv,
) -> list[types.CodeAction]:
    """Quick fixes of the listed findings, then "Ignore CODE on this line" for each."""
    listed = _listed_findings(state, rng, context, env)
    fixable = [f for f in listed if f.fix is not None]
    actions: list[types.CodeAction] = []
    for finding in fixable:
        kind = f"quickfix.backend.{finding.code.lower()}"
        if not wanted(kind, context.only):
            continue
        assert finding.fix is not None
        action = _finding_action(
            f"{finding.fix.title} ({finding.code})", kind, FINDING_SOURCE, finding, state, env
        )
        action.is_preferred = len(fixable) == 1 or None
        if not env.capabilities.resolve_edit:
            action.edit = _fix_edit(finding, state, env)
        actions.append(action)
    if wanted(IGNORE_KIND, context.only):
        for finding in listed:
            title = f"Ignore {finding.code} on this line"
            action = _finding_action(title, IGNORE_KIND, IGNORE_SOURCE, finding, state, env)
            if not env.capabilities.resolve_edit:
                action.edit = _ignore_edit(finding, state, env)
            actions.append(action)
    return actions


def listed_state(
    action: types.CodeAction, store: DocumentStore
) -> tuple[dict[str, Any], DocumentState]:
    """The action's data and its document, still at the version the action was listed for."""
    data = action.data if isinstance(action.data, dict) else {}
    state = store.get(str(data.get("uri", "")))
    if state is None:
        raise ContentModified("the document is no longer open")
    if data.get("version") != state.version:
        raise ContentModified("the document changed; ask for code actions again")
    return data, state


def _listed_finding(
    action: types.CodeAction, store: DocumentStore
) -> tuple[Finding, DocumentState]:
    """The finding an action was listed for, still there at the same version."""
    data, state = listed_state(action, store)
    if state.snapshot is None:
        raise ContentModified("the document changed; ask for code actions again")
    for finding in state.findings:
        if (
            isinstance(finding, Finding)
            and finding.code == data.get("code")
            and finding.start == data.get("start")
            and finding.end == data.get("end")
        ):
            return finding, state
    raise ContentModified("the problem this action was for is gone")


def resolve_finding_fix(
    action: types.CodeAction, store: DocumentStore, env: ActionEnv
) -> types.CodeAction:
    finding, state = _listed_finding(action, store)
    if finding.fix is None:
        raise ContentModified("the problem this fix was for is gone")
    action.edit = _fix_edit(finding, state, env)
    return action


def _ignore_edit(finding: Finding, state: DocumentState, env: ActionEnv) -> types.WorkspaceEdit:
    snapshot = state.snapshot
    assert snapshot is not None
    edit = ignore_finding_edit(
        snapshot.source, snapshot.root, snapshot.index, finding, snapshot.language_id or ""
    )
    builder = env.edit_builder()
    builder.replace(state.uri, state.version, snapshot.index, [edit])
    return builder.build()


def resolve_ignore(
    action: types.CodeAction, store: DocumentStore, env: ActionEnv
) -> types.CodeAction:
    finding, state = _listed_finding(action, store)
    action.edit = _ignore_edit(finding, state, env)
    return action


class CodeActionService:
    """Collects actions from every provider; resolves by ``data["source"]``."""

    def __init__(self) -> None:
        self.providers: list[Provider] = [finding_fixes]
        self.resolvers: dict[str, Resolver] = {
            FINDING_SOURCE: resolve_finding_fix,
            IGNORE_SOURCE: resolve_ignore,
        }

    def add_provider(self, provider: Provider) -> None:
        self.providers.append(provider)

    def add_resolver(self, source: str, resolver: Resolver) -> None:
        self.resolvers[source] = resolver

    def actions(
        self,
        state: DocumentState,
        rng: types.Range,
        context: types.CodeActionContext,
        env: ActionEnv,
    ) -> list[types.CodeAction]:
        found: list[types.CodeAction] = []
        for provider in self.providers:
            found.extend(provider(state, rng, context, env))
        return found

    def resolve(
        self, action: types.CodeAction, store: DocumentStore, env: ActionEnv
    ) -> types.CodeAction:
        data: Any = action.data
        source = data.get("source") if isinstance(data, dict) else None
        resolver = self.resolvers.get(str(source))
        if resolver is None:
            return action  # nothing to add: not one of ours
        return resolver(action, store, env)
