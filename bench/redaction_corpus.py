"""A redaction corpus written for backend-lsp: fake secrets in real shapes, and look-alikes.

Every value is generated from a seeded RNG in the shape its provider issues
(prefix, alphabet, length), then placed in the snippet styles where it turns
up in backend code: Python, JS/TS, YAML, TOML, ini/.env, JSON and shell. The
look-alikes are what ordinary code is full of (SHAs, UUIDs, hashes, base64
fixtures, placeholders, public keys, code that *handles* credentials) and must
come back from redaction unchanged. Nothing here is a real credential.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass

SEED = 20261201

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
HEX = "0123456789abcdef"
ALNUM = LOWER + UPPER + DIGITS
URLSAFE = ALNUM + "_-"
B64 = ALNUM + "+/"


@dataclass(frozen=True, slots=True)
class Case:
    """One snippet; ``secret`` is what must disappear (empty for a look-alike)."""

    family: str
    language: str
    text: str
    secret: str


def _r(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _password(rng: random.Random) -> str:
    words = ("Orchid", "basalt", "Tundra", "copper", "Falcon", "meadow", "Quartz", "ember")
    return f"{rng.choice(words)}{rng.randint(10, 9999)}{rng.choice('!#%*@&$')}{_r(rng, ALNUM, 4)}"


Gen = Callable[[random.Random], str]

# family -> (value generator, variable name used in assignments)
FAMILIES: dict[str, tuple[Gen, str]] = {
    "aws-access-key-id": (lambda r: "AKIA" + _r(r, UPPER + "234567", 16), "aws_access_key_id"),
    "aws-secret-access-key": (lambda r: _r(r, B64, 40), "aws_secret_access_key"),
    "aws-session-token": (
        lambda r: "FwoGZXIvYXdzE" + _r(r, B64, 200) + "==",
        "aws_session_token",
    ),
    "github-token": (lambda r: "ghp_" + _r(r, ALNUM, 36), "github_token"),
    "github-fine-grained": (lambda r: "github_pat_" + _r(r, ALNUM + "_", 82), "gh_pat"),
    "gitlab-token": (lambda r: "glpat-" + _r(r, URLSAFE, 20), "gitlab_token"),
    "slack-bot-token": (
        lambda r: f"xoxb-{_r(r, DIGITS, 12)}-{_r(r, DIGITS, 13)}-{_r(r, ALNUM, 24)}",
        "slack_bot_token",
    ),
    "slack-app-token": (
        lambda r: f"xapp-1-A{_r(r, UPPER + DIGITS, 10)}-{_r(r, DIGITS, 13)}-{_r(r, HEX, 64)}",
        "slack_app_token",
    ),
    "slack-refresh-token": (lambda r: f"xoxe-1-{_r(r, ALNUM, 140)}", "slack_refresh_token"),
    "slack-webhook": (
        lambda r: (
            f"https://hooks.slack.com/services/T{_r(r, UPPER + DIGITS, 10)}/"
            f"B{_r(r, UPPER + DIGITS, 10)}/{_r(r, ALNUM, 24)}"
        ),
        "slack_webhook_url",
    ),
    "slack-workflow-webhook": (
        lambda r: (
            f"https://hooks.slack.com/workflows/T{_r(r, UPPER + DIGITS, 10)}/"
            f"A{_r(r, UPPER + DIGITS, 10)}/{_r(r, DIGITS, 18)}/{_r(r, ALNUM, 24)}"
        ),
        "alerts_hook",
    ),
    "teams-webhook": (
        lambda r: (
            f"https://contoso.webhook.office.com/webhookb2/{_uuid(r)}@{_uuid(r)}/"
            f"IncomingWebhook/{_r(r, HEX, 32)}/{_uuid(r)}"
        ),
        "teams_hook",
    ),
    "outlook-webhook": (
        lambda r: (
            f"https://outlook.office.com/webhook/{_uuid(r)}@{_uuid(r)}/"
            f"IncomingWebhook/{_r(r, HEX, 32)}/{_uuid(r)}"
        ),
        "outlook_hook",
    ),
    "discord-webhook": (
        lambda r: f"https://discord.com/api/webhooks/{_r(r, DIGITS, 18)}/{_r(r, URLSAFE, 68)}",
        "discord_hook",
    ),
    "stripe-secret-key": (lambda r: "sk_live_" + _r(r, ALNUM, 24), "stripe_key"),
    "stripe-restricted-key": (lambda r: "rk_live_" + _r(r, ALNUM, 24), "stripe_rk"),
    "stripe-webhook-secret": (lambda r: "whsec_" + _r(r, ALNUM, 32), "endpoint_signing"),
    "twilio-api-key": (lambda r: "SK" + _r(r, HEX, 32), "twilio_sid"),
    "sendgrid-api-key": (
        lambda r: f"SG.{_r(r, URLSAFE, 22)}.{_r(r, URLSAFE, 43)}",
        "sendgrid_api_key",
    ),
    "mailgun-key": (lambda r: "key-" + _r(r, HEX, 32), "mailgun_api"),
    "npm-token": (lambda r: "npm_" + _r(r, ALNUM, 36), "npm_token"),
    "pypi-token": (lambda r: "pypi-AgEIcHlwaS5vcmc" + _r(r, URLSAFE, 70), "pypi_token"),
    "huggingface-token": (lambda r: "hf_" + _r(r, ALNUM, 34), "hf_token"),
    "openai-api-key": (
        lambda r: f"sk-proj-{_r(r, URLSAFE, 40)}T3BlbkFJ{_r(r, URLSAFE, 40)}",
        "openai_api_key",
    ),
    "anthropic-api-key": (lambda r: "sk-ant-api03-" + _r(r, URLSAFE, 93) + "AA", "claude_key"),
    "google-api-key": (lambda r: "AIza" + _r(r, URLSAFE, 35), "maps_api_key"),
    "google-oauth-secret": (lambda r: "GOCSPX-" + _r(r, URLSAFE, 28), "oauth_client_secret"),
    "facebook-token-url": (
        lambda r: "EAAB" + _r(r, ALNUM, 6) + "ZD" + _r(r, ALNUM, 80),
        "fb_access_token",
    ),
    "jwt": (lambda r: _jwt(r, signed=True), "session_jwt"),
    "jwt-unsigned": (lambda r: _jwt(r, signed=False), "id_token"),
    "p8e-key": (lambda r: "p8e-" + _r(r, ALNUM, 40), "figure_key"),
    "alibaba-access-key-id": (lambda r: "LTAI" + _r(r, ALNUM, 20), "aliyun_access_key"),
    "aws-appsync-key": (lambda r: "da2-" + _r(r, LOWER + DIGITS, 26), "appsync_api_key"),
    "k2-secret-key": (lambda r: "k2sk_" + _r(r, ALNUM, 32), "k2_key"),
    "digitalocean-token": (lambda r: "dop_v1_" + _r(r, HEX, 64), "do_token"),
    "shopify-token": (lambda r: "shpat_" + _r(r, HEX, 32), "shopify_token"),
    "vault-token": (lambda r: "hvs." + _r(r, URLSAFE, 90), "vault_token"),
    "databricks-token": (lambda r: "dapi" + _r(r, HEX, 32), "databricks_token"),
    "docker-hub-token": (lambda r: "dckr_pat_" + _r(r, URLSAFE, 27), "docker_token"),
    "telegram-bot-token": (
        lambda r: f"{_r(r, DIGITS, 10)}:AA{_r(r, URLSAFE, 33)}",
        "telegram_bot_token",
    ),
    "private-key": (lambda r: _private_key(r), "signing_key_pem"),
    "password-assignment": (_password, "db_password"),
    "generic-api-key": (lambda r: _r(r, ALNUM, 32), "api_key"),
}


def _uuid(rng: random.Random) -> str:
    h = _r(rng, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _b64url(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _jwt(rng: random.Random, *, signed: bool) -> str:
    alg = "HS256" if signed else "none"
    header = _b64url(json.dumps({"alg": alg, "typ": "JWT"}))
    claims = {"sub": _r(rng, DIGITS, 8), "iat": rng.randint(1_600_000_000, 1_800_000_000)}
    body = _b64url(json.dumps(claims))
    return f"{header}.{body}." + (_r(rng, URLSAFE, 43) if signed else "")


def _private_key(rng: random.Random) -> str:
    body = "\\n".join(_r(rng, B64, 64) for _ in range(4))
    return f"-----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----"


# language -> snippet templates over {name}, {NAME} and {value}.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "python": (
        '{NAME} = "{value}"\n',
        'client = Client(token="{value}")\n',
        "settings = {{'{name}': '{value}'}}\n",
    ),
    "js": ("const {name} = '{value}';\n", "export const config = {{ {name}: `{value}` }};\n"),
    "ts": ('const {name}: string = "{value}";\n',),
    "yaml": ("services:\n  api:\n    {name}: {value}\n", '{name}: "{value}"\n'),
    "toml": ('[service]\n{name} = "{value}"\n',),
    "ini": ("[default]\n{name} = {value}\n",),
    "env": ("{NAME}={value}\n", "export {NAME}={value}\n"),
    "json": ('{{"{name}": "{value}", "region": "eu-west-1"}}\n',),
    "shell": (
        'curl -s -H "X-Api-Key: {value}" https://api.internal/v1/jobs\n',
        "export {NAME}='{value}'\n",
    ),
}

# Structural cases: credentials whose position, not shape, gives them away.
STRUCTURAL: dict[str, tuple[tuple[str, str], ...]] = {
    "positional-password": (
        ("python", 'server = smtplib.SMTP_SSL("smtp.mailhost.io")\nserver.login(sender, "{pw}")\n'),
        ("python", 'imap = imaplib.IMAP4_SSL(host)\nimap.login("ops@corp.io", "{pw}")\n'),
        ("python", 'conn = ldap.initialize(uri)\nconn.simple_bind_s("cn=admin,dc=corp", "{pw}")\n'),
        ("python", 'resp = requests.get(url, auth=("deploy", "{pw}"), timeout=10)\n'),
        ("python", 'r = httpx.post(url, auth=(user, "{pw}"))\n'),
        ("python", 'db = pymysql.connect("db.internal", "app", "{pw}", "orders")\n'),
        ("python", 'con = cx_Oracle.connect("scott", "{pw}", "db:1521/ORCL")\n'),
        ("python", 'session.auth = HTTPBasicAuth("svc", "{pw}")\n'),
        ("python", 'ftp = FTP("files.corp.io", "upload", "{pw}")\n'),
        ("python", 'conn = psycopg2.connect("host=db user=app password={ident} dbname=shop")\n'),
        (
            "js",
            "const sequelize = new Sequelize('shop', 'shop', '{pw}', {{ dialect: 'postgres' }});\n",
        ),
        ("js", "await request.post('/api').auth('admin', '{pw}');\n"),
    ),
    "auth-header": (
        ("python", 'headers = {{"Authorization": "Bearer {tok}"}}\n'),
        ("python", 'HEADERS = {{"Authorization": "Basic {basic}"}}\n'),
        ("python", 'session.headers["Authorization"] = "Token {hex}"\n'),
        (
            "python",
            'def sync():\n    """Run by hand:\n\n'
            '    curl -H "Authorization: Bearer {tok}" https://api/x\n    """\n',
        ),
        ("js", "fetch(url, {{ headers: {{ Authorization: 'Bearer {tok}' }} }});\n"),
        ("ts", 'axios.defaults.headers.common["Authorization"] = `Basic {basic}`;\n'),
        ("shell", 'curl -H "Authorization: Token {hex}" https://api.corp.io/v2/items\n'),
        ("shell", "curl -H 'authorization: Bearer {tok}' https://api.corp.io\n"),
        ("yaml", "headers:\n  Authorization: Bearer {tok}\n"),
    ),
    "url-password": (
        ("python", 'DATABASE_URL = "postgresql://app:{urlpw}@db.internal:5432/app"\n'),
        ("env", "REDIS_URL=redis://default:{urlpw}@cache.internal:6379/0\n"),
        ("yaml", "broker_url: amqp://svc:{urlpw}@mq.internal:5672/vhost\n"),
        ("js", "mongoose.connect('mongodb+srv://api:{urlpw}@cluster0.abcd.mongodb.net/prod');\n"),
        ("python", 'url = "https://bot:{urlpw}@git.corp.io/team/repo.git"\n'),
        ("toml", '[db]\nurl = "mysql://root:{urlpw}@10.0.0.5/shop"\n'),
    ),
    "unquoted-config": (
        ("ini", "[smtp]\npassword = {cfgpw}\n"),
        ("env", "DB_PASSWORD={cfgpw}\n"),
        ("yaml", "database:\n  password: {cfgpw}\n"),
        ("ini", "[api]\nclient_secret: {cfgpw}\n"),
        ("env", "SECRET_KEY={cfgpw}\n"),
        ("shell", "mysql -u root -p{shpw} orders < dump.sql\n"),
        ("shell", "curl -u admin:{shpw} https://jenkins.corp.io/api/json\n"),
        ("python", 'CONN = "Server=sql01;Database=shop;User Id=app;Password={shpw};"\n'),
    ),
}


def _fill_structural(rng: random.Random, template: str) -> tuple[str, str]:
    values = {
        "pw": _password(rng),
        "tok": _r(rng, ALNUM, 40),
        "basic": base64.b64encode(f"svc{rng.randint(1, 99)}:{_password(rng)}".encode()).decode(),
        "hex": _r(rng, HEX, 40),
        "ident": _r(rng, LOWER, 6) + str(rng.randint(10, 99)) + _r(rng, LOWER, 3),
        "urlpw": rng.choice(("p@ss", "#x", "*S", "sample", "Password")) + _password(rng),
        "cfgpw": _r(rng, LOWER, 4) + "#" + _r(rng, ALNUM, 8) + rng.choice("!%&"),
        "shpw": _password(rng).replace("&", "x").replace("$", "x"),
    }
    key = next(k for k in values if "{" + k + "}" in template)
    return template.format(**{key: values[key]}), values[key]


def secret_cases(seed: int = SEED) -> list[Case]:
    """Every secret case: each family in several languages, plus structural cases."""
    rng = random.Random(seed)
    cases: list[Case] = []
    languages = list(TEMPLATES)
    for index, (family, (gen, name)) in enumerate(FAMILIES.items()):
        picks = [languages[(index + k) % len(languages)] for k in range(7)]
        for language in picks:
            template = rng.choice(TEMPLATES[language])
            value = gen(rng)
            if family == "facebook-token-url":
                text = f'GRAPH = "https://graph.facebook.com/me?fields=id&access_token={value}"\n'
            elif family == "telegram-bot-token" and language == "shell":
                text = f'curl -s "https://api.telegram.org/bot{value}/sendMessage" -d text=up\n'
            elif family == "private-key" and language in ("yaml", "ini", "env", "shell"):
                text = f'{name.upper()}="{value}"\n'
            else:
                text = template.format(name=name, NAME=name.upper(), value=value)
            cases.append(Case(family, language, text, value))
    for family, templates in STRUCTURAL.items():
        for _round in range(2):
            for language, template in templates:
                text, value = _fill_structural(rng, template)
                cases.append(Case(family, language, text, value))
    return cases


def _lookalike_values(rng: random.Random) -> list[tuple[str, str]]:
    sha = _r(rng, HEX, 40)
    return [
        ("git-sha", f'REVISION = "{sha}"\n'),
        ("git-sha", f"    commit: {_r(rng, HEX, 40)}\n"),
        ("uuid", f'request_id = "{_uuid(rng)}"\n'),
        ("uuid", f"const tenantId = '{_uuid(rng)}';\n"),
        ("sha256", f'EXPECTED_SHA256 = "{_r(rng, HEX, 64)}"\n'),
        ("sha256", f'  "integrity": "sha512-{_r(rng, B64, 86)}=="\n'),
        ("digest", f"image: registry.corp.io/api@sha256:{_r(rng, HEX, 64)}\n"),
        ("base64-fixture", f'PIXEL_PNG = "iVBORw0KGgo{_r(rng, B64, 60)}="\n'),
        ("base64-fixture", f'payload = base64.b64decode("{_r(rng, B64, 48)}")\n'),
        ("placeholder", 'password = "changeme"\n'),
        ("placeholder", "API_KEY=<your-api-key>\n"),
        ("placeholder", 'SECRET_KEY = os.environ["SECRET_KEY"]\n'),
        ("placeholder", "token: ${GITHUB_TOKEN}\n"),
        ("placeholder", "const apiKey = process.env.STRIPE_KEY;\n"),
        ("placeholder", 'DATABASE_URL = "postgresql://app:${DB_PASSWORD}@db/app"\n'),
        ("placeholder", "password = {{ vault_db_password }}\n"),
        ("public-key", f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{_r(rng, B64, 43)} deploy@ci\n"),
        (
            "public-key",
            f'PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----\n{_r(rng, B64, 64)}\n'
            '-----END PUBLIC KEY-----"""\n',
        ),
        ("public-key", f"const stripePublishable = 'pk_live_{_r(rng, ALNUM, 24)}';\n"),
        ("code", "server.login(settings.SMTP_USER, settings.SMTP_PASSWORD)\n"),
        ("code", "resp = requests.get(url, auth=(user, password))\n"),
        ("code", 'headers = {"Authorization": f"Bearer {token}"}\n'),
        ("code", "headers['Authorization'] = 'Bearer ' + access_token\n"),
        ("code", "password_reset_timeout = 3600\n"),
        ("code", 'token_url = "https://oauth2.googleapis.com/token"\n'),
        ("code", "def login(request, user, backend=None):\n"),
        ("code", "password: str = Field(min_length=12)\n"),
        ("code", "api_key = request.headers.get('X-Api-Key')\n"),
        ("code", 'raise ValueError("Bearer token missing or expired")\n'),
        ("code", "WWW_AUTHENTICATE = 'Basic realm=\"admin\"'\n"),
        ("code", "curl -s https://api.corp.io/v1/health | jq .status\n"),
        ("code", "mysql -h db.internal -P 3306 -u app orders\n"),
        ("code", f'cache_key = f"user:{{user_id}}:{_r(rng, LOWER, 6)}"\n'),
        ("code", f'color = "#{_r(rng, HEX, 6)}"\n'),
        ("code", f'version = "{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"\n'),
        ("code", f"TWILIO_ACCOUNT_SID = 'AC{_r(rng, HEX, 32)}'\n"),
        ("code", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"),
        ("code", f'etag = "W/\\"{_r(rng, HEX, 32)}\\""\n'),
        ("code", "SESSION_COOKIE_NAME = 'sessionid'\n"),
        ("code", f"primary_key: {_r(rng, LOWER, 8)}_id\n"),
        ("code", "    client = Anthropic(\n        api_key=resolved_api_key,\n    )\n"),
        ("code", '    """Preprocess the token definitions of the lexer."""\n'),
        ("code", 'SENSITIVE_HEADERS = {"authorization", "proxy-authorization"}\n'),
        ("code", "docker run --rm -u app:app -v $PWD:/src image:latest\n"),
        ("code", 'TOKEN_PATTERN = r"[-!#$%&\'*+.^_`|~0-9a-zA-Z]+"\n'),
        ("code", "    username,password.\n\n    :rtype: (str,str)\n"),
        ("code", "raise AuthError('Basic authentication required for this endpoint')\n"),
        ("code", f"https://cdn.corp.io/assets/app.js?v={_r(rng, HEX, 8)}\n"),
    ]


def lookalike_cases(seed: int = SEED) -> list[Case]:
    """Ordinary code that resembles secrets; at least 200 snippets."""
    rng = random.Random(seed + 1)
    cases: list[Case] = []
    while len(cases) < 240:
        for family, text in _lookalike_values(rng):
            cases.append(Case(family, "mixed", text, ""))
    return cases
