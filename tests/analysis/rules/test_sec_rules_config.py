"""BE008 hardcoded-secret, BE009 debug-enabled, BE010 cors-wildcard-credentials."""

from __future__ import annotations

import textwrap

from rule_helpers import apply_fix, flagged, run

from backend_lsp.analysis.model import Severity

GH = "ghp" + "_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


# --- BE008 -----------------------------------------------------------------


def test_django_secret_key_flagged_masked_and_fixed() -> None:
    source = '''\
    """Django settings for shop."""
    from pathlib import Path

    BASE_DIR = Path(__file__).resolve().parent.parent
    SECRET_KEY = "django-insecure-8x!k2#m@v9q$w7e&r5t^y3u*i1o(p0a)s_d+f=g"
    '''
    (finding,) = run("BE008", source, "shop/settings.py")
    assert finding.severity is Severity.ERROR
    assert "8x!k2#m@v9q" not in finding.message and "SECRET_KEY" in finding.message
    fixed = apply_fix(source, finding)
    assert "from pathlib import Path\nimport os\n" in fixed
    assert 'SECRET_KEY = os.environ["SECRET_KEY"]' in fixed


def test_keyword_dict_and_vendor_token() -> None:
    source = f"""\
    import os
    import psycopg

    conn = psycopg.connect(host="db", password="Tr0ub4dor&3x")
    HEADERS = {{"X-Api-Key": "q8ZrT3mL2nD9vX4kP7sW"}}
    client = Github("{GH}")
    """
    findings = run("BE008", source)
    assert [flagged(f, source) for f in findings] == [
        '"Tr0ub4dor&3x"',
        '"q8ZrT3mL2nD9vX4kP7sW"',
        f'"{GH}"',
    ]
    fixed = apply_fix(source, findings[0])
    assert 'password=os.environ["PASSWORD"]' in fixed and fixed.count("import os") == 1
    assert 'os.environ["GITHUB_TOKEN"]' in apply_fix(source, findings[2])


def test_analytics_ingestion_keys_shipped_to_clients_are_public_by_design() -> None:
    source = """\
    import os

    AMPLITUDE_API_KEY = "5f1c0e9a7b3d42e8a6c4b2d0f9e7a5c3"
    MIXPANEL_TOKEN = "9d2b7e41c6a84f03b5e1d7c9a3f60b28"
    POSTHOG_PROJECT_API_KEY = "phc_4Vq9rT2mL8nD3xK7pW1sZ6yB0cH5jF"
    MIXPANEL_API_SECRET = "e3a9c1f7b5d24086a2c4e6f8b0d1a3c5"
    AMPLITUDE_SECRET_KEY = "71b3d5f9a2c44e68b0d2f4a6c8e0b1d3"
    POSTHOG_PERSONAL_API_KEY = "phx_8Kd2Lq7Vn3Rt9Xm1Pz5Wc0Bf4Hj6Sy"
    """
    assert [flagged(f, source) for f in run("BE008", source)] == [
        '"e3a9c1f7b5d24086a2c4e6f8b0d1a3c5"',
        '"71b3d5f9a2c44e68b0d2f4a6c8e0b1d3"',
        '"phx_8Kd2Lq7Vn3Rt9Xm1Pz5Wc0Bf4Hj6Sy"',
    ]


def test_known_default_kept_to_refuse_it_is_not_a_credential() -> None:
    source = """\
    # the admin password older releases shipped with: refused at login
    LEGACY_DEFAULT_ADMIN_PASSWORD = "sunshine2019"
    DEFAULT_ADMIN_PASSWORD = "welcome2019"


    def still_uses_shipped_default(store, username):
        return store.authenticate_user(username, LEGACY_DEFAULT_ADMIN_PASSWORD)
    """
    (finding,) = run("BE008", source)
    assert 'os.environ["DEFAULT_ADMIN_PASSWORD"]' in finding.message


def test_database_url_with_password() -> None:
    source = 'DATABASE_URL = "postgresql://shop:Vq3r9Lk2Pz@db.internal:5432/shop"\n'
    (finding,) = run("BE008", source)
    assert 'DATABASE_URL = os.environ["DATABASE_URL"]' in apply_fix(source, finding)


def test_test_fixture_passwords_are_information_but_real_tokens_stay_errors() -> None:
    source = f'PASSWORD = "Tr0ub4dor&3x"\nTOKEN = "{GH}"\n'
    severities = [f.severity for f in run("BE008", source, "tests/test_login.py")]
    assert severities == [Severity.INFORMATION, Severity.ERROR]


def test_not_secrets() -> None:
    source = '''\
    import os
    from django.conf import settings

    SECRET_KEY = os.environ["SECRET_KEY"]
    API_KEY = os.getenv("API_KEY", "")
    password = settings.DB_PASSWORD
    DB_PASSWORD = "changeme"
    ETAG = "9f8e7d6c5b4a39281726354a"
    REQUEST_ID = "3f2c1b9e-8d7a-4c5b-9e6f-1a2b3c4d5e6f"
    PASSWORD_RESET_TIMEOUT = 259200
    token_type = "bearer"


    def login(password: str = "") -> None:
        """Pass password="hunter2xyz!" to try."""
        logger.info("token refreshed for %s", "Tr0ub4dor&3x")
    '''
    assert run("BE008", source, "shop/settings.py") == []


# --- BE009 -----------------------------------------------------------------


def test_django_debug_true_fixed_from_environment() -> None:
    source = "from .base import *\n\nDEBUG = True\nALLOWED_HOSTS = ['*']\n"
    (finding,) = run("BE009", source, "shop/settings/production.py")
    fixed = apply_fix(source, finding)
    assert 'DEBUG = os.environ.get("DEBUG", "") == "1"' in fixed
    assert "from .base import *\nimport os\n" in fixed


def test_flask_and_fastapi_debug_flags() -> None:
    source = """\
    from fastapi import FastAPI
    from flask import Flask

    api = FastAPI(title="shop", debug=True)
    app = Flask(__name__)
    app.debug = True
    app.config["DEBUG"] = True

    if __name__ == "__main__":
        app.run(host="0.0.0.0", debug=True, port=5000)
    """
    findings = run("BE009", source, "shop/app.py")
    assert [flagged(f, source) for f in findings] == [
        "debug=True",
        "app.debug = True",
        'app.config["DEBUG"] = True',
        "debug=True",
    ]
    assert 'FastAPI(title="shop")' in apply_fix(source, findings[0])
    assert 'app.run(host="0.0.0.0", port=5000)' in apply_fix(source, findings[3])


def test_debug_defaulting_to_on_through_environment_helpers() -> None:
    source = """\
    import os

    import environ
    from decouple import config

    env = environ.Env()

    DEBUG = get_bool_from_env("DEBUG", True)
    DEBUG = env.bool("DJANGO_DEBUG", default=True)
    DEBUG = os.getenv("DEBUG", "True") == "True"
    DEBUG = os.environ.get("DEBUG", "true").lower() in ("true", "1", "yes")
    DEBUG = config("DEBUG", default=True, cast=bool)
    DEBUG = get_bool_from_env("DEBUG", False)
    DEBUG = env.bool("DEBUG", default=False)
    DEBUG = os.getenv("DEBUG", "1") == "true"
    DEBUG = os.getenv("DEBUG", "False") == "True"
    TEMPLATE_CACHE = get_bool_from_env("TEMPLATE_CACHE", True)
    """
    findings = run("BE009", source, "shop/settings.py")
    lines = [textwrap.dedent(source).encode()[: f.start].count(b"\n") + 1 for f in findings]
    assert lines == [8, 9, 10, 11, 12]
    assert "defaults to on" in findings[0].message
    fixed = apply_fix(source, findings[0])
    assert 'DEBUG = os.environ.get("DEBUG", "") == "1"\n' in fixed
    assert run("BE009", source, "shop/settings/dev.py") == []


def test_uvicorn_reload_is_information() -> None:
    source = 'import uvicorn\nuvicorn.run("app:app", reload=True)\n'
    (finding,) = run("BE009", source, "main.py")
    assert finding.severity is Severity.INFORMATION
    assert 'uvicorn.run("app:app")' in apply_fix(source, finding)


def test_debug_not_flagged() -> None:
    settings = """\
    import os

    DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
    TEMPLATE_DEBUG = False


    class DevelopmentConfig:
        DEBUG = True


    class ProductionConfig:
        DEBUG = False
    """
    assert run("BE009", settings, "shop/settings.py") == []
    assert run("BE009", "DEBUG = True\n", "shop/settings/dev.py") == []
    assert run("BE009", "DEBUG = True\n", "tests/settings.py") == []
    assert run("BE009", "DEBUG = True\n", "shop/models.py") == []  # not a settings module
    assert run("BE009", "app.run(debug=False)\nlogging.basicConfig(level=DEBUG)\n") == []


# --- BE010 -----------------------------------------------------------------


def test_fastapi_cors_star_with_credentials() -> None:
    source = """\
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=True,
        allow_methods=["*"],
    )
    """
    (finding,) = run("BE010", source)
    assert finding.severity is Severity.ERROR and "credentials" in finding.message


def test_starlette_regex_and_flask_cors_defaults() -> None:
    source = """\
    from flask_cors import CORS
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware

    middleware = [Middleware(CORSMiddleware, allow_origin_regex=".*", allow_credentials=True)]
    CORS(app, supports_credentials=True)
    CORS(app, resources={r"/api/*": {"origins": "*"}}, supports_credentials=True)
    """
    assert len(run("BE010", source)) == 3


def test_django_allow_all_with_credentials() -> None:
    source = "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n"
    (finding,) = run("BE010", source, "shop/settings.py")
    assert flagged(finding, source) == "CORS_ALLOW_ALL_ORIGINS = True"


def test_cors_origins_from_a_module_variable() -> None:
    source = """\
    from fastapi.middleware.cors import CORSMiddleware
    from flask_cors import CORS

    ALLOWED_ORIGINS = ["*"]
    TRUSTED = ["https://shop.example.com"]

    app.add_middleware(CORSMiddleware, allow_origins=ALLOWED_ORIGINS, allow_credentials=True)
    app.add_middleware(CORSMiddleware, allow_origins=TRUSTED, allow_credentials=True)
    CORS(api, origins=ALLOWED_ORIGINS, supports_credentials=True)
    """
    findings = run("BE010", source)
    lines = [textwrap.dedent(source).encode()[: f.start].count(b"\n") + 1 for f in findings]
    assert lines == [7, 9]


def test_handler_echoing_the_origin_with_credentials() -> None:
    source = """\
    from flask import request


    @app.after_request
    def add_cors(response):
        origin = request.headers.get("Origin")
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        return response


    def public_cors(response):
        response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
        return response


    def checked_cors(response):
        if request.headers.get("Origin") in TRUSTED:
            response.headers["Access-Control-Allow-Origin"] = TRUSTED_ORIGIN
        response.headers["Access-Control-Allow-Credentials"] = "true"
        return response
    """
    (finding,) = run("BE010", source, "shop/cors.py")
    assert "Origin" in finding.message
    assert flagged(finding, source).startswith('response.headers["Access-Control-Allow-Origin"]')
    assert textwrap.dedent(source).encode()[: finding.start].count(b"\n") + 1 == 7


def test_cors_not_flagged() -> None:
    source = """\
    from fastapi.middleware.cors import CORSMiddleware
    from flask_cors import CORS

    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])
    app.add_middleware(
        CORSMiddleware, allow_origins=["https://shop.example.com"], allow_credentials=True
    )
    CORS(app, origins=["https://shop.example.com"], supports_credentials=True)
    CORS(app)

    CORS_ALLOW_ALL_ORIGINS = True
    CORS_ALLOW_CREDENTIALS = False
    """
    assert run("BE010", source) == []


# --- BE008: credentials by position, and sample data ----------------------


def test_credentials_through_module_constants_and_client_keywords() -> None:
    source = """\
    import boto3
    import psycopg2

    S3_ID = "AKIA" "J3B4C5D6E7F2G3H4"
    S3_CREDS = "wJ4lrXUtnFEMI9K7MDENGbPxRfiCYzZk29xQpL0s"
    REPORTS_DB = "Qm7#vT2pLx"
    REGION = "eu-west-1"
    BUCKET = "reports-2024-archive"

    s3 = boto3.client(
        "s3",
        region_name=REGION,
        aws_access_key_id=S3_ID,
        aws_secret_access_key=S3_CREDS,
    )
    conn = psycopg2.connect(host="reports", user="ro", password=REPORTS_DB, dbname=BUCKET)
    """
    findings = run("BE008", source, "shop/storage.py")
    assert [flagged(f, source) for f in findings] == [
        '"AKIA" "J3B4C5D6E7F2G3H4"',
        '"wJ4lrXUtnFEMI9K7MDENGbPxRfiCYzZk29xQpL0s"',
        '"Qm7#vT2pLx"',
    ]
    assert all("Qm7#vT2pLx" not in f.message for f in findings)
    assert 'S3_CREDS = os.environ["S3_CREDS"]' in apply_fix(source, findings[1])


def test_jwt_signing_key_literal_and_literal_password_comparison() -> None:
    source = """\
    import jwt

    SIGNING = "k3y-for-tokens"


    def issue(user):
        return jwt.encode({"sub": user.id}, "Sh0p-signing-2024!", algorithm="HS256")


    def read(raw):
        return jwt.decode(raw, SIGNING, algorithms=["HS256"])


    def admin_login(request, password):
        if request.form["password"] == "Sup3rAdm1n!":
            return True
        if password != "letmein99":
            return False
        if request.POST.get("token_type") == "bearer":
            return None
        return jwt.encode({"sub": "x"}, settings.JWT_KEY, algorithm="HS256")
    """
    findings = run("BE008", source, "shop/auth.py")
    assert sorted(flagged(f, source) for f in findings) == sorted([
        '"k3y-for-tokens"',
        '"Sh0p-signing-2024!"',
        '"Sup3rAdm1n!"',
        '"letmein99"',
    ])  # fmt: skip
    assert any("signing key" in f.message for f in findings)


def test_sample_preview_and_documentation_values_are_not_secrets() -> None:
    source = """\
    from django.urls import reverse

    PLACEHOLDERS = [
        Placeholder(
            "url",
            sample_url=lambda event: reverse(
                "order.open", kwargs={"order": "F8VVL", "secret": "6zzjnumtsx136ddy"}
            ),
        ),
        Placeholder(
            "url2",
            lambda event: reverse(
                "order.open", kwargs={"code": "A1", "secret": "98kusd8ofsj8dnkd"}
            ),
        ),
    ]
    ORDERS = [
        {"code": "F8VVL", "secret": "6zzjnumtsx136ddy"},
        {"code": "HIDHK", "secret": "09pjdksflosk3njd"},
    ]
    ENGINE_INFO = {
        "connection_examples": [{"connection_string": "firebird://SYSDBA:masterkey@10.0.0.8/db"}],
    }


    def gateway_config(base):
        return Config(
            api_base=base,
            # Static dummy key: the local gateway ignores it.
            api_key="mlflow-gateway-auth",
            openai_api_key="gateway-auth",
        )


    def rotate():
        raise RuntimeError(
            "Set the passphrase first.\\n\\nExample:\\n"
            "  export KEK_PASSPHRASE=\'current-passphrase\'\\n"
        )
    """
    assert run("BE008", source, "shop/services/placeholders.py") == []
    real = 'SESSION_SECRET = "6zzjnumtsx136ddy9Q"\nDB = {"password": "Qm7#vT2pLx"}\n'
    assert len(run("BE008", real, "shop/settings.py")) == 2
