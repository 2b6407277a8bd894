# blind: pathtrav safe
from flask import Flask, abort, request
from werkzeug.security import safe_join

app = Flask(__name__)


@app.get("/template")
def read_template():
    path = safe_join("/var/app/templates", request.args.get("name", "default.txt"))
    if path is None:
        abort(404)
    with open(path) as fh:
        return fh.read()
