# blind: xpath safe
import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)
TREE = ET.parse("/app/config.xml")


@app.post("/config/lookup")
def config_lookup():
    key = request.get_json()["key"]
    for node in TREE.findall("./setting"):
        if node.get("name") == key:
            return {"value": node.text}
    return {"value": None}
