"""Taint across workspace modules: handlers calling helpers imported from other files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.taint.workspace import WorkspaceSummaries, _Module
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import analyze_document
from backend_lsp.syntax.document import ParsedDocument

SERVICES = """import shlex
import subprocess


def run_cmd(cmd, cwd=None):
    return subprocess.run(cmd, shell=True, cwd=cwd)


def safe_cmd(cmd):
    subprocess.run("ls " + shlex.quote(cmd), shell=True)


def quoted(value):
    return shlex.quote(value)


def build_query(term):
    return f"SELECT id FROM users WHERE name = '{term}'"


def build_query_int(term):
    return f"SELECT id FROM users WHERE id = {int(term)}"


def describe(term):
    return len(term)
"""

FLASK_VIEWS = """from flask import Flask, request

from app import services
from app.services import build_query, build_query_int, describe, quoted

app = Flask(__name__)
"""


# Two routes passing request data to svc.jobs.archive and svc.tasks.pack: the same helper
# is asked for at different depths depending on which route is checked.
ARCHIVE_VIEWS = {
    "svc/views.py": "from flask import Flask, request\n\nfrom svc.jobs import archive\n\n"
    "app = Flask(__name__)\n\n\n@app.post('/archive')\ndef start():\n"
    "    archive(request.form['folder'])\n    return 'queued'\n",
    "svc/admin.py": "from flask import Flask, request\n\nfrom svc.tasks import pack\n\n"
    "app = Flask(__name__)\n\n\n@app.post('/pack')\ndef start():\n"
    "    pack(request.form['folder'])\n    return 'queued'\n",
}


def project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text)
    return tmp_path


def findings(
    root: Path, rel: str, code: str, provider: WorkspaceSummaries | None = None
) -> list[Finding]:
    path = root / rel
    document = ParsedDocument(path.read_text(), "python")
    summaries = provider or WorkspaceSummaries(root)
    found = analyze_document(
        str(path), document, AnalysisSettings(select=[code]), root=root, summaries=summaries
    )
    return [f for f in found if f.code == code]


def flask_app(tmp_path: Path, body: str) -> Path:
    return project(
        tmp_path,
        {"app/__init__.py": "", "app/services.py": SERVICES, "app/views.py": FLASK_VIEWS + body},
    )


def line_of(root: Path, rel: str, finding: Finding) -> str:
    text = (root / rel).read_bytes()
    return (
        text[: finding.start].decode().rsplit("\n", 1)[-1]
        + text[finding.start :].decode().split("\n", 1)[0]
    )


# Commands --------------------------------------------------------------------------------


def test_command_helper_in_another_file_is_flagged_at_the_call(tmp_path: Path) -> None:
    root = flask_app(
        tmp_path,
        "@app.route('/run')\ndef run():\n    cmd = request.args['cmd']\n"
        "    services.run_cmd(cmd)\n    return 'ok'\n",
    )
    [finding] = findings(root, "app/views.py", "BE016")
    assert "services.run_cmd(cmd)" in line_of(root, "app/views.py", finding)
    assert "subprocess.run" in finding.message and "app/services.py:6" in finding.message
    first, *_, last = finding.flow
    assert first.path is None and "request.args" in first.message
    assert last.path == str((root / "app/services.py").resolve())
    assert last.place is not None and last.place[0] == 5  # 0-based line of subprocess.run
    assert "(app/services.py:6)" in last.message


def test_command_helper_without_request_data_is_quiet(tmp_path: Path) -> None:
    root = flask_app(
        tmp_path,
        "@app.route('/run')\ndef run():\n    request.args.get('x')\n"
        "    services.run_cmd('git status', cwd=request.args['dir'])\n    return 'ok'\n",
    )
    assert findings(root, "app/views.py", "BE016") == []


def test_helper_that_quotes_inside_or_before_is_quiet(tmp_path: Path) -> None:
    root = flask_app(
        tmp_path,
        "@app.route('/a')\ndef a():\n    services.safe_cmd(request.args['f'])\n    return ''\n\n"
        "@app.route('/b')\ndef b():\n    services.run_cmd(quoted(request.args['f']))\n"
        "    return ''\n",
    )
    assert findings(root, "app/views.py", "BE016") == []


# SQL -------------------------------------------------------------------------------------


def test_helper_building_sql_then_handler_executes_is_flagged(tmp_path: Path) -> None:
    root = flask_app(
        tmp_path,
        "@app.route('/q')\ndef q(db):\n    term = request.args.get('term')\n"
        "    return db.execute(build_query(term)).fetchall()\n",
    )
    [finding] = findings(root, "app/views.py", "BE001")
    assert any("build_query()" in step.message for step in finding.flow)


def test_helper_converting_to_int_before_building_sql_is_quiet(tmp_path: Path) -> None:
    root = flask_app(
        tmp_path,
        "@app.route('/q')\ndef q(db):\n    term = request.args.get('term')\n"
        "    return db.execute(build_query_int(term)).fetchall()\n",
    )
    assert findings(root, "app/views.py", "BE001") == []


def test_helper_with_no_sink_and_no_return_of_its_input_is_quiet(tmp_path: Path) -> None:
    root = flask_app(
        tmp_path,
        "import subprocess\n\n@app.route('/n')\ndef n():\n"
        "    size = describe(request.args['term'])\n"
        "    subprocess.run(f'echo {size}', shell=True)\n    return ''\n",
    )
    assert findings(root, "app/views.py", "BE016") == []


# Frameworks and import shapes --------------------------------------------------------------


def test_django_view_with_relative_import_from_a_parent_package(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/common/__init__.py": "",
            "shop/common/db.py": "from django.db import connection\n\n\n"
            "def find_products(name):\n    with connection.cursor() as cursor:\n"
            "        cursor.execute(\"SELECT * FROM product WHERE name = '%s'\" % name)\n"
            "        return cursor.fetchall()\n",
            "shop/api/__init__.py": "",
            "shop/api/views.py": "from django.http import JsonResponse\n\n"
            "from ..common.db import find_products\n\n\n"
            "def search(request):\n    rows = find_products(request.GET['q'])\n"
            "    return JsonResponse({'rows': rows})\n",
        },
    )
    [finding] = findings(root, "shop/api/views.py", "BE001")
    assert finding.flow[-1].path is not None and finding.flow[-1].path.endswith("shop/common/db.py")


def test_fastapi_route_parameter_reaches_a_path_helper(tmp_path: Path) -> None:
    storage = (
        "import os\n\nBASE = '/srv/files'\n\n\ndef read_file(name):\n"
        "    with open(os.path.join(BASE, name)) as handle:\n        return handle.read()\n\n\n"
        "def read_safe(name):\n    with open(os.path.join(BASE, os.path.basename(name))) as f:\n"
        "        return f.read()\n"
    )
    views = (
        "from fastapi import APIRouter\n\nimport storage as store\n\nrouter = APIRouter()\n\n\n"
        "@router.get('/files/{name}')\ndef read(name: str):\n    return store.read_file(name)\n\n\n"
        "@router.get('/safe/{name}')\ndef safe(name: str):\n    return store.read_safe(name)\n"
    )
    root = project(tmp_path, {"storage.py": storage, "api.py": views})
    found = findings(root, "api.py", "BE018")
    assert [line_of(root, "api.py", f).strip() for f in found] == ["return store.read_file(name)"]


def test_helper_returning_request_data_is_a_source_in_the_caller(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "web/__init__.py": "",
            "web/params.py": "from flask import request\n\n\ndef next_url():\n"
            "    return request.args.get('next', '/')\n",
            "web/views.py": "from flask import Flask, redirect\n\nfrom .params import next_url\n\n"
            "app = Flask(__name__)\n\n\n@app.route('/login')\ndef login():\n"
            "    return redirect(next_url())\n",
        },
    )
    [finding] = findings(root, "web/views.py", "BE021")
    assert finding.flow[0].path is not None and "request.args" in finding.flow[0].message


def test_flow_through_two_helper_files(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/shell.py": "import os\n\n\ndef sh(line):\n    os.system(line)\n",
            "svc/jobs.py": "from .shell import sh\n\n\ndef archive(folder):\n"
            "    sh('tar czf /tmp/out.tgz ' + folder)\n",
            "svc/views.py": "from flask import Flask, request\n\nfrom svc.jobs import archive\n\n"
            "app = Flask(__name__)\n\n\n@app.post('/archive')\ndef start():\n"
            "    archive(request.form['folder'])\n    return 'queued'\n",
        },
    )
    [finding] = findings(root, "svc/views.py", "BE016")
    files = {Path(s.path).name for s in finding.flow if s.path is not None}
    assert files == {"jobs.py", "shell.py"}
    assert finding.flow[-1].path is not None and finding.flow[-1].path.endswith("shell.py")


def test_a_deep_flow_does_not_depend_on_which_file_was_checked_first(tmp_path: Path) -> None:
    # views -> jobs -> tasks -> shell -> run: the sink is one module deeper than MAX_DEPTH.
    root = project(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/run.py": "import os\n\n\ndef run(line):\n    os.system(line)\n",
            "svc/shell.py": "from .run import run\n\n\ndef sh(line):\n    run(line)\n",
            "svc/tasks.py": "from .shell import sh\n\n\ndef pack(folder):\n"
            "    sh('tar ' + folder)\n",
            "svc/jobs.py": "from .tasks import pack\n\n\ndef archive(folder):\n    pack(folder)\n",
            **ARCHIVE_VIEWS,
        },
    )
    alone = findings(root, "svc/views.py", "BE016")
    shared = WorkspaceSummaries(root)
    assert findings(root, "svc/admin.py", "BE016", shared)  # summarises tasks nearer the top
    after = findings(root, "svc/views.py", "BE016", shared)
    assert [(f.start, f.message) for f in after] == [(f.start, f.message) for f in alone]


def test_a_summary_the_depth_bound_never_cut_is_made_once_for_every_depth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tasks (no workspace helpers) is asked for two modules down by views and one down by
    # admin: the same summary either way, so it is computed once. jobs, whose helper chain
    # the bound cuts when jobs is itself deep, keeps one summary per depth.
    root = project(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/tasks.py": "import os\n\n\ndef pack(folder):\n    os.system('tar ' + folder)\n",
            "svc/jobs.py": "from .tasks import pack\n\n\ndef archive(folder):\n    pack(folder)\n",
            **ARCHIVE_VIEWS,
        },
    )
    made: list[str] = []
    original = _Module._compute

    def counted(self: _Module, name: str) -> Any:
        made.append(f"{self.path.name}:{name}")
        return original(self, name)

    monkeypatch.setattr(_Module, "_compute", counted)
    shared = WorkspaceSummaries(root)
    deep = findings(root, "svc/views.py", "BE016", shared)
    near = findings(root, "svc/admin.py", "BE016", shared)
    assert deep and near
    assert made.count("tasks.py:pack") == 1
    alone = findings(root, "svc/admin.py", "BE016")  # a fresh provider: same findings
    assert [(f.start, f.message) for f in near] == [(f.start, f.message) for f in alone]


# Robustness ------------------------------------------------------------------------------


def test_import_cycle_between_modules_terminates_and_still_finds_the_flow(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "cyc/__init__.py": "",
            "cyc/a.py": "import subprocess\n\nfrom . import b\n\n\ndef run(x):\n"
            "    b.log(x)\n    subprocess.call(x, shell=True)\n",
            "cyc/b.py": "from . import a\n\n\ndef log(x):\n    print(x)\n\n\n"
            "def again(x):\n    a.run(x)\n",
            "cyc/views.py": "from flask import Flask, request\n\nfrom cyc import a, b\n\n"
            "app = Flask(__name__)\n\n\n@app.route('/c')\ndef c():\n"
            "    b.again(request.args['x'])\n"
            "    a.run(request.args['y'])\n    return ''\n",
        },
    )
    found = findings(root, "cyc/views.py", "BE016")
    assert [line_of(root, "cyc/views.py", f).strip() for f in found] == [
        "b.again(request.args['x'])",
        "a.run(request.args['y'])",
    ]


def test_missing_and_unparsable_modules_leave_the_call_unknown(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "m/__init__.py": "",
            "m/broken.py": "def run(cmd:\n    import os; os.system(cmd\n",
            "m/binary.py": b"\x00\x01\x02def run(cmd): pass",
            "m/views.py": "from flask import Flask, request\n\nfrom .missing import run\n"
            "from . import binary, broken\n\napp = Flask(__name__)\n\n\n@app.route('/m')\n"
            "def m():\n    run(request.args['a'])\n    binary.run(request.args['b'])\n"
            "    broken.run(request.args['c'])\n    return ''\n",
        },
    )
    assert findings(root, "m/views.py", "BE016") == []


def test_without_a_provider_the_engine_stays_within_the_file(tmp_path: Path) -> None:
    root = flask_app(
        tmp_path,
        "@app.route('/run')\ndef run():\n    services.run_cmd(request.args['cmd'])\n"
        "    return ''\n",
    )
    path = root / "app/views.py"
    document = ParsedDocument(path.read_text(), "python")
    found = analyze_document(str(path), document, AnalysisSettings(select=["BE016"]), root=root)
    assert found == []
    assert len(findings(root, "app/views.py", "BE016")) == 1


def test_editing_the_helper_changes_the_callers_result(tmp_path: Path) -> None:
    root = flask_app(
        tmp_path,
        "@app.route('/run')\ndef run():\n    services.run_cmd(request.args['cmd'])\n"
        "    return ''\n",
    )
    provider = WorkspaceSummaries(root)
    assert len(findings(root, "app/views.py", "BE016", provider)) == 1
    helper = root / "app/services.py"
    helper.write_text(
        SERVICES.replace("run(cmd, shell=True, cwd=cwd)", "run(['ls', cmd], cwd=cwd)")
    )
    assert findings(root, "app/views.py", "BE016", provider) == []
    views = str(root / "app/views.py")
    assert provider.importers_of(helper) == [views]


# Summary precision found on real code ------------------------------------------------------


def test_a_validator_statement_cleans_what_it_was_given(tmp_path: Path) -> None:
    storage = (
        "from pathlib import Path\n\nBASE = Path('/srv/sessions')\n\n\n"
        "def validate_session_id(sid):\n    if not sid.isalnum():\n"
        "        raise ValueError(sid)\n\n\n"
        "def read_checked(sid, other):\n    validate_session_id(sid)\n"
        "    return (BASE / f'{sid}.json').read_text()\n\n\n"
        "def read_other(sid, other):\n    validate_session_id(other)\n"
        "    return (BASE / f'{sid}.json').read_text()\n"
    )
    views = (
        "from fastapi import APIRouter\n\nfrom store import read_checked, read_other\n\n"
        "router = APIRouter()\n\n\n@router.get('/a/{sid}')\ndef a(sid: str):\n"
        "    return read_checked(sid, 'x')\n\n\n@router.get('/b/{sid}')\ndef b(sid: str):\n"
        "    return read_other(sid, 'x')\n"
    )
    root = project(tmp_path, {"store.py": storage, "api.py": views})
    found = findings(root, "api.py", "BE018")
    assert [line_of(root, "api.py", f).strip() for f in found] == ["return read_other(sid, 'x')"]


def test_a_parameter_cleaned_on_every_return_stays_clean_beside_another(tmp_path: Path) -> None:
    """``return cache.get(key)`` (obj) and ``return reverse(name, kwargs=kwargs)`` (kwargs):
    kwargs is cleaned on each return that carries it, obj is not."""
    helper = (
        "from django.urls import reverse\n\n\ndef link(obj, name, kwargs):\n"
        "    if not kwargs:\n        return obj.cache.get(name)\n"
        "    return reverse(name, kwargs=kwargs)\n"
    )
    views = (
        "from django.shortcuts import redirect\n\nfrom .links import link\n\n\n"
        "def go(request):\n    return redirect(link(None, 'home', {'q': request.GET['q']}))\n\n\n"
        "def back(request):\n    return redirect(link(request.GET['next'], 'home', {}))\n"
    )
    root = project(tmp_path, {"web/__init__.py": "", "web/links.py": helper, "web/views.py": views})
    found = findings(root, "web/views.py", "BE021")
    assert [line_of(root, "web/views.py", f).strip() for f in found] == [
        "return redirect(link(request.GET['next'], 'home', {}))"
    ]
