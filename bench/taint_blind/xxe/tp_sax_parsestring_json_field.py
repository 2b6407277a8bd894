# blind: xxe tp
import io
import xml.sax
from xml.sax.handler import ContentHandler, feature_external_ges

from flask import Flask, request

app = Flask(__name__)


@app.post("/validate")
def validate():
    payload = request.get_json()["xml"]
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.setContentHandler(ContentHandler())
    parser.parse(io.BytesIO(payload.encode()))
    return {"valid": True}
