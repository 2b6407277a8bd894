"""Needs: the byte patterns that gate a rule, and their algebra."""

from __future__ import annotations

import itertools
import random

from backend_lsp.analysis.needs import EVERY_FILE, NO_FILE, all_of, any_of


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
