"""Incremental findings equal a full run's after every edit (fixed seeds, random edits)."""

from __future__ import annotations

from pathlib import Path

import pytest
from incr_helpers import ROOT, assert_same, check_edits, fixture_snippets
from tests.bench_module import bench_text

from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import IncrementalAnalyzer, analyze_document
from backend_lsp.syntax.document import ParsedDocument, TextChange

SHOP = sorted((ROOT / "examples" / "shop").rglob("*.py"))


@pytest.mark.parametrize("path", SHOP, ids=lambda p: str(p.relative_to(ROOT)))
def test_incr_shop_files(path: Path) -> None:
    text = path.read_text()
    check_edits(text, str(path.relative_to(ROOT)), edits=25, seed=len(text))


def test_incr_bench_file_reuses_chunks() -> None:
    reused = check_edits(bench_text(300), "app/routes.py", edits=30, seed=7)
    assert reused > 30 * 8  # many of the ~23 functions are reused after most edits


# A file whose helper is judged by its callers in other chunks (BE013: a parameter is
# trusted when every caller passes the module's own pickle).
_CALLER_JUDGED = "cloudpickle.loads(payload)"


def test_incr_fixture_snippets() -> None:
    snippets = fixture_snippets(limit=60, seed=3)
    assert len(snippets) > 20
    for n, snippet in enumerate(snippets):
        check_edits(snippet, "app/views.py", edits=6, seed=n)


_SIGNING = """import jwt
from django.conf import settings

SIGNING = "k3y-for-tokens"
DB_PASSWORD = "hunter2-prod-db-pass"


def read(raw):
    return jwt.decode(raw, SIGNING, algorithms=["HS256"])


def connect(driver):
    return driver.connect(host="db", password=DB_PASSWORD)


def issue(user):
    return jwt.encode({"sub": user.id}, settings.JWT_KEY, algorithm="HS256")
"""


@pytest.mark.parametrize("edit_at", ["def issue", "    return jwt.encode"])
def test_incr_module_secret_judged_by_its_use_in_a_function(edit_at: str) -> None:
    """BE008 reports a module string where a function uses it as a key or password: an
    edit elsewhere (the using function's chunk unchanged) must keep those findings (the
    using chunk is a fact: ``FileReads.named``). Was a known gap (_BE008_GAP)."""
    from backend_lsp.engine import IncrementalAnalyzer

    document = ParsedDocument(_SIGNING, "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    first = analyzer.analyze("app/tokens.py", document, settings)
    assert {document.source[f.start : f.end] for f in first if f.code == "BE008"} >= {
        b'"k3y-for-tokens"',
        b'"hunter2-prod-db-pass"',
    }
    at = document.source.index(edit_at.encode())
    document.apply(TextChange(at, at, "# rotated yearly\n"), 2)
    assert_same(
        analyzer.analyze("app/tokens.py", document, settings), document, "app/tokens.py", settings
    )


def test_incr_helper_judged_by_callers_in_other_chunks() -> None:
    """Removing the one untrusted caller leaves the helper's chunk unchanged: the helper
    must be re-judged, not its stale finding reused."""
    from backend_lsp.engine import IncrementalAnalyzer, analyze_document

    text = (
        "import cloudpickle\n"
        "from functools import partial\n\n"
        "def wrapped_call(fn, *args):\n"
        "    payload = cloudpickle.dumps((fn, args))\n"
        "    return partial(_run_serialized_call, payload)\n\n"
        "def _run_serialized_call(payload):\n"
        f"    fn, args = {_CALLER_JUDGED}\n"
        "    return fn(*args)\n\n"
        "def replay(message):\n"
        "    return _run_serialized_call(message.body)\n"
    )
    document = ParsedDocument(text, "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    before = analyzer.analyze("app/views.py", document, settings)
    assert [f.code for f in before] == ["BE013"]  # replay passes bytes of unknown origin
    start = document.source.index(b"_run_serialized_call(message.body)")
    document.apply(TextChange(start, start + len(b"_run_serialized_call"), "Order"), 2)
    after = analyzer.analyze("app/views.py", document, settings)
    assert after == analyze_document("app/views.py", document, settings)
    assert after == []  # every caller left passes this module's own pickle


@pytest.mark.parametrize("edit", ["break", "unquote"])
def test_incr_quoting_helper_edited_rejudges_its_callers(edit: str) -> None:
    """A caller's BE001 verdict reads the quoting helper's body in another chunk: when the
    helper stops quoting (broken mid-edit, or its replace removed) the caller's stale
    "safe" must not be reused."""
    text = (
        "import sqlalchemy as sa\n\n"
        "def literal_string(s: str):\n"
        '    return "\'" + s.replace("\'", "\'\'") + "\'"\n\n'
        "def rows_with_keys(connection, keys):\n"
        '    key_list = ", ".join([literal_string(k) for k in keys])\n'
        '    query = f"SELECT _id FROM package WHERE key IN ({key_list})"\n'
        "    return connection.execute(sa.text(query)).fetchall()\n"
    )
    document = ParsedDocument(text, "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    assert analyzer.analyze("app/views.py", document, settings) == []
    if edit == "break":
        at = document.source.index(b"\n\ndef rows") + 1
        document.apply(TextChange(at, at, "    (\n"), 2)
    else:
        start = document.source.index(b" + s.replace")
        end = document.source.index(b' + "\'"\n')
        document.apply(TextChange(start, end, " + s"), 2)
    after = analyzer.analyze("app/views.py", document, settings)
    assert after == analyze_document("app/views.py", document, settings)
    assert "BE001" in [f.code for f in after]


def test_incr_constant_reported_where_another_chunk_uses_it() -> None:
    """BE008 reports a module constant where a function passes it as a JWT key or a
    password: re-analysing the module facts while those functions are reused must not
    lose the findings (facts are re-run after any edit, with reused chunks hidden)."""
    from backend_lsp.engine import IncrementalAnalyzer

    text = (
        "import jwt\n\n"
        'SIGNING = "k3y-for-tokens"\n'
        'DB_PASSWORD = "Wint3r-is-coming"\n\n\n'
        "def read(raw):\n"
        '    return jwt.decode(raw, SIGNING, algorithms=["HS256"])\n\n\n'
        "def connect(driver):\n"
        '    return driver.connect(user="app", password=DB_PASSWORD)\n\n\n'
        "def health():\n"
        '    return {"status": "ok"}\n'
    )
    document = ParsedDocument(text, "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    before = analyzer.analyze("app/auth.py", document, settings)
    assert len(before) == 2
    at = document.source.index(b'"ok"')
    document.apply(TextChange(at, at + len(b'"ok"'), '"up"'), 2)
    after = analyzer.analyze("app/auth.py", document, settings)
    assert after == analyze_document("app/auth.py", document, settings)
    assert after == before


def test_incr_settings_and_severity_overrides() -> None:
    settings = AnalysisSettings(severity={"BE001": "hint"}, ignore=["BE002"])
    check_edits(bench_text(200), "app/api.py", edits=15, seed=11, settings=settings)


def test_incr_settings_change_is_a_full_run() -> None:
    from backend_lsp.engine import IncrementalAnalyzer, analyze_document

    document = ParsedDocument(bench_text(200), "python", 1)
    analyzer = IncrementalAnalyzer()
    analyzer.analyze("app.py", document, AnalysisSettings())
    document.apply(TextChange(0, 0, "# top\n"), 2)
    hinted = AnalysisSettings(select=["BE001"])
    assert analyzer.analyze("app.py", document, hinted) == analyze_document(
        "app.py", document, hinted
    )
    assert analyzer.last_reused == 0
    inside = document.source.index(b"    result = []")
    document.apply(TextChange(inside, inside, "    # again\n"), 3)
    assert analyzer.analyze("app.py", document, hinted) == analyze_document(
        "app.py", document, hinted
    )
    assert analyzer.last_reused > 0


@pytest.mark.parametrize(
    "text",
    [
        # the import fix lands where the edited function began (end of the import chunk)
        "import structlog\nasync def poll():\n    time.sleep(1)\n\nlog = structlog.get_logger()\n",
        # a syntax error keeps the import block out of the way: the fix goes to byte 0
        "async def poll():\n    time.sleep(1)\nimport os\n    try:\n        run()\n",
    ],
    ids=["after-imports", "syntax-error-at-file-start"],
)
def test_incr_import_fix_on_the_edited_chunk_boundary(text: str) -> None:
    from backend_lsp.engine import IncrementalAnalyzer, analyze_document

    document = ParsedDocument(text, "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    first = analyzer.analyze("app.py", document, settings)
    assert any(f.code == "BE006" and f.fix is not None for f in first)
    at = document.source.index(b"async def")
    document.apply(TextChange(at, at, "async def poll():\n"), 2)  # a duplicated line above it
    assert analyzer.analyze("app.py", document, settings) == analyze_document(
        "app.py", document, settings
    )


def test_incr_half_typed_function_above_the_imports_moves_the_import_fix() -> None:
    """In a file that already has a syntax error, ``def broken(:`` typed above the
    imports moves the ``import asyncio`` fix to the top: the reused chunk's fix too."""
    from backend_lsp.engine import IncrementalAnalyzer, analyze_document

    text = "\nimport os\n\nasync def poll():\n    time.sleep(1)\n\nx = = 1\n"
    document = ParsedDocument(text, "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    before = analyzer.analyze("app.py", document, settings)
    assert next(e.start for f in before if f.fix for e in f.fix.edits) == len("\nimport os\n")
    document.apply(TextChange(1, 1, "def broken(:\n"), 2)
    after = analyzer.analyze("app.py", document, settings)
    assert after == analyze_document("app.py", document, settings)
    assert next(e.start for f in after if f.fix for e in f.fix.edits) == 0


_CROSS_FUNCTION_FLOW = """from flask import Flask, request
import sqlite3

app = Flask(__name__)


def wanted_name():
    return request.args.get("name")


def unrelated():
    return 1


@app.route("/users")
def users():
    db = sqlite3.connect("app.db")
    q = "SELECT id FROM users WHERE name = '%s'" % wanted_name()
    return str(db.execute(q).fetchall())
"""


def test_incr_taint_flow_through_a_helper_follows_edits() -> None:
    """A helper edit changes the flow reported in the unchanged view; an edit elsewhere
    moves the flow's steps and line numbers. Each run equals a full one."""
    from backend_lsp.engine import IncrementalAnalyzer, analyze_document

    document = ParsedDocument(_CROSS_FUNCTION_FLOW, "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()

    def flows() -> list[tuple[str, str]]:
        incremental = analyzer.analyze("app/views.py", document, settings)
        assert incremental == analyze_document("app/views.py", document, settings)
        return [(f.code, f.message) for f in incremental if f.flow]

    def replace(old: str, new: str, version: int) -> None:
        at = document.source.index(old.encode())
        document.apply(TextChange(at, at + len(old.encode()), new), version)

    first = flows()
    assert [code for code, _ in first] == ["BE001"]
    assert "(line 8)" in first[0][1] and "(line 19)" in first[0][1]
    replace("def wanted_name", "# a comment above\n\n\ndef wanted_name", 2)
    moved = flows()
    assert "(line 11)" in moved[0][1] and "(line 22)" in moved[0][1]
    replace('request.args.get("name")', '"guest"', 3)  # the helper stops returning user data
    assert flows() == []
    replace('"guest"', 'request.args.get("name")', 4)
    assert flows() == moved
    replace("    return 1\n", "    return 2\n", 5)  # an unrelated function: the flow stays
    assert flows() == moved


_TAINTED_VIEWS = """import os
import subprocess
import sqlite3

from flask import Flask, redirect, request
from markupsafe import escape

app = Flask(__name__)
UPLOADS = "/srv/uploads"


def clean_name(value):
    return escape(value)


def lookup(db, name):
    return db.execute("SELECT * FROM users WHERE name = '%s'" % name).fetchall()


@app.route("/users")
def users():
    db = sqlite3.connect("app.db")
    name = request.args.get("name", "")
    rows = lookup(db, name)
    return str(rows)


@app.route("/hello")
def hello():
    who = request.args.get("who")
    return "<p>Hello " + clean_name(who) + "</p>"


@app.route("/files/<path:name>")
def download(name):
    path = os.path.join(UPLOADS, name)
    with open(path) as handle:
        return handle.read()


@app.route("/ping")
def ping():
    host = request.args["host"]
    out = subprocess.run("ping -c 1 " + host, shell=True, capture_output=True)
    return out.stdout


@app.route("/next")
def go_next():
    target = request.args.get("next", "/")
    if target.startswith("/"):
        return redirect(target)
    return redirect("/")


@app.route("/search")
def search():
    db = sqlite3.connect("app.db")
    term = request.form["q"]
    for _ in range(2):
        db.execute("SELECT id FROM items WHERE title LIKE '%" + term + "%'")
    return "ok"
"""


# Views reading local helpers' summaries: chains, a helper below its caller, mutual
# recursion, methods calling ``self._helper``, per-parameter cleaning at a shared sink.
_HELPER_CHAINS = """import shlex
import subprocess

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views import View


def quoted(value):
    return shlex.quote(value)


def build_cmd(host, flags):
    return "nmap " + quoted(host) + " " + flags


def run_scan(host, flags):
    return subprocess.run(build_cmd(host, flags), shell=True, capture_output=True)


def scan(request):
    out = run_scan(request.GET["host"], "-sV")
    return HttpResponse(out.stdout)


def scan_flags(request):
    out = run_scan("localhost", request.GET.get("flags", ""))
    return HttpResponse(out.stdout)


def report(request):
    rows = fetch_rows(request.GET.get("q", ""))
    return JsonResponse({"rows": rows})


def fetch_rows(term):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM items WHERE name = '%s'" % term)
        return cursor.fetchall()


def walk_up(node, depth):
    if depth > 3:
        return node
    return walk_down(node, depth + 1)


def walk_down(node, depth):
    return walk_up(node, depth)


def tree(request):
    return HttpResponse(walk_up(request.GET["node"], 0))


class Export(View):
    def _target(self):
        return self.request.GET.get("path", "out.csv")

    def _write(self, path, body):
        with open(path, "w") as handle:
            handle.write(body)

    def get(self, request):
        self._write(self._target(), "id,name")
        return HttpResponse("ok")
"""


@pytest.mark.parametrize("seed", range(6))
def test_incr_taint_helper_calls_random_edits(seed: int) -> None:
    """Callers of local helpers are replayed from the memo keyed by the helpers'
    summaries: random edits keep the result equal to a memo-free full run."""
    check_edits(_HELPER_CHAINS, "reports/views.py", edits=25, seed=seed)


@pytest.mark.parametrize("seed", range(8))
def test_incr_taint_module_random_edits(seed: int) -> None:
    """Taint flows (helpers, sanitizers, guards) stay equal to a memo-free full run
    after random edits: the per-function taint memo replays moved functions."""
    check_edits(_TAINTED_VIEWS, "app/views.py", edits=25, seed=seed)


def _runs_after(
    at: bytes, old: str, new: str, text: str = _TAINTED_VIEWS, path: str = "app/views.py"
) -> set[str]:
    """Functions whose bodies the engine ran live after replacing ``old`` with ``new`` at
    the first ``at`` of ``text`` (the result checked against a memo-free run)."""
    from backend_lsp.analysis.taint import engine
    from backend_lsp.engine import IncrementalAnalyzer

    document = ParsedDocument(text, "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    analyzer.analyze(path, document, settings)
    runs: set[str] = set()
    live = engine._Analysis.block

    def counting(self: engine._Analysis, block: object, env: object) -> bool:
        parent = getattr(block, "parent", None)
        if parent is not None and parent.type == "function_definition":
            runs.add(self.text(parent.child_by_field_name("name")))
        return live(self, block, env)  # type: ignore[arg-type]

    start = document.source.index(at)
    document.apply(TextChange(start, start + len(old.encode()), new), 2)
    engine._Analysis.block = counting  # type: ignore[method-assign]
    try:
        findings = analyzer.analyze(path, document, settings)
    finally:
        engine._Analysis.block = live  # type: ignore[method-assign]
    assert_same(findings, document, path, settings)
    assert {"BE001", "BE002"} <= {f.code for f in findings if f.flow} or findings
    return runs


def test_incr_taint_memo_replays_moved_functions() -> None:
    """An edit above the views moves them and their helpers: all replay, shifted (views
    calling a local helper too: its summary, moved with it, is unchanged)."""
    runs = _runs_after(b"def clean_name", "", "# moved\n\n")
    assert runs == set()


def test_incr_taint_memo_replays_a_caller_moved_apart_from_its_helper() -> None:
    """Text added between a helper and its caller: the caller moves, the helper does not;
    the caller replays with each one's own displacement (flows end in the helper)."""
    runs = _runs_after(b'@app.route("/users")', "", "# a note\n")
    assert runs == set()


def test_incr_taint_memo_replays_a_caller_defined_above_its_helper() -> None:
    """``report`` calls ``fetch_rows``, defined below it: the helper is summarised ahead
    from its own memo entry, so the caller replays instead of re-running. Mutual
    recursion (``walk_up`` / ``walk_down``) still runs live: the inner one of a cycle
    has no memo entry (it read the empty summary of a function still running)."""
    runs = _runs_after(b"def quoted", "", "# moved\n\n", _HELPER_CHAINS, "reports/views.py")
    assert "report" not in runs
    assert runs <= {"walk_up", "walk_down"}


@pytest.mark.parametrize("budget", [90, 115, 125])
def test_incr_taint_budget_exhausted_with_helpers_summarised_ahead(
    budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a live run stops when the budget runs out depends on the order of work: a
    run that summarised a helper ahead of its caller is redone in definition order
    (``_Reordered``), so the result still equals a memo-free full run (~129 ticks here)."""
    from backend_lsp.analysis.taint import engine

    monkeypatch.setattr(engine, "BUDGET", budget)
    redone: list[bool] = []
    run = engine._Analysis.run

    def counting(self: engine._Analysis) -> engine.FileTaint:
        redone.append(not self.ahead)
        return run(self)

    monkeypatch.setattr(engine._Analysis, "run", counting)
    for seed in range(4):
        check_edits(_HELPER_CHAINS, "reports/views.py", edits=20, seed=seed)
    assert any(redone)  # the reordered path was taken, and checked


def test_incr_taint_memo_reruns_a_caller_whose_helper_summary_changed() -> None:
    """The helper stops escaping: its summary changes, so its caller runs again (the
    XSS through ``clean_name`` appears, as in a full run)."""
    runs = _runs_after(b"escape(value)", "escape(value)", "value")
    assert runs == {"clean_name", "hello"}


def test_incr_taint_memo_reruns_a_caller_whose_helper_text_moved_inside() -> None:
    """A line added inside the helper before its sink moves the sink within the helper:
    the stored summary no longer matches, so the caller's flow is rebuilt live."""
    runs = _runs_after(b"    return db.execute", "", "    # the user's rows\n")
    assert runs == {"lookup", "users"}


def test_incr_chunks_above_an_edit_hand_back_their_findings_untouched() -> None:
    """A reused chunk whose findings move with it as a block (their import fix edit at the
    top mapped to where it was) hands back the same list when it did not move; chunks
    below the edit are moved, and all of it equals a full run."""
    from backend_lsp.engine import IncrementalAnalyzer

    text = bench_text(300)
    document = ParsedDocument(text, "python", 1)
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    analyzer.analyze("app/routes.py", document, settings)
    before = analyzer._chunks._state
    assert before is not None
    at = document.source.index(b"    return", len(document.source) // 2)
    document.apply(TextChange(at, at, "    # checked\n"), 2)
    findings = analyzer.analyze("app/routes.py", document, settings)
    after = analyzer._chunks._state
    assert after is not None
    assert_same(findings, document, "app/routes.py", settings)
    untouched = moved = 0
    for i, chunk in enumerate(before.chunks):
        if not chunk.function or not before.findings[i] or before.contained[i] is None:
            continue
        j = after.chunks.index(chunk) if chunk in after.chunks else None
        if j is not None:  # unchanged and unmoved
            untouched += 1
            assert after.findings[j] is before.findings[i]
        else:
            moved += 1
    assert untouched > 5 and moved > 5
