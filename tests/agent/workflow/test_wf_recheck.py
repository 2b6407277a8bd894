"""An agent edit is re-checked by the analyzer: a flow it leaves or adds gets one repair."""

from __future__ import annotations

from pathlib import Path

import fake_anthropic as fa
from wf_support import MakeWorkflow, assert_no_key, task_text

from backend_lsp.agent.workflow import ActionOutcome, ActionWorkflow

LOOKUP = "app/lookup.py"
SOURCE = """\
import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.get("/users")
def users():
    name = request.args.get("name")
    conn = sqlite3.connect("app.db")
    return conn.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()


@app.get("/orders")
def orders():
    conn = sqlite3.connect("app.db")
    return conn.execute("SELECT * FROM orders").fetchall()
"""
SINK = """    return conn.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()"""
# Looks like validation, but the value still reaches the query as text.
STRIPPED = SINK.replace("+ name +", "+ name.strip() +")
FIXED = """    return conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()"""
ORDERS = """    return conn.execute("SELECT * FROM orders").fetchall()"""
TAINTED_ORDERS = (
    """    return conn.execute("SELECT * FROM orders WHERE id = " + request.args["id"])"""
    ".fetchall()"
)


def _edit(search: str, replace: str, summary: str = "validated") -> fa.Reply:
    return fa.tool_stream({"edits": [{"search": search, "replace": replace}], "summary": summary})


def _run(workflow: ActionWorkflow, shop: Path, first: int, last: int) -> object:
    (shop / LOOKUP).write_text(SOURCE)
    return workflow.run("add-validation", shop / LOOKUP, SOURCE, first, last, language_id="python")


async def test_wf_flow_still_there_gets_one_repair_then_succeeds(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(_edit(SINK, STRIPPED), _edit(SINK, FIXED, "parametrized"))
    outcome = await _run(make_workflow(), shop, 7, 11)  # type: ignore[misc]
    assert isinstance(outcome, ActionOutcome)
    assert len(fake.message_requests) == 2
    assert "# Note" not in task_text(fake.message_requests[0])
    note = task_text(fake.message_requests[1])
    assert "# Note" in note and "still finds these security problems" in note
    assert "- line 11: BE001 sql-injection is still there after the edit:" in note
    assert "request data `request.args` (line 9)" in note and "`conn.execute` (line 11)" in note
    assert outcome.repaired and outcome.remaining_flows == []
    assert outcome.new_text == SOURCE.replace(SINK, FIXED)
    assert outcome.summary == "parametrized"
    assert_no_key(fake)


async def test_wf_flow_left_after_the_repair_is_shown_with_the_edit(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(_edit(SINK, STRIPPED), _edit(SINK, STRIPPED, "trimmed the name"))
    outcome = await _run(make_workflow(), shop, 7, 11)  # type: ignore[misc]
    assert isinstance(outcome, ActionOutcome)
    assert len(fake.message_requests) == 2  # one repair round, never more
    assert outcome.new_text == SOURCE.replace(SINK, STRIPPED)  # offered, not hidden
    [left] = outcome.remaining_flows
    assert left.startswith("line 11: BE001 sql-injection is still there after the edit:")
    assert outcome.summary.startswith("trimmed the name\n\nThe offline analyzer still finds")
    assert left in outcome.summary and outcome.to_json()["remaining_flows"] == [left]


async def test_wf_edit_that_adds_a_flow_in_its_lines_is_sent_back(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(_edit(ORDERS, TAINTED_ORDERS, "filtered"), _edit(ORDERS, ORDERS, "unchanged"))
    outcome = await _run(make_workflow(), shop, 14, 17)  # type: ignore[misc]
    assert isinstance(outcome, ActionOutcome)
    note = task_text(fake.message_requests[1])
    assert "- line 17: BE001 sql-injection is new in the edited lines:" in note
    assert outcome.repaired and outcome.remaining_flows == []


async def test_wf_edit_that_moves_an_existing_flow_does_not_blame_it(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    # users()' flow was not asked about (the selection is orders()); the edit moves it down a
    # line and touches its sink line without changing the flow: not new, so no repair.
    header = "import sqlite3\n"
    hunks = [
        {"search": header, "replace": header + "import logging\n"},
        {"search": SINK, "replace": SINK.replace("fetchall()", "fetchmany(50)")},
    ]
    fake.push(fa.tool_stream({"edits": hunks, "summary": "bounded"}))
    outcome = await _run(make_workflow(), shop, 14, 17)  # type: ignore[misc]
    assert isinstance(outcome, ActionOutcome)
    assert len(fake.message_requests) == 1
    assert not outcome.repaired and outcome.remaining_flows == []
    assert "fetchmany(50)" in outcome.new_text


LOGIN = "app/login.py"
LOGIN_SOURCE = """\
import secrets
from flask import Flask, make_response

app = Flask(__name__)


@app.post("/login")
def login():
    token = secrets.token_urlsafe(32)
    resp = make_response("ok")
    return resp
"""
RESP = """    resp = make_response("ok")"""
COOKIE = RESP + """\n    resp.set_cookie("session_token", token)"""
SAFE_COOKIE = RESP + """\n    resp.set_cookie("session_token", token, secure=True, httponly=True)"""
TOKEN = """    token = secrets.token_urlsafe(32)"""
WEAK_TOKEN = """    token = str(random.getrandbits(128))"""


def _run_login(workflow: ActionWorkflow, shop: Path, action: str) -> object:
    (shop / LOGIN).write_text(LOGIN_SOURCE)
    return workflow.run(action, shop / LOGIN, LOGIN_SOURCE, 8, 12, language_id="python")


async def test_wf_pattern_rule_finding_in_the_edit_gets_one_repair(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    # BE025 has no flow: an insecure session cookie the edit writes still goes back once.
    fake.push(_edit(RESP, COOKIE, "set the cookie"), _edit(RESP, SAFE_COOKIE, "secure cookie"))
    outcome = await _run_login(make_workflow(), shop, "add-error-handling")  # type: ignore[misc]
    assert isinstance(outcome, ActionOutcome)
    assert len(fake.message_requests) == 2
    note = task_text(fake.message_requests[1])
    assert "BE025 insecure-cookie is new in the edited lines:" in note
    assert outcome.repaired and outcome.remaining_flows == []
    assert "secure=True" in outcome.new_text
    assert_no_key(fake)


async def test_wf_weak_randomness_left_after_repair_is_shown(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    weak = _edit(TOKEN, "    import random\n" + WEAK_TOKEN, "simpler token")
    fake.push(weak, _edit(TOKEN, "    import random\n" + WEAK_TOKEN, "kept it"))
    outcome = await _run_login(make_workflow(), shop, "optimize-query")  # type: ignore[misc]
    assert isinstance(outcome, ActionOutcome)
    assert len(fake.message_requests) == 2
    [left] = outcome.remaining_flows
    assert "BE026 weak-randomness is new in the edited lines" in left
    assert left in outcome.summary and "getrandbits" in outcome.new_text


async def test_wf_edit_without_security_findings_gets_no_repair(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    fake.push(_edit(RESP, SAFE_COOKIE, "secure cookie"))
    outcome = await _run_login(make_workflow(), shop, "add-validation")  # type: ignore[misc]
    assert isinstance(outcome, ActionOutcome)
    assert len(fake.message_requests) == 1 and not outcome.repaired
