# blind: xxe tp
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.post("/soap")
def soap_endpoint():
    envelope = request.form["envelope"]
    doc = etree.XML(envelope.encode())
    return {"op": doc[0].tag}
