# blind: pathtrav tp
import os

from flask import Flask, request

app = Flask(__name__)
BASE = "/var/app/templates"


@app.get("/template")
def read_template():
    path = os.path.join(BASE, request.args.get("name", "default.txt"))
    with open(path) as fh:
        return fh.read()
