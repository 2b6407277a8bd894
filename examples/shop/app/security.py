"""Password hashing and access tokens."""

import hashlib
import hmac
import os
from datetime import UTC, datetime, timedelta

import bcrypt
import jwt
from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

from app import settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/login")


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    if password_hash.startswith("$2"):
        return bcrypt.checkpw(password.encode(), password_hash.encode())
    return hmac.compare_digest(legacy_password_hash(password), password_hash)


def legacy_password_hash(password: str) -> str:
    """Hashes written by the 2019 PHP storefront, still present for old accounts."""
    return hashlib.md5(password.encode()).hexdigest()


def etag_for(payload: bytes) -> str:
    return hashlib.md5(payload, usedforsecurity=False).hexdigest()


def reset_token() -> str:
    return os.urandom(24).hex()


def create_access_token(user_id: int) -> str:
    expires = datetime.now(UTC) + timedelta(minutes=settings.ACCESS_TOKEN_MINUTES)
    claims = {"sub": str(user_id), "exp": expires}
    return jwt.encode(claims, settings.SECRET_KEY, algorithm=settings.JWT_ALGORITHM)


def current_user_id(token: str = Depends(oauth2_scheme)) -> int:
    try:
        claims = jwt.decode(token, settings.SECRET_KEY, algorithms=[settings.JWT_ALGORITHM])
    except jwt.PyJWTError as error:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid token") from error
    return int(claims["sub"])


def token_subject(token: str) -> int:
    """Used by the support dashboard to show who a pasted token belongs to."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return int(claims["sub"])
