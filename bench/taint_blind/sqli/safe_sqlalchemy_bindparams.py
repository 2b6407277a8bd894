# blind: sqli safe
from flask import Flask, request
from sqlalchemy import text

from .db import engine

app = Flask(__name__)


@app.route("/search")
def search_users():
    stmt = text("SELECT id, email FROM users WHERE email = :email")
    with engine.connect() as conn:
        result = conn.execute(stmt, {"email": request.args["email"]})
        return {"ids": [r.id for r in result]}
