# blind: redirect safe
from urllib.parse import urljoin, urlparse

from flask import Flask, redirect, request, url_for

app = Flask(__name__)


def is_safe_url(target: str) -> bool:
    ref = urlparse(request.host_url)
    test = urlparse(urljoin(request.host_url, target))
    return test.scheme in ("http", "https") and ref.netloc == test.netloc


@app.post("/signin")
def signin():
    nxt = request.form.get("next")
    if not nxt or not is_safe_url(nxt):
        return redirect(url_for("index"))
    return redirect(nxt)
