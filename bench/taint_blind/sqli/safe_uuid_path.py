# blind: sqli safe
import uuid

from flask import Flask

from .db import get_cursor

app = Flask(__name__)


@app.get("/docs/<doc_id>")
def get_doc(doc_id):
    key = uuid.UUID(doc_id)
    cur = get_cursor()
    cur.execute(f"SELECT body FROM docs WHERE id = '{key}'")
    return {"body": cur.fetchone()[0]}
