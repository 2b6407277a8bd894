"""find_secrets: vendor formats, name-driven assignments, placeholders, speed."""

from __future__ import annotations

import time

import pytest

from backend_lsp.analysis.secrets import (
    find_secrets,
    is_placeholder,
    mask,
    secret_in_value,
    secret_name_kind,
)

# Built from pieces so this file never holds a scannable token itself.
ANTHROPIC = "sk-ant-" + "api03-" + "Zq8" * 30 + "-AbCdEfAA"
OPENAI = "sk-" + "proj-" + "Xy7Kp2Lm9Qr4" * 6
GITHUB = "ghp" + "_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
GITLAB = "glpat" + "-" + "x9Y8w7V6u5T4s3R2q1P0"
SLACK = "xoxb" + "-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
STRIPE = "sk_" + "live_" + "51Hq2LkJd8s7F6g5H4j3K2l1"
GOOGLE = "AIza" + "SyD3x9Qm7Kp2Lw8Rt5Yv1Nb6Zc4Hf0Jg-sU"
SENDGRID = (
    "SG" + "." + "aB3dE5fG7hJ9kL1mN3pQ5r" + "." + "sT7uV9wX1yZ3aB5cD7eF9gH1jK3lM5nP7qR9sT1uV3w"
)
TWILIO = "SK" + "0123456789abcdef0123456789abcdef"
AWS_ID = "AKIA" + "J3B4C5D6E7F2G3H4"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ"
    ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
)


def spans(text: str) -> list[tuple[str, str]]:
    return [(m.kind, text[m.start : m.end]) for m in find_secrets(text)]


@pytest.mark.parametrize(
    ("secret", "kind"),
    [
        (ANTHROPIC, "anthropic-api-key"),
        (OPENAI, "openai-api-key"),
        (GITHUB, "github-token"),
        (GITLAB, "gitlab-token"),
        (SLACK, "slack-token"),
        (STRIPE, "stripe-secret-key"),
        (GOOGLE, "google-api-key"),
        (SENDGRID, "sendgrid-api-key"),
        (TWILIO, "twilio-api-key"),
        (AWS_ID, "aws-access-key-id"),
        (JWT, "jwt"),
    ],
)
def test_vendor_formats_found_in_any_language(secret: str, kind: str) -> None:
    for text in (
        f'client = Client("{secret}")',
        f"const token = '{secret}';",
        f'cfg := Config{{Key: "{secret}"}}',
        f"SOME_VALUE={secret}\n",
    ):
        assert spans(text) == [(kind, secret)], text


def test_anthropic_key_not_reported_as_openai() -> None:
    assert [kind for kind, _ in spans(f"k = '{ANTHROPIC}'")] == ["anthropic-api-key"]


def test_aws_documentation_example_is_ignored() -> None:
    assert spans("aws_access_key_id = AKIAIOSFODNN7EXAMPLE") == []


def test_aws_secret_key_needs_its_context() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYq8Zr3Lm2Nd"
    assert spans(f"aws_secret_access_key = {secret}") == [("aws-secret-access-key", secret)]
    assert spans(f"checksum = '{secret}'") == []


def test_private_key_block_is_spanned_whole() -> None:
    body = "MIIEowIBAAKCAQEAx2Yb3lQz" * 4
    block = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
    text = f'KEY = """{block}"""\nother = 1\n'
    assert spans(text) == [("private-key", block)]
    escaped = f'"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----"'
    assert spans(escaped)[0][1] == escaped.strip('"')


def test_public_key_is_not_a_secret() -> None:
    body = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
    text = f"-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----"
    assert spans(text) == []


@pytest.mark.parametrize(
    "url",
    [
        "postgres://app:Vq3r9Lk2Pz@db.internal:5432/app",
        "postgresql+asyncpg://app:Vq3r9Lk2Pz@db:5432/app",
        "mysql://root:Vq3r9Lk2Pz@127.0.0.1/shop",
        "mongodb+srv://svc:Vq3r9Lk2Pz@cluster0.mongodb.net/db",
        "redis://:Vq3r9Lk2Pz@cache:6379/0",
        "amqp://worker:Vq3r9Lk2Pz@rabbit:5672//",
    ],
)
def test_url_password_spans_only_the_password(url: str) -> None:
    assert spans(f'DATABASE_URL = "{url}"') == [("url-password", "Vq3r9Lk2Pz")]


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres:postgres@localhost/app",
        "amqp://guest:guest@localhost:5672//",
        "redis://:${REDIS_PASSWORD}@redis:6379/0",
        "postgres://app:%s@db/app",
        "postgres://user:password@host/db",
        "postgres://app@db/app",
        "https://api.example.com/v1/users",
    ],
)
def test_url_placeholders_ignored(url: str) -> None:
    assert spans(f'URL = "{url}"') == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('SECRET_KEY = "django-insecure-8x!k2#m@v9q$w7e&r5t^y3u*i1o(p0a)s_d+f=g"', None),
        ('db_password = "Tr0ub4dor&3"', "Tr0ub4dor&3"),
        ('{"api_key": "9f8e7d6c5b4a39281726354a"}', "9f8e7d6c5b4a39281726354a"),
        ("apiKey: 'q8ZrT3mL2nD9vX4k'", "q8ZrT3mL2nD9vX4k"),
        ("DB_PASSWORD=Tr0ub4dor3xyz\n", "Tr0ub4dor3xyz"),
        ("export GITHUB_WEBHOOK_SECRET=8d7f6e5a4b3c2d1e0f9a\n", "8d7f6e5a4b3c2d1e0f9a"),
        ("database:\n  password: hunter42xy\n", "hunter42xy"),
        ('requests.post(url, auth_token="Zk29dLq8Xv7Rm3Np")', "Zk29dLq8Xv7Rm3Np"),
    ],
)
def test_named_assignments(text: str, value: str | None) -> None:
    found = find_secrets(text)
    assert len(found) == 1
    if value is not None:
        assert text[found[0].start : found[0].end] == value
    assert found[0].confidence < 0.9  # name-driven guesses rank below vendor formats


@pytest.mark.parametrize(
    "text",
    [
        'SECRET_KEY = os.environ["SECRET_KEY"]',
        "password = os.getenv('DB_PASSWORD')",
        'password = "changeme"',
        'API_KEY = "your-api-key"',
        'api_key = "<your key>"',
        'token = "${GITHUB_TOKEN}"',
        'password = ""',
        'password = "test"',
        'SECRET = "xxxxxxxxxxxx"',
        "client_secret = '********'",
        "password_reset_timeout = 3600",
        'token_url = "https://auth.example.org/oauth/token"',
        'token_type = "bearer"',
        "max_tokens = 1024",
        'tokenizer = "bert-base-uncased-v2"',
        'public_key = "9f8e7d6c5b4a39281726354a"',
        'cache_key = "user:42:profile:v3"',
        "password: str",
        "password: Optional[str] = None",
        "password = form.cleaned_data['password']",
        "token = request.headers.get('Authorization')",
        "if password == 'hunter2xyz':",
        'PASSWORD_FIELD = "password1"',
        'SECRET_KEY_FILE = "/run/secrets/django_key"',
        'password = "Enter your password here"',
        "const apiKey = process.env.API_KEY;",
        "api_key: ${{ secrets.API_KEY }}",
    ],
)
def test_not_secrets(text: str) -> None:
    assert spans(text) == []


def test_offsets_are_characters_not_bytes() -> None:
    text = f"# clé d'accès ünïcode\nKEY = '{GITHUB}'"
    (match,) = find_secrets(text)
    assert text[match.start : match.end] == GITHUB


def test_secret_in_value_uses_name_for_generic_values() -> None:
    assert secret_in_value("Tr0ub4dor&3") is None
    hit = secret_in_value("Tr0ub4dor&3", "DB_PASSWORD")
    assert hit is not None and hit.kind == "password"
    hit = secret_in_value(f"Bearer {GITHUB}", "headers")
    assert hit is not None and hit.kind == "github-token"
    assert secret_in_value("changeme", "password") is None


def test_secret_name_kind_looks_at_the_last_word() -> None:
    assert secret_name_kind("DB_PASSWORD") == "password"
    assert secret_name_kind("apiKey") == "secret"
    assert secret_name_kind("STRIPE_SECRET_KEY") == "secret"
    assert secret_name_kind("clientSecret") == "secret"
    assert secret_name_kind("password_reset_timeout") is None
    assert secret_name_kind("primary_key") is None
    assert secret_name_kind("key") is None


def test_placeholders() -> None:
    for value in ("", "changeme", "<token>", "${X}", "your_secret_here", "dummy-key-123"):
        assert is_placeholder(value), value
    assert not is_placeholder("q8ZrT3mL2nD9vX4k")


def test_mask_never_reveals_the_value() -> None:
    for value in (GITHUB, "short", "hunter22"):
        masked = mask(value)
        assert value[:4] not in masked and str(len(value)) not in masked


def _best_of_three(text: str) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        find_secrets(text)
        times.append(time.perf_counter() - started)
    return min(times)


def test_linear_on_a_large_file() -> None:
    # Compared with itself on a quarter of the lines, so a loaded machine cannot fail it:
    # linear work grows 4x, quadratic 16x; the best of three runs drops scheduler noise.
    line = 'value_{i} = compute(token_count, api_key_id, "x" * {i})  # secret? no\n'

    def source(lines: int) -> str:
        return "".join(line.format(i=i) for i in range(lines)) + f"KEY = '{GITHUB}'\n"

    assert [m.kind for m in find_secrets(source(5000))] == ["github-token"]
    small, large = _best_of_three(source(1250)), _best_of_three(source(5000))
    assert large < 8 * small


def test_pathological_input_does_not_hang() -> None:
    nasty = "password" * 20000 + "-----BEGIN PRIVATE KEY-----" * 2000 + "a" * 100000
    started = time.perf_counter()
    find_secrets(nasty)
    # A hang guard, not a speed target (bench/ measures speed): backtracking would take minutes.
    assert time.perf_counter() - started < 20.0


def test_prefixed_names_and_embedded_prefixes() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYq8Zr3Lm2Nd"
    assert spans(f"MY_AWS_SECRET_ACCESS_KEY={secret}") == [("aws-secret-access-key", secret)]
    assert spans(f"x = 'prefix{GITHUB}'") == []  # not a token boundary


@pytest.mark.parametrize(
    "line",
    [
        'FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"',
        'NOPASSWORD = "no-password-required"',
        'WaitForTaskToken = "waitForTaskToken"',
        'AUTH_METHOD_PASSWORD = "public-key-or-password"',
    ],
)
def test_enum_like_labels_naming_a_credential_are_not_secrets(line: str) -> None:
    assert find_secrets(line) == []


def test_letters_only_password_is_still_a_secret() -> None:
    assert [m.kind for m in find_secrets('DB_PASSWORD = "hunterfoxtrot"')] == ["password"]


def test_descriptions_key_names_and_page_cursors_are_not_secrets() -> None:
    from backend_lsp.analysis.secrets import secret_in_value

    assert secret_in_value("Database password", "password") is None
    assert secret_in_value("Couchbase password (cloud)", "password") is None
    assert secret_in_value("passed_page_view_restrictions", "restrictions_session_key") is None
    assert secret_in_value("eyJpbmRleCI6IDExfQ==", "next_page_token") is None
    assert secret_in_value("kq8Zr!w2Lp0v", "password") is not None
    assert secret_in_value("sk9f8Q2lLx0aPz7RtY3mW1vB", "api_key") is not None


def test_prefilter_of_every_width_holds_every_format_that_fits() -> None:
    """The combined regex that lets a text skip the format loop may hold more formats
    than fit its width (one union per band of widths), never fewer: else a secret in
    a text of that length would go unseen."""
    from backend_lsp.analysis import secrets

    for fitting, prefilter in zip(secrets._FITTING, secrets._FITTING_ANY, strict=True):
        assert prefilter is not None
        for row in fitting:
            alone = secrets._any_of([row[1]])
            assert alone is not None
            assert alone.pattern in prefilter.pattern, row[0]
