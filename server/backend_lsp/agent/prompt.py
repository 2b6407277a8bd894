"""Prompt assembly, ordered for the prompt cache.

Order is most stable first: tools and system (agent + answer protocol) are the
same for every action, the workspace context changes per file/scope, and only
the last block (action instruction + selection) changes every time. Each
stable part ends with a ``cache_control`` breakpoint so repeated actions on the
same code pay for the context once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from backend_lsp.agent.actions import ActionSpec
from backend_lsp.agent.definitions import AgentDefinition
from backend_lsp.agent.markdown import code_fence
from backend_lsp.agent.protocol import OUTPUT_PROTOCOL, TOOL, TOOL_CHOICE
from backend_lsp.agent.types import ContextBundle, ContextItem

_EPHEMERAL: dict[str, str] = {"type": "ephemeral"}


@dataclass(frozen=True, slots=True)
class MessagesRequest:
    """Exactly what goes to the Messages API (minus transport details)."""

    model: str
    max_tokens: int
    system: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    tool_choice: dict[str, Any]

    def params(self) -> dict[str, Any]:
        """Keyword arguments for ``client.messages.create``/``stream``."""
        return {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "system": self.system,
            "messages": self.messages,
            "tools": self.tools,
            "tool_choice": self.tool_choice,
        }

    def cache_key(self) -> str:
        """sha256 over everything sent, in a canonical JSON form."""
        canonical = json.dumps(self.params(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def render_item(item: ContextItem, label: str = "context") -> str:
    """One context item as a tagged, fenced block the model can cite by path and lines."""
    fence = code_fence(item.text)
    body = item.text if item.text.endswith("\n") else item.text + "\n"
    return (
        f'<{label} path="{item.path}" lines="{item.start_line}-{item.end_line}" '
        f'reason="{item.reason}">\n{fence}\n{body}{fence}\n</{label}>'
    )


def render_context(bundle: ContextBundle) -> str:
    """The stable part: workspace context items in the order the context engine ranked them."""
    if not bundle.items:
        return ""
    parts = ["# Workspace context\n", *(render_item(item) for item in bundle.items)]
    return "\n\n".join(parts)


def render_task(action: ActionSpec, bundle: ContextBundle, note: str | None = None) -> str:
    """The volatile part: what to do, the code to do it on, and an optional follow-up note."""
    selection = bundle.selection
    task = (
        f"# Action: {action.title}\n\n{action.instruction}\n\n"
        f"# Selection\n\nThe user selected this code in `{selection.path}` "
        f"(lines {selection.start_line}-{selection.end_line}); the answer applies to it.\n\n"
        f"{render_item(selection, 'selection')}"
    )
    if note and note.strip():
        task += f"\n\n# Note\n\n{note.strip()}"
    return task


def system_prompt(agent: AgentDefinition) -> str:
    return f"{agent.system_prompt.rstrip()}\n\n{OUTPUT_PROTOCOL}"


def build_request(
    agent: AgentDefinition,
    action: ActionSpec,
    bundle: ContextBundle,
    *,
    model: str,
    max_tokens: int,
    note: str | None = None,
) -> MessagesRequest:
    """The Messages request for one action, with cache breakpoints after each stable part."""
    system = [{"type": "text", "text": system_prompt(agent), "cache_control": dict(_EPHEMERAL)}]
    content: list[dict[str, Any]] = []
    context = render_context(bundle)
    if context:
        content.append({"type": "text", "text": context, "cache_control": dict(_EPHEMERAL)})
    content.append({"type": "text", "text": render_task(action, bundle, note)})
    return MessagesRequest(
        model=agent.model or model,
        max_tokens=max_tokens,
        system=system,
        messages=[{"role": "user", "content": content}],
        tools=[dict(TOOL)],
        tool_choice=dict(TOOL_CHOICE),
    )
