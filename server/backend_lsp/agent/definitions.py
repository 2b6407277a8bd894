"""Agent definitions: Markdown files with YAML front matter, body = system prompt.

The format is the one Claude Code uses for subagents, so a team's existing
``.claude/agents/*.md`` work here unchanged. Sources are layered (built-in <
workspace < configured folders, later wins by name) and a broken file is
reported and skipped rather than taking the whole feature down.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

BUILTIN_AGENT = "backend-developer"
_MAX_AGENT_BYTES = 256_000
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_KNOWN_KEYS = frozenset({"name", "description", "model"})


class AgentFileError(ValueError):
    """An agent file that cannot be used; the message names the problem."""


@dataclass(frozen=True, slots=True)
class AgentDefinition:
    """One agent: who it is (system prompt) and which model it prefers."""

    name: str
    description: str
    system_prompt: str
    model: str | None = None
    path: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def parse_agent(text: str, path: str | None = None) -> AgentDefinition:
    """Parse one agent file's text; raises AgentFileError with a specific reason."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise AgentFileError("no YAML front matter (the file must start with a '---' block)")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise AgentFileError(f"front matter is not valid YAML: {error}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise AgentFileError("front matter must be a mapping of keys to values")
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AgentFileError("front matter has no 'name'")
    name = name.strip()
    if not _NAME.match(name):
        raise AgentFileError(f"name {name!r} may only use letters, digits, '-', '_' and '.'")
    description = meta.get("description", "")
    if not isinstance(description, str):
        raise AgentFileError("'description' must be a string")
    model = meta.get("model")
    if model is not None and not isinstance(model, str):
        raise AgentFileError("'model' must be a string")
    # Claude Code uses "inherit" to mean "the caller's model".
    if model is not None and model.strip().lower() in {"", "inherit"}:
        model = None
    body = text[match.end() :].strip()
    if not body:
        raise AgentFileError("the body (the system prompt) is empty")
    extra = {str(k): v for k, v in meta.items() if k not in _KNOWN_KEYS}
    return AgentDefinition(
        name=name,
        description=description.strip(),
        system_prompt=body,
        model=model.strip() if model else None,
        path=path,
        extra=extra,
    )


def load_agent_file(path: Path) -> AgentDefinition:
    """Read and parse one file, turning I/O and decoding trouble into AgentFileError."""
    try:
        if path.stat().st_size > _MAX_AGENT_BYTES:
            raise AgentFileError(f"larger than {_MAX_AGENT_BYTES // 1000} kB")
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise AgentFileError("not UTF-8 text") from None
    except OSError as error:
        raise AgentFileError(f"cannot be read: {error.strerror or error}") from None
    return parse_agent(text, str(path))


def builtin_agent() -> AgentDefinition:
    """The agent shipped inside the package."""
    resource = resources.files("backend_lsp").joinpath("agents", f"{BUILTIN_AGENT}.md")
    return parse_agent(resource.read_text(encoding="utf-8"), f"<built-in>/{BUILTIN_AGENT}.md")


def _directory_agents(
    folder: Path, agents: dict[str, AgentDefinition], problems: list[str]
) -> None:
    if not folder.is_dir():
        return
    try:
        files = sorted(p for p in folder.glob("*.md") if p.is_file())
    except OSError as error:
        problems.append(f"{folder}: cannot list agent files: {error}")
        return
    for path in files:
        try:
            agent = load_agent_file(path)
        except AgentFileError as error:
            problems.append(f"{path}: {error}; skipped")
            continue
        agents[agent.name] = agent


def load_agents(
    workspace_root: Path | None, extra_dirs: Sequence[Path] = ()
) -> tuple[dict[str, AgentDefinition], list[str]]:
    """All agents by name, plus a human-readable problem per skipped file.

    Order (later wins): built-in, ``<workspace>/.claude/agents``, then each of
    ``extra_dirs`` (relative ones are taken from the workspace root).
    """
    agents: dict[str, AgentDefinition] = {}
    problems: list[str] = []
    try:
        builtin = builtin_agent()
        agents[builtin.name] = builtin
    except (AgentFileError, OSError) as error:  # a packaging bug; still report it
        problems.append(f"built-in agent: {error}")
    if workspace_root is not None:
        _directory_agents(workspace_root / ".claude" / "agents", agents, problems)
    for folder in extra_dirs:
        folder = Path(folder).expanduser()
        if not folder.is_absolute() and workspace_root is not None:
            folder = workspace_root / folder
        if not folder.is_dir():
            problems.append(f"{folder}: agents folder does not exist")
            continue
        _directory_agents(folder, agents, problems)
    return agents, problems
