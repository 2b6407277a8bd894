"""Human- and machine-readable views of a context bundle (the CLI's ``context`` output)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backend_lsp.agent.markdown import code_fence
from backend_lsp.agent.types import ContextBundle, ContextItem


def render_item(item: ContextItem) -> str:
    """``path:L1-L2 (reason, ~N tokens)`` followed by the text in a fenced block."""
    fence = code_fence(item.text)
    body = item.text if item.text.endswith("\n") else item.text + "\n"
    header = f"{item.path}:{item.start_line}-{item.end_line} ({item.reason}, ~{item.tokens} tokens)"
    return f"{header}\n{fence}\n{body}{fence}\n"


def render_bundle(bundle: ContextBundle) -> str:
    """Everything that would be sent, selection first, then the ranked items, then totals."""
    parts = [render_item(bundle.selection), *(render_item(item) for item in bundle.items)]
    parts.append(f"~{bundle.tokens} of {bundle.budget} tokens\n")
    return "\n".join(parts)


def _item_json(item: ContextItem) -> dict[str, Any]:
    return {
        "path": item.path,
        "start_line": item.start_line,
        "end_line": item.end_line,
        "reason": item.reason,
        "tokens": item.tokens,
    }


def context_to_json(bundle: ContextBundle, root: Path | None = None) -> dict[str, Any]:
    """``{"root", "items": [...], "tokens", "budget"}``; the selection is the first item.

    Item paths are relative to ``root`` (the workspace root) when inside it.
    """
    return {
        "root": str(root) if root is not None else None,
        "items": [_item_json(bundle.selection), *(_item_json(i) for i in bundle.items)],
        "tokens": bundle.tokens,
        "budget": bundle.budget,
    }
