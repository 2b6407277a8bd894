# blind: sqli tp
from flask import Flask, request

from .db import conn

app = Flask(__name__)


@app.get("/prefs")
def prefs():
    theme = request.cookies.get("theme")
    try:
        query = "SELECT css FROM themes WHERE name = '{name}'".format(name=theme)
        row = conn.execute(query).fetchone()
    except Exception:
        return {"css": ""}
    return {"css": row[0] if row else ""}
