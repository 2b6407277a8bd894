# blind: sqli safe
from flask import Flask, request

from .db import conn

app = Flask(__name__)


@app.get("/prefs")
def prefs():
    theme = request.cookies.get("theme")
    if theme not in ("dark", "light"):
        return {"css": ""}
    theme = "dark" if theme == "dark" else "light"
    row = conn.execute(f"SELECT css FROM themes WHERE name = '{theme}'").fetchone()
    return {"css": row[0] if row else ""}
