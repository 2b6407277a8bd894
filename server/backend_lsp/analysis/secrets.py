"""Find credentials in plain text of any language.

Shared by the hardcoded-secret rule (BE008) and by the agent's redaction, so
it needs no syntax tree: precompiled regexes for vendor formats whose shape is
distinctive, plus a name-driven check for ``password = "..."`` style
assignments that filters placeholders and low-entropy values. Every pattern is
anchored on a literal prefix or a bounded character class, so a scan is linear
in the text length.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from backend_lsp.analysis.secret_formats import FORMATS, NEEDLES


@dataclass(frozen=True, slots=True)
class SecretMatch:
    """A secret at character offsets [start, end) of the scanned text."""

    start: int
    end: int
    kind: str
    confidence: float


def _compiled(pattern: str) -> tuple[re.Pattern[str], str | int, bool]:
    regex = re.compile(pattern.removeprefix(r"\b"))
    return regex, "secret" if "secret" in regex.groupindex else 0, pattern.startswith(r"\b")


# (kind, pattern, group holding the secret, confidence, must start a word).
_FORMATS: tuple[tuple[str, re.Pattern[str], str | int, float, bool], ...] = tuple(
    (kind, *_compiled(pattern)[:2], confidence, _compiled(pattern)[2])
    for kind, pattern, confidence in FORMATS
)


def _min_width(pattern: re.Pattern[str]) -> int:
    """The fewest characters ``pattern`` can match: shorter text is skipped unscanned.

    Read from the stdlib's regex parser (private, 3.11+); without it every width
    is 0, which only costs speed.
    """
    try:
        import re._parser as sre_parser

        return int(sre_parser.parse(pattern.pattern, pattern.flags).getwidth()[0])
    except Exception:  # a Python without re._parser
        return 0


_ROW_WIDTHS = tuple(_min_width(pattern) for _, pattern, *_ in _FORMATS)  # parsed once per row
_WIDTHS = sorted(set(_ROW_WIDTHS))
# _FITTING[i]: the formats (in table order) that can match text of _WIDTHS[i] characters.
_FITTING = tuple(
    tuple(row for row, least in zip(_FORMATS, _ROW_WIDTHS, strict=True) if least <= width)
    for width in _WIDTHS
)


def _any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One regex that matches somewhere exactly when one of ``patterns`` does.

    Most literals match no format: one search instead of a Python loop of them. Group
    names are dropped (duplicates are not allowed) and a leading ``(?i)`` becomes a scoped
    ``(?i:...)``; None when a pattern cannot be combined (a backreference, other flags).
    """
    parts = []
    for pattern in patterns:
        text = pattern.pattern
        flags = re.match(r"\(\?([imsx]+)\)", text)
        inline = re.NOFLAG
        for letter in flags.group(1) if flags is not None else "":
            inline |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}[letter]
        if "(?P=" in text or pattern.flags & ~re.UNICODE != inline:
            return None
        text = re.sub(r"\(\?P<\w+>", "(?:", text)
        if flags is not None:
            text = f"(?{flags.group(1)}:{text[flags.end() :]})"
        parts.append(f"(?:{text})")
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None


# The prefilter of a text of _WIDTHS[i] characters: one union per band of _BAND widths
# holding every format that fits the band's widest text, so a superset of _FITTING[i]
# (skipping the formats when it finds nothing is exact). Compiling is most of this
# module's import; 9 unions instead of one per width cost a fifth of it and search as fast.
_BAND = 6
_BAND_ANY = tuple(
    _any_of([row[1] for row in _FITTING[min(start + _BAND, len(_WIDTHS)) - 1]])
    for start in range(0, len(_WIDTHS), _BAND)
)
_FITTING_ANY = tuple(_BAND_ANY[i // _BAND] for i in range(len(_WIDTHS)))

# scheme://user:password@host -> the password only. The password runs to the
# last ``@`` before a host, so ``p@ss#1*`` is hidden whole.
_URL_PASSWORD = re.compile(
    r"\b(?:postgres(?:ql)?|mysql|mariadb|mssql|sqlserver|oracle|cockroachdb|mongodb(?:\+srv)?|"
    r"rediss?|amqps?|kafka|nats|clickhouse|https?|wss?|ftps?|sftp|ssh|smtps?|imaps?|ldaps?|"
    r"git|svn|jdbc:[a-z]+|[a-z][a-z0-9]{1,15})(?:\+[a-z0-9]+)?://"
    r"([^:/?#@\s'\"`]*):([^/?\s'\"`]+)@(?=[A-Za-z0-9\[][\w.\[\]:-]*(?:[/?#:'\"`\s,;)]|$))"
)

# Structural detectors: where the code shape says "this is a credential".
# Each has a ``secret`` group; the value must also pass ``_credible``.
_Q = r"(?P<q>[\"'`])"
_QV = r"(?P<secret>[^\"'`\n\\]{3,})(?P=q)"
_STR = r"(?:[\"'][^\"'\n]*[\"']|[\w.\[\]]+)"
_STRUCTURAL: tuple[tuple[str, re.Pattern[str], float, tuple[str, ...]], ...] = tuple(
    (kind, re.compile(pattern), confidence, needles)
    for kind, pattern, confidence, needles in (
        # Authorization headers of any scheme, in code, strings and curl lines.
        (
            "auth-header",
            r"(?<![\w-])(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken|TOKEN|Bot|SSWS|ApiKey|Api-Key|"
            r"JWT|OAuth|GenieKey|Splunk|Key|api-key|apikey)[ \t]+"
            r"(?P<secret>[A-Za-z0-9._~+/=:-]{8,})",
            0.55,
            (
                "bearer",
                "basic",
                "token",
                "bot ",
                "ssws",
                "apikey",
                "api-key",
                "jwt ",
                "oauth",
                "geniekey",
                "splunk",
                "key ",
            ),
        ),
        (
            "auth-header",
            r"(?i)(?<![\w-])(?:proxy-)?authorization[\"'`]?\s*[:=,]\s*(?:[\[(]\s*)?[\"'`]?"
            r"(?P<secret>[A-Za-z0-9._~+/=-]{16,})(?![A-Za-z0-9._~+/=-]*[ \t]+\S)",
            0.55,
            ("authorization",),
        ),
        # Positional passwords of login/bind calls: smtplib, imaplib, ftplib, ldap.
        (
            "password",
            r"\.(?:login|starttls_login|simple_bind_s|simple_bind|bind_s|sasl_plain|auth)\(\s*"
            rf"{_STR}\s*,\s*{_Q}{_QV}",
            0.55,
            (".login(", "_login(", "bind", "sasl_plain", ".auth("),
        ),
        # requests/httpx/aiohttp auth tuples and auth classes.
        ("password", rf"\bauth\s*=\s*[(\[]\s*{_STR}\s*,\s*{_Q}{_QV}", 0.55, ("auth",)),
        (
            "password",
            r"\b(?:HTTPBasicAuth|HTTPDigestAuth|HTTPProxyAuth|BasicAuth|DigestAuth|BasicAuthMiddleware)"
            rf"\(\s*{_STR}\s*,\s*{_Q}{_QV}",
            0.55,
            ("auth(",),
        ),
        # ldap3.Connection(server, user, password) and Oracle connect(user, password, dsn).
        (
            "password",
            rf"\bConnection\(\s*{_STR}\s*,\s*(?:user\s*=\s*)?{_STR}\s*,\s*{_Q}{_QV}",
            0.55,
            ("connection(",),
        ),
        (
            "password",
            rf"\b(?:cx_Oracle|oracledb)\.connect\(\s*{_STR}\s*,\s*{_Q}{_QV}",
            0.55,
            ("oracle",),
        ),
        # connect(host, user, password, ...) of MySQL/MSSQL/Postgres drivers, FTP, Sequelize.
        (
            "password",
            r"\b(?:pymysql|MySQLdb|mysql\.connector|pymssql|mariadb|psycopg2?|pg8000|_mssql|"
            r"aiomysql|asyncmy)\.connect\(\s*"
            rf"{_STR}\s*,\s*{_STR}\s*,\s*{_Q}{_QV}",
            0.55,
            (".connect(",),
        ),
        (
            "password",
            rf"\b(?:FTP|FTP_TLS|Sequelize)\(\s*{_STR}\s*,\s*{_STR}\s*,\s*{_Q}{_QV}",
            0.55,
            ("ftp", "sequelize("),
        ),
        # Connection strings: Server=...;User Id=...;Password=...;
        (
            "password",
            r"(?i)(?<![\w-])(?:password|pwd|passwd)\s*=\s*(?P<secret>[^;\"'\n]+?)\s*(?=;)",
            0.55,
            ("password", "pwd", "passwd"),
        ),
        # libpq keyword strings: "host=db user=app password=... dbname=shop".
        (
            "password",
            r"\b(?:host|dbname|user|hostaddr|port)=[^\s\"',]+[ \t]+(?:[a-z_]+=[^\s\"',]+[ \t]+)*?"
            r"password=(?P<secret>[^\s\"',;)]+)",
            0.55,
            ("password=",),
        ),
        # Query-string credentials.
        (
            "secret",
            r"(?i)[?&](?:password|passwd|pwd|token|access_token|refresh_token|api_key|apikey|"
            r"client_secret|secret|sig|signature|X-Amz-Signature|X-Goog-Signature)=(?P<secret>[^&#\s'\"`<>]{8,})",
            0.55,
            ("?", "&"),
        ),
        # Shell: curl -u user:pw, mysql -pPW, sshpass -p PW, htpasswd -b file user PW.
        (
            "password",
            r"(?:\s|^)(?:-u|--user|--proxy-user)[ \t=]+[\"']?[^:\s\"']+:(?P<secret>[^\s\"']{3,})",
            0.55,
            ("-u", "--user", "--proxy-user"),
        ),
        (
            "password",
            r"\bmysql(?:dump|admin)?\b[^\n]*?[ \t]-p(?P<secret>[^\s\"'-][^\s\"']{2,})",
            0.55,
            ("mysql",),
        ),
        (
            "password",
            r"\bmysql(?:dump|admin)?\b[^\n]*?[ \t](?:-p|--password=)"
            r"(?P<q>[\"'])(?P<secret>[^\"'\n]{3,})(?P=q)",
            0.55,
            ("mysql",),
        ),
        ("password", r"\bsshpass\s+-p\s*[\"']?(?P<secret>[^\s\"']{3,})", 0.55, ("sshpass",)),
        (
            "password",
            r"\bhtpasswd\s+-[a-zA-Z]*b[a-zA-Z]*\s+\S+\s+\S+\s+[\"']?(?P<secret>[^\s\"']{3,})",
            0.55,
            ("htpasswd",),
        ),
    )
)

# Any structural detector's needle: text with none of them skips the detectors.
_ANY_NEEDLE = re.compile("|".join(re.escape(n) for *_, needles in _STRUCTURAL for n in needles))


# name <op> value, for the name-driven check. The lookahead keeps the scan to
# words that mention a credential; the possessive name never backtracks.
_ASSIGNMENT = re.compile(
    r"(?i)(?<![\w.-])(?=[\w.-]*(?:pass|pwd|secret|token|key|credential))"
    r"(?P<name>[A-Za-z_][\w.-]*+)[\"'`]?\]?[ \t]*+"
    # an annotation (``password: str = "..."``, TS ``key: string = '...'``) is skipped
    r"(?::[ \t]*[A-Za-z_][\w.\[\]]*(?:[ \t]*\|[ \t]*[A-Za-z_][\w.\[\]]*)*[ \t]*(?==))?"
    r"(?P<op>:=|=>|==|=|:)[ \t]*+"
    r"(?:[bBuU](?=[\"']))?(?:\"(?P<dq>[^\"\\\n]*(?:\\.[^\"\\\n]*)*)\"|'(?P<sq>[^'\\\n]*(?:\\.[^'\\\n]*)*)'"
    r"|`(?P<bq>[^`\\\n]*)`|(?P<bare>[^\s\"'`#,;(){}\[\]]+))"
)

_PASSWORD_WORDS = {"password", "passwd", "pwd", "passphrase", "pass", "passcode"}
_SECRET_WORDS = {"secret", "token", "apikey", "credential", "credentials"}
_KEY_PREFIXES = {
    "api", "access", "secret", "private", "signing", "sign", "encryption", "encrypt",
    "master", "auth", "client", "hmac", "jwt", "webhook", "license", "crypt", "fernet",
    "aes", "app", "service", "session", "consumer", "subscription", "admin", "account",
}  # fmt: skip
_KEY_PREFIX_EXCLUDED = {"public", "publishable", "primary", "foreign", "cache", "sort"}
# Product-analytics SDKs whose ingestion key or project token ships inside every browser
# and client build (``AMPLITUDE_API_KEY``, ``MIXPANEL_TOKEN``): public by design. Their
# server-side credentials say so in the name (``MIXPANEL_API_SECRET``, ``..._PERSONAL_API_KEY``).
_ANALYTICS_VENDORS = {"amplitude", "mixpanel", "posthog", "segment", "heap", "rudderstack"}
_PRIVATE_WORDS = {"secret", "personal", "private", "admin", "management", "export", "service"}
# ``LEGACY_DEFAULT_ADMIN_PASSWORD``, ``BANNED_PASSWORDS``: a publicly known value kept so the code
# can refuse it; the name says it grants nothing.
_REFUSED_WORDS = {
    "legacy",
    "banned",
    "forbidden",
    "disallowed",
    "rejected",
    "compromised",
    "leaked",
}

_PLACEHOLDER_PARTS = (
    "changeme", "change_me", "change-me", "changethis", "replace", "your_", "your-",
    "yourkey", "yoursecret", "yourpassword", "yourtoken", "example", "placeholder", "dummy",
    "fake", "sample", "xxxx", "****", "....", "redacted", "insert", "todo", "fixme",
    "notsecret", "not-secret", "not_secret", "<", "${", "{{", "%(", "_here", "-here", "lorem",
)  # fmt: skip
_PLACEHOLDER_WORDS = {
    "", "none", "null", "nil", "true", "false", "undefined", "test", "testing", "tests",
    "secret", "password", "passwd", "pass", "token", "key", "apikey", "api_key", "foo", "bar",
    "baz", "foobar", "abc", "abc123", "123", "1234", "12345", "123456", "admin", "root",
    "guest", "user", "username", "postgres", "mysql", "redis", "default", "empty", "string",
    "str", "required", "optional", "unset", "bearer", "basic", "s3cr3t", "hunter2", "...",
}  # fmt: skip
_WORD_CHAR = re.compile(r"\w")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_FORMAT_SPEC = re.compile(r"%[sd]|\{[A-Za-z_][A-Za-z0-9_]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


# Literal values repeat a lot across a code base (two thirds of BE008's lookups on real
# packages were repeats): short texts are answered from a memo.
_MEMO_MAX_CHARS = 512


def find_secrets(text: str) -> list[SecretMatch]:
    """Every secret in ``text``, in order, without overlaps (the surest match wins)."""
    if len(text) <= _MEMO_MAX_CHARS:
        return list(_remembered(text))
    return _find_secrets(text)


@functools.lru_cache(maxsize=1 << 17)
def _remembered(text: str) -> tuple[SecretMatch, ...]:
    return tuple(_find_secrets(text))


def _find_secrets(text: str) -> list[SecretMatch]:
    candidates: list[SecretMatch] = []
    fitting = bisect.bisect_right(_WIDTHS, len(text)) - 1
    formats = _FITTING[fitting] if fitting >= 0 else ()
    prefilter = _FITTING_ANY[fitting] if fitting >= 0 else None
    if prefilter is not None and prefilter.search(text) is None:
        formats = ()  # not one of them matches anywhere in the text
    for kind, pattern, group, confidence, bounded in formats:
        needles = NEEDLES.get(kind)
        if needles is not None and not any(needle in text for needle in needles):
            continue
        for match in pattern.finditer(text):
            value = match.group(group)
            start = match.start()
            if _is_example(value) or (bounded and start and _WORD_CHAR.match(text, start - 1)):
                continue
            candidates.append(SecretMatch(match.start(group), match.end(group), kind, confidence))
    for match in _URL_PASSWORD.finditer(text):
        user, password = match.group(1), match.group(2)
        if _is_url_placeholder(user, password):
            continue
        candidates.append(SecretMatch(match.start(2), match.end(2), "url-password", 0.85))
    lowered = text.lower()
    for kind, pattern, confidence, needles in _STRUCTURAL if _ANY_NEEDLE.search(lowered) else ():
        if not any(needle in lowered for needle in needles):
            continue
        for match in pattern.finditer(text):
            start, end = match.span("secret")
            value = match.group("secret")
            if kind == "auth-header":
                value = value.rstrip(".,:;")
                if not _credible_token(value):
                    continue
                end = start + len(value)
            if _credible(value):
                candidates.append(SecretMatch(start, end, kind, confidence))
    for match in _ASSIGNMENT.finditer(text):
        found = _assignment_secret(text, match)
        if found is not None:
            candidates.append(found)
    return _without_overlaps(candidates)


def secret_in_value(value: str, name: str | None = None) -> SecretMatch | None:
    """The most certain secret in a literal ``value`` (offsets into ``value``).

    ``name`` is what the value is bound to (variable, keyword, dict key); it
    lets a value with no vendor format count as a secret, as in find_secrets.
    """
    matches = find_secrets(value)
    if name is not None:
        kind = secret_name_kind(name)
        if kind is not None:
            confidence = generic_confidence(value, kind)
            if confidence is not None:
                matches.append(SecretMatch(0, len(value), kind, confidence))
    if not matches:
        return None
    return max(matches, key=lambda m: (m.confidence, m.end - m.start))


@functools.lru_cache(maxsize=1 << 14)  # names repeat across literals and keywords
def secret_name_kind(name: str) -> str | None:
    """``"password"`` or ``"secret"`` if a name says it holds a credential, else None.

    The last word of the name decides: ``DB_PASSWORD`` and ``apiKey`` hold
    credentials, ``password_reset_timeout`` and ``token_url`` do not.
    """
    words = [w for w in re.split(r"[^A-Za-z0-9]+", _CAMEL.sub("_", name).lower()) if w]
    if not words:
        return None
    last = words[-1]
    if "page" in words or "cursor" in words:
        return None  # ``next_page_token``: a pagination cursor, not a credential
    if _ANALYTICS_VENDORS.intersection(words) and not _PRIVATE_WORDS.intersection(words):
        return None  # ``AMPLITUDE_API_KEY``: an analytics ingestion key every client carries
    if _REFUSED_WORDS.intersection(words):
        return None
    if last in _PASSWORD_WORDS or last.endswith("password"):
        return "password"
    if last in _SECRET_WORDS or last.endswith(("secret", "token", "apikey")):
        return "secret"
    if last == "key" and len(words) >= 2:
        previous = words[-2]
        if previous in _KEY_PREFIX_EXCLUDED:
            return None
        if previous in _KEY_PREFIXES or previous in _SECRET_WORDS:
            return "secret"
    return None


def generic_confidence(value: str, kind: str) -> float | None:
    """How likely ``value`` is a real credential of ``kind``; None when it is not."""
    if is_placeholder(value) or _is_label(value) or _is_prose(value):
        return None
    if kind == "secret" and _NAME_LIKE.fullmatch(value):
        return None  # ``session_key = "bulk_intermediate"`` names a key, it is not one
    if kind == "password":
        if len(value) < 6 or value.count(" ") >= 2:
            return None
        return 0.6 if shannon_entropy(value) < 3.0 else 0.75
    if len(value) < 12 or any(ch.isspace() for ch in value):
        return None
    if value.startswith(("/", "./", "~/", "http://", "https://")) or value.endswith(
        (".pem", ".key", ".json", ".txt", ".crt")
    ):
        return None  # a path or endpoint naming where the secret lives
    entropy = shannon_entropy(value)
    if entropy < 3.0 or (not any(ch.isdigit() for ch in value) and entropy < 3.5):
        return None
    return 0.8 if entropy >= 3.8 else 0.65


_LABEL_WORDS = ("password", "passwd", "token", "secret", "key", "pwd", "credential")


_NAME_LIKE = re.compile(r"[a-z]+(?:_[a-z]+)+")
_PROSE_WORD = re.compile(r"[A-Za-z()'\".,:;!?/_-]+")


def _is_prose(value: str) -> bool:
    """``"Database password"``, an error message: words for people, not a credential."""
    words = value.split()
    return len(words) >= 2 and all(_PROSE_WORD.fullmatch(word) for word in words)


def _is_label(value: str) -> bool:
    """An enum-like name such as ``FORCE_CHANGE_PASSWORD`` or ``waitForTaskToken``.

    Constants that *name* a credential concept are common in real code; a
    password made only of letters that also spells one of these words is not.
    """
    if not re.fullmatch(r"[A-Za-z]+(?:[_.:-][A-Za-z]+)*", value):
        return False
    lowered = value.lower()
    return any(word in lowered for word in _LABEL_WORDS)


def is_placeholder(value: str) -> bool:
    """Empty, templated, or an obviously fake example value."""
    stripped = value.strip()
    lowered = stripped.lower()
    if lowered in _PLACEHOLDER_WORDS or len(set(lowered)) <= 2:
        return True
    if any(part in lowered for part in _PLACEHOLDER_PARTS):
        return True
    if _FORMAT_SPEC.search(stripped):
        return True
    return "environ" in lowered or "getenv" in lowered or lowered.startswith(("env:", "vault:"))


def shannon_entropy(value: str) -> float:
    """Bits per character."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def mask(value: str) -> str:
    """What messages and logs show instead of a secret: nothing of it, not even its length.

    A prefix or a length narrows a brute-force search and, for short
    passwords, often is the secret; where and what kind is all a reader needs.
    """
    del value
    return "[redacted]"


def _assignment_secret(text: str, match: re.Match[str]) -> SecretMatch | None:
    name = match.group("name")
    kind = secret_name_kind(name)
    if kind is None or match.group("op") == "==":
        return None
    for group in ("dq", "sq", "bq"):
        if match.group(group) is not None:
            value = match.group(group)
            start, end = match.span(group)
            break
    else:
        group = "bare"
        span = _config_line_value(text, match)
        if span is None:
            value = match.group("bare")
            if value.endswith(("(", ".")) or _IDENTIFIER.fullmatch(value):
                return None  # a variable, attribute or call: code, not a literal
            start, end = match.span("bare")
        else:
            start, end = span
            value = text[start:end]
    confidence = generic_confidence(value, kind)
    if confidence is None:
        if not _short_credential(value):
            return None
        confidence = 0.5  # hidden by redaction; too unsure for BE008 (which needs 0.6)
    elif group == "bare":
        confidence -= 0.1
    return SecretMatch(start, end, kind, confidence)


def _short_credential(value: str) -> bool:
    """A short value bound to a credential name that still reads as one: ``k3y#Xy9z``.

    Needs a digit and a letter, no spaces, and nothing that marks a path,
    a template or a label.
    """
    if not 6 <= len(value) < 40 or any(ch.isspace() for ch in value):
        return False
    if is_placeholder(value) or _is_label(value) or "/" in value or value.startswith("."):
        return False
    if _NOT_A_CREDENTIAL.fullmatch(value):
        return False
    return any(ch.isdigit() for ch in value) and any(ch.isalpha() for ch in value)


# Colours, versions, sizes and durations that credential-named keys also hold
# (``Token: "#d8dee9"`` in a theme, ``token: v1.2.3``, ``key_size: 2048bit``).
_NOT_A_CREDENTIAL = re.compile(
    r"#[0-9A-Fa-f]{3,8}|[vV]?\d+(?:[.\-_]\d+)+(?:[-.+][\w.]+)?|\d+(?:\.\d+)?[A-Za-z]{1,5}"
)


_CODE_VALUE = re.compile(r"[\w.]+\s*[(\[].*|[\[{(].*|[A-Za-z_.]+|[A-Za-z_]\w*\.[\w.]+")
_COMMENT = re.compile(r"[ \t]+[#;].*$")


def _config_line_value(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The whole unquoted value of ``KEY=value`` (.env, ini) or ``key: value`` (YAML, ini).

    Only on a line that starts with the name; the value runs to the end of the
    line (``abc#def`` stays whole), less a `` # comment``. Values that read as
    code (a call, a subscript, a bare identifier such as ``str``) are not values.
    """
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[line_start : match.start()].strip()
    if before not in ("", "export", "-", "set", "setenv"):
        return None
    line_end = text.find("\n", match.start("bare"))
    line_end = len(text) if line_end < 0 else line_end
    start = match.start("bare")
    value = _COMMENT.sub("", text[start:line_end]).rstrip().rstrip("\r")
    if not value or value.endswith((",", ")", "(", "\\")) or _CODE_VALUE.fullmatch(value):
        return None  # a keyword argument or call spread over lines: code
    if re.match(r"[A-Za-z]{1,2}[\"']", value):
        return None  # f"...", r"...": a string literal the quoted branches did not take
    if match.group("op") not in ("=", ":"):
        return None
    return start, start + len(value)


def _is_example(value: str) -> bool:
    upper = value.upper()
    return "EXAMPLE" in upper or "XXXXXXXX" in upper or "0000000000" in upper


def _is_url_placeholder(user: str, password: str) -> bool:
    """Templated (``${PW}``, ``{pw}``, ``%(pw)s``, ``<pw>``) or an already masked ``****``.

    Anything else is hidden, even with ``sample`` or ``password`` in it: in a URL
    the position alone says it is a credential.
    """
    lowered = password.lower()
    if lowered in (user.lower(), "pass", "password", "secret", "changeme", "xxx"):
        return True
    if set(password) <= {"*", "x", "X", "."}:
        return True
    return password.startswith(("$", "%", "{", "<")) or _FORMAT_SPEC.search(password) is not None


_TEMPLATE = re.compile(r"\$\{|\{\{|%\(|^<[^>]*>$|^\$[A-Za-z_]|^\{[A-Za-z_]\w*\}$")


def _credible_token(value: str) -> bool:
    """An opaque header credential: long enough, mixed, not a word or a dotted name."""
    if len(value) < 12 or shannon_entropy(value) < 3.0:
        return False
    if _IDENTIFIER.fullmatch(value) and not any(ch.isdigit() for ch in value):
        return False  # ``Bearer tokenValueFromTheHeader``, ``token definition.name``
    if any(ch.isdigit() for ch in value) or value.endswith("="):
        return True
    # Random letters alone: mixed case with no word-like runs of lowercase.
    return len(value) >= 20 and not value.islower() and re.search(r"[a-z]{6}", value) is None


def _credible(value: str) -> bool:
    """A value in a credential position that is not a template, variable or filler."""
    stripped = value.strip()
    if len(stripped) < 3 or _TEMPLATE.search(stripped) or len(set(stripped.lower())) <= 2:
        return False
    lowered = stripped.lower()
    if lowered in _PLACEHOLDER_WORDS or lowered in ("none", "null", "<redacted>"):
        return False
    if stripped.startswith(("<<SECRET_", "os.environ", "process.env", "env.")):
        return False
    if _IDENTIFIER.fullmatch(stripped) and not any(ch.isdigit() for ch in stripped):
        # ``Bearer token``, ``Token abcdefgh``, ``login(user, password)``: words, not values.
        return len(stripped) >= 20 and shannon_entropy(stripped) >= 3.5 and not stripped.islower()
    return True


def _without_overlaps(candidates: list[SecretMatch]) -> list[SecretMatch]:
    chosen: list[SecretMatch] = []
    ordered = sorted(candidates, key=lambda m: (-m.confidence, -(m.end - m.start), m.start))
    for candidate in ordered:
        if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda m: m.start)
