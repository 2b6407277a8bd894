"""BE027 (branch i10-sinks): MD5/SHA-1 of a credential handed to a user is its stored form,
whatever the digest is called; digests of other values stay unreported."""

from __future__ import annotations

import pytest
from rule_helpers import run

TP = [
    """\
import hashlib
from django.http import JsonResponse
from django.views import View

class OtpStore:
    def digest(self, otp: str) -> str:
        return hashlib.md5(otp.encode()).hexdigest()

class VerifyView(View):
    def post(self, request):
        ok = request.session.get("otp_digest") == OtpStore().digest(request.POST["otp"])
        return JsonResponse({"ok": ok})
""",
    """\
import hashlib
import secrets
from django.http import JsonResponse
from .models import ApiKey

def create_key(request):
    raw = secrets.token_urlsafe(32)
    ApiKey.objects.create(owner=request.user, key_digest=hashlib.sha1(raw.encode()).hexdigest())
    return JsonResponse({"key": raw})
""",
    """\
import hashlib
from flask import Flask, request
from .models import Invite, db

app = Flask(__name__)

@app.post("/invites/accept")
def accept():
    lookup = hashlib.md5(request.form["invite_token"].encode()).hexdigest()
    invite = Invite.query.filter_by(digest=lookup).first_or_404()
    return {"email": invite.email}
""",
]
SAFE = [
    """\
import hashlib
from django.core.cache import cache

def cached_profile(token):
    cache_key = "profile:" + hashlib.md5(token.encode()).hexdigest()
    return cache.get(cache_key)
""",
    """\
import hashlib
from django.conf import settings

def instance_id():
    return hashlib.md5(settings.SECRET_KEY.encode()).hexdigest()[:8]
""",
    """\
import hashlib
import secrets

def upload_name(data: bytes) -> str:
    salt = secrets.token_hex(4)
    return salt + hashlib.md5(data).hexdigest()
""",
    """\
import hashlib
import hmac

def verify_webhook(secret: bytes, body: bytes, signature: str) -> bool:
    expected = hmac.new(secret, body, hashlib.sha1).hexdigest()
    return hmac.compare_digest(expected, signature)
""",
]


@pytest.mark.parametrize("source", TP)
def test_weak_digest_of_a_user_credential_is_reported(source: str) -> None:
    assert [f.code for f in run("BE027", source, path="app/auth.py")] == ["BE027"]


@pytest.mark.parametrize("source", SAFE)
def test_cache_keys_derived_ids_file_names_and_hmac_are_not_reported(source: str) -> None:
    assert [f.code for f in run("BE027", source, path="app/util.py")] == []


def test_digest_of_a_credential_combined_with_other_values_is_not_its_stored_form() -> None:
    source = """\
import hashlib
from django.core.signing import TimestampSigner

def download_token(request, answer):
    payload = hashlib.sha1(f"{request.session.session_key}:{answer.pk}".encode()).hexdigest()
    return TimestampSigner().sign(payload)
"""
    assert [f.code for f in run("BE027", source, path="app/download.py")] == []
