# blind: weakrand tp
import random
import uuid

from fastapi import FastAPI

app = FastAPI()


class OAuthState:
    def __init__(self):
        self.nonce = uuid.UUID(int=random.getrandbits(128)).hex


@app.get("/oauth/start")
def oauth_start():
    state = OAuthState()
    return {"redirect": f"https://idp.example.com/auth?nonce={state.nonce}"}
