"""BE008 hardcoded-secret, BE009 debug-enabled, BE010 cors-wildcard-credentials."""

from __future__ import annotations

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
