# blind: weakhash tp
import hashlib

from flask import Flask, make_response

app = Flask(__name__)
SECRET = "loaded-from-vault"


def sign(value: str) -> str:
    return value + "." + hashlib.sha1((SECRET + value).encode()).hexdigest()


@app.post("/login/<user>")
def login(user):
    resp = make_response("ok")
    resp.set_cookie("session", sign(user), secure=True, httponly=True)
    return resp
