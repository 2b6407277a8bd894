# blind: xxe tp
import xml.sax

from flask import Flask, request

app = Flask(__name__)


class CountHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.count = 0

    def startElement(self, name, attrs):
        self.count += 1


@app.post("/count")
def count_elements():
    handler = CountHandler()
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    parser.setContentHandler(handler)
    parser.parse(request.files["doc"].stream)
    return {"elements": handler.count}
