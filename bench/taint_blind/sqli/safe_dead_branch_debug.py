# blind: sqli safe
from flask import Flask, request

from .db import db

app = Flask(__name__)


@app.get("/count")
def count_rows():
    label = request.args.get("label", "")
    sql = "SELECT COUNT(*) FROM tickets WHERE label = :label"
    if False:
        sql = "SELECT COUNT(*) FROM tickets WHERE label = '" + label + "'"
    return {"n": db.session.execute(db.text(sql), {"label": label}).scalar()}
