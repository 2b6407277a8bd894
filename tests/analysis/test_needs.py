"""Needs: the byte patterns that gate a rule, and their algebra."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding, RuleMeta, Severity
from backend_lsp.analysis.needs import EVERY_FILE, NO_FILE, all_of, any_of
from backend_lsp.analysis.registry import analyze
from backend_lsp.analysis.rules import jwt_unverified
from backend_lsp.syntax.document import ParsedDocument


def _brute(alternatives: list[tuple[bytes, ...]], source: bytes) -> bool:
    return any(all(token in source for token in tokens) for tokens in alternatives)


def test_met_by_one_alternative_with_every_token() -> None:
    needs = all_of(b"jwt", b"decode") | any_of(b"cert_reqs")
    assert needs.met(b"import jwt\njwt.decode(t)")
    assert needs.met(b"ctx(cert_reqs=NONE)")
    assert not needs.met(b"data.decode('utf-8')")
    assert EVERY_FILE.met(b"") and not NO_FILE.met(b"anything")


def test_and_or_identities() -> None:
    jwt = all_of(b"jwt")
    assert (jwt | EVERY_FILE) == EVERY_FILE and (jwt & EVERY_FILE) == jwt
    assert (jwt | NO_FILE) == jwt and (jwt & NO_FILE) == NO_FILE
    assert any_of(b"") == EVERY_FILE  # an empty token is in every file
    assert (all_of(b"get") & any_of(b"ssl", b"verify")).alternatives == (
        (b"get", b"ssl"),
        (b"get", b"verify"),
    )


def test_simplifying_never_changes_which_files_meet_them() -> None:
    # implied alternatives are dropped: a superset of tokens, or a token inside a longer one
    pool = [b"get", b"verify", b"verify_ssl", b"ssl", b"Client", b"AsyncClient", b"jwt"]
    rng = random.Random(7)
    for _ in range(300):
        alternatives = [
            tuple(rng.sample(pool, rng.randint(1, 3))) for _ in range(rng.randint(1, 5))
        ]
        needs = NO_FILE
        for tokens in alternatives:
            needs = needs | all_of(*tokens)
        assert needs.alternatives is not None
        assert len(needs.alternatives) <= len(set(alternatives))
        for size in range(3):
            for chosen in itertools.combinations(pool, size):
                source = b" ".join(chosen)
                assert needs.met(source) == _brute(alternatives, source), (alternatives, source)


class _Counting:
    """A rule that reports every file it is run on, gated on ``redis``."""

    meta = RuleMeta(
        "BE999",
        "needs-demo",
        Severity.WARNING,
        "Demo.",
        "https://example.invalid/be999",
        needs=all_of(b"redis"),
    )

    def __init__(self) -> None:
        self.runs = 0

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        self.runs += 1
        assert ctx.root is not None
        yield ctx.finding(self.meta, ctx.root, "seen")


def test_the_registry_skips_a_file_without_a_rules_needs() -> None:
    rule = _Counting()
    for text, found in (("import redis\n", 1), ("import os\n", 0)):
        ctx = AnalysisContext("app/cache.py", ParsedDocument(text, "python"))
        assert len(analyze(ctx, [rule])) == found
    assert rule.runs == 1


def test_a_rule_made_of_one_call_table_needs_what_the_table_needs() -> None:
    assert jwt_unverified.JwtUnverified.meta.needs == jwt_unverified.TABLE.needs
    assert jwt_unverified.TABLE.needs.alternatives == ((b"jwt", b"decode"),)
