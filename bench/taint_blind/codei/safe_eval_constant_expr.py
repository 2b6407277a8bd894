# blind: codei safe
from flask import Flask, request

app = Flask(__name__)
DEFAULT_RATE_EXPR = "0.2 * 1.5"


@app.get("/rate")
def rate():
    amount = float(request.args.get("amount", "0"))
    return {"tax": amount * eval(DEFAULT_RATE_EXPR)}
