# ruff: noqa: E501  (handler sources read best one statement per line)
"""Hand-written handlers per taint rule: flagged ones and safe look-alikes."""

from __future__ import annotations

FLASK = "from flask import Flask, request, redirect, make_response, send_file\n"
FLASK += "import os, subprocess, requests\n"
DJANGO = "from django.http import HttpResponse, HttpResponseRedirect\n"
DJANGO += "from django.shortcuts import redirect\nimport os, subprocess\n"
FASTAPI = "from fastapi import FastAPI, Query\nfrom fastapi.responses import HTMLResponse\n"
FASTAPI += "import subprocess, httpx, os\n"

POSITIVE: dict[str, list[str]] = {
    "BE016": [
        FLASK + "@app.route('/ping')\ndef ping():\n    host = request.args.get('host')\n"
        "    return subprocess.check_output(f'ping -c1 {host}', shell=True)\n",
        FLASK
        + "@app.post('/x')\ndef x():\n    os.system('tar czf out.tgz ' + request.form['dir'])\n",
        DJANGO + "def convert(request, name):\n    os.popen('convert %s out.png' % name)\n",
        FASTAPI + "@app.get('/run')\ndef run(tool: str = Query(...)):\n"
        "    subprocess.run([tool, '--version'])\n",
        FLASK + "def build(arg):\n    return 'git log ' + arg\n\n@app.route('/log')\n"
        "def log():\n    cmd = build(request.args['rev'])\n    subprocess.call(cmd, shell=True)\n",
        FLASK + "def run_it(cmd):\n    os.system(cmd)\n\n@app.route('/r')\ndef r():\n"
        "    run_it(request.values.get('c'))\n",
    ],
    "BE017": [
        FLASK + "@app.route('/calc')\ndef calc():\n    return str(eval(request.args['expr']))\n",
        FLASK + "from flask import render_template_string\n@app.route('/hi')\ndef hi():\n"
        "    name = request.args.get('name')\n"
        "    return render_template_string('<p>Hello ' + name + '</p>')\n",
        DJANGO + "def run(request):\n    code = request.POST['code']\n    exec(code)\n",
        FASTAPI
        + "@app.post('/f')\ndef f(formula: str):\n    return eval(f'lambda x: {formula}')\n",
        FLASK + "@app.route('/c')\ndef c():\n    parts = [request.json['a'], '+1']\n"
        "    return eval(''.join(parts))\n",
    ],
    "BE018": [
        FLASK + "@app.route('/dl')\ndef dl():\n    return send_file(os.path.join('files', "
        "request.args['name']))\n",
        FLASK + "@app.route('/read')\ndef read():\n    path = 'uploads/' + request.args.get('f')\n"
        "    with open(path) as fh:\n        return fh.read()\n",
        DJANGO + "def delete(request):\n    os.remove('/srv/media/' + request.GET['file'])\n",
        FASTAPI + "@app.get('/files/{name}')\ndef files(name: str):\n"
        "    return open(f'/data/{name}').read()\n",
        FLASK + "import shutil\n@app.route('/rm')\ndef rm():\n    d = request.form['dir']\n"
        "    target = '/tmp/' + d.strip()\n    shutil.rmtree(target)\n",
    ],
    "BE019": [
        FLASK
        + "@app.route('/proxy')\ndef proxy():\n    return requests.get(request.args['url']).text\n",
        FASTAPI + "@app.get('/fetch')\nasync def fetch(url: str):\n"
        "    async with httpx.AsyncClient() as client:\n        return (await client.get(url)).text\n",
        DJANGO + "import requests\ndef hook(request):\n"
        "    requests.post(request.POST['callback'], json={})\n",
        FLASK + "import urllib.request\n@app.route('/img')\ndef img():\n"
        "    host = request.args.get('host')\n"
        "    return urllib.request.urlopen('http://' + host + '/logo.png').read()\n",
        FLASK + "@app.route('/s')\ndef s():\n    session = requests.Session()\n"
        "    target = request.json.get('target')\n    return session.get(target).text\n",
    ],
    "BE020": [
        FLASK + "@app.route('/hello')\ndef hello():\n"
        "    return make_response('<h1>' + request.args['name'] + '</h1>')\n",
        DJANGO + "def search(request):\n    q = request.GET.get('q', '')\n"
        "    return HttpResponse(f'<p>Results for {q}</p>')\n",
        FASTAPI + "@app.get('/greet', response_class=HTMLResponse)\ndef greet(name: str):\n"
        "    return HTMLResponse(content=f'<b>{name}</b>')\n",
        FLASK + "from markupsafe import Markup\n@app.route('/m')\ndef m():\n"
        "    return Markup(request.cookies.get('theme'))\n",
        DJANGO + "from django.utils.safestring import mark_safe\ndef bio(request):\n"
        "    bio = request.POST['bio']\n    return HttpResponse(mark_safe(bio))\n",
    ],
    "BE021": [
        FLASK
        + "@app.route('/login')\ndef login():\n    return redirect(request.args.get('next'))\n",
        DJANGO + "def go(request):\n    return HttpResponseRedirect(request.GET['to'])\n",
        FASTAPI + "from fastapi.responses import RedirectResponse\n@app.get('/out')\n"
        "def out(url: str):\n    return RedirectResponse(url)\n",
        DJANGO + "def back(request):\n    target = request.META.get('HTTP_REFERER')\n"
        "    return redirect(target)\n",
        FLASK + "@app.route('/r')\ndef r():\n    nxt = request.form['next']\n"
        "    if nxt.startswith('/'):\n        pass\n    return redirect(nxt)\n",
    ],
    "BE022": [
        FLASK + "from lxml import etree\n@app.post('/xml')\ndef xml():\n"
        "    return etree.fromstring(request.data).tag\n",
        DJANGO + "from lxml import etree\ndef upload(request):\n"
        "    tree = etree.parse(request.FILES['doc'])\n    return HttpResponse(tree.getroot().tag)\n",
        FLASK + "import xml.sax\n@app.post('/sax')\ndef sax():\n"
        "    xml.sax.parseString(request.get_data(), handler)\n",
        FASTAPI + "from lxml import etree\n@app.post('/p')\ndef p(body: str):\n"
        "    return etree.XML(body.encode()).tag\n",
        FLASK + "from lxml import etree\n@app.post('/x2')\ndef x2():\n"
        "    payload = request.get_data()\n    doc = etree.fromstring(payload)\n",
    ],
}

NEGATIVE: dict[str, list[str]] = {
    "BE016": [
        FLASK + "@app.route('/ping')\ndef ping():\n    host = request.args.get('host')\n"
        "    num = 86\n    if 7 * 42 - num > 200:\n        host = 'localhost'\n"
        "    return subprocess.check_output(f'ping -c1 {host}', shell=True)\n",
        FLASK + "import shlex\n@app.post('/x')\ndef x():\n"
        "    os.system('tar czf out.tgz ' + shlex.quote(request.form['dir']))\n",
        FLASK + "@app.route('/p')\ndef p():\n    host = request.args['h']\n"
        "    subprocess.run(['ping', '-c1', host])\n",
        FLASK + "ALLOWED = {'status', 'log'}\n@app.route('/git')\ndef git():\n"
        "    cmd = request.args['cmd']\n    if cmd not in ALLOWED:\n        abort(400)\n"
        "    os.system('git ' + cmd)\n",
        "import subprocess\ndef deploy():\n    subprocess.run('make deploy', shell=True)\n",
        FLASK + "@app.route('/n')\ndef n():\n    count = int(request.args['n'])\n"
        "    os.system(f'seq {count}')\n",
    ],
    "BE017": [
        FLASK + "import ast\n@app.route('/calc')\ndef calc():\n"
        "    return str(ast.literal_eval(request.args['expr']))\n",
        FLASK + "from flask import render_template_string\n@app.route('/hi')\ndef hi():\n"
        "    return render_template_string('<p>Hello {{ name }}</p>', name=request.args['n'])\n",
        FLASK + "@app.route('/c')\ndef c():\n    expr = request.args['e']\n    expr = '1 + 1'\n"
        "    return str(eval(expr))\n",
        "def load_plugin(path):\n    with open(path) as fh:\n        exec(fh.read())\n",
        FLASK + "@app.route('/c2')\ndef c2():\n    parts = ['1', request.json['a']]\n"
        "    return eval(parts[0])\n",
    ],
    "BE018": [
        FLASK + "from werkzeug.utils import secure_filename\n@app.route('/dl')\ndef dl():\n"
        "    return send_file(os.path.join('files', secure_filename(request.args['name'])))\n",
        FLASK + "BASE = '/srv/files'\n@app.route('/read')\ndef read():\n"
        "    path = os.path.realpath(os.path.join(BASE, request.args['f']))\n"
        "    if not path.startswith(BASE):\n        abort(403)\n    return open(path).read()\n",
        FASTAPI + "@app.get('/files/{file_id}')\ndef files(file_id: int):\n"
        "    return open(f'/data/{file_id}.json').read()\n",
        DJANGO + "def report(request):\n    with open('/srv/report.csv') as fh:\n"
        "        return HttpResponse(fh.read())\n",
        FLASK + "@app.route('/n')\ndef n():\n    name = request.args['n']\n"
        "    if name in {'a.txt', 'b.txt'}:\n        return open(name).read()\n    abort(404)\n",
    ],
    "BE019": [
        FLASK + "@app.route('/proxy')\ndef proxy():\n"
        "    return requests.get('https://api.example.com/items', "
        "params={'q': request.args['q']}).text\n",
        FLASK + "HOSTS = {'a.example.com'}\n@app.route('/f')\ndef f():\n"
        "    host = request.args['host']\n    if host not in HOSTS:\n        abort(400)\n"
        "    return requests.get('https://' + host).text\n",
        "import requests\ndef sync():\n    return requests.get('https://example.com/feed').json()\n",
        FASTAPI + "@app.get('/u/{uid}')\nasync def u(uid: int):\n"
        "    async with httpx.AsyncClient() as client:\n"
        "        return (await client.get(f'https://api.example.com/u/{uid}')).json()\n",
        DJANGO + "import requests\ndef hook(request):\n    url = request.POST['cb']\n"
        "    url = 'https://hooks.example.com/default'\n    requests.post(url, json={})\n",
    ],
    "BE020": [
        FLASK + "from markupsafe import escape\n@app.route('/hello')\ndef hello():\n"
        "    return make_response('<h1>' + escape(request.args['name']) + '</h1>')\n",
        DJANGO
        + "import html\ndef search(request):\n    q = html.escape(request.GET.get('q', ''))\n"
        "    return HttpResponse(f'<p>Results for {q}</p>')\n",
        FASTAPI + "@app.get('/n', response_class=HTMLResponse)\ndef n(count: int):\n"
        "    return HTMLResponse(content=f'<b>{count}</b>')\n",
        FLASK + "from flask import render_template\n@app.route('/t')\ndef t():\n"
        "    return render_template('t.html', name=request.args['name'])\n",
        DJANGO + "def ok(request):\n    name = request.GET['n']\n"
        "    if name.isalnum():\n        return HttpResponse('<p>' + name + '</p>')\n"
        "    return HttpResponse('bad')\n",
    ],
    "BE021": [
        FLASK + "from flask import url_for\n@app.route('/login')\ndef login():\n"
        "    return redirect(url_for('index'))\n",
        DJANGO + "from django.utils.http import url_has_allowed_host_and_scheme\n"
        "def go(request):\n    to = request.GET['to']\n"
        "    if not url_has_allowed_host_and_scheme(to, allowed_hosts={request.get_host()}):\n"
        "        to = '/'\n    return HttpResponseRedirect(to)\n",
        FLASK + "SAFE = {'/home', '/settings'}\n@app.route('/r')\ndef r():\n"
        "    nxt = request.args['next']\n    if nxt in SAFE:\n        return redirect(nxt)\n"
        "    return redirect('/')\n",
        DJANGO + "def back(request, pk: int):\n    return redirect(f'/items/{int(pk)}/')\n",
        FLASK + "@app.route('/o')\ndef o():\n    target = request.args.get('next')\n"
        "    target = '/dashboard'\n    return redirect(target)\n",
    ],
    "BE022": [
        FLASK + "from defusedxml import ElementTree\n@app.post('/xml')\ndef xml():\n"
        "    return ElementTree.fromstring(request.data).tag\n",
        "from lxml import etree\ndef load_config():\n    return etree.parse('config.xml')\n",
        FLASK + "import json\n@app.post('/j')\ndef j():\n    return json.loads(request.data)\n",
        FLASK + "from lxml import etree\nTEMPLATE = '<a/>'\n@app.post('/t')\ndef t():\n"
        "    return etree.fromstring(TEMPLATE).tag\n",
        FLASK + "from lxml import etree\n@app.post('/x')\ndef x():\n    doc = request.data\n"
        "    if False:\n        etree.fromstring(doc)\n",
    ],
}
