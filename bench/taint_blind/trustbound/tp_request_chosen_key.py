# blind: trustbound tp
from flask import Flask, request, session

app = Flask(__name__)


@app.post("/session/set")
def session_set():
    payload = request.get_json()
    session[payload["key"]] = payload["value"]
    return {"ok": True}
