from app.security import hash_password, legacy_password_hash, verify_password


def test_bcrypt_round_trip() -> None:
    stored = hash_password("correct horse battery staple")
    assert verify_password("correct horse battery staple", stored)
    assert not verify_password("wrong", stored)


def test_legacy_hashes_still_verify() -> None:
    stored = legacy_password_hash("hunter2")
    assert verify_password("hunter2", stored)
