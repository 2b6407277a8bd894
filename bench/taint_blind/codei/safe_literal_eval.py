# blind: codei safe
import ast

from flask import Flask, request

app = Flask(__name__)


@app.get("/calc")
def parse_list():
    raw = request.args.get("values", "[]")
    return {"values": ast.literal_eval(raw)}
