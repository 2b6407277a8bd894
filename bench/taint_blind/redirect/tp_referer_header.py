# blind: redirect tp
from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/cart/add")
def add_to_cart():
    back = request.headers.get("Referer") or "/cart"
    return redirect(back)
