"""The redaction targets, asserted on the corpus in bench/redaction_corpus.py."""

from __future__ import annotations

from redaction import leaked, measure
from redaction_corpus import Case, lookalike_cases, secret_cases

from backend_lsp.analysis.secrets import find_secrets


def test_corpus_is_as_large_as_promised() -> None:
    secrets = secret_cases()
    assert len(secrets) >= 300
    assert len({c.family for c in secrets}) >= 40
    assert {c.language for c in secrets} >= {
        "python",
        "js",
        "ts",
        "yaml",
        "toml",
        "ini",
        "env",
        "json",
        "shell",
    }
    assert len(lookalike_cases()) >= 200


def test_recall_and_false_redactions_meet_the_targets() -> None:
    figures = measure()
    assert figures["missed"] == []  # lists the misses when it fails
    assert figures["recall"] >= 0.99
    per_family = figures["recall_per_family"]
    counts = figures["cases_per_family"]
    assert isinstance(per_family, dict) and isinstance(counts, dict)
    assert all(per_family[f] >= 0.99 for f, n in counts.items() if n >= 5)
    assert figures["false_redaction_rate"] <= 0.01, figures["false_redactions"]


def test_the_leak_check_can_fail() -> None:
    case = Case("x", "python", 'TOKEN = "ghp_' + "a1B2" * 9 + '"\n', "ghp_" + "a1B2" * 9)
    assert not leaked(case)
    assert leaked(Case("x", "python", "nothing to see: q8ZrT3mL2nD9vX4k\n", "q8ZrT3mL2nD9vX4k"))


def test_unquoted_values_are_hidden_whole() -> None:
    text = "[api]\nclient_secret: abcd#Efgh12345!\n"
    (match,) = find_secrets(text)
    assert text[match.start : match.end] == "abcd#Efgh12345!"


def test_url_password_with_at_and_hash_is_hidden_whole() -> None:
    text = 'URL = "postgres://app:p@ss#w*rd9@db.internal:5432/app"'
    (match,) = find_secrets(text)
    assert text[match.start : match.end] == "p@ss#w*rd9"


def test_short_credentials_in_config_are_hidden_but_not_reported_by_be008() -> None:
    text = "secret_key: abc#d3f9\n"
    (match,) = find_secrets(text)
    assert text[match.start : match.end] == "abc#d3f9" and match.confidence < 0.6
    for harmless in ('Token: "#d8dee9"\n', "token: v1.2.3\n", "key_size: 2048bit\n"):
        assert find_secrets(harmless) == [], harmless
