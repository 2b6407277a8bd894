"""``backend-lsp.runAction``: one agent action, from the editor to a reviewable result.

The engine's ActionWorkflow does the work (context, model, re-anchoring); this
module only adapts it to LSP: it runs in the cancellable CommandRunner with
work-done progress, reads the live buffer from the document store so a change
during the run is re-anchored or refused, and turns the outcome into a
versioned, annotated ``workspace/applyEdit``, ``backend-agent`` diagnostics, or
an explanation (command result + markdown file + hover). Every failure becomes
one error message and an ``{"ok": false}`` result, never a crash.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import shlex
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from backend_lsp.analysis.model import Finding
from backend_lsp.lsp.agent_actions import (
    AgentActionProvider,
    ClientFeatures,
    lsp_diagnostics,
)
from backend_lsp.lsp.agent_results import (
    AgentDiagnostic,
    AgentResults,
    Change,
    Explanation,
    line_span,
)
from backend_lsp.lsp.convert import to_offset, to_range
from backend_lsp.lsp.documents import DocumentState
from backend_lsp.lsp.progress import CancelToken, ProgressReporter
from backend_lsp.text import LineIndex

if TYPE_CHECKING:
    from backend_lsp.agent.workflow import ActionOutcome, ActionWorkflow
    from backend_lsp.lsp.server import BackendLanguageServer

log = logging.getLogger(__name__)

ANNOTATION_ID = "backend-agent"
_REPORT_EVERY_S = 0.1  # token reports: enough to look alive, not a notification flood


class ActionArgumentError(ValueError):
    """The command's arguments are not what the code action sent."""


def _arguments(args: tuple[Any, ...]) -> dict[str, Any]:
    first: Any = args[0] if args else None
    if isinstance(first, list) and first:
        first = first[0]
    if not isinstance(first, Mapping):
        raise ActionArgumentError("backend-lsp.runAction expects {uri, version, action, range}")
    data = dict(first)
    if not isinstance(data.get("uri"), str) or not isinstance(data.get("action"), str):
        raise ActionArgumentError("backend-lsp.runAction needs a document uri and an action id")
    return data


def _lines(rng: Any) -> tuple[int, int] | None:
    """1-based inclusive lines of an LSP range; a range ending at column 0 stops before it."""
    try:
        start = int(rng["start"]["line"])
        end = int(rng["end"]["line"])
        end_char = int(rng["end"]["character"])
    except (KeyError, TypeError, ValueError):
        return None
    if end > start and end_char == 0:
        end -= 1
    start, end = max(0, start), max(0, end)
    return start + 1, max(start, end) + 1


def _summary(outcome: ActionOutcome) -> str:
    from backend_lsp.agent.usage import describe

    if outcome.provider == "offline":
        return "answered offline (no model call)"
    return describe(outcome.model, outcome.usage, outcome.cached)


class AgentSession:
    """The agent's side of a server session: workflow, results and the run command."""

    def __init__(self, server: BackendLanguageServer) -> None:
        self.server = server
        self.results = AgentResults()
        self.actions = AgentActionProvider(
            lambda: server.settings,
            lambda: ClientFeatures.of(server.client_capabilities),
            self.results,
        )
        self._workflow: ActionWorkflow | None = None
        self._built_for: object = None
        self._reported: set[str] = set()

    # -- the workflow, rebuilt when the agent settings change -----------------------------

    def workflow(self) -> ActionWorkflow:
        from backend_lsp.agent.workflow import ActionWorkflow

        agent = self.server.settings.agent
        roots = self.server.workspace_roots()
        key = (agent, roots[0] if roots else None)
        if self._workflow is None or self._built_for != key:
            old = self._workflow
            fresh = ActionWorkflow(roots[0] if roots else None, self.server.settings)
            if old is not None:
                fresh.session = old.session  # session totals survive a settings change
                self.server.spawn(old.aclose())
            self._workflow, self._built_for = fresh, key
        self._workflow.schema = self.server.schema
        self.report_problems()
        return self._workflow

    def report_problems_soon(self) -> None:
        """Load the agents off the event loop once, so broken agent files are reported early."""

        async def build() -> None:
            try:
                problems = await asyncio.to_thread(self._load_agents)
            except Exception:
                log.exception("loading the agent definitions failed")
                return
            for problem in problems:
                self._report(problem)

        self.server.spawn(build())

    def _load_agents(self) -> list[str]:
        from backend_lsp.agent.definitions import load_agents

        agent = self.server.settings.agent
        roots = self.server.workspace_roots()
        _agents, problems = load_agents(
            roots[0] if roots else None, [Path(d) for d in agent.agents_dirs]
        )
        return problems

    def _report(self, problem: str) -> None:
        if problem in self._reported:
            return
        self._reported.add(problem)
        log.warning("agent: %s", problem)
        self._show(types.MessageType.Warning, f"backend-lsp agent: {problem}")

    def report_problems(self) -> None:
        """Agent-file problems, shown once each (message + log)."""
        if self._workflow is None:
            return
        for problem in self._workflow.problems:
            self._report(problem)

    def status(self) -> dict[str, Any]:
        try:
            return self.workflow().status()
        except Exception as error:  # status must answer even when the agent cannot start
            log.exception("agent status failed")
            return {"available": False, "reason": self._scrub(str(error))}

    # -- following documents ------------------------------------------------------------

    def track(self, state: DocumentState | None, changes: list[Change]) -> None:
        """Before the store applies ``changes``: drop/shift agent results they touch."""
        if state is None:
            return
        dropped = self.results.track(
            state.uri, state.document.source, changes, self.server.encoding
        )
        if dropped and not self.server.diagnostics.push and self.server.supports_refresh():
            self.server.workspace_diagnostic_refresh(None)

    def forget(self, uri: str) -> None:
        self.results.forget(uri)

    def diagnostics(self, state: DocumentState) -> list[types.Diagnostic]:
        return lsp_diagnostics(self.results, state, self.server.encoding)

    def hover_markdown(self, state: DocumentState, position: types.Position) -> str | None:
        offset = to_offset(state.document.index, position, self.server.encoding)
        found = self.results.explanation_at(state.uri, offset)
        return found.markdown if found is not None else None

    # -- the command ----------------------------------------------------------------------

    async def run(self, *args: Any) -> dict[str, Any]:
        try:
            return await self._run(args)
        except JsonRpcException:
            raise  # RequestCancelled and friends: the runner already answered the progress
        except Exception as error:
            from backend_lsp.agent.workflow import ActionFailed

            if isinstance(error, ActionFailed):
                message, kind = error.message, error.kind
            elif isinstance(error, ActionArgumentError):
                message, kind = str(error), "arguments"
            else:
                log.exception("backend-lsp.runAction failed")
                message, kind = f"the action failed unexpectedly: {error}", "internal"
            message = self._scrub(message)
            log.warning("agent action failed (%s): %s", kind, message)
            level = types.MessageType.Error
            if kind == "no_provider" and self._offline_had_nothing(args):
                level = types.MessageType.Info  # nothing went wrong: there is nothing to change
            self._show(level, f"backend-lsp: {message}")
            return {"ok": False, "error": message, "kind": kind}

    def _offline_had_nothing(self, args: tuple[Any, ...]) -> bool:
        """An offline built-in ran without a provider and found nothing deterministic to do."""
        workflow = self._workflow
        if workflow is None or workflow.ai_available:
            return False
        try:
            action_id = _arguments(args)["action"]
        except ActionArgumentError:
            return False
        spec = next((s for s in workflow.actions() if s.id == action_id), None)
        return spec is not None and spec.offline and spec.builtin

    async def _run(self, args: tuple[Any, ...]) -> dict[str, Any]:
        from backend_lsp.agent.workflow import ActionFailed

        data = _arguments(args)
        uri, action_id = data["uri"], data["action"]
        state = self.server.store.get(uri)
        if state is None:
            raise ActionFailed("the document is not open in the editor", "stale")
        if state.binary:
            raise ActionFailed("the document looks binary; agent actions need text", "refused")
        version = data.get("version")
        if version is not None and version != state.version:
            raise ActionFailed(
                "the document changed since the action was offered; run it again", "stale"
            )
        lines = _lines(data.get("range"))
        if lines is None:
            raise ActionFailed("the action's range is missing or malformed", "arguments")
        workflow = self.workflow()
        spec = workflow.find(action_id)
        if spec.output == "new_files" and not self._can_create_files():
            # refused before the model call: its answer could not be applied anyway
            raise ActionFailed(
                self._create_hint(spec.id, workflow.workspace_root, Path(state.path), lines),
                "unsupported",
            )
        findings = (
            [f for f in state.findings if isinstance(f, Finding)]
            if state.analysed_version == state.version
            else None
        )
        text = state.document.text
        path = Path(state.path)

        def live_text() -> str | None:
            current = self.server.store.get(uri)
            return current.document.text if current is not None else None

        async def work(reporter: ProgressReporter, cancel: CancelToken) -> ActionOutcome:
            last = [0.0]

            def progress(message: str, percent: int | None) -> None:
                now = time.monotonic()
                if percent is None and now - last[0] < _REPORT_EVERY_S:
                    return
                last[0] = now
                reporter.report(message, percent)

            outcome = await workflow.run(
                spec.id,
                path,
                text,
                lines[0],
                lines[1],
                language_id=state.language_id,
                live_text=live_text,
                findings=findings,
                on_progress=progress,
            )
            reporter.done_message = _summary(outcome)
            return outcome

        outcome = await self.server.runner.run(f"{spec.title}…", work)
        log.info("%s on %s: %s", spec.id, outcome.display_path, _summary(outcome))
        if outcome.output == "diagnostics":
            return self._publish_findings(uri, outcome, lines)
        if outcome.output == "explanation":
            return await self._show_explanation(uri, outcome, lines, spec.title)
        return await self._apply(uri, outcome, spec.title, lines)

    # -- results --------------------------------------------------------------------------

    def _current(self, uri: str, outcome: ActionOutcome) -> DocumentState:
        """The open document, provided it still has the text the result was planned on."""
        from backend_lsp.agent.workflow import ActionFailed

        state = self.server.store.get(uri)
        if state is None:
            raise ActionFailed("the document was closed; nothing was applied", "stale")
        if hashlib.sha256(state.document.source).hexdigest() != outcome.base_sha256:
            raise ActionFailed(
                "the document changed after the answer was planned; nothing was applied, "
                "run the action again",
                "stale",
            )
        return state

    def _base(self, outcome: ActionOutcome) -> dict[str, Any]:
        return {
            "ok": True,
            "action": outcome.action_id,
            "summary": outcome.summary,
            "usage": {
                **outcome.usage.to_dict(),
                "estimated_cost_usd": outcome.cost_usd,
                "cached": outcome.cached,
                "model": outcome.model,
                "provider": outcome.provider,
            },
        }

    async def _apply(
        self, uri: str, outcome: ActionOutcome, title: str, lines: tuple[int, int]
    ) -> dict[str, Any]:
        from backend_lsp.agent.workflow import ActionFailed

        result = self._base(outcome)
        if not outcome.changes_files:
            message = outcome.summary or "the agent proposes no change"
            self._show(types.MessageType.Info, f"backend-lsp: {title}: {message}")
            return {**result, "applied": False, "edits": 0}
        state = self._current(uri, outcome)
        edit = self._workspace_edit(state, outcome, title, lines)
        reply = await self.server.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label=f"Backend agent: {title}")
        )
        if not reply.applied:
            reason = reply.failure_reason or "the editor refused it"
            raise ActionFailed(
                f"the edit was not applied ({reason}); the document may have changed "
                "meanwhile: run the action again",
                "rejected",
            )
        return {
            **result,
            "applied": True,
            "edits": len(outcome.edits),
            "newFiles": [f.path for f in outcome.new_files],
        }

    def _can_create_files(self) -> bool:
        """Versioned document changes with the ``create`` resource operation."""
        caps = self.server.client_capabilities.workspace
        ws_edit = caps.workspace_edit if caps is not None else None
        if ws_edit is None or not ws_edit.document_changes:
            return False
        operations = [str(getattr(o, "value", o)) for o in (ws_edit.resource_operations or [])]
        return "create" in operations

    def _create_hint(
        self,
        action_id: str,
        root: Path | None,
        path: Path,
        lines: tuple[int, int],
        names: str = "",
    ) -> str:
        """Why nothing was created, and the CLI command that does it (runnable as shown)."""
        from backend_lsp.context.gather import display_path

        target = shlex.quote(f"{display_path(root, path)}:{lines[0]}-{lines[1]}")
        created = f" (it would create {names})" if names else ""
        return (
            f"this editor cannot create files through LSP (no 'create' resource operation); "
            f"nothing was applied{created}. From the workspace folder, run: "
            f"backend-lsp run {action_id} {target} --diff (review), then --apply"
        )

    def _workspace_edit(
        self, state: DocumentState, outcome: ActionOutcome, title: str, lines: tuple[int, int]
    ) -> types.WorkspaceEdit:
        from backend_lsp.agent.workflow import ActionFailed

        caps = self.server.client_capabilities.workspace
        ws_edit = caps.workspace_edit if caps is not None else None
        versioned = bool(ws_edit is not None and ws_edit.document_changes)
        if outcome.new_files and not self._can_create_files():
            names = ", ".join(f.path for f in outcome.new_files)
            root = self._root(state)
            hint = self._create_hint(outcome.action_id, root, outcome.path, lines, names)
            raise ActionFailed(hint, "unsupported")
        encoding = self.server.encoding
        index = state.document.index
        if not versioned:
            plain = [
                types.TextEdit(range=to_range(index, e.start, e.end, encoding), new_text=e.new_text)
                for e in outcome.edits
            ]
            return types.WorkspaceEdit(changes={state.uri: plain})
        changes: list[Any] = []
        if outcome.edits:
            changes.append(
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=state.uri, version=state.version
                    ),
                    edits=[
                        types.AnnotatedTextEdit(
                            annotation_id=ANNOTATION_ID,
                            range=to_range(index, e.start, e.end, encoding),
                            new_text=e.new_text,
                        )
                        for e in outcome.edits
                    ],
                )
            )
        root = self._root(state)
        for new in outcome.new_files:
            target = (root / new.path).resolve()
            if not target.is_relative_to(root) or target.exists():
                raise ActionFailed(
                    f"{new.path} is outside the workspace or already exists; nothing was applied",
                    "refused",
                )
            file_uri = target.as_uri()
            changes.append(
                types.CreateFile(
                    uri=file_uri,
                    options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False),
                    annotation_id=ANNOTATION_ID,
                )
            )
            start = types.Position(line=0, character=0)
            changes.append(
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=file_uri, version=None
                    ),
                    edits=[
                        types.AnnotatedTextEdit(
                            annotation_id=ANNOTATION_ID,
                            range=types.Range(start=start, end=start),
                            new_text=new.content,
                        )
                    ],
                )
            )
        annotation = types.ChangeAnnotation(
            label=f"Backend agent: {title}",
            needs_confirmation=self.server.settings.agent.needs_confirmation,
            description=outcome.summary or None,
        )
        return types.WorkspaceEdit(
            document_changes=changes, change_annotations={ANNOTATION_ID: annotation}
        )

    def _root(self, state: DocumentState) -> Path:
        workflow = self._workflow
        if workflow is not None and workflow.workspace_root is not None:
            return workflow.workspace_root
        return Path(state.path).resolve().parent

    def _publish_findings(
        self, uri: str, outcome: ActionOutcome, lines: tuple[int, int]
    ) -> dict[str, Any]:
        state = self._current(uri, outcome)
        index = state.document.index
        items: list[AgentDiagnostic] = []
        for found in outcome.findings:
            starts = [found.start, *(e.start for e in found.fix)]
            ends = [found.end, *(e.end for e in found.fix)]
            items.append(
                AgentDiagnostic(
                    id=self.results.new_id(),
                    start=found.start,
                    end=found.end,
                    message=found.message,
                    severity=found.severity,
                    action_id=outcome.action_id,
                    fix=tuple(found.fix),
                    span=line_span(index, min(starts), max(ends)),
                )
            )
        reviewed = (index.line_start(lines[0] - 1), index.line_end(lines[1] - 1))
        self.results.set_diagnostics(uri, reviewed, items)
        self._republish(state)
        if not items:
            self._show(types.MessageType.Info, "backend-lsp: the review found no problems")
        return {**self._base(outcome), "findings": len(items)}

    def _republish(self, state: DocumentState) -> None:
        manager = self.server.diagnostics
        if manager.push:
            if state.analysed_version == state.version:
                manager.publish(state)
            else:
                manager.schedule(state, delay_ms=0)
        elif self.server.supports_refresh():
            self.server.workspace_diagnostic_refresh(None)

    async def _show_explanation(
        self, uri: str, outcome: ActionOutcome, lines: tuple[int, int], title: str
    ) -> dict[str, Any]:
        markdown = outcome.explanation or outcome.summary or "(no explanation)"
        result = {**self._base(outcome), "explanation": markdown}
        state = self.server.store.get(uri)
        index = LineIndex.from_text(outcome.base_text)
        start, end = index.line_start(lines[0] - 1), index.line_end(lines[1] - 1)
        file = self._write_explanation(outcome, lines, title, markdown)
        if state is not None and state.document.source == index.source:
            self.results.add_explanation(
                uri, Explanation(start, end, markdown, file, span=(start, end))
            )
        if file is None:
            return result
        result["uri"] = file.as_uri()
        window = self.server.client_capabilities.window
        show = window.show_document if window is not None else None
        if show is not None and show.support:
            try:
                shown = await self.server.window_show_document_async(
                    types.ShowDocumentParams(uri=file.as_uri())
                )
                result["shown"] = bool(shown.success)
            except Exception as error:
                log.info("window/showDocument failed: %s", error)
                result["shown"] = False
        return result

    def _write_explanation(
        self, outcome: ActionOutcome, lines: tuple[int, int], title: str, markdown: str
    ) -> Path | None:
        """A markdown file in the user cache dir: outside the workspace, never committed."""
        from backend_lsp.agent.cache import default_cache_dir

        digest = hashlib.sha256(f"{outcome.display_path}:{lines}".encode()).hexdigest()[:10]
        name = f"{Path(outcome.display_path).stem}-L{lines[0]}-{lines[1]}-{digest}.md"
        folder = default_cache_dir() / "explanations"
        body = (
            f"# {title}: {outcome.display_path}, lines {lines[0]}-{lines[1]}\n\n"
            f"{markdown.strip()}\n\n---\n\n_{_summary(outcome)}_\n"
        )
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / name
            target.write_text(body, encoding="utf-8")
        except OSError as error:
            log.warning("cannot write the explanation to %s: %s", folder, error)
            return None
        return target.resolve()

    # -- messages -------------------------------------------------------------------------

    def _scrub(self, message: str) -> str:
        key = self.server.settings.agent.api_key
        secret = key.get_secret_value() if key is not None else ""
        return message.replace(secret, "[api key]") if secret else message

    def _show(self, kind: types.MessageType, message: str) -> None:
        self.server.window_show_message(
            types.ShowMessageParams(type=kind, message=self._scrub(message))
        )
