"""BE026 (branch i10-sinks): secrets under ordinary names (``key``, ``code``), digits
collected in a list and joined, and random bits carried through ``uuid.UUID``."""

from __future__ import annotations

import pytest
from rule_helpers import run

TP = [
    """\
import random
import string
from django.http import JsonResponse
from .models import ApiKey

def create_key(request):
    key = "".join(random.choice(string.ascii_letters) for _ in range(32))
    ApiKey.objects.create(owner=request.user, key=key)
    return JsonResponse({"key": key})
""",
    """\
import random
from flask import Flask, request
from .mail import send

app = Flask(__name__)

@app.post("/login/email")
def email_login():
    code = str(random.randint(100000, 999999))
    send(request.form["email"], f"Your code: {code}")
    return "", 204
""",
    """\
import random
from flask import Flask, session

app = Flask(__name__)

@app.post("/2fa")
def send_2fa():
    digits = []
    for _ in range(6):
        digits.append(str(random.randint(0, 9)))
    otp = "".join(digits)
    session["otp"] = otp
    return {"sent": True}
""",
    """\
import random
import uuid

class LoginState:
    def __init__(self):
        self.nonce = uuid.UUID(int=random.getrandbits(128)).hex
""",
    """\
import random
from fastapi import FastAPI

app = FastAPI()

@app.post("/devices")
def pair_device():
    pairing = {"pin": random.randrange(1000, 10000)}
    return pairing
""",
]
SAFE = [
    """\
import random
from flask import Flask

app = Flask(__name__)
CACHE: dict[str, str] = {}

@app.get("/any")
def any_entry():
    key = random.choice(list(CACHE))
    return CACHE[key]
""",
    """\
import random
COLORS = ["red", "green", "blue"]

def pick_badge():
    code = random.choice(COLORS)
    return {"code": code}
""",
    """\
import random

def shuffled_questions(questions):
    order = []
    for q in questions:
        order.append(random.random())
    return [q for _, q in sorted(zip(order, questions))]
""",
    """\
import random
import string

def build_cache_key(prefix):
    cache_key = prefix + "".join(random.choices(string.ascii_lowercase, k=8))
    return cache_key
""",
    """\
import random
import uuid

def trace_id():
    request_id = uuid.UUID(int=random.getrandbits(128))
    return request_id
""",
    """\
import random
import string

class Block:
    def __init__(self, key=None):
        self.key = key or "".join(random.choice(string.ascii_letters) for _ in range(5))
""",
    """\
import random

def sample_rows(rows):
    key = random.randint(0, len(rows) - 1)
    return rows[key]
""",
]


@pytest.mark.parametrize("source", TP)
def test_random_secret_under_ordinary_names_is_reported(source: str) -> None:
    assert [f.code for f in run("BE026", source, path="app/auth.py")] == ["BE026"]


@pytest.mark.parametrize("source", SAFE)
def test_random_picks_keys_and_codes_that_are_not_secrets(source: str) -> None:
    assert [f.code for f in run("BE026", source, path="app/util.py")] == []
