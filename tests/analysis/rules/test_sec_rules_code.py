"""BE011 jwt-unverified, BE012 tls-verify-disabled, BE013 unsafe-deserialization,
BE014 weak-password-hash."""

from __future__ import annotations

import textwrap

import pytest
from rule_helpers import apply_fix, flagged, run

from backend_lsp.analysis.model import Severity
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import analyze_document
from backend_lsp.syntax.document import ParsedDocument

# --- BE011 -----------------------------------------------------------------


def test_pyjwt_signature_verification_off() -> None:
    source = """\
    import jwt

    def current_user(token: str) -> dict:
        claims = jwt.decode(token, options={"verify_signature": False})
        legacy = jwt.decode(token, SECRET, verify=False)
        return claims
    """
    findings = run("BE011", source)
    assert [flagged(f, source) for f in findings] == [
        'options={"verify_signature": False}',
        "verify=False",
    ]
    assert all(f.severity is Severity.ERROR for f in findings)


def test_none_algorithm_and_python_jose() -> None:
    source = """\
    from jose import jwt as jose_jwt
    import jwt

    payload = jwt.decode(token, key, algorithms=["HS256", "none"])
    claims = jose_jwt.decode(token, key)
    """
    findings = run("BE011", source)
    assert [flagged(f, source) for f in findings] == [
        '"none"',
        "jose_jwt.decode(token, key)",
    ]
    assert findings[1].severity is Severity.WARNING


def test_unsigned_outgoing_assertion_is_not_accepting_unsigned_tokens() -> None:
    # Encoding with "none" builds a token for a provider that asks for an unsigned one; what
    # BE011 reports is the verifier that would let such a token in.
    source = """    import jwt

    class PayPalEnvironment:
        def authorization_assertion(self):
            return jwt.encode(
                payload={"iss": self.client_id, "payer_id": self.merchant_id},
                key=None,
                algorithm="none",
            )

    def current_user(request):
        token = request.headers["PayPal-Auth-Assertion"]
        return jwt.decode(token, options={"verify_signature": False})["payer_id"]
    """
    assert [flagged(f, source) for f in run("BE011", source)] == [
        'options={"verify_signature": False}'
    ]


def test_jwt_safe_usage_not_flagged() -> None:
    source = """\
    import jwt
    from jose import jwt as jose_jwt

    header = jwt.get_unverified_header(token)
    key = jwks_client.get_signing_key(header["kid"]).key
    claims = jwt.decode(token, key, algorithms=["RS256"], audience="api")
    other = jose_jwt.decode(token, key, algorithms=["HS256"])
    issued = jwt.encode({"sub": "1"}, SECRET, algorithm="HS256")
    data = json.decode(body)
    kwargs_call = jwt.decode(token, **settings.JWT)
    """
    assert run("BE011", source) == []


# --- BE012 -----------------------------------------------------------------


def test_requests_and_httpx_verify_false_removed() -> None:
    source = """\
    import httpx
    import requests

    resp = requests.get("https://partner.example.com/api", timeout=5, verify=False)
    client = httpx.AsyncClient(verify=False, timeout=10)
    session = requests.Session()
    session.verify = False
    """
    findings = run("BE012", source)
    assert [flagged(f, source) for f in findings] == [
        "verify=False",
        "verify=False",
        "session.verify = False",
    ]
    assert 'requests.get("https://partner.example.com/api", timeout=5)' in apply_fix(
        source, findings[0]
    )
    assert "httpx.AsyncClient(timeout=10)" in apply_fix(source, findings[1])


def test_ssl_module_and_urllib3() -> None:
    source = """\
    import ssl
    import urllib3

    ctx = ssl._create_unverified_context()
    ctx2 = ssl.create_default_context()
    ctx2.check_hostname = False
    ctx2.verify_mode = ssl.CERT_NONE
    http = urllib3.PoolManager(cert_reqs="CERT_NONE")
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    """
    findings = run("BE012", source)
    # check_hostname=False followed by verify_mode=CERT_NONE on ctx2 is one finding
    assert len(findings) == 4
    assert findings[-1].severity is Severity.HINT or any(
        f.severity is Severity.HINT for f in findings
    )


def test_tls_not_flagged() -> None:
    source = """\
    import jwt
    import requests

    requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")
    requests.post(url, json=body, timeout=5)
    jwt.decode(token, key, algorithms=["HS256"], verify=False)
    form.is_valid(verify=False)
    ctx.check_hostname = True
    """
    assert run("BE012", source) == []
    tests_source = 'requests.get("https://localhost:8443", verify=False)\n'
    (finding,) = run("BE012", tests_source, "tests/test_client.py")
    assert finding.severity is Severity.INFORMATION


# --- BE013 -----------------------------------------------------------------


def test_pickle_family_from_request_is_error_and_unknown_bytes_a_warning() -> None:
    source = """\
    import pickle as pkl
    import marshal
    from dill import loads

    def load_session(request):
        return pkl.loads(request.body)

    def decode(blob: bytes):
        return marshal.loads(blob)

    def cached(redis, key):
        return loads(redis.get(key))
    """
    findings = run("BE013", source)
    assert [flagged(f, source).split("(")[0] for f in findings] == [
        "pkl.loads",
        "marshal.loads",
        "loads",
    ]
    assert [f.severity for f in findings] == [Severity.ERROR, Severity.WARNING, Severity.WARNING]


def test_yaml_load_fixed_to_safe_loader() -> None:
    source = """\
    import yaml

    def parse(stream):
        config = yaml.load(stream)
        docs = yaml.load(stream, Loader=yaml.Loader)
        fast = yaml.load(stream, Loader=yaml.CLoader)
        return config, docs, fast
    """
    findings = run("BE013", source)
    assert len(findings) == 3
    assert "config = yaml.safe_load(stream)" in apply_fix(source, findings[0])
    assert "Loader=yaml.SafeLoader" in apply_fix(source, findings[1])
    assert "Loader=yaml.CSafeLoader" in apply_fix(source, findings[2])


def test_artefact_loaders_of_the_apps_own_files_pass() -> None:
    source = """\
    import json
    import numpy as np
    import pandas as pd
    import torch
    import yaml
    from django.conf import settings

    model = torch.load("model.pt")
    frame = pd.read_pickle(settings.CACHE_FILE)
    safe_model = torch.load("model.pt", weights_only=True)
    arr = np.load("a.npy")
    body = json.loads(raw)
    custom = yaml.load(stream, Loader=MyStrictLoader)

    def predictor(path):
        return torch.load(path)
    """
    assert run("BE013", source) == []


# Flask / Django / FastAPI handlers: the origin of the bytes decides.
BE013_FLAGGED = {
    "flask upload": """\
    import pickle
    from flask import Flask, request
    app = Flask(__name__)

    @app.post("/model")
    def upload():
        return str(pickle.load(request.files["model"]))
    """,
    "django body through a helper": """\
    import pickle
    from django.http import JsonResponse

    def _restore(blob):
        return pickle.loads(blob)

    def restore(request):
        return JsonResponse(_restore(request.body))
    """,
    "fastapi cookie, base64": """\
    import base64, pickle
    from fastapi import FastAPI, Cookie
    app = FastAPI()

    @app.get("/cart")
    def cart(state: str = Cookie()):
        return pickle.loads(base64.b64decode(state))
    """,
    "flask yaml with the full loader": """\
    import yaml
    from flask import Flask, request
    app = Flask(__name__)

    @app.post("/cfg")
    def cfg():
        return yaml.load(request.get_data(), Loader=yaml.Loader)
    """,
    "drf torch.load of a request path": """\
    import torch
    from rest_framework.views import APIView

    class Predict(APIView):
        def post(self, request):
            return torch.load(request.data["path"])
    """,
    "ruamel unsafe": """\
    from ruamel.yaml import YAML

    def load(text):
        return YAML(typ="unsafe").load(text)
    """,
}
BE013_QUIET = {
    "flask cache file the app wrote": """\
    import pickle
    from flask import Flask, request
    app = Flask(__name__)
    CACHE = "/var/cache/app/index.pkl"

    @app.get("/search")
    def search():
        with open(CACHE, "rb") as fh:
            index = pickle.load(fh)
        return index.lookup(request.args["q"])
    """,
    "yaml safe loaders in any spelling": """\
    import yaml
    from yaml import CSafeLoader as Loader
    from flask import request

    class StrictLoader(yaml.SafeLoader):
        pass

    def parse():
        body = request.get_data()
        a = yaml.load(body, Loader=Loader)
        b = yaml.load(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        c = yaml.load(body, StrictLoader)
        return a, b, c
    """,
    "django model file from settings": """\
    import joblib
    from django.conf import settings
    from django.http import JsonResponse

    def predict(request):
        model = joblib.load(settings.MODEL_PATH)
        return JsonResponse({"y": model.predict([[float(request.GET["x"])]])})
    """,
    "fastapi json body": """\
    import json
    from fastapi import FastAPI, Request
    app = FastAPI()

    @app.post("/items")
    async def items(request: Request):
        return json.loads(await request.body())
    """,
    "worker future result": """\
    import cloudpickle

    def collect(future):
        return cloudpickle.loads(future.result())
    """,
    "full loader on a config file": """\
    import yaml

    def read_config(path):
        with open(path) as fh:
            return yaml.load(fh, Loader=yaml.FullLoader)
    """,
}


@pytest.mark.parametrize("name", sorted(BE013_FLAGGED))
def test_be013_flags_untrusted_origins(name: str) -> None:
    assert run("BE013", BE013_FLAGGED[name]), name


@pytest.mark.parametrize("name", sorted(BE013_QUIET))
def test_be013_quiet_on_trusted_origins(name: str) -> None:
    assert run("BE013", BE013_QUIET[name]) == [], name


def test_be013_request_flow_through_a_helper_is_an_error() -> None:
    [finding] = run("BE013", BE013_FLAGGED["django body through a helper"])
    assert finding.severity is Severity.ERROR and finding.flow


def test_be013_skips_migrations() -> None:
    source = "import pickle\n\ndef upgrade(entry):\n    return pickle.loads(entry.value)\n"
    settings = AnalysisSettings(select=["BE013"])
    for path, expected in (("app/migrations/0002_convert.py", 0), ("app/codecs.py", 1)):
        document = ParsedDocument(source, "python")
        assert len(analyze_document(path, document, settings)) == expected, path


# --- BE014 -----------------------------------------------------------------


def test_fast_hashes_of_passwords() -> None:
    source = """\
    import hashlib

    def register(email: str, password: str) -> str:
        return hashlib.md5(password.encode()).hexdigest()

    def store(user, raw_pwd, salt):
        user.hash = hashlib.sha256(f"{salt}{raw_pwd}".encode()).hexdigest()

    digest = hashlib.new("sha1", form["password"].encode())
    """
    findings = run("BE014", source)
    assert len(findings) == 3
    assert "argon2" in findings[0].message and "MD5" in findings[0].message
    assert "salt" in findings[1].message


def test_password_function_parameter_and_update() -> None:
    source = """\
    import hashlib

    def hash_password(secret_text: str) -> str:
        return hashlib.sha512(secret_text.encode()).hexdigest()

    def check(user, candidate_password):
        h = hashlib.sha256()
        h.update(candidate_password.encode())
        return h.hexdigest() == user.hash
    """
    findings = run("BE014", source)
    assert [flagged(f, source).split("(")[0] for f in findings] == ["hashlib.sha512", "h.update"]


def test_non_password_hashing_not_flagged() -> None:
    source = """\
    import hashlib

    from passlib.hash import argon2

    etag = hashlib.md5(body).hexdigest()
    cache_key = hashlib.sha256(f"{user_id}:{page}".encode()).hexdigest()
    checksum = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    weak_but_exempt = hashlib.md5(password.encode(), usedforsecurity=False)
    key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    stretched = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    stored = argon2.hash(password)
    passport_digest = hashlib.sha256(passport_scan).hexdigest()
    """
    assert run("BE014", source) == []


def test_fast_hash_wrapped_in_a_real_kdf_is_not_weak() -> None:
    source = """\
    import hashlib

    from django.contrib.auth.hashers import PBKDF2PasswordHasher, SHA1PasswordHasher


    class PBKDF2WrappedSHA1PasswordHasher(PBKDF2PasswordHasher):
        algorithm = "pbkdf2_wrapped_sha1"

        def encode(self, password, salt, iterations=None):
            sha1_hash = hashlib.sha1((salt + password).encode()).hexdigest()
            return self.encode_sha1_hash(sha1_hash, salt, iterations)


    def upgrade_legacy(password, salt):
        legacy = hashlib.md5(password.encode()).hexdigest()
        return hashlib.pbkdf2_hmac("sha256", legacy.encode(), salt, 600_000)


    class LegacySHA1Hasher(SHA1PasswordHasher):
        def encode(self, password, salt):
            # argon2 later
            return hashlib.sha1((salt + password).encode()).hexdigest()
    """
    (finding,) = run("BE014", source)
    assert finding.start > textwrap.dedent(source).index("class LegacySHA1Hasher")
