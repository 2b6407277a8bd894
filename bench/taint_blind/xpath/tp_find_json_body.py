# blind: xpath tp
import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)
TREE = ET.parse("/app/config.xml")


@app.post("/config/lookup")
def config_lookup():
    key = request.get_json()["key"]
    node = TREE.find(f"./setting[@name='{key}']")
    return {"value": node.text if node is not None else None}
