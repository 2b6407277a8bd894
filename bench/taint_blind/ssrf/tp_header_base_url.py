# blind: ssrf tp
import requests
from flask import Flask, request

app = Flask(__name__)


@app.get("/sync")
def sync_upstream():
    upstream = request.headers.get("X-Upstream")
    url = "{}/api/v1/items".format(upstream)
    data = requests.get(url, timeout=5).json()
    return {"items": len(data)}
