# blind: sqli tp
from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine("postgresql://localhost/app")


def build_filter(column: str, value: str) -> str:
    return "WHERE " + column + " = '" + value + "'"


@app.route("/search")
def search_users():
    clause = build_filter("email", request.args["email"])
    with engine.connect() as conn:
        result = conn.execute(text("SELECT id, email FROM users " + clause))
        return {"ids": [r.id for r in result]}
