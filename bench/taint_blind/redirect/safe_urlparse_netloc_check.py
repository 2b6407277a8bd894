# blind: redirect safe
from urllib.parse import urlparse

from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/cart/add")
def add_to_cart():
    back = request.headers.get("Referer") or "/cart"
    if urlparse(back).netloc not in ("", "shop.example.com"):
        back = "/cart"
    return redirect(back)
