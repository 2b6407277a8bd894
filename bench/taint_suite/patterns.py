"""Labelled cases for the pattern rules BE025-BE027: what a value is named and where it goes.

Written here (not taken from any published suite): each true case puts a weak primitive
where a secret lands (a token, a signature, a session cookie); each safe look-alike uses
the same primitive for an identifier or a preference, or the strong primitive for the
secret.
"""

from __future__ import annotations

import itertools

from taint_suite.generate import Case

_RANDOM_HEAD = "import random, secrets, string\nALPHABET = string.ascii_letters + string.digits\n"
_RANDOM_HEAD += "SYS = random.SystemRandom()\n\n"
_RANDOM_GENS = [
    "''.join(random.choice(ALPHABET) for _ in range(32))",
    "str(random.randint(100000, 999999))",
    "'%032x' % random.getrandbits(128)",
    "''.join(random.choices(ALPHABET, k=20))",
]
_RANDOM_STRONG = [
    "secrets.token_urlsafe(32)",
    "''.join(secrets.choice(ALPHABET) for _ in range(32))",
]
_SECRET_DESTS = [
    "def issue(user):\n    token = {G}\n    user.save(token)\n",
    "def forgot(user):\n    user.reset_code = {G}\n    user.save()\n",
    "def generate_api_key():\n    return {G}\n",
    "def login(resp):\n    resp.set_cookie('sid', {G}, secure=True, httponly=True)\n",
    "def create(User, email):\n    return User.objects.create_user(email, password={G})\n",
    "def challenge():\n    return {{'otp': {G}, 'ttl': 300}}\n",
    "def sign_up(store):\n    nonce = {G}\n    store.put(nonce)\n",
    "def new_salt():\n    salt = {G}\n    return salt\n",
]
_PLAIN_DESTS = [
    "def seed(users):\n    sample_name = {G}\n    users.append(sample_name)\n",
    "def paint(widget):\n    widget.color = {G}\n",
    "def pick_variant():\n    return {G}\n",
    "def log_it(log):\n    log.info('request %s', {G})\n",
]

_HASH_HEAD = "import hashlib, hmac\nSECRET_KEY = load_key()\n\n"
_HASH_WEAK = [
    "hashlib.md5(payload).hexdigest()",
    "hashlib.sha1(payload).hexdigest()",
    "hashlib.new('md5', payload).hexdigest()",
    "hashlib.sha1(SECRET_KEY + payload).hexdigest()",
]
_HASH_STRONG = [
    "hmac.new(SECRET_KEY, payload, hashlib.sha256).hexdigest()",
    "hashlib.sha256(payload).hexdigest()",
]
_HASH_SECRET_DESTS = [
    "def sign(payload):\n    signature = {H}\n    return payload, signature\n",
    "def issue(payload, user):\n    token = {H}\n    user.save(token)\n",
    "def sign_request(payload):\n    return {H}\n",
    "def envelope(payload):\n    return {{'sig': {H}, 'body': payload}}\n",
    "def rotate(payload, client):\n    client.update(api_token={H})\n",
    "def forgot(payload, user):\n    user.reset_token = {H}\n",
]
_HASH_PLAIN_DESTS = [
    "def tag(payload, response):\n    etag = {H}\n    response['ETag'] = etag\n",
    "def lookup(payload, cache):\n    cache_key = 'page:' + {H}\n    return cache.get(cache_key)\n",
    "def store(payload, Blob):\n    checksum = {H}\n    return Blob(checksum=checksum)\n",
    "def avatar_url(payload):\n    return 'https://www.gravatar.com/avatar/' + {H}\n",
]

_COOKIE_HEADS = [
    "from flask import make_response\n\ndef view(value):\n    resp = make_response('ok')\n",
    "from django.http import HttpResponse\n\ndef view(request, value):\n"
    "    resp = HttpResponse('ok')\n",
    "from fastapi import Response\n\ndef view(resp: Response, value: str):\n",
]
_SECRET_COOKIES = ["session", "sessionid", "auth_token", "remember_token", "jwt",
                   "access_token", "refresh_token", "sid"]  # fmt: skip
_PLAIN_COOKIES = ["theme", "lang", "banner_dismissed", "tz", "sidebar", "csrftoken"]
_WEAK_CALLS = [
    "resp.set_cookie('{N}', value)",
    "resp.set_cookie('{N}', value, secure=True)",
    "resp.set_cookie('{N}', value, httponly=True, secure=False)",
]
_STRONG_CALL = "resp.set_cookie('{N}', value, secure=True, httponly=True, samesite='Lax')"


def _random(per_class: int) -> list[Case]:
    true = [(d, g) for d, g in itertools.product(_SECRET_DESTS, _RANDOM_GENS)]
    safe = [(d, g) for d, g in itertools.product(_PLAIN_DESTS, _RANDOM_GENS)]
    safe += [(d, g) for d, g in itertools.product(_SECRET_DESTS, _RANDOM_STRONG)]
    return _cases("random", "BE026", _RANDOM_HEAD, "{G}", true, safe, per_class)


def _hash(per_class: int) -> list[Case]:
    true = list(itertools.product(_HASH_SECRET_DESTS, _HASH_WEAK))
    safe = list(itertools.product(_HASH_PLAIN_DESTS, _HASH_WEAK))
    safe += list(itertools.product(_HASH_SECRET_DESTS[:4], _HASH_STRONG))
    return _cases("hash", "BE027", _HASH_HEAD, "{H}", true, safe, per_class)


def _cookie(per_class: int) -> list[Case]:
    out: list[Case] = []
    heads = itertools.cycle(_COOKIE_HEADS)
    true = [(n, c) for c in _WEAK_CALLS for n in _SECRET_COOKIES]
    safe = [(n, c) for c in _WEAK_CALLS for n in _PLAIN_COOKIES]
    safe += [(n, _STRONG_CALL) for n in _SECRET_COOKIES]
    for vulnerable, rows in ((True, true), (False, safe)):
        for name, call in rows[:per_class]:
            body = "    " + call.replace("{N}", name) + "\n    return resp\n"
            out.append(Case("cookie", "BE025", vulnerable, f"{name}: {call}", next(heads) + body))
    return out


def _cases(
    category: str,
    code: str,
    head: str,
    hole: str,
    true: list[tuple[str, str]],
    safe: list[tuple[str, str]],
    per_class: int,
) -> list[Case]:
    out: list[Case] = []
    for vulnerable, rows in ((True, true), (False, safe)):
        for dest, value in rows[:per_class]:
            source = head + dest.replace(hole, value).replace("{{", "{").replace("}}", "}")
            label = f"{dest.splitlines()[0]} {value[:30]}"
            out.append(Case(category, code, vulnerable, label, source))
    return out


def pattern_cases(per_class: int = 24) -> list[Case]:
    return _random(per_class) + _hash(per_class) + _cookie(per_class)
