# blind: cookie tp
from fastapi import FastAPI, Response

from .security import create_access_token

app = FastAPI()


@app.post("/token")
def login(response: Response, username: str):
    jwt_value = create_access_token(sub=username)
    response.set_cookie(key="access_token", value=jwt_value, httponly=True)
    return {"ok": True}
