"""BE023/BE024 on shapes seen in real Flask + ldap3 code (privacyidea, held-out set 2).

A common method name (``re.search``, ``str.find``) inside a helper is no LDAP/XPath sink
when the helper is called with request data; ldap3's ``extend.standard.paged_search`` is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.analysis.rule_helpers import run
from tests.analysis.taint.test_taint_xmodule import findings, line_of, project

FLASK = "import re\nfrom flask import Flask, request\napp = Flask(__name__)\n"
LDAP3 = (
    "import ldap3\nfrom ldap3 import Connection, Server, SUBTREE\n"
    "from ldap3.utils.conv import escape_filter_chars\n"
)

POLICY_NAME = (
    FLASK + "def check_policy_name(name):\n"
    "    for pattern, flags in [('^check$', re.I), ('^pi-update-', re.I)]:\n"
    "        if re.search(pattern, name, flags=flags):\n"
    "            raise ValueError(name)\n\n"
    "@app.route('/policy/<name>', methods=['POST'])\n"
    "def set_policy(name):\n"
    "    check_policy_name(name)\n"
    "    return {'ok': True}\n"
)
PATTERN_HELPER = (
    FLASK + "def matches(text, needle):\n"
    "    return re.search(needle, text) is not None\n\n"
    "@app.route('/grep')\n"
    "def grep():\n"
    "    return {'hit': matches(request.args['text'], r'\\d+')}\n"
)
STR_FIND_HELPER = (
    FLASK + "def has_domain(login):\n"
    "    return login.find('@') >= 0\n\n"
    "@app.route('/login', methods=['POST'])\n"
    "def login():\n"
    "    return {'realm': has_domain(request.form['user'])}\n"
)
PAGED_ESCAPED = (
    FLASK + LDAP3 + "@app.route('/users')\n"
    "def users():\n"
    "    conn = Connection(Server('ldap://dir'), auto_bind=True)\n"
    "    flt = '(&(objectClass=person)(cn=*' + escape_filter_chars(request.args['q']) + '*))'\n"
    "    rows = conn.extend.standard.paged_search(search_base='dc=corp', search_filter=flt,\n"
    "                                              search_scope=SUBTREE, paged_size=100)\n"
    "    return {'users': [r['dn'] for r in rows]}\n"
)
PAGED_CONFIG = (
    FLASK + LDAP3 + "BASE_FILTER = '(objectClass=person)'\n\n"
    "@app.route('/resolver/test')\n"
    "def test_resolver():\n"
    "    conn = Connection(Server('ldap://dir'), auto_bind=True)\n"
    "    rows = conn.extend.standard.paged_search(search_base='dc=corp',\n"
    "                                              search_filter='(&' + BASE_FILTER + ')')\n"
    "    return {'count': len(list(rows))}\n"
)

PAGED_TAINTED = (
    FLASK + LDAP3 + "@app.route('/users')\n"
    "def users():\n"
    "    conn = Connection(Server('ldap://dir'), auto_bind=True)\n"
    "    term = request.args['q']\n"
    "    rows = conn.extend.standard.paged_search(search_base='dc=corp',\n"
    "        search_filter=f'(&(objectClass=person)(cn=*{term}*))',\n"
    "                                              search_scope=SUBTREE, paged_size=100)\n"
    "    return {'users': [r['dn'] for r in rows]}\n"
)
PAGED_POSITIONAL = (
    FLASK + LDAP3 + "@app.route('/group/<cn>')\n"
    "def group(cn):\n"
    "    conn = Connection(Server('ldap://dir'), auto_bind=True)\n"
    "    entries = conn.extend.standard.paged_search('ou=groups,dc=corp', '(cn=' + cn + ')',\n"
    "                                                SUBTREE)\n"
    "    return {'members': [e['dn'] for e in entries]}\n"
)
SEARCH_HELPER = (
    FLASK + LDAP3 + "def ldap_search(search_filter):\n"
    "    connection = Connection(Server('ldap://dir'), auto_bind=True)\n"
    "    connection.search(search_base='dc=corp', search_scope=SUBTREE,\n"
    "                      search_filter=search_filter)\n"
    "    return connection.response\n\n"
    "@app.route('/lookup')\n"
    "def lookup():\n"
    "    uid = request.args['uid']\n"
    "    return {'found': ldap_search('(&(objectClass=person)(uid=%s))' % uid)}\n"
)
XPATH_HELPER = (
    FLASK + "from lxml import etree\n\n"
    "def first_match(doc, name):\n"
    '    return doc.xpath("//user[@name=\'" + name + "\']")\n\n'
    "@app.route('/user')\n"
    "def user():\n"
    "    return {'n': len(first_match(etree.parse('users.xml'), request.args['name']))}\n"
)


@pytest.mark.parametrize(
    ("code", "source"),
    [("BE024", PAGED_TAINTED), ("BE024", PAGED_POSITIONAL), ("BE024", SEARCH_HELPER),
     ("BE023", XPATH_HELPER)],
)  # fmt: skip
def test_real_shapes_are_flagged(code: str, source: str) -> None:
    findings = run(code, source, "app/views.py")
    assert [f.code for f in findings] == [code], source
    assert findings[0].flow


@pytest.mark.parametrize(
    ("code", "source"),
    [("BE024", POLICY_NAME), ("BE024", PATTERN_HELPER), ("BE023", STR_FIND_HELPER),
     ("BE024", PAGED_ESCAPED), ("BE024", PAGED_CONFIG)],
)  # fmt: skip
def test_look_alikes_are_not(code: str, source: str) -> None:
    assert run(code, source, "app/views.py") == [], source


POLICY_LIB = (
    "import re\n\n"
    "def check_policy_name(name):\n"
    "    for pattern, flags in [('^check$', re.I), ('^pi-update-', re.I)]:\n"
    "        if re.search(pattern, name, flags=flags):\n"
    "            raise ValueError(name)\n\n"
    "def ldap_search(connection, search_filter):\n"
    "    connection.search(search_base='dc=corp', search_filter=search_filter)\n"
    "    return connection.response\n"
)
POLICY_API = (
    "from flask import Flask, request\n\n"
    "from app.lib import check_policy_name, ldap_search\n\n"
    "app = Flask(__name__)\n\n"
    "@app.route('/policy/<name>', methods=['POST'])\n"
    "def set_policy(name):\n"
    "    check_policy_name(name)\n"
    "    return {'ok': True}\n\n"
    "@app.route('/lookup')\n"
    "def lookup():\n"
    "    return {'r': ldap_search(app.ldap, '(uid=' + request.args['uid'] + ')')}\n"
)


def test_a_regex_helper_in_another_module_is_no_ldap_sink(tmp_path: Path) -> None:
    """privacyidea api/policy.py -> lib/policy.py: ``re.search`` is not ldap3's ``search``;
    the LDAP helper beside it in the same module still is."""
    root = project(
        tmp_path, {"app/__init__.py": "", "app/lib.py": POLICY_LIB, "app/api.py": POLICY_API}
    )
    found = findings(root, "app/api.py", "BE024")
    assert [line_of(root, "app/api.py", f).strip() for f in found] == [
        "return {'r': ldap_search(app.ldap, '(uid=' + request.args['uid'] + ')')}"
    ]
