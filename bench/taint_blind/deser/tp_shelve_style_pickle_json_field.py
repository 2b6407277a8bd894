# blind: deser tp
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.post("/restore")
def restore():
    payload = request.get_json()
    snapshot = bytes.fromhex(payload["snapshot"])
    try:
        obj = pickle.loads(snapshot)
    except pickle.UnpicklingError:
        return {"error": "bad snapshot"}, 400
    return {"restored": repr(obj)[:100]}
