# blind: sqli safe
import psycopg2
from flask import Flask, request

app = Flask(__name__)


@app.post("/bulk-delete")
def bulk_delete():
    ids = [int(i) for i in request.get_json()["ids"]]
    placeholders = ", ".join(["%s"] * len(ids))
    conn = psycopg2.connect("dbname=app")
    cur = conn.cursor()
    cur.execute(f"DELETE FROM notes WHERE id IN ({placeholders})", ids)
    conn.commit()
    return {"deleted": cur.rowcount}
