# blind: weakrand tp
import random

from fastapi import FastAPI, Response

app = FastAPI()
SESSIONS: dict[str, str] = {}


@app.post("/sessions")
def new_session(user: str, response: Response):
    session_id = "%032x" % random.getrandbits(128)
    SESSIONS[session_id] = user
    response.set_cookie("sid", session_id, secure=True, httponly=True)
    return {"ok": True}
