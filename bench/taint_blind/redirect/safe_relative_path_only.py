# blind: redirect safe
from flask import Flask, abort, redirect, request

app = Flask(__name__)


def is_local(path: str) -> bool:
    return path.startswith("/") and not path.startswith("//") and "\\" not in path


@app.get("/continue")
def cont():
    nxt = request.args.get("next", "/")
    if not is_local(nxt):
        abort(400)
    return redirect(nxt)
