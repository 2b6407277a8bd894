# blind: codei safe
import re

from flask import Flask, abort, request

app = Flask(__name__)
ARITH = re.compile(r"^[0-9+\-*/(). ]{1,50}$")


@app.get("/arith")
def arith():
    expr = request.args.get("e", "0")
    if not ARITH.fullmatch(expr) or "**" in expr:
        abort(400)
    return {"value": eval(expr, {"__builtins__": {}}, {})}
