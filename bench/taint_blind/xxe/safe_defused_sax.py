# blind: xxe safe
from xml.sax import ContentHandler

from defusedxml import sax as defused_sax
from flask import Flask, request

app = Flask(__name__)


@app.post("/count")
def count_elements():
    handler = ContentHandler()
    defused_sax.parse(request.files["doc"].stream, handler)
    return {"ok": True}
