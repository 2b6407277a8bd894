# blind: xss safe
from flask import Flask, request

app = Flask(__name__)


@app.get("/count")
def count():
    n = int(request.args.get("n", "0"))
    return f"<p>You asked for {n} items</p>"
