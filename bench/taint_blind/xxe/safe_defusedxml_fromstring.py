# blind: xxe safe
from defusedxml import ElementTree as DET
from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def import_xml():
    root = DET.fromstring(request.data)
    return {"items": len(root)}
