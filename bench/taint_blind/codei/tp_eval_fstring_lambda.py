# blind: codei tp
from flask import Flask, request

app = Flask(__name__)


@app.post("/sort")
def custom_sort():
    payload = request.get_json()
    key_fn = eval(f"lambda item: {payload['key']}")
    return {"items": sorted(payload["items"], key=key_fn)}
