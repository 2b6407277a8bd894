# ruff: noqa: E501  (handler sources read best one statement per line)
"""Hand-written handlers for BE023-BE028: flagged ones and safe look-alikes.

Each entry is (path, source); the path matters for the settings checks of BE025.
"""

from __future__ import annotations

FLASK = "from flask import Flask, request, session, make_response, abort\napp = Flask(__name__)\n"
DJANGO = "from django.http import HttpResponse, JsonResponse\n"
FASTAPI = "from fastapi import FastAPI, Query, Response\napp = FastAPI()\n"
LXML = "from lxml import etree\nimport xml.etree.ElementTree as ET\n"
LDAP = "import ldap\nimport ldap.filter\nfrom ldap3 import Connection, Server\nfrom ldap3.utils.conv import escape_filter_chars\nfrom ldap3.utils.dn import escape_rdn\n"
VIEW = "app/views.py"

POSITIVE: dict[str, list[tuple[str, str]]] = {
    "BE023": [
        (
            VIEW,
            FLASK
            + LXML
            + "TREE = etree.parse('catalog.xml')\n\n@app.route('/book')\ndef book():\n    title = request.args.get('title', '')\n    hits = TREE.xpath(\"//book[title='\" + title + \"']/price/text()\")\n    return {'prices': hits}\n",
        ),
        (
            VIEW,
            DJANGO
            + LXML
            + "def user_lookup(request):\n    doc = etree.parse('/srv/users.xml')\n    name = request.GET['name']\n    query = f\"//user[@login='{name}']\"\n    nodes = doc.xpath(query)\n    return JsonResponse({'found': len(nodes)})\n",
        ),
        (
            VIEW,
            FASTAPI
            + LXML
            + "@app.get('/feed/{section}')\ndef feed(section: str):\n    root = ET.parse('feed.xml').getroot()\n    items = root.findall(\".//item[@section='%s']\" % section)\n    return [i.findtext('title') for i in items]\n",
        ),
        (
            VIEW,
            FLASK
            + LXML
            + "@app.post('/search')\ndef search():\n    finder = etree.XPath('//entry[contains(., \"{}\")]'.format(request.form['q']))\n    return str(len(finder(etree.parse('entries.xml'))))\n",
        ),
        (
            VIEW,
            FLASK
            + LXML
            + "def by_attr(tree, attr, value):\n    return tree.xpath('//node[@%s=\"%s\"]' % (attr, value))\n\n@app.route('/nodes')\ndef nodes():\n    tree = etree.parse('graph.xml')\n    return str(by_attr(tree, 'id', request.args['id']))\n",
        ),
        (
            VIEW,
            DJANGO
            + LXML
            + "from rest_framework.views import APIView\n\nclass Products(APIView):\n    def get(self, request):\n        sku = request.query_params.get('sku')\n        root = etree.parse('products.xml').getroot()\n        node = root.find(f\".//product[@sku='{sku}']\")\n        return JsonResponse({'name': node.findtext('name')})\n",
        ),
    ],
    "BE024": [
        (
            VIEW,
            FLASK
            + LDAP
            + "@app.route('/login', methods=['POST'])\ndef login():\n    user = request.form['username']\n    conn = ldap.initialize('ldap://dir.internal')\n    found = conn.search_s('ou=people,dc=corp,dc=com', ldap.SCOPE_SUBTREE, '(uid=' + user + ')')\n    return 'ok' if found else abort(401)\n",
        ),
        (
            VIEW,
            DJANGO
            + LDAP
            + "def members(request, group):\n    conn = Connection(Server('ldap://dir'), auto_bind=True)\n    conn.search('ou=groups,dc=corp', f'(&(objectClass=group)(cn={group}))', attributes=['member'])\n    return JsonResponse({'members': [str(e) for e in conn.entries]})\n",
        ),
        (
            VIEW,
            FASTAPI
            + LDAP
            + "@app.get('/people')\ndef people(mail: str = Query(...)):\n    l = ldap.initialize('ldap://dir')\n    flt = '(mail=%s)' % mail\n    return l.search_ext_s('dc=corp', ldap.SCOPE_SUBTREE, filterstr=flt)\n",
        ),
        (
            VIEW,
            FLASK
            + LDAP
            + "@app.post('/bind')\ndef bind():\n    dn = 'uid={},ou=people,dc=corp'.format(request.form['user'])\n    l = ldap.initialize('ldap://dir')\n    l.simple_bind_s(dn, request.form['password'])\n    return 'welcome'\n",
        ),
        (
            VIEW,
            FLASK
            + LDAP
            + "def directory_filter(term):\n    return '(|(cn=*' + term + '*)(sn=*' + term + '*))'\n\n@app.route('/find')\ndef find():\n    ldap_conn = Connection('ldap://dir', auto_bind=True)\n    ldap_conn.search(search_base='dc=corp', search_filter=directory_filter(request.args['q']))\n    return str(ldap_conn.entries)\n",
        ),
    ],
    "BE025": [
        (
            VIEW,
            FLASK
            + "@app.post('/login')\ndef login():\n    resp = make_response('ok')\n    resp.set_cookie('session_token', new_token())\n    return resp\n",
        ),
        (
            VIEW,
            DJANGO
            + "def remember(request):\n    response = HttpResponse('ok')\n    response.set_cookie('remember_me', request.user.remember_token, max_age=3600 * 24 * 30, secure=True)\n    return response\n",
        ),
        (
            VIEW,
            FASTAPI
            + "@app.post('/token')\ndef token(response: Response):\n    access_token = issue()\n    response.set_cookie(key='access', value=access_token, httponly=True, secure=False)\n    return {'ok': True}\n",
        ),
        (
            "myproject/settings/production.py",
            "SECURE_SSL_REDIRECT = True\nSESSION_COOKIE_SECURE = False\n",
        ),
        (
            "app/__init__.py",
            "from flask import Flask\napp = Flask(__name__)\napp.config.update(SECRET_KEY=load_key(), SESSION_COOKIE_HTTPONLY=False)\n",
        ),
        (
            VIEW,
            DJANGO
            + "def sso(request):\n    response = HttpResponse('ok')\n    response.cookies['sessionid'] = make_sid()\n    response.cookies['sessionid']['httponly'] = True\n    return response\n",
        ),
    ],
    "BE026": [
        (
            "app/tokens.py",
            "import random\nimport string\n\ndef generate_api_token(length=40):\n    alphabet = string.ascii_letters + string.digits\n    return ''.join(random.choice(alphabet) for _ in range(length))\n",
        ),
        (
            "app/auth.py",
            "import random\n\ndef send_otp(user):\n    code = random.randint(100000, 999999)\n    user.otp_code = str(code)\n    sms.send(user.phone, f'Your code is {code}')\n",
        ),
        (
            "app/views.py",
            DJANGO
            + "import random\n\ndef forgot(request):\n    user = User.objects.get(email=request.POST['email'])\n    user.password_reset_key = '%032x' % random.getrandbits(128)\n    user.save()\n    return HttpResponse('sent')\n",
        ),
        (
            "app/users.py",
            "from random import choices\nimport string\n\ndef create_user(email):\n    return User.objects.create_user(email=email, password=''.join(choices(string.printable, k=12)))\n",
        ),
        (
            "app/session.py",
            FLASK
            + "import random\n\n@app.route('/start')\ndef start():\n    resp = make_response('hi')\n    resp.set_cookie('sid', str(random.random())[2:], secure=True, httponly=True)\n    return resp\n",
        ),
        (
            "app/crypto.py",
            "import random\n\ndef new_salt():\n    salt = bytes(random.randrange(256) for _ in range(16))\n    return salt\n",
        ),
    ],
    "BE027": [
        (
            "app/webhooks.py",
            "import hashlib\nfrom django.conf import settings\n\ndef sign_payload(body):\n    return hashlib.md5((settings.SECRET_KEY + body).encode()).hexdigest()\n",
        ),
        (
            "app/links.py",
            "import hashlib\nimport time\n\ndef invite(user):\n    token = hashlib.sha1(f'{user.email}{time.time()}'.encode()).hexdigest()\n    Invite.objects.create(user=user, token=token)\n",
        ),
        (
            "app/api.py",
            "import hashlib\n\ndef response_with_signature(data, api_secret):\n    digest = hashlib.new('sha1', (api_secret + data).encode()).hexdigest()\n    return {'data': data, 'digest': digest}\n",
        ),
        (
            "app/downloads.py",
            "from Crypto.Hash import MD5\n\ndef signed_url(path, expires):\n    signature = MD5.new(f'{path}{expires}'.encode()).hexdigest()\n    return f'{path}?e={expires}&sig={signature}'\n",
        ),
        (
            "app/api_keys.py",
            "import hashlib\nimport os\n\ndef rotate(client):\n    client.update(api_key=hashlib.md5(os.urandom(8)).hexdigest())\n",
        ),
    ],
    "BE028": [
        (
            VIEW,
            FLASK
            + "@app.post('/login')\ndef login():\n    session['user_id'] = request.form['user_id']\n    return 'ok'\n",
        ),
        (
            VIEW,
            DJANGO
            + "def impersonate(request):\n    role = request.GET.get('role', 'viewer')\n    request.session['role'] = role\n    return HttpResponse('ok')\n",
        ),
        (
            VIEW,
            FLASK
            + "@app.post('/prefs')\ndef prefs():\n    for key, value in request.form.items():\n        session[key] = value\n    return 'saved'\n",
        ),
        (
            VIEW,
            FASTAPI
            + "from starlette.requests import Request\n\n@app.post('/tenant')\nasync def tenant(request: Request):\n    form = await request.form()\n    request.session.update({'tenant_id': form['tenant']})\n    return {}\n",
        ),
        (
            VIEW,
            FLASK
            + "@app.route('/elevate')\ndef elevate():\n    session.update(is_admin=request.args.get('admin') == 'yes', username=request.args['as'])\n    return 'ok'\n",
        ),
        (
            VIEW,
            DJANGO
            + "from rest_framework.views import APIView\n\nclass Switch(APIView):\n    def post(self, request):\n        request.session['account'] = request.data['account']\n        return JsonResponse({})\n",
        ),
    ],
}

NEGATIVE: dict[str, list[tuple[str, str]]] = {
    "BE023": [
        (
            VIEW,
            FLASK
            + LXML
            + "TREE = etree.parse('catalog.xml')\n\n@app.route('/book')\ndef book():\n    hits = TREE.xpath(\"//book[title=$t]/price/text()\", t=request.args.get('title', ''))\n    return {'prices': hits}\n",
        ),
        (
            VIEW,
            DJANGO
            + LXML
            + "def by_id(request, item):\n    doc = etree.parse('/srv/items.xml')\n    nodes = doc.xpath('//item[@id=%d]' % int(item))\n    return JsonResponse({'n': len(nodes)})\n",
        ),
        (
            VIEW,
            FLASK
            + LXML
            + "SECTIONS = {'news', 'sport'}\n\n@app.route('/feed')\ndef feed():\n    section = request.args['section']\n    if section not in SECTIONS:\n        abort(404)\n    root = ET.parse('feed.xml').getroot()\n    return str(root.findall(f\".//item[@section='{section}']\"))\n",
        ),
        (
            VIEW,
            FLASK
            + LXML
            + "@app.route('/where')\ndef where():\n    q = request.args['q']\n    pos = q.find(request.args.get('needle', ' '))\n    return str(pos)\n",
        ),
        (
            VIEW,
            FASTAPI
            + LXML
            + "@app.get('/items')\ndef items(tag: str):\n    root = ET.parse('items.xml').getroot()\n    titles = [e.text for e in root.findall('.//item/title')]\n    return [t for t in titles if tag in t]\n",
        ),
        (
            VIEW,
            FLASK
            + LXML
            + "@app.route('/x')\ndef x():\n    path = '//user'\n    mode = 3\n    if mode * 2 > 10:\n        path = '//user[@n=\"' + request.args['n'] + '\"]'\n    return str(etree.parse('u.xml').xpath(path))\n",
        ),
    ],
    "BE024": [
        (
            VIEW,
            FLASK
            + LDAP
            + "@app.route('/login', methods=['POST'])\ndef login():\n    user = ldap.filter.escape_filter_chars(request.form['username'])\n    conn = ldap.initialize('ldap://dir.internal')\n    return str(conn.search_s('ou=people,dc=corp', ldap.SCOPE_SUBTREE, '(uid=' + user + ')'))\n",
        ),
        (
            VIEW,
            DJANGO
            + LDAP
            + "def members(request, group):\n    conn = Connection(Server('ldap://dir'), auto_bind=True)\n    conn.search('ou=groups,dc=corp', f'(&(objectClass=group)(cn={escape_filter_chars(group)}))')\n    return JsonResponse({'n': len(conn.entries)})\n",
        ),
        (
            VIEW,
            FLASK
            + LDAP
            + "@app.route('/people')\ndef people():\n    l = ldap.initialize('ldap://dir')\n    flt = ldap.filter.filter_format('(mail=%s)', [request.args['mail']])\n    return str(l.search_s('dc=corp', ldap.SCOPE_SUBTREE, flt))\n",
        ),
        (
            VIEW,
            FLASK
            + LDAP
            + "import re\n\n@app.route('/check')\ndef check():\n    name = request.args['name']\n    if re.search(r'[()*]', name):\n        abort(400)\n    return 'fine'\n",
        ),
        (
            VIEW,
            FLASK
            + LDAP
            + "@app.post('/bind')\ndef bind():\n    dn = 'uid={},ou=people,dc=corp'.format(escape_rdn(request.form['user']))\n    l = ldap.initialize('ldap://dir')\n    l.simple_bind_s(dn, request.form['password'])\n    return 'welcome'\n",
        ),
        (
            VIEW,
            FLASK
            + LDAP
            + "@app.route('/staff')\ndef staff():\n    conn = Connection('ldap://dir', auto_bind=True)\n    conn.search('ou=staff,dc=corp', '(objectClass=person)', attributes=[request.args.get('attr', 'cn')][:0] or ['cn'])\n    return str(conn.entries)\n",
        ),
    ],
    "BE025": [
        (
            VIEW,
            FLASK
            + "@app.route('/theme/<name>')\ndef theme(name):\n    resp = make_response('ok')\n    resp.set_cookie('theme', name, max_age=31536000)\n    return resp\n",
        ),
        (
            VIEW,
            FLASK
            + "@app.post('/login')\ndef login():\n    resp = make_response('ok')\n    resp.set_cookie('session_token', new_token(), secure=True, httponly=True, samesite='Lax')\n    return resp\n",
        ),
        (
            VIEW,
            DJANGO
            + "def lang(request):\n    response = HttpResponse('ok')\n    response.set_cookie('django_language', request.GET['lang'])\n    response.set_cookie('csrftoken', get_token(request), secure=True)\n    return response\n",
        ),
        (
            "myproject/settings/dev.py",
            "from .base import *\nDEBUG = True\nSESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n",
        ),
        (
            "myproject/settings.py",
            "import os\nDEBUG = os.environ.get('DEBUG') == '1'\nSESSION_COOKIE_SECURE = not DEBUG\nCSRF_COOKIE_HTTPONLY = False\n",
        ),
        (
            "app/config.py",
            "class DevelopmentConfig:\n    SESSION_COOKIE_SECURE = False\n\nclass ProductionConfig:\n    SESSION_COOKIE_SECURE = True\n",
        ),
        (
            VIEW,
            FASTAPI
            + "@app.post('/token')\ndef token(response: Response):\n    response.set_cookie(key='access', value=issue(), **COOKIE_OPTS)\n    response.set_cookie('banner_dismissed', '1')\n    return {'ok': True}\n",
        ),
    ],
    "BE026": [
        (
            "app/retry.py",
            "import random\nimport time\n\ndef call_with_backoff(fn, attempts=5):\n    for attempt in range(attempts):\n        try:\n            return fn()\n        except IOError:\n            time.sleep(2 ** attempt + random.uniform(0, 1))\n",
        ),
        (
            "app/tokens.py",
            "import secrets\nimport random\n\ndef generate_api_token():\n    return secrets.token_urlsafe(32)\n\ndef pick_server(servers):\n    return random.choice(servers)\n",
        ),
        (
            "app/seed.py",
            "import random\n\ndef make_sample_users(n):\n    names = ['ann', 'bob', 'cy']\n    return [{'name': random.choice(names), 'age': random.randint(18, 90)} for _ in range(n)]\n",
        ),
        (
            "app/tokens2.py",
            "import random\nimport string\n\nrng = random.SystemRandom()\n\ndef generate_token(n=32):\n    return ''.join(rng.choice(string.ascii_letters) for _ in range(n))\n",
        ),
        (
            "app/quiz.py",
            "import random\n\ndef next_question(questions, token):\n    random.shuffle(questions)\n    delay_token = random.random()\n    return questions[0]\n",
        ),
        (
            "app/ab.py",
            "import random\n\ndef variant_for(user):\n    bucket = random.randint(0, 99)\n    return 'b' if bucket < 10 else 'a'\n",
        ),
    ],
    "BE027": [
        (
            "app/cache.py",
            "import hashlib\n\ndef cache_key(url, params):\n    return 'page:' + hashlib.md5((url + repr(params)).encode()).hexdigest()\n",
        ),
        (
            "app/views.py",
            DJANGO
            + "import hashlib\n\ndef asset(request, body):\n    etag = hashlib.md5(body).hexdigest()\n    response = HttpResponse(body)\n    response['ETag'] = etag\n    return response\n",
        ),
        (
            "app/files.py",
            "import hashlib\n\ndef store(upload):\n    checksum = hashlib.sha1(upload.read()).hexdigest()\n    return Blob.objects.get_or_create(checksum=checksum)\n",
        ),
        (
            "app/avatars.py",
            "import hashlib\n\ndef gravatar_url(email):\n    return 'https://www.gravatar.com/avatar/' + hashlib.md5(email.lower().encode()).hexdigest()\n",
        ),
        (
            "app/webhooks.py",
            "import hashlib\nimport hmac\n\ndef sign_payload(secret, body):\n    return hmac.new(secret, body, hashlib.sha1).hexdigest()\n\ndef token_digest(token):\n    return hashlib.md5(token.encode(), usedforsecurity=False).hexdigest()\n",
        ),
        (
            "app/auth.py",
            "import hashlib\n\ndef check_password(user, password):\n    return user.pw_hash == hashlib.md5(password.encode()).hexdigest()\n",
        ),
    ],
    "BE028": [
        (
            VIEW,
            FLASK
            + "@app.route('/search')\ndef search():\n    session['last_query'] = request.args.get('q', '')\n    session['theme'] = request.cookies.get('theme')\n    return 'ok'\n",
        ),
        (
            VIEW,
            DJANGO
            + "def login_view(request):\n    user = authenticate(request, username=request.POST['username'], password=request.POST['password'])\n    if user is None:\n        return HttpResponse(status=401)\n    request.session['user_id'] = user.pk\n    return HttpResponse('ok')\n",
        ),
        (
            VIEW,
            FLASK
            + "ROLES = {'viewer', 'editor'}\n\n@app.post('/role')\ndef role():\n    wanted = request.form['role']\n    if wanted not in ROLES:\n        abort(400)\n    session['role'] = wanted\n    return 'ok'\n",
        ),
        (
            VIEW,
            DJANGO
            + "def pick_account(request):\n    form = AccountForm(request.POST)\n    if form.is_valid():\n        request.session['account_id'] = form.cleaned_data['account'].pk\n    return HttpResponse('ok')\n",
        ),
        (
            VIEW,
            FLASK
            + "@app.post('/page')\ndef page():\n    session['user_page'] = 1\n    session['user_id'] = int(request.form['uid'])\n    session.update(cart=request.form.getlist('items'))\n    return 'ok'\n",
        ),
        (
            VIEW,
            FLASK
            + "@app.post('/x')\ndef x():\n    user = 'anonymous'\n    flag = 4\n    if flag - 4:\n        user = request.form['user']\n    session['username'] = user\n    return 'ok'\n",
        ),
    ],
}
