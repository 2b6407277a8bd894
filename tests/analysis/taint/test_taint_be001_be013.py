# ruff: noqa: E501  (handler sources read best one statement per line)
"""BE001 and BE013 on the engine: proven-clean values are quiet, request data carries its flow."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

from backend_lsp.analysis.model import Severity

FLASK = "from flask import request\nimport sqlite3, pickle\ncur = sqlite3.connect('a').cursor()\n"

SQL_FLAGGED = [
    FLASK + "@app.route('/u')\ndef u():\n    name = request.args['n']\n"
    "    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n",
    FLASK + "def q(name):\n    return \"SELECT * FROM t WHERE n = '%s'\" % name\n"
    "@app.route('/v')\ndef v():\n    cur.execute(q(request.form['n']))\n",
    "def view(request, slug):\n    from django.db import connection\n"
    "    connection.cursor().execute('SELECT * FROM p WHERE slug = ' + slug)\n",
    "from fastapi import FastAPI\n@app.get('/s')\ndef s(term: str, db=None):\n"
    '    db.execute("SELECT * FROM t WHERE x LIKE \'%" + term + "%\'")\n',
    FLASK + "@app.route('/o')\ndef o():\n    col = request.args.get('sort')\n"
    "    cur.execute('SELECT * FROM t ORDER BY ' + col)\n",
]
SQL_QUIET = [
    FLASK + "@app.route('/u')\ndef u():\n    name = request.args['n']\n    num = 86\n"
    "    if 7 * 42 - num > 200:\n        name = 'bob'\n"
    "    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n",
    FLASK + "@app.route('/i')\ndef i():\n    uid = int(request.args['id'])\n"
    "    cur.execute(f'SELECT * FROM users WHERE id = {uid}')\n",
    FLASK + "@app.route('/c')\ndef c():\n    name = request.args['n']\n    name = 'fixed'\n"
    "    cur.execute(f\"SELECT * FROM t WHERE n = '{name}'\")\n",
    FLASK + "TABLE = 'users'\ndef count():\n    cur.execute(f'SELECT count(*) FROM {TABLE}')\n",
    FLASK + "@app.route('/p')\ndef p():\n"
    "    cur.execute('SELECT * FROM t WHERE n = ?', (request.args['n'],))\n",
    FLASK + "@app.route('/d')\ndef d():\n    cols = {'a': 'name', 'b': request.args['x']}\n"
    "    cur.execute('SELECT ' + cols['a'] + ' FROM t')\n",
]


@pytest.mark.parametrize("source", SQL_FLAGGED)
def test_be001_request_data_is_an_error_with_its_flow(source: str) -> None:
    [finding] = run("BE001", source, path="app/views.py")
    assert finding.severity is Severity.ERROR
    assert finding.flow and "reaches" in finding.message


@pytest.mark.parametrize("source", SQL_QUIET)
def test_be001_constants_and_sanitized_values_are_quiet(source: str) -> None:
    assert run("BE001", source, path="app/views.py") == []


def test_be001_unknown_origin_keeps_the_string_rule() -> None:
    source = "def find(cur, name):\n    cur.execute(f\"SELECT * FROM t WHERE n = '{name}'\")\n"
    [finding] = run("BE001", source)
    assert finding.flow == ()


DESERIALIZE_FLAGGED = [
    FLASK + "@app.route('/p')\ndef p():\n    return pickle.loads(request.data)\n",
    FLASK + "import base64\n@app.route('/c')\ndef c():\n"
    "    blob = base64.b64decode(request.cookies['state'])\n    return pickle.loads(blob)\n",
    "from ruamel.yaml import YAML\ndef load(text):\n    return YAML(typ='unsafe').load(text)\n",
    "from multiprocessing.connection import Listener\ndef serve():\n"
    "    with Listener(('0.0.0.0', 6000)) as l:\n        conn = l.accept()\n        conn.recv()\n",
    "import os, pickle\nfrom django.conf import settings\ndef load(name):\n"
    "    with open(os.path.join(settings.MEDIA_ROOT, name), 'rb') as fh:\n"
    "        return pickle.load(fh)\n",
]
DESERIALIZE_QUIET = [
    "import pickle\nDATA = pickle.loads(b'\\x80\\x04K\\x01.')\n",
    "from ruamel.yaml import YAML\ndef load(text):\n    return YAML(typ='safe').load(text)\n",
    FLASK + "import json\n@app.route('/j')\ndef j():\n    return json.loads(request.data)\n",
    "import yaml\ndef cfg(text):\n    return yaml.safe_load(text)\n",
    "def recv(sock):\n    return sock.recv(1024)\n",
    # a file the app's own code wrote, opened from a path its caller gives: an artefact
    "import pickle\ndef load(path):\n    with open(path, 'rb') as fh:\n        return pickle.load(fh)\n",
]


@pytest.mark.parametrize("source", DESERIALIZE_FLAGGED)
def test_be013_flags_code_loaders(source: str) -> None:
    assert run("BE013", source)


def test_be013_request_data_carries_its_flow() -> None:
    [finding] = run("BE013", DESERIALIZE_FLAGGED[1])
    assert next(s.message.split(" (")[0] for s in finding.flow) == "request data `request.cookies`"
    assert "(line 7) reaches `pickle.loads` (line 8)" in finding.message


@pytest.mark.parametrize("source", DESERIALIZE_QUIET)
def test_be013_quiet_on_literals_and_safe_loaders(source: str) -> None:
    assert run("BE013", source) == []
