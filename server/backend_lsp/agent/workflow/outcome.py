"""What one action run gives back to a front end, and the one error it raises.

Everything is in UTF-8 byte offsets of ``base_text`` (the live text the edits
were planned on), like the analyzer's findings, so the LSP and the CLI convert
positions the same way they do for diagnostics.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend_lsp.agent.actions import OutputKind
from backend_lsp.agent.edits import unified_diff
from backend_lsp.agent.protocol import NewFile
from backend_lsp.agent.usage import Usage
from backend_lsp.analysis.model import Edit, Finding
from backend_lsp.text import LineIndex


class ActionFailed(Exception):
    """Anything the user must be told about a run; ``message`` is for people.

    ``kind`` is a stable word for code (``unknown_action``, ``refused``,
    ``no_provider``, ``stale``, ``syntax``, ``provider``...). Nothing was applied.
    """

    def __init__(self, message: str, kind: str = "failed") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """The checked result of one action, ready to show or apply (never partial)."""

    action_id: str
    path: Path
    display_path: str
    output: OutputKind
    text_sha256: str
    """Hash of the text the action was asked on (what the model saw, before redaction)."""
    base_text: str
    """The live text at the end of the run: edits and findings are offsets into it."""
    edits: list[Edit]
    new_text: str
    new_files: list[NewFile]
    findings: list[Finding]
    """The review's findings (source ``AGENT_SOURCE``, code the action id), fixes matched."""
    explanation: str | None
    summary: str
    usage: Usage
    cost_usd: float | None
    cached: bool
    model: str
    provider: str
    elapsed_s: float = 0.0
    repaired: bool = False
    redacted_secrets: int = 0
    remaining_flows: list[str] = field(default_factory=list)
    """Data flows the analyzer still finds in the edited text (also in ``summary``)."""

    @property
    def base_sha256(self) -> str:
        """Hash of ``base_text``; a front end applies the edits only if it still matches."""
        return sha256_text(self.base_text)

    @property
    def changes_files(self) -> bool:
        return bool(self.edits or self.new_files)

    def diff(self) -> str:
        """Unified diff of the edit and of every new file (from /dev/null)."""
        parts = [unified_diff(self.display_path, self.base_text, self.new_text)]
        for new in self.new_files:
            body = unified_diff(new.path, "", new.content)
            if body:
                head, _, rest = body.partition("\n")
                parts.append(f"--- /dev/null\n{rest}" if head.startswith("--- ") else body)
        return "".join(parts)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready view with 1-based line/column ranges (columns in code points)."""
        index = LineIndex.from_text(self.base_text)

        def where(start: int, end: int) -> dict[str, Any]:
            first, last = index.position(start), index.position(end)
            return {
                "start": {"line": first.line + 1, "column": index.column(start)},
                "end": {"line": last.line + 1, "column": index.column(end)},
            }

        def edit_json(edit: Edit) -> dict[str, Any]:
            return {"range": where(edit.start, edit.end), "new_text": edit.new_text}

        return {
            "action": self.action_id,
            "path": self.display_path,
            "output": self.output,
            "text_sha256": self.text_sha256,
            "base_sha256": self.base_sha256,
            "edits": [edit_json(edit) for edit in self.edits],
            "new_text": self.new_text if self.edits else None,
            "new_files": [{"path": f.path, "content": f.content} for f in self.new_files],
            "findings": [
                {
                    "range": where(f.start, f.end),
                    "message": f.message,
                    "severity": f.severity.label,
                    "fix": [edit_json(edit) for edit in (f.fix.edits if f.fix else ())],
                }
                for f in self.findings
            ],
            "explanation": self.explanation,
            "summary": self.summary,
            "usage": {
                **self.usage.to_dict(),
                "estimated_cost_usd": self.cost_usd,
                "cached": self.cached,
                "model": self.model,
                "provider": self.provider,
                "elapsed_s": round(self.elapsed_s, 3),
            },
            "repaired": self.repaired,
            "redacted_secrets": self.redacted_secrets,
            "remaining_flows": self.remaining_flows,
        }
