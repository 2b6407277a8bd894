# blind: weakhash tp
import hmac
import os

from fastapi import FastAPI

app = FastAPI()
KEY = os.environ["TOKEN_KEY"].encode()


@app.get("/unsubscribe-token/{user_id}")
def unsubscribe_token(user_id: int):
    token = hmac.new(KEY, str(user_id).encode(), "md5").hexdigest()
    return {"token": token}
