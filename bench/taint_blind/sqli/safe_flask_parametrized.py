# blind: sqli safe
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.get("/orders")
def list_orders():
    status = request.args.get("status", "open")
    conn = sqlite3.connect("shop.db")
    rows = conn.execute("SELECT id, total FROM orders WHERE status = ?", (status,)).fetchall()
    return {"orders": rows}
