"""One engine call per action, shared by the language server and the CLI.

The workflow owns what lives for a session (provider, response cache, usage
totals, agents, catalog) and runs one action end to end: checks, context,
redaction, the model call, restoring secrets, then anchoring the answer in the
text as it is *now*. A syntax-breaking edit gets one repair round trip.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from backend_lsp.agent.actions import ActionSpec, catalog, disabled_reason
from backend_lsp.agent.cache import ResponseCache
from backend_lsp.agent.definitions import AgentDefinition, builtin_agent, load_agents
from backend_lsp.agent.edits import introduces_syntax_errors
from backend_lsp.agent.protocol import AgentAnswer, MalformedAnswer, NewFile
from backend_lsp.agent.providers import make_provider, provider_status
from backend_lsp.agent.redaction import Redactor
from backend_lsp.agent.requests import (
    ActionRequest,
    ActionResult,
    Provider,
    ProviderError,
    SourceView,
)
from backend_lsp.agent.runner import run_action
from backend_lsp.agent.types import ContextBundle
from backend_lsp.agent.usage import SessionUsage, Usage
from backend_lsp.agent.workflow import answers
from backend_lsp.agent.workflow.outcome import (
    ActionFailed,
    ActionOutcome,
    sha256_text,
)
from backend_lsp.agent.workflow.recheck import remaining_flows
from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Edit, Finding
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.analysis.schema_discovery import schema_from_document
from backend_lsp.config import Settings
from backend_lsp.context import ContextError, gather_context
from backend_lsp.context.gather import display_path
from backend_lsp.context.tokens import TokenCounter
from backend_lsp.engine import FileTooLarge, analyze_document
from backend_lsp.files import IgnoreRules
from backend_lsp.index.build import WorkspaceIndex
from backend_lsp.syntax.document import ParsedDocument
from backend_lsp.syntax.languages import language_id_for

log = logging.getLogger(__name__)

ProgressReport = Callable[[str, int | None], None]
"""``on_progress(message, percent or None)`` for a front end's progress UI."""
LiveText = Callable[[], "str | None"]

_REPAIR_NOTE = (
    "Your previous answer was rejected: applying it would introduce these syntax errors:\n"
    "{problems}\n"
    "Answer again with the complete corrected answer. Hunks quote the file exactly as shown "
    "above (the previous answer was not applied)."
)


_FLOW_NOTE = (
    "Your previous answer was not applied: the offline analyzer re-checked the edited code "
    "and it still finds these security problems:\n"
    "{problems}\n"
    "Answer again with the complete corrected answer that fixes them (validate, convert, "
    "escape or parametrize the value before the sink; secure cookie flags, `secrets` for "
    "tokens, a strong hash or HMAC). Hunks quote the file exactly "
    "as shown above (the previous answer was not applied)."
)


def _with_remaining(answer: AgentAnswer, remaining: list[str]) -> str:
    """The summary plus what the analyzer still finds, so the user sees it with the edit."""
    lines = "\n".join(f"- {p}" for p in remaining)
    note = f"The offline analyzer still finds after this edit:\n{lines}"
    return f"{answer.summary.strip()}\n\n{note}" if answer.summary.strip() else note


class _DeferredCache(ResponseCache):
    """Reads from the real cache; holds writes until the answer proved usable.

    Otherwise an answer that was refused (stale, syntax-breaking, overwriting a
    file) would be replayed from the cache on every retry.
    """

    def __init__(self, real: ResponseCache) -> None:
        super().__init__(real.path.parent, real.max_bytes / (1024 * 1024))
        self._real = real
        self.pending: list[tuple[str, dict[str, Any]]] = []

    def get(self, key: str) -> dict[str, Any] | None:
        return self._real.get(key)

    def put(self, key: str, payload: dict[str, Any]) -> None:
        self.pending.append((key, payload))

    def commit(self) -> None:
        for key, payload in self.pending:
            self._real.put(key, payload)
        self.pending.clear()


_SERVER_BUILD_WAIT_S = 600.0
"""How long an action waits for the language server's own build of the index."""


class ActionWorkflow:
    """Session state for running actions; build one per workspace and reuse it."""

    def __init__(
        self,
        workspace_root: Path | None,
        settings: Settings,
        *,
        provider: Provider | None = None,
        cache: ResponseCache | None = None,
        schema: WorkspaceSchema | None = None,
        index: WorkspaceIndex | None = None,
    ) -> None:
        self._index = index
        """The workspace index; built on the first action when a front end gave none."""
        self._index_failed = False
        self.workspace_root = workspace_root.resolve() if workspace_root is not None else None
        self.settings = settings
        self.provider: Provider = provider if provider is not None else make_provider(settings)
        agent_settings = settings.agent
        if cache is not None:
            self.cache: ResponseCache | None = cache
        else:
            self.cache = ResponseCache(max_mb=agent_settings.cache_max_mb)
        if not agent_settings.cache_enabled:
            self.cache = None
        self.schema = schema
        """The workspace schema when a front end has discovered it; else per document."""
        self.session = SessionUsage()
        dirs = [Path(d) for d in agent_settings.agents_dirs]
        self.agents, self.problems = load_agents(self.workspace_root, dirs)
        self._catalog = catalog(agent_settings.actions)
        self.tokens = TokenCounter(self._count_text())
        """Counts the (redacted) context with the provider when online; cached per text."""

    def _count_text(self) -> Callable[[str], int] | None:
        from backend_lsp.agent.providers.anthropic import AnthropicProvider

        if not isinstance(self.provider, AnthropicProvider):
            return None
        return self.provider.token_counter(self.agent().model or self.settings.agent.model)

    # --- what a front end shows ------------------------------------------------

    def actions(self) -> list[ActionSpec]:
        return list(self._catalog)

    def find(self, action_id: str) -> ActionSpec:
        """The action, or ActionFailed listing the valid ids."""
        for spec in self._catalog:
            if spec.id == action_id:
                return spec
        valid = ", ".join(spec.id for spec in self._catalog)
        raise ActionFailed(
            f"Unknown action {action_id!r}; valid actions: {valid}", "unknown_action"
        )

    @property
    def ai_available(self) -> bool:
        return self.provider.name != "offline"

    def disabled_reason(self, spec: ActionSpec) -> str | None:
        """Why ``spec`` cannot run here (and how to enable it), or None when it can."""
        if self.ai_available:
            return None
        return disabled_reason(spec, False, provider_status(self.settings)[1])

    def agent(self) -> AgentDefinition:
        """The configured agent; the built-in one (with a problem noted) when it is missing."""
        name = self.settings.agent.agent
        found = self.agents.get(name)
        if found is not None:
            return found
        message = f"agent {name!r} not found; using the built-in agent"
        if message not in self.problems:
            self.problems.append(message)
        return self.agents.get("backend-developer") or builtin_agent()

    def status(self) -> dict[str, Any]:
        """Provider, model, session usage and cache figures (never the key)."""
        available, reason = provider_status(self.settings)
        cache = self.cache.stats() if self.cache is not None else {"enabled": False}
        return {
            "provider": self.provider.name,
            "available": available,
            "reason": reason,
            "model": self.agent().model or self.settings.agent.model,
            "agent": self.agent().name,
            "usage": self.session.to_dict(),
            "cache": cache,
            "problems": list(self.problems),
        }

    def workspace_index(self, wait: bool = False) -> WorkspaceIndex | None:
        """The index of the workspace root (warm from the cache dir after the first build).

        A language server's published index comes first: it is already current, and
        with ``wait`` (off the event loop only) one it is still building is waited for
        rather than built a second time.
        """
        if self._index is None and self.workspace_root is not None:
            from backend_lsp.index import shared

            published = (
                shared.wait(self.workspace_root, _SERVER_BUILD_WAIT_S)
                if wait
                else shared.find(self.workspace_root)
            )
            if published is not None:
                return published
        if self._index is None and self.workspace_root is not None and not self._index_failed:
            index = WorkspaceIndex(self.workspace_root)
            try:
                index.build()
            except Exception as error:  # the context degrades to this file, the action runs
                log.warning("workspace index of %s failed: %s", self.workspace_root, error)
                index.close()
                self._index_failed = True
                return None
            self._index = index
        return self._index

    def workspace_index_pending(self) -> bool:
        """True when ``workspace_index()`` would have to build (seconds on a cold cache)."""
        if self._index is not None or self.workspace_root is None or self._index_failed:
            return False
        from backend_lsp.index.shared import find

        return find(self.workspace_root) is None

    async def aclose(self) -> None:
        close = getattr(self.provider, "aclose", None)
        if close is not None:
            await close()
        if self.cache is not None:
            self.cache.close()

    # --- running ---------------------------------------------------------------

    def _scrub(self, message: str) -> str:
        key = self.settings.agent.api_key
        secret = key.get_secret_value() if key is not None else ""
        return message.replace(secret, "[api key]") if secret else message

    def _root_for(self, path: Path) -> Path:
        return self.workspace_root or path.resolve().parent

    def _check_path(self, path: Path, root: Path, ignore: IgnoreRules) -> None:
        resolved = path.resolve()
        if self.workspace_root is not None and not resolved.is_relative_to(root):
            raise ActionFailed(
                f"{path} is outside the workspace ({root}); actions only run on workspace files",
                "refused",
            )
        if ignore.is_private(resolved):
            raise ActionFailed(
                f"{display_path(root, path)} matches the ignore rules (.gitignore, .env*, key "
                "files or .backend-lsp-ignore); it is never sent to the model",
                "refused",
            )

    def _findings(self, path: Path, document: ParsedDocument) -> list[Finding]:
        try:
            return analyze_document(
                str(path), document, self.settings.analysis, self.schema, root=self.workspace_root
            )
        except FileTooLarge as error:
            raise ActionFailed(str(error), "too_large") from error

    def _schema(self, path: Path, document: ParsedDocument) -> WorkspaceSchema:
        if self.schema is not None:
            return self.schema
        schema = WorkspaceSchema()
        try:
            for table in schema_from_document(str(path), document):
                schema.add(table)
        except Exception as error:  # schema is a hint for the offline provider only
            log.info("no schema from %s: %s", path, error)
        return schema

    def _redactor(self) -> Redactor:
        key = self.settings.agent.api_key
        return Redactor(explicit=[key.get_secret_value() if key is not None else None])

    def _gather(
        self,
        path: Path,
        text: str,
        start_line: int,
        end_line: int,
        language_id: str | None,
        findings: list[Finding] | None,
    ) -> tuple[Path, ParsedDocument, list[Finding], ContextBundle]:
        """Checks the path, then the (unredacted) context for the selection."""
        root = self._root_for(path)
        ignore = IgnoreRules(root)
        self._check_path(path, root, ignore)
        limit = self.settings.analysis.max_file_bytes
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise ActionFailed(
                f"{display_path(root, path)}: {size:,} bytes is over analysis.max_file_bytes "
                f"({limit:,}); select a smaller file or raise the limit",
                "too_large",
            )
        document = ParsedDocument(text, language_id_for(language_id, path))
        if findings is None:
            findings = self._findings(path, document)
        bundle = gather_context(
            root,
            path,
            document,
            start_line,
            end_line,
            budget_tokens=self.settings.agent.context_budget_tokens,
            findings=findings,
            ignore=ignore,
            index=self.workspace_index() if root == self.workspace_root else None,
        )
        return root, document, findings, bundle

    def context_bundle(
        self,
        path: Path,
        text: str,
        start_line: int,
        end_line: int,
        *,
        language_id: str | None,
        findings: list[Finding] | None = None,
    ) -> ContextBundle:
        """Exactly the context an action on these lines would send, secrets redacted."""
        try:
            _root, _document, _findings, bundle = self._gather(
                path, text, start_line, end_line, language_id, findings
            )
        except ContextError as error:
            raise ActionFailed(self._scrub(str(error)), "refused") from None
        return self.tokens.recount(answers.redact_bundle(bundle, self._redactor()))

    async def run(
        self,
        action_id: str,
        path: Path,
        text: str,
        start_line: int,
        end_line: int,
        *,
        language_id: str | None,
        live_text: LiveText | None = None,
        findings: list[Finding] | None = None,
        on_progress: ProgressReport | None = None,
    ) -> ActionOutcome:
        """Run one action on lines [start_line, end_line] (1-based) of ``text``.

        ``text`` is the editor's buffer; ``live_text()`` gives the buffer as it is
        when the answer arrives (None: the document was closed). Raises
        ActionFailed with a human-readable message; nothing is ever half applied.
        """
        try:
            return await self._run(
                action_id,
                path,
                text,
                start_line,
                end_line,
                language_id,
                live_text,
                findings,
                on_progress,
            )
        except ActionFailed as error:
            raise ActionFailed(self._scrub(error.message), error.kind) from None
        except ProviderError as error:
            kind = "no_provider" if error.kind in {"no_provider", "no_key"} else "provider"
            raise ActionFailed(self._scrub(error.message), kind) from None
        except (ContextError, MalformedAnswer) as error:
            raise ActionFailed(self._scrub(str(error)), "refused") from None

    async def _run(
        self,
        action_id: str,
        path: Path,
        text: str,
        start_line: int,
        end_line: int,
        language_id: str | None,
        live_text: LiveText | None,
        findings: list[Finding] | None,
        on_progress: ProgressReport | None,
    ) -> ActionOutcome:
        started = time.perf_counter()
        report = on_progress or (lambda _message, _percent: None)
        spec = self.find(action_id)
        reason = self.disabled_reason(spec)
        if reason is not None:
            raise ActionFailed(f"'{spec.title}' needs an AI provider. {reason}", "no_provider")
        report("Gathering context", 0)
        if self.workspace_index_pending():
            # A cold index of a large workspace takes seconds: never on the event loop.
            await asyncio.to_thread(self.workspace_index, True)
        root, document, findings, bundle = self._gather(
            path, text, start_line, end_line, language_id, findings
        )
        redactor = self._redactor()
        sent = answers.redact_bundle(bundle, redactor)
        if self.tokens.online:  # the count input is the redacted text, exactly as sent
            sent = await asyncio.to_thread(self.tokens.recount, sent)
        if redactor.count:
            log.info("%s: %d secret(s) replaced before sending", spec.id, redactor.count)
        index = document.index
        view = SourceView(
            AnalysisContext(str(path), document, self._schema(path, document)),
            index.line_start(bundle.selection.start_line - 1),
            index.line_end(bundle.selection.end_line - 1),
            findings,
        )
        agent = self.agent()
        request = ActionRequest(
            spec,
            agent,
            sent,
            agent.model or self.settings.agent.model,
            self.settings.agent.max_tokens,
            workspace_root=root,
            source=view,
        )

        cache = _DeferredCache(self.cache) if self.cache is not None else None
        results = [await self._call(request, report, cache)]
        answer = answers.restore_answer(results[-1].answer, redactor)
        live, edits, after, new_files = self._shape(spec, text, answer, document, live_text, root)

        async def repair(
            template: str, problems: list[str]
        ) -> tuple[str, list[Edit], str, list[NewFile]]:
            """The one repair round: the problems go back (redacted), the answer is re-shaped."""
            nonlocal answer
            note = template.format(problems="\n".join(f"- {p}" for p in problems))
            retry = dataclasses.replace(request, note=redactor.redact(note))
            results.append(await self._call(retry, report, cache))
            answer = answers.restore_answer(results[-1].answer, redactor)
            shaped = self._shape(spec, text, answer, document, live_text, root)
            self._refuse_syntax(spec, shaped[0], shaped[2], shaped[3], document)
            return shaped

        problems = self._syntax_problems(spec, live, after, new_files, document)
        if problems:
            report("Answer breaks the syntax; asking for a repair", None)
            log.info("%s: repair round trip for %s", spec.id, "; ".join(problems))
            live, edits, after, new_files = await repair(_REPAIR_NOTE, problems)
        remaining = self._recheck(spec, path, text, findings, view, live, edits, after)
        if remaining and len(results) == 1:
            report("The edit leaves a security finding; asking for a repair", None)
            log.info("%s: flow repair round trip (%d flow(s))", spec.id, len(remaining))
            live, edits, after, new_files = await repair(_FLOW_NOTE, remaining)
            remaining = self._recheck(spec, path, text, findings, view, live, edits, after)
        if remaining:  # shown with the edit, never hidden
            log.info("%s: %d flow(s) remain after the edit", spec.id, len(remaining))
            answer = answer.model_copy(update={"summary": _with_remaining(answer, remaining)})

        found = (
            answers.anchor_findings(live, answer.findings, spec.id)
            if spec.output == "diagnostics"
            else []
        )
        if cache is not None:
            cache.commit()
        report("Done", 100)
        outcome = self._outcome(
            spec,
            path,
            root,
            text,
            live,
            edits,
            after,
            new_files,
            found,
            answer,
            results,
            redactor,
            started,
        )
        return dataclasses.replace(outcome, remaining_flows=remaining)

    async def _call(
        self, request: ActionRequest, report: ProgressReport, cache: ResponseCache | None
    ) -> ActionResult:
        model = request.agent.model or request.model
        report(f"Asking {model}" if self.ai_available else "Running the offline analyzer", 10)

        def tokens(count: int, _snippet: str) -> None:
            if count:
                report(f"Receiving the answer ({count} tokens)", None)

        return await run_action(request, self.provider, cache, tokens, self.session)

    def _shape(
        self,
        spec: ActionSpec,
        text: str,
        answer: AgentAnswer,
        document: ParsedDocument,
        live_text: LiveText | None,
        root: Path,
    ) -> tuple[str, list[Edit], str, list[NewFile]]:
        """(live text, edits on it, text after them, checked new files) for the answer."""
        live = text
        if live_text is not None:
            current = live_text()
            if current is None:
                raise ActionFailed(
                    "The document was closed while the agent was working; nothing was applied",
                    "stale",
                )
            live = current
        if spec.output not in ("edit", "new_files"):
            return live, [], live, []
        edits, after = answers.plan(text, live, answer)
        new_files = answers.check_new_files(answer.new_files, root, IgnoreRules(root))
        return live, edits, after, new_files

    def _refuse_syntax(
        self,
        spec: ActionSpec,
        live: str,
        after: str,
        new_files: list[NewFile],
        document: ParsedDocument,
    ) -> None:
        """Fail the action when the repaired answer still breaks the syntax."""
        problems = self._syntax_problems(spec, live, after, new_files, document)
        if problems:
            raise ActionFailed(
                "The agent's answer would introduce syntax errors even after one repair "
                "attempt; nothing was applied: " + "; ".join(problems),
                "syntax",
            )

    def _recheck(
        self,
        spec: ActionSpec,
        path: Path,
        text: str,
        findings: list[Finding],
        view: SourceView,
        live: str,
        edits: list[Edit],
        after: str,
    ) -> list[str]:
        """Security findings the edit leaves or adds (``recheck``), for every action whose
        answer carries edits; nothing for answers without edits."""
        if spec.output not in ("edit", "new_files") or not edits:
            return []
        language = view.context.document.language_id

        def analyze(source: str) -> list[Finding]:
            try:
                return self._findings(path, ParsedDocument(source, language))
            except ActionFailed:  # the edit grew the file over the limit: nothing to add
                return []

        asked = [f for f in findings if f.flow and f.start < view.end and f.end > view.start]
        before = findings if live == text else analyze(live)
        return remaining_flows(asked, before, edits, after, analyze, live)

    def _syntax_problems(
        self,
        spec: ActionSpec,
        live: str,
        after: str,
        new_files: list[NewFile],
        document: ParsedDocument,
    ) -> list[str]:
        if spec.output not in ("edit", "new_files"):
            return []
        problems = introduces_syntax_errors(document.language_id, live, after)
        return problems + answers.new_file_syntax(new_files)

    def _outcome(
        self,
        spec: ActionSpec,
        path: Path,
        root: Path,
        text: str,
        live: str,
        edits: list[Edit],
        after: str,
        new_files: list[NewFile],
        found: list[Finding],
        answer: AgentAnswer,
        results: list[ActionResult],
        redactor: Redactor,
        started: float,
    ) -> ActionOutcome:
        usage = sum((r.usage for r in results), Usage())
        costs = [r.cost_usd for r in results]
        return ActionOutcome(
            action_id=spec.id,
            path=path,
            display_path=display_path(root, path),
            output=spec.output,
            text_sha256=sha256_text(text),
            base_text=live,
            edits=edits,
            new_text=after,
            new_files=new_files,
            findings=found,
            explanation=answer.explanation.strip() or None,
            summary=answer.summary.strip(),
            usage=usage,
            cost_usd=None if any(c is None for c in costs) else sum(c or 0.0 for c in costs),
            cached=all(r.cached for r in results),
            model=results[-1].model,
            provider=results[-1].provider,
            elapsed_s=time.perf_counter() - started,
            repaired=len(results) > 1,
            redacted_secrets=redactor.count,
        )
