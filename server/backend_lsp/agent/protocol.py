"""The answer protocol: one forced tool whose input is the agent's whole answer.

A single schema serves every action (fields not needed stay empty), so the
tool definition is identical across actions and stays inside the prompt cache.
Edits are anchored search/replace hunks, never line numbers, because the
document may change while the model is thinking.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backend_lsp.agent.actions import OutputKind

TOOL_NAME = "submit_answer"


class MalformedAnswer(ValueError):
    """The model's answer does not follow the protocol; the message says how."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Hunk(_Model):
    search: str = Field(min_length=1)
    replace: str


class NewFile(_Model):
    path: str = Field(min_length=1)
    content: str


class AgentFinding(_Model):
    """A finding as the model writes it (a quote, not offsets); anchored into a Finding."""

    search: str = Field(min_length=1)
    message: str = Field(min_length=1)
    severity: Literal["error", "warning", "info", "hint"] = "warning"
    fix: Hunk | None = None


class AgentAnswer(_Model):
    edits: list[Hunk] = Field(default_factory=list)
    new_files: list[NewFile] = Field(default_factory=list)
    findings: list[AgentFinding] = Field(default_factory=list)
    explanation: str = ""
    summary: str = ""


_HUNK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "search": {
            "type": "string",
            "description": "Exact text copied from the file, long enough to occur exactly once.",
        },
        "replace": {"type": "string", "description": "The text that replaces it."},
    },
    "required": ["search", "replace"],
}

TOOL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "edits": {
            "type": "array",
            "description": "Changes to the current file as search/replace hunks, in file order.",
            "items": _HUNK_SCHEMA,
        },
        "new_files": {
            "type": "array",
            "description": "Files to create, with paths relative to the workspace root.",
            "items": {
                "type": "object",
                "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
                "required": ["path", "content"],
            },
        },
        "findings": {
            "type": "array",
            "description": "Problems found, each anchored on exact text from the file.",
            "items": {
                "type": "object",
                "properties": {
                    "search": {"type": "string", "description": "Exact text the finding is on."},
                    "message": {"type": "string"},
                    "severity": {"type": "string", "enum": ["error", "warning", "info", "hint"]},
                    "fix": {"anyOf": [_HUNK_SCHEMA, {"type": "null"}]},
                },
                "required": ["search", "message", "severity"],
            },
        },
        "explanation": {"type": "string", "description": "Markdown, for explanation actions."},
        "summary": {"type": "string", "description": "A few sentences: what and why."},
    },
    "required": ["summary"],
}

TOOL: dict[str, Any] = {
    "name": TOOL_NAME,
    "description": "Submit the complete answer to the requested action. Call exactly once.",
    "input_schema": TOOL_SCHEMA,
}

TOOL_CHOICE: dict[str, Any] = {"type": "tool", "name": TOOL_NAME}

OUTPUT_PROTOCOL = f"""\
# Answer protocol

Answer only by calling the `{TOOL_NAME}` tool, once, with the whole answer:
- `edits`: changes to the current file as search/replace hunks. `search` is text copied exactly
  from the file (including indentation) and must occur exactly once in it; include a little
  surrounding text when needed to make it unique. `replace` is the full replacement. Never use
  line numbers. Hunks must not overlap.
- `new_files`: files to create, each with a path relative to the workspace root (no absolute
  paths, no `..`) and the complete content.
- `findings`: problems, each anchored with `search` on exact text from the file, a one- or
  two-sentence `message`, a `severity`, and an optional `fix` hunk.
- `explanation`: Markdown, for explanation actions.
- `summary`: always; a few sentences on what you did and why, and any assumption you made.
Fill only the fields the action asks for."""

_SECRET_NAMES = re.compile(
    r"^(\.env(\..*)?|.*\.(pem|key|p12|pfx|jks|keystore|crt)|id_(rsa|dsa|ecdsa|ed25519)(\.pub)?|"
    r"\.netrc|\.npmrc|\.pypirc|credentials(\.json)?)$",
    re.IGNORECASE,
)
_FORBIDDEN_DIRS = frozenset({".git", ".ssh", ".aws", ".gnupg"})


def validate_new_file_path(path: str, workspace_root: Path | None = None) -> str:
    """Normalised relative POSIX path, or MalformedAnswer saying why it is refused."""
    raw = path.strip()
    if not raw:
        raise MalformedAnswer("new file path is empty")
    if "\x00" in raw:
        raise MalformedAnswer(f"new file path {raw!r} contains a NUL byte")
    posix = raw.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix) or posix.startswith("~"):
        raise MalformedAnswer(f"new file path {raw!r} must be relative to the workspace")
    parts = [part for part in PurePosixPath(posix).parts if part not in ("", ".")]
    if not parts:
        raise MalformedAnswer(f"new file path {raw!r} names no file")
    if ".." in parts:
        raise MalformedAnswer(f"new file path {raw!r} must not contain '..'")
    if any(part in _FORBIDDEN_DIRS for part in parts[:-1]):
        raise MalformedAnswer(f"new file path {raw!r} is inside a protected folder")
    if _SECRET_NAMES.match(parts[-1]):
        raise MalformedAnswer(f"new file path {raw!r} is a secrets/key file; refused")
    clean = "/".join(parts)
    if workspace_root is not None:
        root = workspace_root.resolve()
        target = (root / clean).resolve()
        if not target.is_relative_to(root):
            raise MalformedAnswer(f"new file path {raw!r} resolves outside the workspace")
    return clean


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "answer"


def _describe(error: ValidationError) -> str:
    issues = [f"{_location(tuple(e['loc']))}: {e['msg'].lower()}" for e in error.errors()[:5]]
    more = len(error.errors()) - len(issues)
    return "; ".join(issues) + (f" (and {more} more)" if more > 0 else "")


def parse_tool_input(
    raw: object, output_kind: OutputKind, workspace_root: Path | None = None
) -> AgentAnswer:
    """Validate the tool input (a dict, or its JSON text) for one action's output kind."""
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as error:
            raise MalformedAnswer(f"the tool input is not valid JSON: {error}") from None
    if not isinstance(raw, dict):
        raise MalformedAnswer(f"the tool input must be a JSON object, got {type(raw).__name__}")
    try:
        answer = AgentAnswer.model_validate(raw)
    except ValidationError as error:
        raise MalformedAnswer(
            f"the answer does not match the protocol: {_describe(error)}"
        ) from None
    _check_kind(answer, output_kind)
    files = [
        NewFile(path=validate_new_file_path(f.path, workspace_root), content=f.content)
        for f in answer.new_files
    ]
    paths = [f.path for f in files]
    duplicates = sorted({p for p in paths if paths.count(p) > 1})
    if duplicates:
        raise MalformedAnswer(f"new_files lists {', '.join(duplicates)} more than once")
    return answer.model_copy(update={"new_files": files})


def _check_kind(answer: AgentAnswer, output_kind: OutputKind) -> None:
    if output_kind == "edit" and not answer.edits and not answer.summary.strip():
        raise MalformedAnswer("expected 'edits' (or a summary saying why none are needed)")
    if output_kind == "new_files" and not answer.new_files and not answer.edits:
        raise MalformedAnswer("expected 'new_files' with at least one file")
    if output_kind == "explanation" and not answer.explanation.strip():
        raise MalformedAnswer("expected a non-empty 'explanation'")
    if output_kind == "diagnostics" and not answer.findings and not answer.summary.strip():
        raise MalformedAnswer("expected 'findings' (or a summary saying nothing was found)")
