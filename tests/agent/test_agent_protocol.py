from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend_lsp.agent.actions import BUILTIN_ACTIONS, catalog, find_action
from backend_lsp.agent.protocol import (
    TOOL,
    MalformedAnswer,
    parse_tool_input,
    validate_new_file_path,
)
from backend_lsp.config import CustomAction


def test_catalog_has_builtins_and_custom_override() -> None:
    ids = [a.id for a in catalog()]
    assert ids == [
        "design-api",
        "optimize-query",
        "review-security",
        "explain",
        "add-validation",
        "add-error-handling",
        "write-tests",
    ]
    custom = CustomAction(id="add-logging", title="Add logging", instruction="Add logs.")
    replaced = CustomAction(
        id="explain", title="Explain (team)", instruction="Our way.", output="explanation"
    )
    full = catalog([custom, replaced])
    assert [a.id for a in full][-1] == "add-logging"
    explain = find_action("explain", [replaced])
    assert explain is not None and explain.title == "Explain (team)" and not explain.builtin
    assert find_action("nope") is None
    for spec in BUILTIN_ACTIONS:
        assert len(spec.instruction) > 400, spec.id
        assert spec.kind.split(".")[0] in {"refactor", "source", "quickfix"}
    assert find_action("review-security").output == "diagnostics"  # type: ignore[union-attr]


def test_valid_answers_parse_per_kind() -> None:
    answer = parse_tool_input(
        {"edits": [{"search": "a", "replace": "b"}], "summary": "s", "extra": 1}, "edit"
    )
    assert answer.edits[0].replace == "b"
    text = json.dumps(
        {
            "findings": [{"search": "x", "message": "m", "severity": "error", "fix": None}],
            "summary": "",
        }
    )
    assert parse_tool_input(text, "diagnostics").findings[0].severity == "error"
    files = parse_tool_input(
        {"new_files": [{"path": "./tests\\test_x.py", "content": "x"}], "summary": "s"},
        "new_files",
    )
    assert files.new_files[0].path == "tests/test_x.py"
    assert parse_tool_input({"explanation": "# Hi", "summary": ""}, "explanation").explanation


@pytest.mark.parametrize(
    ("raw", "kind", "needle"),
    [
        ("{not json", "edit", "not valid JSON"),
        ([1, 2], "edit", "must be a JSON object, got list"),
        ({"edits": [{"search": "", "replace": "b"}], "summary": "s"}, "edit", "edits[0].search"),
        ({"edits": [{"replace": "b"}], "summary": "s"}, "edit", "edits[0].search: field required"),
        ({"edits": "nope", "summary": "s"}, "edit", "edits: "),
        ({"summary": ""}, "edit", "expected 'edits'"),
        ({"summary": "s"}, "explanation", "non-empty 'explanation'"),
        ({"summary": "s"}, "new_files", "expected 'new_files'"),
        (
            {"findings": [{"search": "x", "message": "m", "severity": "fatal"}]},
            "diagnostics",
            "findings[0].severity",
        ),
        (
            {"new_files": [{"path": "a.py", "content": ""}, {"path": "./a.py", "content": ""}]},
            "new_files",
            "more than once",
        ),
    ],
)
def test_malformed_answers_say_what_is_wrong(raw: object, kind: str, needle: str) -> None:
    with pytest.raises(MalformedAnswer) as info:
        parse_tool_input(raw, kind)  # type: ignore[arg-type]
    assert needle in str(info.value)


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "../x.py",
        "a/../../x.py",
        "C:\\x.py",
        "~/x",
        ".env",
        "config/.env.prod",
        "keys/server.pem",
        ".git/hooks/pre-commit",
        "id_rsa",
        "",
        "./",
    ],
)
def test_new_file_paths_are_confined(path: str) -> None:
    with pytest.raises(MalformedAnswer):
        validate_new_file_path(path)


def test_symlink_escape_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "ws"
    root.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(MalformedAnswer, match="outside the workspace"):
        validate_new_file_path("link/x.py", root)
    assert validate_new_file_path("app/routes/users.py", root) == "app/routes/users.py"


def test_tool_schema_is_shared_and_requires_summary() -> None:
    assert TOOL["input_schema"]["required"] == ["summary"]
    assert set(TOOL["input_schema"]["properties"]) == {
        "edits",
        "new_files",
        "findings",
        "explanation",
        "summary",
    }
