# blind: trustbound safe
from flask import Flask, abort, request, session

app = Flask(__name__)
STORABLE = {"theme", "language", "timezone"}


@app.post("/session/set")
def session_set():
    payload = request.get_json()
    key = payload["key"]
    if key not in STORABLE:
        abort(400)
    session[key] = str(payload["value"])[:64]
    return {"ok": True}
