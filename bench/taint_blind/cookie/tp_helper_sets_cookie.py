# blind: cookie tp
from flask import Flask, jsonify

from .auth import new_api_key

app = Flask(__name__)


def attach_key(resp, key: str):
    resp.set_cookie("api_key", key, path="/")
    return resp


@app.post("/keys")
def create_key():
    return attach_key(jsonify(created=True), new_api_key())
