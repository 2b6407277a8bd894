# blind: sqli tp
from flask import Flask, request

from .database import db

app = Flask(__name__)


@app.get("/filter")
def filter_products():
    conditions = []
    for key in ("brand", "color", "size"):
        value = request.args.get(key)
        if value:
            conditions.append(f"{key} = '{value}'")
    where = " AND ".join(conditions) or "1=1"
    return {"rows": db.session.execute(db.text("SELECT id FROM products WHERE " + where)).all()}
