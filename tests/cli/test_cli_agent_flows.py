"""The prompt the model receives carries each flow finding's proved path, redacted."""

from __future__ import annotations

from pathlib import Path

import fake_anthropic as fa
import pytest
from cli_agent_support import cli

SECRET = "sk-ant-api03-" + "Q7vLm2XpR9tWc4Zb8NhK1sYd6FgJ3aEu0iOq5Vx"
LOOKUP = f"""\
import sqlite3
from flask import Flask, request

app = Flask(__name__)
TOKEN = "{SECRET}"


@app.get("/users")
def users():
    name = request.args.get("name")
    query = "SELECT * FROM users WHERE name = '" + name + "'"
    conn = sqlite3.connect("app.db")
    return conn.execute(query).fetchall()
"""


def test_review_prompt_shows_the_flow_from_source_to_sink(
    online: Path, fake: fa.FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    (online / "app" / "lookup.py").write_text(LOOKUP)
    fake.push(fa.tool_stream({"findings": [], "summary": "checked"}))
    code, _, _ = cli(capsys, "run", "review-security", "app/lookup.py:5-13", "--json")
    assert code == 0
    body = fake.message_requests[0].body.decode()
    assert "offline analyzer findings" in body
    assert (
        "flow: request data `request.args` (line 10) -> assigned to `name` (line 10)"
        " -> reaches `conn.execute` (line 13)"
    ) in body
    assert SECRET not in body  # the selection and the findings block are redacted alike
