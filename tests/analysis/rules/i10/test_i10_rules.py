"""BE023-BE028 flag their hand-written true cases and none of the safe look-alikes."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import apply_fix, run
from tests.analysis.rules.i10.cases import NEGATIVE, POSITIVE

from backend_lsp.analysis import locations
from backend_lsp.analysis.python.paths import location_kinds
from backend_lsp.analysis.registry import select_rules
from backend_lsp.analysis.rule_docs import rule_doc

_TAINT = {"BE023", "BE024", "BE028"}


@pytest.mark.parametrize(
    ("code", "path", "source"), [(c, p, s) for c, cases in POSITIVE.items() for p, s in cases]
)
def test_flags_the_true_cases(code: str, path: str, source: str) -> None:
    findings = run(code, source, path)
    assert findings, source
    assert all(f.code == code for f in findings)
    if code in _TAINT:
        assert findings[0].flow, "a taint finding carries its flow"


@pytest.mark.parametrize(
    ("code", "path", "source"), [(c, p, s) for c, cases in NEGATIVE.items() for p, s in cases]
)
def test_ignores_the_safe_look_alikes(code: str, path: str, source: str) -> None:
    assert run(code, source, path) == [], source


def test_every_rule_has_five_of_each() -> None:
    assert set(POSITIVE) == set(NEGATIVE) == {f"BE02{i}" for i in range(3, 9)}
    assert all(len(POSITIVE[c]) >= 5 and len(NEGATIVE[c]) >= 5 for c in POSITIVE)


def test_cookie_fix_adds_the_flags() -> None:
    path, source = POSITIVE["BE025"][0]
    fixed = apply_fix(source, run("BE025", source, path)[0])
    assert 'secure=True, httponly=True, samesite="Lax"' in fixed
    assert run("BE025", fixed, path) == []


def test_cookie_fix_turns_a_false_flag_true() -> None:
    path, source = POSITIVE["BE025"][2]
    fixed = apply_fix(source, run("BE025", source, path)[0])
    assert "secure=True" in fixed and "secure=False" not in fixed
    assert run("BE025", fixed, path) == []


def test_weak_randomness_fix_uses_secrets() -> None:
    path, source = POSITIVE["BE026"][0]
    fixed = apply_fix(source, run("BE026", source, path)[0])
    assert "secrets.choice(alphabet)" in fixed and "import secrets" in fixed
    assert run("BE026", fixed, path) == []


@pytest.mark.parametrize("code", ["BE025", "BE026", "BE027", "BE028"])
def test_tests_are_not_reported(code: str) -> None:
    path, source = POSITIVE[code][0]
    metas = [r.meta for r in select_rules([code])]
    assert run(code, source, path)
    treatment = locations.treatments(location_kinds(path), metas, {})
    assert locations.apply(run(code, source, path), treatment)
    test_path = "tests/test_" + path.rsplit("/", 1)[-1]
    found = run(code, source, test_path)
    assert locations.apply(found, locations.treatments(location_kinds(test_path), metas, {})) == []


@pytest.mark.parametrize("code", sorted(POSITIVE))
def test_rule_is_documented(code: str) -> None:
    doc = rule_doc(code)
    assert doc is not None and doc.startswith(f"# {code} ") and "## Safe example" in doc


def test_a_compiled_xpath_called_at_once_is_a_sink() -> None:
    source = (
        "from flask import Flask, request\nfrom lxml import etree\napp = Flask(__name__)\n\n"
        "@app.route('/i')\ndef item():\n"
        "    tree = etree.parse('i.xml')\n"
        "    return str(etree.XPath('//i[@id=\"%s\"]' % request.args['id'])(tree))\n"
    )
    (finding,) = run("BE023", source, "app/views.py")
    assert "request.args" in finding.message


def test_flask_session_under_an_alias_is_the_session() -> None:
    source = (
        "from flask import Flask, request, session as flask_session\napp = Flask(__name__)\n\n"
        "@app.post('/as')\ndef switch():\n    flask_session['user_id'] = request.form['uid']\n"
        "    return 'ok'\n"
    )
    (finding,) = run("BE028", source, "app/views.py")
    assert finding.flow[-1].message.startswith("stored in `flask_session['user_id']`")


def test_a_plain_dict_is_not_the_session() -> None:
    source = (
        "from flask import Flask, request\napp = Flask(__name__)\n\n"
        "@app.post('/u')\ndef update():\n    row = {}\n"
        "    row['user_id'] = request.form['uid']\n    return 'ok'\n"
    )
    assert run("BE028", source, "app/views.py") == []


def test_a_literal_session_cookie_with_its_flags_turned_off_is_flagged() -> None:
    source = (
        "from flask import Flask, make_response\napp = Flask(__name__)\n\n"
        "@app.route('/demo')\ndef demo():\n    resp = make_response('ok')\n"
        "    resp.set_cookie('session_id', 'abc', secure=False, httponly=False)\n"
        "    resp.set_cookie('sessionid', '', expires=0, secure=False)\n"
        "    resp.set_cookie('auth_seen', '1')\n    return resp\n"
    )
    found = run("BE025", source, "app/views.py")
    lines = [source.encode()[: f.start].count(b"\n") + 1 for f in found]
    assert lines == [7], found
