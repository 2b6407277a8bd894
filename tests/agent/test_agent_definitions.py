from __future__ import annotations

from pathlib import Path

import pytest

from backend_lsp.agent.definitions import (
    AgentFileError,
    builtin_agent,
    load_agents,
    parse_agent,
)


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_agent_covers_the_spec() -> None:
    agent = builtin_agent()
    assert agent.name == "backend-developer"
    assert agent.extra.get("color") == "red"
    prompt = agent.system_prompt.lower()
    topics = (
        "graphql",
        "oauth",
        "jwt",
        "migration",
        "queue",
        "cach",
        "owasp",
        "index",
        "trade-off",
        "csrf",
        "tracing",
        "ci/cd",
        "testable",
        "document",
    )
    for topic in topics:
        assert topic in prompt, topic
    assert "---" not in agent.system_prompt.splitlines()[0]
    assert agent.description.count('"') >= 6  # three quoted examples


def test_workspace_agent_overrides_builtin_and_extra_dir_wins(tmp_path: Path) -> None:
    body = "---\nname: backend-developer\ndescription: local\nmodel: claude-x\n---\nLocal prompt.\n"
    _write(tmp_path / ".claude" / "agents", "be.md", body)
    _write(tmp_path / ".claude" / "agents", "other.md", "---\nname: other\n---\nOther.\n")
    _write(tmp_path / "team", "o.md", "---\nname: other\nmodel: inherit\n---\nTeam other.\n")
    agents, problems = load_agents(tmp_path, [Path("team")])
    assert problems == []
    assert agents["backend-developer"].system_prompt == "Local prompt."
    assert agents["backend-developer"].model == "claude-x"
    assert agents["other"].system_prompt == "Team other."
    assert agents["other"].model is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("no front matter here\n", "no YAML front matter"),
        ("---\nname: [unclosed\n---\nbody\n", "not valid YAML"),
        ("---\ndescription: x\n---\nbody\n", "no 'name'"),
        ("---\n- a\n- b\n---\nbody\n", "must be a mapping"),
        ("---\nname: ok\n---\n\n", "body"),
        ("---\nname: bad name!\n---\nbody\n", "may only use"),
    ],
)
def test_broken_files_are_reported_and_skipped(tmp_path: Path, text: str, reason: str) -> None:
    path = _write(tmp_path / ".claude" / "agents", "broken.md", text)
    agents, problems = load_agents(tmp_path)
    assert set(agents) == {"backend-developer"}
    assert len(problems) == 1
    assert str(path) in problems[0] and reason in problems[0]


def test_binary_file_and_missing_dir(tmp_path: Path) -> None:
    folder = tmp_path / ".claude" / "agents"
    folder.mkdir(parents=True)
    (folder / "bin.md").write_bytes(b"\xff\xfe\x00garbage")
    agents, problems = load_agents(tmp_path, [tmp_path / "nope"])
    assert "backend-developer" in agents
    assert any("not UTF-8" in p for p in problems)
    assert any("does not exist" in p for p in problems)


def test_parse_agent_handles_crlf_and_bom() -> None:
    agent = parse_agent("\ufeff---\r\nname: a\r\ndescription: d\r\n---\r\nPrompt\r\n")
    assert (agent.name, agent.description, agent.system_prompt) == ("a", "d", "Prompt")
    with pytest.raises(AgentFileError):
        parse_agent("---\nname: a\nmodel: 3\n---\nx")
