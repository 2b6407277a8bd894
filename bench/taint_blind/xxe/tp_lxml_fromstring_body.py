# blind: xxe tp
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.post("/import")
def import_xml():
    root = etree.fromstring(request.data)
    return {"items": len(root)}
