# blind: weakhash tp
import hashlib

from fastapi import FastAPI
from pydantic import BaseModel

from .db import save_user

app = FastAPI()


class Signup(BaseModel):
    username: str
    password: str


def hash_password(raw: str) -> str:
    return hashlib.md5(raw.encode()).hexdigest()


@app.post("/signup")
def signup(body: Signup):
    save_user(body.username, hash_password(body.password))
    return {"ok": True}
