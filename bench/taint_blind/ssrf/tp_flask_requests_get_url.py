# blind: ssrf tp
import requests
from flask import Flask, request

app = Flask(__name__)


@app.get("/preview")
def link_preview():
    target = request.args["url"]
    resp = requests.get(target, timeout=5)
    return {"status": resp.status_code, "length": len(resp.content)}
