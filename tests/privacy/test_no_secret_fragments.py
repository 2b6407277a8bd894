"""What the model and the client see about a secret: where and what kind, nothing of it."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import pytest
from redaction_corpus import secret_cases

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.registry import analyze, select_rules
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.log_guard import LogGuard, mask_userinfo, register_secret, scrub_text
from backend_lsp.syntax.document import ParsedDocument


def test_hardcoded_secret_messages_quote_no_prefix_and_no_length() -> None:
    cases = [c for c in secret_cases() if c.language == "python" and "\n" not in c.text.strip()]
    source = "".join(c.text for c in cases)
    document = ParsedDocument(source, "python")
    findings = analyze(
        AnalysisContext("app/settings.py", document, WorkspaceSchema()), select_rules(["BE008"])
    )
    assert len(findings) >= len(cases) // 2  # the rule did fire on most of them
    for finding in findings:
        message = finding.message
        for case in cases:
            pieces = {case.secret[i : i + 5] for i in range(len(case.secret) - 4)}
            # Only words of the kind's name ("github token") may coincide.
            leaked = [p for p in pieces if p in message and not p.isalpha()]
            assert leaked == [], message
        assert re.search(r"\d+ chars|\(\d+\)", finding.message) is None, finding.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET http://bob:hunter2@proxy:3128/x", "GET http://***@proxy:3128/x"),
        (
            "base https://u:p@ss#w0rd@gw.internal/v1 failed",
            "base https://***@gw.internal/v1 failed",
        ),
        ("url=https://ghtoken@github.com/o/r.git", "url=https://***@github.com/o/r.git"),
        ("mail me at ops@corp.io", "mail me at ops@corp.io"),
        ("https://api.anthropic.com/v1/messages", "https://api.anthropic.com/v1/messages"),
    ],
)
def test_userinfo_is_masked(text: str, expected: str) -> None:
    assert mask_userinfo(text) == expected


def test_registered_key_and_detected_secrets_are_scrubbed() -> None:
    key = "sk-ant-api03-REGISTEREDKEYVALUE0123456789"
    register_secret(f"  {key}\n")
    out = scrub_text(f"calling with {key} and ghp_{'a1B2' * 9} done")
    assert key not in out and "ghp_" not in out and out.startswith("calling with ***")


def test_http_stack_debug_records_are_dropped_and_others_scrubbed() -> None:
    guard = LogGuard()
    debug = logging.LogRecord("httpcore2.http11", logging.DEBUG, "x", 1, "send %s", ("h",), None)
    info = logging.LogRecord("httpx", logging.INFO, "x", 1, "HTTP Request: POST", None, None)
    warning = logging.LogRecord(
        "backend_lsp.agent",
        logging.WARNING,
        "x",
        1,
        "gateway %s down",
        ("http://a:b1c2d3@gw",),
        None,
    )
    assert not guard.filter(debug) and not guard.filter(info)
    assert guard.filter(warning)
    assert warning.getMessage() == "gateway http://***@gw down"


def test_tracebacks_are_scrubbed_too() -> None:
    guard = LogGuard()
    try:
        raise RuntimeError("connect to postgres://app:Zq8vR2kLm9xP@db failed")
    except RuntimeError:
        record = logging.LogRecord(
            "backend_lsp", logging.ERROR, "x", 1, "boom", None, sys.exc_info()
        )
    assert guard.filter(record)
    assert "Zq8vR2kLm9xP" not in record.getMessage() and "RuntimeError" in record.getMessage()


def test_api_key_is_stripped_and_control_characters_refused(tmp_path: Path) -> None:
    from backend_lsp.config import resolve_settings

    key = "sk-ant-api03-STRIPPEDKEY0123456789abcdef"
    settings, problems = resolve_settings(tmp_path, env={"ANTHROPIC_API_KEY": f"\t{key} \n"})
    assert problems == [] and settings.agent.api_key is not None
    assert settings.agent.api_key.get_secret_value() == key
    settings, problems = resolve_settings(
        tmp_path, env={"ANTHROPIC_API_KEY": key[:12] + "\n" + key[12:]}
    )
    assert settings.agent.api_key is None
    [problem] = problems
    assert "control characters" in str(problem) and key[12:] not in str(problem)
