"""Redaction: secrets never reach the model, and come back in returned edits."""

from __future__ import annotations

import re

from backend_lsp.agent.edits import Hunk, apply_hunks
from backend_lsp.agent.redaction import Redactor

DB_PASSWORD = "Zq8vR2kLm9xP"
STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
GITHUB = "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij12"
API_KEY = "sk-ant-test-0123456789abcdefghijklmnopqrstuvwxyz"

SETTINGS = f'''\
import stripe

DATABASE_URL = "postgresql://app:{DB_PASSWORD}@db.internal:5432/app"
stripe.api_key = "{STRIPE}"
GITHUB_TOKEN = "{GITHUB}"
FALLBACK_STRIPE = "{STRIPE}"


def connect():
    return create_engine(DATABASE_URL, pool_size=5)
'''


def test_secrets_are_absent_from_redacted_text() -> None:
    redactor = Redactor()
    redacted = redactor.redact(SETTINGS)
    for secret in (DB_PASSWORD, STRIPE, GITHUB):
        assert secret not in redacted
    assert "postgresql://app:<<SECRET_" in redacted
    assert "def connect():" in redacted  # ordinary code untouched
    assert redactor.count == 3
    assert redactor.summary() == {"url-password": 1, "stripe-secret-key": 1, "github-token": 1}


def test_same_secret_gets_same_placeholder_across_texts() -> None:
    redactor = Redactor()
    first = redactor.redact(SETTINGS)
    second = redactor.redact(f'client = Stripe("{STRIPE}")\n')
    placeholders = re.findall(r"<<SECRET_\d+>>", first)
    assert len(placeholders) == 4 and len(set(placeholders)) == 3
    stripe_placeholder = second.split('"')[1]
    assert first.count(stripe_placeholder) == 2


def test_restore_keeps_secret_in_an_edit_that_touches_its_line() -> None:
    redactor = Redactor()
    redacted = redactor.redact(SETTINGS)
    placeholder = re.search(r"postgresql://app:(<<SECRET_\d+>>)@", redacted)
    assert placeholder is not None
    # What a model would answer: it quotes and keeps the placeholder.
    hunk = {
        "search": f'DATABASE_URL = "postgresql://app:{placeholder.group(1)}@db.internal:5432/app"',
        "replace": (
            "DATABASE_URL = os.environ.get(\n"
            f'    "DATABASE_URL", "postgresql://app:{placeholder.group(1)}@db.internal:5432/app"\n'
            ")"
        ),
    }
    restored = redactor.restore_value([hunk])
    after = apply_hunks(SETTINGS, restored)
    assert f'"postgresql://app:{DB_PASSWORD}@db.internal:5432/app"\n)' in after
    assert "<<SECRET_" not in after


def test_restore_value_walks_nested_tool_input() -> None:
    redactor = Redactor()
    redacted = redactor.redact(f'TOKEN = "{GITHUB}"')
    placeholder = redacted.split('"')[1]
    answer = {"files": [{"path": "a.py", "content": f"T = '{placeholder}'"}], "n": 1, "ok": True}
    assert redactor.restore_value(answer) == {
        "files": [{"path": "a.py", "content": f"T = '{GITHUB}'"}],
        "n": 1,
        "ok": True,
    }


def test_api_key_is_redacted_wherever_it_appears() -> None:
    odd_key = "local-gateway-key-42"  # no known format: only the explicit list finds it
    redactor = Redactor([odd_key, None, "short"])
    redacted = redactor.redact(f"# debug: key={odd_key}\nheaders = {{'x': '{odd_key}'}}\n")
    assert odd_key not in redacted
    assert redacted.count("<<SECRET_1>>") == 2
    assert "short" not in redactor.summary()
    assert Redactor([API_KEY]).redact(f"k = {API_KEY}!") == "k = <<SECRET_1>>!"


def test_placeholders_are_not_confused_with_real_text() -> None:
    source = f'TEMPLATE = "<<SECRET_1>> and <<SECRET_2>>"\nTOKEN = "{GITHUB}"\n'
    redactor = Redactor()
    redacted = redactor.redact(source)
    assert GITHUB not in redacted
    # The literal placeholders already in the code are never reused ...
    assert '"<<SECRET_1>> and <<SECRET_2>>"' in redacted
    assert 'TOKEN = "<<SECRET_3>>"' in redacted
    # ... so restoring leaves them alone and only brings back the real secret.
    assert redactor.restore(redacted) == source
    # Placeholders this redactor never issued stay as they are.
    assert redactor.restore("x = '<<SECRET_99>>'") == "x = '<<SECRET_99>>'"


def test_text_without_secrets_is_unchanged_and_restore_is_identity() -> None:
    redactor = Redactor()
    code = 'PASSWORD_RESET_TIMEOUT = 3600\npassword = os.environ["DB_PASSWORD"]\n'
    assert redactor.redact(code) == code
    assert redactor.restore(code) == code
    assert redactor.count == 0


def test_overlapping_explicit_and_detected_secret_leaks_nothing() -> None:
    redactor = Redactor([STRIPE[:20]])
    redacted = redactor.redact(f'KEY = "{STRIPE}"')
    assert STRIPE[:20] not in redacted and STRIPE[20:] not in redacted
    assert redactor.restore(redacted) == f'KEY = "{STRIPE}"'


def test_roundtrip_with_hunk_anchoring_on_redacted_text() -> None:
    redactor = Redactor()
    redacted = redactor.redact(SETTINGS)
    # The model rewrites the quoted (redacted) block; the live text has real values.
    hunk = Hunk(
        search="def connect():\n    return create_engine(DATABASE_URL, pool_size=5)",
        replace="def connect():\n    return create_engine(DATABASE_URL, pool_size=10)",
    )
    after = apply_hunks(
        SETTINGS, [Hunk(redactor.restore(hunk.search), redactor.restore(hunk.replace))]
    )
    assert "pool_size=10" in after and STRIPE in after and redacted != after
