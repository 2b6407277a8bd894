# blind: codei safe
from flask import Flask, request

app = Flask(__name__)


@app.post("/sort")
def custom_sort():
    payload = request.get_json()
    field = payload.get("key")
    field = "price" if field == "price" else "name"
    return {"items": sorted(payload["items"], key=lambda item: item[field])}
