"""Find credentials in plain text of any language.

Shared by the hardcoded-secret rule (BE008) and by the agent's redaction, so
it needs no syntax tree: precompiled regexes for vendor formats whose shape is
distinctive, plus a name-driven check for ``password = "..."`` style
assignments that filters placeholders and low-entropy values. Every pattern is
anchored on a literal prefix or a bounded character class, so a scan is linear
in the text length.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SecretMatch:
    """A secret at character offsets [start, end) of the scanned text."""

    start: int
    end: int
    kind: str
    confidence: float


# (kind, pattern, group holding the secret (0 = whole match), confidence). A
# leading ``\b`` is checked in find_secrets instead: a literal prefix lets the
# regex engine skip ahead, which is most of the speed on large files.
_FORMATS: tuple[tuple[str, re.Pattern[str], int, float, bool], ...] = tuple(
    (kind, re.compile(pattern.removeprefix(r"\b")), group, confidence, pattern.startswith(r"\b"))
    for kind, pattern, group, confidence in (
        (
            "private-key",
            r"-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----"
            r"(?:[A-Za-z0-9+/=\s:,.\\]|-(?!----)){0,20000}+-----END \1PRIVATE KEY(?: BLOCK)?-----",
            0,
            0.99,
        ),
        (
            # A header whose END line is missing (truncated paste, split string).
            "private-key",
            r"-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----"
            r"(?:[A-Za-z0-9+/=\s:,.\\]|-(?!----)){40,20000}+",
            0,
            0.9,
        ),
        ("anthropic-api-key", r"\bsk-ant-[A-Za-z0-9]{2,10}-[A-Za-z0-9_-]{32,}", 0, 0.99),
        (
            "openai-api-key",
            r"\bsk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}T3BlbkFJ"
            r"[A-Za-z0-9_-]{20,}",
            0,
            0.99,
        ),
        ("openai-api-key", r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}", 0, 0.95),
        ("openai-api-key", r"\bsk-[A-Za-z0-9]{48}\b", 0, 0.85),
        ("aws-access-key-id", r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b", 0, 0.95),
        (
            "aws-secret-access-key",
            r"(?i)aws_?secret(?:_?access)?_?key[\"']?\s*(?:=|:|=>)\s*[\"']?"
            r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
            1,
            0.95,
        ),
        ("github-token", r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b", 0, 0.99),
        ("github-token", r"\bgithub_pat_[A-Za-z0-9_]{50,}\b", 0, 0.99),
        ("gitlab-token", r"\bglpat-[A-Za-z0-9_-]{20,}", 0, 0.99),
        ("slack-token", r"\bxox[bpars]-[A-Za-z0-9-]{10,}", 0, 0.95),
        (
            "slack-webhook",
            r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}",
            0,
            0.95,
        ),
        ("stripe-secret-key", r"\b(?:sk|rk)_live_[A-Za-z0-9]{20,}", 0, 0.99),
        ("google-api-key", r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])", 0, 0.95),
        ("twilio-api-key", r"\bSK[0-9a-f]{32}\b", 0, 0.8),
        (
            "sendgrid-api-key",
            r"\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{30,64}(?![A-Za-z0-9_-])",
            0,
            0.99,
        ),
        (
            "jwt",
            r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}",
            0,
            0.9,
        ),
    )
)

# scheme://user:password@host -> the password only.
_URL_PASSWORD = re.compile(
    r"\b(?:postgres(?:ql)?|mysql|mariadb|mssql|oracle|cockroachdb|mongodb(?:\+srv)?|"
    r"rediss?|amqps?|kafka|nats|clickhouse|https?|ftp|sftp)(?:\+[a-z0-9]+)?://"
    r"([^:/?#@\s'\"`]*):([^@/\s'\"`]+)@"
)

# name <op> value, for the name-driven check. The lookahead keeps the scan to
# words that mention a credential; the possessive name never backtracks.
_ASSIGNMENT = re.compile(
    r"(?i)(?<![\w.-])(?=[\w.-]*(?:pass|pwd|secret|token|key|credential))"
    r"(?P<name>[A-Za-z_][\w.-]*+)[\"'`]?\]?\s*+(?P<op>:=|=>|==|=|:)[ \t]*+"
    r"(?:\"(?P<dq>[^\"\\\n]*(?:\\.[^\"\\\n]*)*)\"|'(?P<sq>[^'\\\n]*(?:\\.[^'\\\n]*)*)'"
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


def find_secrets(text: str) -> list[SecretMatch]:
    """Every secret in ``text``, in order, without overlaps (the surest match wins)."""
    candidates: list[SecretMatch] = []
    for kind, pattern, group, confidence, bounded in _FORMATS:
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
    """A recognisable but useless form of a secret for messages and logs."""
    if len(value) < 12:
        return "*" * min(len(value), 8) or "''"
    return f"{value[:4]}…{'*' * 4} ({len(value)} chars)"


def _assignment_secret(text: str, match: re.Match[str]) -> SecretMatch | None:
    name = match.group("name")
    kind = secret_name_kind(name)
    if kind is None or match.group("op") == "==":
        return None
    for group in ("dq", "sq", "bq"):
        if match.group(group) is not None:
            value = match.group(group)
            break
    else:
        group = "bare"
        value = match.group("bare")
        if value.endswith(("(", ".")) or (
            _IDENTIFIER.fullmatch(value) and not _config_line_value(text, match)
        ):
            return None  # a variable, attribute or call: code, not a literal
    confidence = generic_confidence(value, kind)
    if confidence is None:
        return None
    if group == "bare":
        confidence -= 0.1
    return SecretMatch(match.start(group), match.end(group), kind, confidence)


def _config_line_value(text: str, match: re.Match[str]) -> bool:
    """``KEY=value`` (.env) or ``key: value`` (YAML) on a line of its own, with a digit.

    Unquoted words elsewhere are variables; there only a value with a digit is
    taken as a literal so ``password: str`` annotations stay quiet.
    """
    if not any(ch.isdigit() for ch in match.group("bare")):
        return False
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[line_start : match.start()].strip()
    if before not in ("", "export", "-"):
        return False
    line_end = text.find("\n", match.end())
    after = text[match.end() : len(text) if line_end < 0 else line_end].strip()
    if after and not after.startswith("#"):
        return False
    between = text[match.end("name") : match.start("bare")]
    if match.group("op") == "=":
        return between == "="
    return match.group("op") == ":"


def _is_example(value: str) -> bool:
    upper = value.upper()
    return "EXAMPLE" in upper or "XXXXXXXX" in upper or "0000000000" in upper


def _is_url_placeholder(user: str, password: str) -> bool:
    lowered = password.lower()
    if lowered == user.lower() or is_placeholder(password):
        return True
    return lowered.startswith(("$", "%", "{", "<", "*"))


def _without_overlaps(candidates: list[SecretMatch]) -> list[SecretMatch]:
    chosen: list[SecretMatch] = []
    ordered = sorted(candidates, key=lambda m: (-m.confidence, -(m.end - m.start), m.start))
    for candidate in ordered:
        if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda m: m.start)
