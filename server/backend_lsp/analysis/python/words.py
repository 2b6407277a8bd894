"""Words of an identifier or key (``resetToken``, ``session_id``): rules that judge a value
by what it is called (a token, a password, a cache key) read names through one splitter."""

from __future__ import annotations

import itertools
import re

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")

# Values that grant access or prove identity when they leak or are guessed.
SECRET_WORDS = frozenset(
    {"token", "tokens", "secret", "password", "passwd", "pwd", "passphrase", "passcode", "otp",
     "totp", "hotp", "nonce", "salt", "csrf", "xsrf", "sessionid", "sid", "apikey", "pin",
     "credential", "credentials", "jwt", "bearer", "signature"}
)  # fmt: skip
# Two-word names that mean the same (``session_key``, ``reset_code``, ``api_key``).
SECRET_PAIRS = frozenset(
    {("session", "id"), ("session", "key"), ("api", "key"), ("secret", "key"),
     ("signing", "key"), ("access", "key"), ("auth", "code"), ("auth", "key"),
     ("reset", "code"), ("reset", "key"), ("reset", "link"), ("verification", "code"),
     ("verify", "code"), ("confirmation", "code"), ("activation", "code"),
     ("activation", "key"), ("login", "code"), ("sms", "code"), ("one", "time"),
     ("magic", "link"), ("invite", "code"), ("recovery", "code"), ("private", "key")}
)  # fmt: skip


def name_words(name: str) -> list[str]:
    """Lower-case words of ``name``: ``resetToken`` and ``reset_token`` give the same."""
    return [w for w in _SPLIT.split(_CAMEL.sub("_", name).lower()) if w]


def names_secret(name: str) -> bool:
    """Does ``name`` call its value a secret (token, password, session id, reset code...)?"""
    words = name_words(name)
    if any(w in SECRET_WORDS for w in words):
        return True
    return any(pair in SECRET_PAIRS for pair in itertools.pairwise(words))


def has_word(name: str, words: frozenset[str]) -> bool:
    return any(w in words for w in name_words(name))
