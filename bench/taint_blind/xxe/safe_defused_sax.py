# blind: xxe safe
from defusedxml import sax as defused_sax
from flask import Flask, request
from xml.sax import ContentHandler

app = Flask(__name__)


@app.post("/count")
def count_elements():
    handler = ContentHandler()
    defused_sax.parse(request.files["doc"].stream, handler)
    return {"ok": True}
