"""Build labelled handlers: framework x data path x sink, true cases and safe look-alikes.

Each case is a whole module in Flask, Django, DRF or FastAPI style. True cases move the
request value to the sink along one of several paths (direct, method chain, join,
helper function, dict entry, tuple unpacking, ``str()``/``%``); safe look-alikes use the
same sinks with a sanitizer, a dead branch, a constant overwrite, an allow-list, a
constant dict entry, a helper returning a constant, or the safe form of the sink.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from dataclasses import dataclass

HEADER = textwrap.dedent(
    """\
    import os, shlex, subprocess, pickle, base64, ast, html, json, yaml, io, marshal
    import urllib.request
    import requests, httpx
    from lxml import etree
    import xml.sax
    from defusedxml import ElementTree as SafeET
    from markupsafe import Markup, escape
    from werkzeug.utils import secure_filename
    from sqlalchemy import text
    ALLOWED = {"alpha", "beta"}
    UPLOADS = "/srv/uploads"

    def tidy(value):
        return value.strip()

    def pick(value):
        return "alpha"

    """
)

FRAMEWORKS: dict[str, tuple[str, list[str]]] = {
    "flask": (
        "from flask import Flask, request, redirect, make_response, send_file, abort\n"
        "from flask import render_template, render_template_string, url_for\n"
        "app = Flask(__name__)\n\n@app.route('/h', methods=['GET', 'POST'])\ndef handler():\n",
        ["request.args.get('q')", "request.form['q']", "request.values.get('q', '')",
         "request.cookies.get('q')", "request.get_json()['q']", "request.headers.get('X-Q')"],
    ),
    "django": (
        "from django.http import HttpResponse, HttpResponseRedirect\n"
        "from django.shortcuts import redirect\n\ndef handler(request, slug):\n",
        ["request.GET.get('q')", "request.POST['q']", "request.META.get('HTTP_X_Q')", "slug",
         "request.COOKIES['q']"],
    ),
    "drf": (
        "from rest_framework.views import APIView\n"
        "from django.http import HttpResponse, HttpResponseRedirect\n"
        "from django.shortcuts import redirect\n\nclass Handler(APIView):\n"
        "    def post(self, request):\n",
        ["request.data['q']", "request.query_params.get('q')", "self.request.data.get('q')"],
    ),
    "fastapi": (
        "from fastapi import FastAPI, Query, Request, Header\n"
        "from fastapi.responses import HTMLResponse, RedirectResponse\n"
        "app = FastAPI()\n\n@app.get('/h')\nasync def handler(q: str, request: Request, "
        "x_q: str = Header(None), term: str = Query('')):\n",
        ["q", "request.query_params['q']", "x_q", "term"],
    ),
}  # fmt: skip

# Category -> (rule code, vulnerable sinks, safe forms of the sink); ``X`` is the value.
SINKS: dict[str, tuple[str, list[str], list[str]]] = {
    "sql": ("BE001", [
        "cur.execute(f\"SELECT * FROM items WHERE name = '{X}'\")",
        "cur.execute('DELETE FROM items WHERE id = ' + X)",
        "db.session.execute(text(\"SELECT * FROM users WHERE login = '%s'\" % X))",
        "cur.execute(\"SELECT * FROM t WHERE a = '{}'\".format(X))",
    ], [
        "cur.execute('SELECT * FROM items WHERE name = %s', (X,))",
        "db.session.execute(text('SELECT * FROM users WHERE login = :l'), {'l': X})",
    ]),
    "command": ("BE016", [
        "os.system('ls -l ' + X)",
        "subprocess.run(f'grep {X} /var/log/app.log', shell=True)",
        "subprocess.Popen([X, '--version'])",
        "os.popen('whois %s' % X).read()",
    ], [
        "subprocess.run(['grep', X, '/var/log/app.log'])",
        "subprocess.run(['whois', X], check=True)",
    ]),
    "code": ("BE017", [
        "eval(X)",
        "exec('result = ' + X)",
        "render_template_string('<p>' + X + '</p>')",
        "compile(X, '<input>', 'eval')",
    ], [
        "ast.literal_eval(X)",
        "render_template_string('<p>{{ v }}</p>', v=X)",
    ]),
    "path": ("BE018", [
        "open('/srv/data/' + X).read()",
        "send_file(os.path.join(UPLOADS, X))",
        "os.remove(f'/tmp/cache/{X}')",
        "open(os.path.join(UPLOADS, X), 'rb').read()",
    ], [
        "open(os.path.join(UPLOADS, secure_filename(X))).read()",
        "open(os.path.join(UPLOADS, os.path.basename(X))).read()",
    ]),
    "ssrf": ("BE019", [
        "requests.get(X)",
        "requests.post('http://' + X + '/api/ping')",
        "urllib.request.urlopen(X).read()",
        "httpx.get(f'https://{X}/v1/status')",
    ], [
        "requests.get('https://api.example.com/search', params={'q': X})",
        "httpx.post('https://hooks.example.com/in', json={'v': X})",
    ]),
    "xss": ("BE020", [
        "make_response('<p>' + X + '</p>')",
        "HttpResponse(f'<h1>{X}</h1>')",
        "Markup('<b>%s</b>' % X)",
        "HTMLResponse(content='<div>' + X + '</div>')",
    ], [
        "render_template('page.html', v=X)",
        "make_response('<p>' + escape(X) + '</p>')",
    ]),
    "redirect": ("BE021", [
        "redirect(X)",
        "HttpResponseRedirect(X)",
        "RedirectResponse(url=X)",
        "redirect('https://' + X)",
    ], [
        "redirect(url_for('index', next=X))",
        "redirect('/search?page=' + str(int(X)))",
    ]),
    "deserialize": ("BE013", [
        "pickle.loads(X)",
        "pickle.loads(base64.b64decode(X))",
        "marshal.loads(X)",
        "yaml.load(X, Loader=yaml.Loader)",
    ], [
        "json.loads(X)",
        "yaml.safe_load(X)",
    ]),
    "xxe": ("BE022", [
        "etree.fromstring(X)",
        "etree.XML(X)",
        "etree.parse(io.BytesIO(X))",
        "xml.sax.parseString(X, handler_obj)",
    ], [
        "SafeET.fromstring(X)",
        "json.loads(X)",
    ]),
}  # fmt: skip

# Data paths from ``v`` (the request value) to ``x``.
TRUE_PATHS = [
    "x = v",
    "x = v.strip().lower()",
    "x = ''.join([v])",
    "x = tidy(v)",
    "d = {'k': v, 'n': 1}\nx = d['k']",
    "_, x = 'fixed', v",
    "x = str(v)",
    "parts = []\nparts.append(v)\nx = parts[0]",
]
SAFE_PATHS = {
    "sanitizer": None,  # filled per category below
    "dead-branch": "x = 'alpha'\nnum = 106\nif 7 * 42 - num > 200:\n    x = v",
    "overwrite": "x = v\nx = 'alpha'",
    "allow-list": "if v not in ALLOWED:\n    abort(400)\nx = v",
    "constant-entry": "d = {'a': 'alpha', 'b': v}\nx = d['a']",
    "helper-constant": "x = pick(v)",
    "int": "x = str(int(v))",
}
SANITIZER = {
    "sql": "x = str(int(v))", "command": "x = shlex.quote(v)", "code": "x = str(float(v))",
    "path": "x = secure_filename(v)", "ssrf": "x = 'alpha' if v in ALLOWED else 'beta'",
    "xss": "x = html.escape(v)", "redirect": "x = url_for('profile', name=v)",
    "deserialize": "x = str(int(v))", "xxe": "x = str(len(v))",
}  # fmt: skip


# --- BE023 XPath, BE024 LDAP, BE028 trust boundary (branch i10-rules) ---
HEADER += textwrap.dedent(
    """\
    import ldap, ldap.filter
    from flask import session as flask_session
    from ldap3 import Connection
    from ldap3.utils.conv import escape_filter_chars
    TREE = etree.parse("catalog.xml")
    CONN = Connection("ldap://dir.internal", auto_bind=True)
    LDAPC = ldap.initialize("ldap://dir.internal")

    """
)
SINKS.update({
    "xpath": ("BE023", [
        "TREE.xpath(\"//book[title='\" + X + \"']/price\")",
        "etree.XPath('//item[@id=\"%s\"]' % X)(TREE)",
        "TREE.getroot().findall(f\".//item[@section='{X}']\")",
        "TREE.xpath('//user[@login=\"{}\"]'.format(X))",
    ], [
        "TREE.xpath('//book[title=$t]/price', t=X)",
        "[e.text for e in TREE.getroot().findall('.//item') if e.get('id') == X]",
    ]),
    "ldap": ("BE024", [
        "LDAPC.search_s('dc=corp,dc=com', ldap.SCOPE_SUBTREE, '(uid=' + X + ')')",
        "CONN.search('ou=groups,dc=corp', f'(&(objectClass=group)(cn={X}))')",
        "LDAPC.search_ext_s('ou=%s,dc=corp' % X, ldap.SCOPE_SUBTREE, '(objectClass=*)')",
        "CONN.search(search_base='dc=corp', search_filter='(mail={})'.format(X))",
    ], [
        "CONN.search('dc=corp', '(cn=' + escape_filter_chars(X) + ')')",
        "LDAPC.search_s('dc=corp', ldap.SCOPE_SUBTREE, ldap.filter.filter_format('(uid=%s)', [X]))",
    ]),
    "trust": ("BE028", [
        "flask_session.update(user_id=X)",
        "request.session.update({'role': X})",
        "request.session.setdefault('username', X)",
        "flask_session.setdefault('is_admin', X)",
    ], [
        "flask_session.update(last_search=X)",
        "request.session.update({'theme': X})",
    ]),
})  # fmt: skip
SANITIZER.update(
    {"xpath": "x = str(int(v))", "ldap": "x = ldap.filter.escape_filter_chars(v)",
     "trust": "x = 'alpha' if v in ALLOWED else 'beta'"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Case:
    category: str
    code: str
    vulnerable: bool
    label: str
    source: str


# Names a sink needs that only some frameworks' heads import.
_NEEDS = {
    "make_response": {"flask"}, "send_file": {"flask"}, "render_template": {"flask"},
    "url_for": {"flask"}, "HttpResponse": {"django", "drf"}, "HTMLResponse": {"fastapi"},
    "RedirectResponse": {"fastapi"}, "HttpResponseRedirect": {"django", "drf"},
    "redirect": {"flask", "django", "drf"},
    "flask_session.update": {"flask"}, "flask_session.setdefault": {"flask"},
    "request.session.update": {"django", "drf", "fastapi"},
    "request.session.setdefault": {"django", "drf", "fastapi"},
}  # fmt: skip


def _fits(framework: str, *code: str) -> bool:
    text = " ".join(code)
    return all(
        framework in frameworks
        for name, frameworks in _NEEDS.items()
        if f"{name}(" in text.replace("render_template_string(", "")
        or (name == "render_template" and "render_template_string(" in text)
    )


def _pick(frameworks: itertools.cycle[str], *code: str) -> str:
    for _ in range(len(FRAMEWORKS)):
        framework = next(frameworks)
        if _fits(framework, *code):
            return framework
    return "flask"


def _module(framework: str, source_expr: str, path: str, sink: str) -> str:
    head, _ = FRAMEWORKS[framework]
    indent = "        " if framework == "drf" else "    "
    call = re.sub(r"\bX\b", "x", sink)
    body = [f"v = {source_expr}", *path.splitlines(), f"return {call}"]
    if framework != "flask":
        body.insert(0, "abort = print")
    return HEADER + head + "".join(f"{indent}{line}\n" for line in body)


def cases(per_class: int = 24) -> list[Case]:
    out: list[Case] = []
    frameworks = itertools.cycle(FRAMEWORKS)
    for category, (code, bad_sinks, safe_sinks) in SINKS.items():
        positives = list(itertools.product(TRUE_PATHS, bad_sinks))
        for i, (path, sink) in enumerate(positives[:per_class]):
            framework = _pick(frameworks, path, sink)
            sources = FRAMEWORKS[framework][1]
            src = _module(framework, sources[i % len(sources)], path, sink)
            out.append(Case(category, code, True, f"{framework}:{path.splitlines()[0]}", src))
        paths = {**SAFE_PATHS, "sanitizer": SANITIZER[category]}
        negatives = [(p, s) for p in paths.values() for s in bad_sinks]
        negatives += [(t, s) for t in TRUE_PATHS[:4] for s in safe_sinks]
        for i, (path, sink) in enumerate(negatives[:per_class]):
            framework = _pick(frameworks, str(path), sink)
            sources = FRAMEWORKS[framework][1]
            src = _module(framework, sources[i % len(sources)], str(path), sink)
            out.append(Case(category, code, False, f"{framework}:{str(path).splitlines()[0]}", src))
    return out
