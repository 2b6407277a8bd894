# blind: cookie safe
from fastapi import FastAPI, Response

from .security import create_access_token

app = FastAPI()


@app.post("/token")
def login(response: Response, username: str):
    response.set_cookie(
        "access_token",
        create_access_token(sub=username),
        httponly=True,
        secure=True,
        samesite="strict",
    )
    return {"ok": True}
