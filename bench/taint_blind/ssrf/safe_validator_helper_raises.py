# blind: ssrf safe
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()
PARTNERS = frozenset({"partner-a.example.com", "partner-b.example.com"})


class Hook(BaseModel):
    url: str


def checked_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme != "https" or parts.hostname not in PARTNERS:
        raise HTTPException(400, "url not allowed")
    return raw


@app.post("/hooks")
def register(hook: Hook):
    r = httpx.post(checked_url(hook.url), json={"hello": True}, timeout=5)
    return {"code": r.status_code}
