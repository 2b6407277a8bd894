# blind: ssrf tp
import requests
from flask import Flask, request

app = Flask(__name__)


@app.post("/check-links")
def check_links():
    results = {}
    for link in request.get_json()["links"]:
        try:
            results[link] = requests.head(link, timeout=3).status_code
        except requests.RequestException:
            results[link] = None
    return results
