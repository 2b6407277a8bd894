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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from backend_lsp.analysis.model import Finding
from backend_lsp.lsp.agent_actions import AgentActionProvider
from backend_lsp.lsp.agent_results import AgentResults, Explanation
from backend_lsp.lsp.contracts import RunAction
from backend_lsp.lsp.convert import to_offset
from backend_lsp.lsp.documents import DocumentState
from backend_lsp.lsp.edits import CannotCreateFiles, WorkspaceEditBuilder
from backend_lsp.lsp.progress import CancelToken, ProgressReporter
from backend_lsp.syntax.document import TextChange
from backend_lsp.text import LineIndex

if TYPE_CHECKING:
    from backend_lsp.agent.workflow import ActionOutcome, ActionWorkflow
    from backend_lsp.lsp.session import Session

log = logging.getLogger(__name__)


def _summary(outcome: ActionOutcome) -> str:
    from backend_lsp.agent.usage import describe

    if outcome.provider == "offline":
        return "answered offline (no model call)"
    return describe(outcome.model, outcome.usage, outcome.cached)


class AgentSession:
    """The agent's side of a server session: workflow, results and the run command."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.client = session.client
        self.results = AgentResults()
        self.actions = AgentActionProvider(
            lambda: session.settings, lambda: session.capabilities, self.results
        )
        self._workflow: ActionWorkflow | None = None
        self._built_for: object = None
        self._reported: set[str] = set()

    # -- the workflow, rebuilt when the agent settings change -----------------------------

    def workflow(self) -> ActionWorkflow:
        from backend_lsp.agent.workflow import ActionWorkflow

        agent = self.session.settings.agent
        roots = self.session.workspace_roots()
        key = (agent, roots[0] if roots else None)
        if self._workflow is None or self._built_for != key:
            old = self._workflow
            fresh = ActionWorkflow(roots[0] if roots else None, self.session.settings)
            if old is not None:
                fresh.session = old.session  # session totals survive a settings change
                self.session.spawn(old.aclose())
            self._workflow, self._built_for = fresh, key
        self._workflow.schema = self.session.schema
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

        self.session.spawn(build())

    def _load_agents(self) -> list[str]:
        from backend_lsp.agent.definitions import load_agents

        agent = self.session.settings.agent
        roots = self.session.workspace_roots()
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

    def follow_changes(self, uri: str, applied: Sequence[TextChange | None]) -> None:
        """The store applied ``applied``: drop or shift the agent results they touch."""
        if self.results.follow(uri, applied):
            self.session.ask_for_diagnostics_again()

    def forget(self, uri: str) -> None:
        self.results.forget(uri)

    def diagnostics(self, state: DocumentState) -> list[Finding]:
        """The review findings, in bytes of the document's current text."""
        return self.results.diagnostics(state.uri)

    def hover_markdown(self, state: DocumentState, position: types.Position) -> str | None:
        offset = to_offset(state.document.index, position, self.session.encoding)
        found = self.results.explanation_at(state.uri, offset)
        return found.markdown if found is not None else None

    # -- the command ----------------------------------------------------------------------

    async def handle_run_action(self, *args: Any) -> dict[str, Any]:
        """The ``backend-lsp.runAction`` command; bad arguments are an InvalidParams error."""
        run = RunAction.from_arguments(args)
        try:
            return await self._run_action(run)
        except JsonRpcException:
            raise  # RequestCancelled and friends: the runner already answered the progress
        except Exception as error:
            from backend_lsp.agent.workflow import ActionFailed

            if isinstance(error, ActionFailed):
                message, kind = error.message, error.kind
            else:
                log.exception("backend-lsp.runAction failed")
                message, kind = f"the action failed unexpectedly: {error}", "internal"
            message = self._scrub(message)
            log.warning("agent action failed (%s): %s", kind, message)
            level = types.MessageType.Error
            if kind == "no_provider" and self._offline_had_nothing(run.action):
                level = types.MessageType.Info  # nothing went wrong: there is nothing to change
            self._show(level, f"backend-lsp: {message}")
            return {"ok": False, "error": message, "kind": kind}

    def _offline_had_nothing(self, action_id: str) -> bool:
        """An offline built-in ran without a provider and found nothing deterministic to do."""
        workflow = self._workflow
        if workflow is None or workflow.ai_available:
            return False
        spec = next((s for s in workflow.actions() if s.id == action_id), None)
        return spec is not None and spec.offline and spec.builtin

    async def _run_action(self, run: RunAction) -> dict[str, Any]:
        from backend_lsp.agent.workflow import ActionFailed

        uri, action_id = run.uri, run.action
        if not uri.startswith("file:"):
            scheme = uri.split(":", 1)[0]
            raise ActionFailed(
                f"agent actions run only on files in the workspace; this is a {scheme}: document "
                "(save it inside the workspace first)",
                "refused",
            )
        state = self.session.store.get(uri)
        if state is None:
            raise ActionFailed("the document is not open in the editor", "stale")
        if state.binary:
            raise ActionFailed("the document looks binary; agent actions need text", "refused")
        if run.version is not None and run.version != state.version:
            raise ActionFailed(
                "the document changed since the action was offered; run it again", "stale"
            )
        lines = run.lines()
        workflow = self.workflow()
        spec = workflow.find(action_id)
        if spec.output == "new_files" and not self.session.capabilities.create_files:
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
            current = self.session.store.get(uri)
            return current.document.text if current is not None else None

        async def work(reporter: ProgressReporter, cancel: CancelToken) -> ActionOutcome:
            outcome = await workflow.run(
                spec.id,
                path,
                text,
                lines[0],
                lines[1],
                language_id=state.language_id,
                live_text=live_text,
                findings=findings,
                # Throttled by the provider, which forces the final token count through.
                on_progress=reporter.report,
            )
            reporter.done_message = _summary(outcome)
            return outcome

        outcome = await self.session.runner.run_with_progress(f"{spec.title}…", work)
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

        state = self.session.store.get(uri)
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
        reply = await self.client.workspace_apply_edit_async(
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

        annotation = types.ChangeAnnotation(
            label=f"Backend agent: {title}",
            needs_confirmation=self.session.settings.agent.needs_confirmation,
            description=outcome.summary or None,
        )
        root = self._root(state)
        if outcome.new_files and not self.session.capabilities.create_files:
            raise self._cannot_create(outcome, root, lines)
        builder = WorkspaceEditBuilder(self.session.capabilities, self.session.encoding, annotation)
        builder.replace(state.uri, state.version, state.document.index, outcome.edits)
        for new in outcome.new_files:
            target = (root / new.path).resolve()
            if not target.is_relative_to(root) or target.exists():
                raise ActionFailed(
                    f"{new.path} is outside the workspace or already exists; nothing was applied",
                    "refused",
                )
            try:
                builder.create_file(target.as_uri(), new.content)
            except CannotCreateFiles:
                raise self._cannot_create(outcome, root, lines) from None
        return builder.build()

    def _cannot_create(
        self, outcome: ActionOutcome, root: Path, lines: tuple[int, int]
    ) -> Exception:
        from backend_lsp.agent.workflow import ActionFailed

        names = ", ".join(f.path for f in outcome.new_files)
        hint = self._create_hint(outcome.action_id, root, outcome.path, lines, names)
        return ActionFailed(hint, "unsupported")

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
        reviewed = (index.line_start(lines[0] - 1), index.line_end(lines[1] - 1))
        self.results.set_diagnostics(uri, reviewed, outcome.findings, index)
        self._republish(state)
        if not outcome.findings:
            self._show(types.MessageType.Info, "backend-lsp: the review found no problems")
        return {**self._base(outcome), "findings": len(outcome.findings)}

    def _republish(self, state: DocumentState) -> None:
        manager = self.session.diagnostics
        if manager.push:
            if state.analysed_version == state.version:
                manager.publish(state)
            else:
                manager.schedule(state, delay_ms=0)
        else:
            self.session.ask_for_diagnostics_again()

    async def _show_explanation(
        self, uri: str, outcome: ActionOutcome, lines: tuple[int, int], title: str
    ) -> dict[str, Any]:
        markdown = outcome.explanation or outcome.summary or "(no explanation)"
        result = {**self._base(outcome), "explanation": markdown}
        state = self.session.store.get(uri)
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
        if self.session.capabilities.show_document:
            try:
                shown = await self.client.window_show_document_async(
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
        key = self.session.settings.agent.api_key
        secret = key.get_secret_value() if key is not None else ""
        return message.replace(secret, "[api key]") if secret else message

    def _show(self, kind: types.MessageType, message: str) -> None:
        self.client.window_show_message(
            types.ShowMessageParams(type=kind, message=self._scrub(message))
        )
