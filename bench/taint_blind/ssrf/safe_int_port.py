# blind: ssrf safe
import requests
from flask import Flask, request

app = Flask(__name__)


@app.get("/local-metrics")
def local_metrics():
    port = int(request.args.get("port", 9100))
    r = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=2)
    return r.text
