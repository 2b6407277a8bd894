"""BE014: a password's digest used only as the key of an in-process dict is a memo, not storage.

An authentication backend that asks several user stores remembers, for the rest of the
request, which passwords it has already checked, keyed by their SHA3 digest so the clear
text is not kept. No table of hashes is ever written, so nothing can leak to be cracked.
The same digest written to a shared cache, stored on a model or returned stays a finding.
"""

from __future__ import annotations

from rule_helpers import run

MEMO = """\
import hashlib


class User:
    def __init__(self, login, realm):
        self.login = login
        self.realm = realm
        self._checked_passwords = {}

    def check_password(self, password):
        # Not persisted: only in memory for the duration of the request.
        password_hash = hashlib.sha3_512(password.encode("utf-8")).hexdigest()
        if password_hash in self._checked_passwords.keys():
            return self._checked_passwords[password_hash]
        success = self._resolver().check_password(self.login, password)
        self._checked_passwords[password_hash] = success
        return success
"""


def test_digest_kept_only_as_an_in_process_dict_key_is_not_flagged() -> None:
    assert run("BE014", MEMO) == []


def test_local_memo_dict_is_not_flagged() -> None:
    source = """\
import hashlib


def first_valid(password, backends):
    seen = {}
    for backend in backends:
        key = hashlib.sha256(password.encode()).hexdigest()
        if key not in seen:
            seen[key] = backend.authenticate(password)
        if seen[key]:
            return backend
    return None
"""
    assert run("BE014", source) == []


def test_digest_in_a_shared_cache_or_stored_stays_a_finding() -> None:
    shared_cache = MEMO.replace(
        "self._checked_passwords = {}", "self._checked_passwords = caches['default']"
    )
    stored = MEMO.replace(
        "        self._checked_passwords[password_hash] = success\n",
        "        self._checked_passwords[password_hash] = success\n"
        "        self.password_hash = password_hash\n",
    )
    cache_set = MEMO.replace(
        "        self._checked_passwords[password_hash] = success\n",
        "        cache.set(password_hash, success, timeout=300)\n",
    )
    session_key = MEMO.replace("self._checked_passwords", "session")
    for source in (shared_cache, stored, cache_set, session_key):
        assert source != MEMO
        assert len(run("BE014", source)) == 1, source
