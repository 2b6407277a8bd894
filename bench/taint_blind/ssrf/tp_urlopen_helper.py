# blind: ssrf tp
from urllib.request import urlopen

from flask import Flask, request

app = Flask(__name__)


def fetch_bytes(address: str) -> bytes:
    with urlopen(address, timeout=10) as fh:
        return fh.read()


@app.post("/import")
def import_feed():
    feed = request.form["feed_url"]
    return {"size": len(fetch_bytes(feed))}
