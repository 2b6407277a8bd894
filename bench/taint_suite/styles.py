# ruff: noqa: E501  (handler sources as one-line strings: a data table, not code)
"""Handlers in styles the generated suite lacks (written here for issue 10, branch i10-deser).

Django class-based views (``self.request.GET``, ``kwargs``), DRF APIView/ViewSet
(``request.data``, ``self.kwargs``), FastAPI with Pydantic bodies and ``Annotated[str,
Query()]``, aiohttp, Flask blueprints with ``request.values.get`` and ``get_json(silent=True)``;
values through helpers, containers, loops, try/except, early returns, ``%``, ``.format(**d)``,
``"".join`` and class attributes. Each true case has a safe look-alike in the same style.
"""

from __future__ import annotations

from taint_suite.generate import Case

DJ = "import os, subprocess, pickle, requests\nfrom django.views import View\nfrom django.http import HttpResponse\nfrom django.shortcuts import redirect\nfrom django.db import connection\n"
DRF = "import os, subprocess, pickle, requests\nfrom rest_framework.views import APIView\nfrom rest_framework.viewsets import ViewSet\nfrom rest_framework.response import Response\nfrom django.db import connection\n"
FA = "import os, subprocess, pickle, requests\nfrom typing import Annotated\nfrom fastapi import FastAPI, Query\nfrom fastapi.responses import HTMLResponse, RedirectResponse\nfrom pydantic import BaseModel\nfrom sqlalchemy import text\napp = FastAPI()\n"
AIO = "import os, subprocess, pickle, requests\nfrom aiohttp import web\nroutes = web.RouteTableDef()\n"
BP = "import os, subprocess, pickle, requests, sqlite3\nfrom flask import Blueprint, request, redirect, make_response\nbp = Blueprint('bp', __name__)\nALLOWED = {'a', 'b'}\n"

# (category, code, label, true source, safe look-alike)
PAIRS: list[tuple[str, str, str, str, str]] = [
    (
        "sql",
        "BE001",
        "django cbv self.request.GET %",
        DJ
        + "class Search(View):\n    def get(self, request):\n        q = self.request.GET.get('q', '')\n        with connection.cursor() as c:\n            c.execute(\"SELECT * FROM t WHERE n = '%s'\" % q)\n        return HttpResponse('ok')\n",
        DJ
        + "class Search(View):\n    def get(self, request):\n        q = self.request.GET.get('q', '')\n        with connection.cursor() as c:\n            c.execute('SELECT * FROM t WHERE n = %s', [q])\n        return HttpResponse('ok')\n",
    ),
    (
        "sql",
        "BE001",
        "drf request.data via helper .format(**d)",
        DRF
        + "def build(d):\n    return \"SELECT * FROM t WHERE n = '{name}'\".format(**d)\nclass V(APIView):\n    def post(self, request):\n        with connection.cursor() as c:\n            c.execute(build(request.data))\n        return Response({})\n",
        DRF
        + "def build(d):\n    return 'SELECT * FROM t WHERE n = %(name)s'\nclass V(APIView):\n    def post(self, request):\n        with connection.cursor() as c:\n            c.execute(build(request.data), request.data)\n        return Response({})\n",
    ),
    (
        "sql",
        "BE001",
        "fastapi Annotated Query join",
        FA
        + "@app.get('/s')\ndef s(db, cols: Annotated[str, Query()]):\n    sql = ''.join(['SELECT ', cols, ' FROM t'])\n    return db.execute(text(sql)).all()\n",
        FA
        + "COLS = {'a': 'a', 'b': 'b'}\n@app.get('/s')\ndef s(db, cols: Annotated[str, Query()]):\n    sql = ''.join(['SELECT ', COLS.get(cols, 'a'), ' FROM t'])\n    return db.execute(text(sql)).all()\n",
    ),
    (
        "sql",
        "BE001",
        "blueprint values.get early return",
        BP
        + "@bp.get('/u')\ndef u():\n    name = request.values.get('name')\n    if not name:\n        return 'missing'\n    conn = sqlite3.connect('a.db')\n    return str(conn.execute('SELECT * FROM u WHERE n = ' + name).fetchall())\n",
        BP
        + "@bp.get('/u')\ndef u():\n    name = request.values.get('name')\n    if name not in ALLOWED:\n        return 'missing'\n    conn = sqlite3.connect('a.db')\n    return str(conn.execute('SELECT * FROM u WHERE n = ' + name).fetchall())\n",
    ),
    (
        "sql",
        "BE001",
        "aiohttp match_info dict container",
        AIO
        + "@routes.get('/i/{id}')\nasync def item(request):\n    params = {'id': request.match_info['id']}\n    q = 'SELECT * FROM t WHERE id = ' + params['id']\n    await request.app['db'].execute(q)\n    return web.Response(text='ok')\n",
        AIO
        + "@routes.get('/i/{id}')\nasync def item(request):\n    params = {'id': request.match_info['id'], 'tbl': 't'}\n    q = 'SELECT * FROM ' + params['tbl'] + ' WHERE id = $1'\n    await request.app['db'].execute(q, params['id'])\n    return web.Response(text='ok')\n",
    ),
    (
        "command",
        "BE016",
        "drf viewset self.kwargs",
        DRF
        + "class Jobs(ViewSet):\n    def retrieve(self, request, pk=None):\n        host = self.kwargs['pk']\n        out = subprocess.check_output('ping -c1 ' + host, shell=True)\n        return Response({'out': out})\n",
        DRF
        + "class Jobs(ViewSet):\n    def retrieve(self, request, pk=None):\n        host = self.kwargs['pk']\n        out = subprocess.check_output(['ping', '-c1', host])\n        return Response({'out': out})\n",
    ),
    (
        "command",
        "BE016",
        "django cbv kwargs loop",
        DJ
        + "class Run(View):\n    def get(self, request, *args, **kwargs):\n        cmd = 'ls'\n        for part in self.request.GET.getlist('p'):\n            cmd += ' ' + part\n        os.system(cmd)\n        return HttpResponse('ok')\n",
        DJ
        + "class Run(View):\n    def get(self, request, *args, **kwargs):\n        cmd = 'ls'\n        for part in self.request.GET.getlist('p'):\n            cmd += ' ' + str(int(part))\n        os.system(cmd)\n        return HttpResponse('ok')\n",
    ),
    (
        "command",
        "BE016",
        "fastapi pydantic body",
        FA
        + "class Job(BaseModel):\n    target: str\n@app.post('/run')\ndef run(job: Job):\n    return subprocess.run(f'nslookup {job.target}', shell=True).returncode\n",
        FA
        + "class Job(BaseModel):\n    target: str\n@app.post('/run')\ndef run(job: Job):\n    return subprocess.run(['nslookup', job.target]).returncode\n",
    ),
    (
        "command",
        "BE016",
        "blueprint get_json silent try/except",
        BP
        + "@bp.post('/x')\ndef x():\n    data = request.get_json(silent=True) or {}\n    try:\n        name = data['name']\n    except KeyError:\n        return 'bad'\n    os.popen('convert %s out.png' % name)\n    return 'ok'\n",
        BP
        + "@bp.post('/x')\ndef x():\n    data = request.get_json(silent=True) or {}\n    try:\n        name = data['name']\n    except KeyError:\n        return 'bad'\n    name = 'input.png'\n    os.popen('convert %s out.png' % name)\n    return 'ok'\n",
    ),
    (
        "path",
        "BE018",
        "django cbv kwargs open",
        DJ
        + "class Doc(View):\n    def get(self, request, name):\n        with open(os.path.join('/srv/docs', name)) as fh:\n            return HttpResponse(fh.read(), content_type='text/plain')\n",
        DJ
        + "class Doc(View):\n    def get(self, request, name):\n        with open(os.path.join('/srv/docs', os.path.basename(name))) as fh:\n            return HttpResponse(fh.read(), content_type='text/plain')\n",
    ),
    (
        "path",
        "BE018",
        "drf request.data helper remove",
        DRF
        + "def drop(p):\n    os.remove(p)\nclass Del(APIView):\n    def delete(self, request):\n        drop('/srv/files/' + request.data['file'])\n        return Response({})\n",
        DRF
        + "def drop(p):\n    os.remove(p)\nclass Del(APIView):\n    def delete(self, request):\n        drop('/srv/files/' + str(int(request.data['file'])))\n        return Response({})\n",
    ),
    (
        "path",
        "BE018",
        "aiohttp query open",
        AIO
        + "@routes.get('/f')\nasync def f(request):\n    name = request.query.get('n', '')\n    with open('/srv/f/' + name) as fh:\n        return web.Response(text=fh.read())\n",
        AIO
        + "@routes.get('/f')\nasync def f(request):\n    name = request.query.get('n', '')\n    if name not in {'a.txt', 'b.txt'}:\n        raise web.HTTPNotFound()\n    with open('/srv/f/' + name) as fh:\n        return web.Response(text=fh.read())\n",
    ),
    (
        "path",
        "BE018",
        "fastapi Annotated Query class attribute base",
        FA
        + "class Store:\n    BASE = '/srv/store'\n@app.get('/g')\ndef g(name: Annotated[str, Query()]):\n    return open(Store.BASE + '/' + name).read()\n",
        FA
        + "class Store:\n    BASE = '/srv/store'\n@app.get('/g')\ndef g(name: Annotated[str, Query()]):\n    return open(Store.BASE + '/' + 'index.txt').read()\n",
    ),
    (
        "ssrf",
        "BE019",
        "drf query_params requests.get",
        DRF
        + "class Proxy(APIView):\n    def get(self, request):\n        url = request.query_params.get('url')\n        return Response(requests.get(url, timeout=5).json())\n",
        DRF
        + "class Proxy(APIView):\n    def get(self, request):\n        url = request.query_params.get('url')\n        return Response(requests.get('https://api.example.com/v1/items', params={'u': url}, timeout=5).json())\n",
    ),
    (
        "ssrf",
        "BE019",
        "fastapi pydantic body hook",
        FA
        + "class Hook(BaseModel):\n    url: str\n@app.post('/hook')\ndef hook(h: Hook):\n    return requests.post(h.url, json={}, timeout=5).status_code\n",
        FA
        + "class Hook(BaseModel):\n    url: str\nHOOKS = 'https://hooks.example.com/in'\n@app.post('/hook')\ndef hook(h: Hook):\n    return requests.post(HOOKS, json={'url': h.url}, timeout=5).status_code\n",
    ),
    (
        "ssrf",
        "BE019",
        "blueprint values host format",
        BP
        + "@bp.get('/p')\ndef p():\n    host = request.values.get('host')\n    return requests.get('http://{}/status'.format(host), timeout=3).text\n",
        BP
        + "@bp.get('/p')\ndef p():\n    host = request.values.get('host')\n    if host not in ALLOWED:\n        return 'no'\n    return requests.get('http://{}/status'.format(host), timeout=3).text\n",
    ),
    (
        "xss",
        "BE020",
        "django cbv HttpResponse %",
        DJ
        + "class Hello(View):\n    def get(self, request):\n        return HttpResponse('<h1>Hello %s</h1>' % self.request.GET.get('name', ''))\n",
        DJ
        + "from django.utils.html import escape\nclass Hello(View):\n    def get(self, request):\n        return HttpResponse('<h1>Hello %s</h1>' % escape(self.request.GET.get('name', '')))\n",
    ),
    (
        "xss",
        "BE020",
        "fastapi HTMLResponse Annotated",
        FA
        + "@app.get('/h')\ndef h(q: Annotated[str, Query()]):\n    return HTMLResponse('<p>' + q + '</p>')\n",
        FA
        + "import html\n@app.get('/h')\ndef h(q: Annotated[str, Query()]):\n    return HTMLResponse('<p>' + html.escape(q) + '</p>')\n",
    ),
    (
        "xss",
        "BE020",
        "blueprint make_response join loop",
        BP
        + "@bp.get('/l')\ndef l():\n    items = []\n    for v in request.args.getlist('v'):\n        items.append('<li>' + v + '</li>')\n    return make_response(''.join(items))\n",
        BP
        + "from markupsafe import escape\n@bp.get('/l')\ndef l():\n    items = []\n    for v in request.args.getlist('v'):\n        items.append('<li>' + str(escape(v)) + '</li>')\n    return make_response(''.join(items))\n",
    ),
    (
        "redirect",
        "BE021",
        "django cbv next",
        DJ
        + "class Login(View):\n    def post(self, request):\n        nxt = self.request.POST.get('next', '/')\n        return redirect(nxt)\n",
        DJ
        + "from django.utils.http import url_has_allowed_host_and_scheme\nclass Login(View):\n    def post(self, request):\n        nxt = self.request.POST.get('next', '/')\n        if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):\n            nxt = '/'\n        return redirect(nxt)\n",
    ),
    (
        "redirect",
        "BE021",
        "fastapi RedirectResponse Annotated",
        FA
        + "@app.get('/go')\ndef go(to: Annotated[str, Query()]):\n    return RedirectResponse(to)\n",
        FA
        + "@app.get('/go')\ndef go(to: Annotated[str, Query()]):\n    return RedirectResponse('/items?to=' + to)\n",
    ),
    (
        "redirect",
        "BE021",
        "blueprint get_json silent",
        BP
        + "@bp.post('/r')\ndef r():\n    body = request.get_json(silent=True) or {}\n    return redirect(body.get('url', '/'))\n",
        BP
        + "@bp.post('/r')\ndef r():\n    body = request.get_json(silent=True) or {}\n    return redirect('/done#' + body.get('url', ''))\n",
    ),
    (
        "deserialize",
        "BE013",
        "drf request.data base64 pickle",
        DRF
        + "import base64\nclass Restore(APIView):\n    def post(self, request):\n        return Response(pickle.loads(base64.b64decode(request.data['state'])))\n",
        DRF
        + "import base64, json\nclass Restore(APIView):\n    def post(self, request):\n        return Response(json.loads(base64.b64decode(request.data['state'])))\n",
    ),
    (
        "deserialize",
        "BE013",
        "aiohttp post() helper",
        AIO
        + "def restore(blob):\n    return pickle.loads(blob)\n@routes.post('/r')\nasync def r(request):\n    form = await request.post()\n    return web.json_response(restore(form['blob']))\n",
        AIO
        + "CACHE = '/var/cache/app/state.pkl'\ndef restore():\n    with open(CACHE, 'rb') as fh:\n        return pickle.load(fh)\n@routes.post('/r')\nasync def r(request):\n    form = await request.post()\n    return web.json_response({'k': form['k'], 'v': restore()})\n",
    ),
    (
        "deserialize",
        "BE013",
        "django cbv FILES upload",
        DJ
        + "class Import(View):\n    def post(self, request):\n        obj = pickle.load(self.request.FILES['dump'])\n        return HttpResponse(str(obj))\n",
        DJ
        + "import json\nclass Import(View):\n    def post(self, request):\n        obj = json.load(self.request.FILES['dump'])\n        return HttpResponse(str(obj))\n",
    ),
    (
        "code",
        "BE017",
        "fastapi pydantic eval",
        FA
        + "class Expr(BaseModel):\n    expr: str\n@app.post('/calc')\ndef calc(e: Expr):\n    return {'v': eval(e.expr)}\n",
        FA
        + "import ast\nclass Expr(BaseModel):\n    expr: str\n@app.post('/calc')\ndef calc(e: Expr):\n    return {'v': ast.literal_eval(e.expr)}\n",
    ),
    (
        "code",
        "BE017",
        "drf viewset exec via dict",
        DRF
        + "class Hooks(ViewSet):\n    def create(self, request):\n        cfg = {'code': request.data.get('code', ''), 'name': 'x'}\n        exec(cfg['code'])\n        return Response({})\n",
        DRF
        + "class Hooks(ViewSet):\n    def create(self, request):\n        cfg = {'code': request.data.get('code', ''), 'name': 'x = 1'}\n        exec(cfg['name'])\n        return Response({})\n",
    ),
]


def style_cases() -> list[Case]:
    """Each pair as one true and one safe case."""
    out: list[Case] = []
    for category, code, label, true, safe in PAIRS:
        out.append(Case(category, code, True, f"style:{label}", true))
        out.append(Case(category, code, False, f"style:{label}", safe))
    return out
