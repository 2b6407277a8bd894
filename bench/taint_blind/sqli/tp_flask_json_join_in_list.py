# blind: sqli tp
import psycopg2
from flask import Flask, request

app = Flask(__name__)


@app.post("/bulk-delete")
def bulk_delete():
    payload = request.get_json()
    ids = ",".join(str(i) for i in payload["ids"])
    conn = psycopg2.connect("dbname=app")
    cur = conn.cursor()
    cur.execute("DELETE FROM notes WHERE id IN (" + ids + ")")
    conn.commit()
    return {"deleted": cur.rowcount}
