# blind: sqli safe
from flask import Flask, request

from .database import db

app = Flask(__name__)
FILTERABLE = ("brand", "color", "size")


@app.get("/filter")
def filter_products():
    conditions, params = [], {}
    for key in FILTERABLE:
        value = request.args.get(key)
        if value:
            conditions.append(f"{key} = :{key}")
            params[key] = value
    where = " AND ".join(conditions) or "1=1"
    return {
        "rows": db.session.execute(db.text("SELECT id FROM products WHERE " + where), params).all()
    }
