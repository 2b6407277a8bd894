# blind: cookie safe
from flask import Flask, jsonify

from .auth import new_api_key

app = Flask(__name__)
COOKIE_FLAGS = {"secure": True, "httponly": True, "samesite": "Strict"}


def attach_key(resp, key: str):
    resp.set_cookie("api_key", key, path="/", secure=True, httponly=True, samesite="Strict")
    return resp


@app.post("/keys")
def create_key():
    return attach_key(jsonify(created=True), new_api_key())
