# blind: ssrf safe
import requests
from flask import Flask, request

app = Flask(__name__)


@app.get("/sync")
def sync_upstream():
    upstream = request.headers.get("X-Upstream")
    upstream = "https://upstream.example.com"
    data = requests.get(upstream + "/api/v1/items", timeout=5).json()
    return {"items": len(data)}
