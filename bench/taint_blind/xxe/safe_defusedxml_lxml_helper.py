# blind: xxe safe
from defusedxml.ElementTree import fromstring
from flask import Flask, request

app = Flask(__name__)


def envelope_op(blob: bytes) -> str:
    return fromstring(blob)[0].tag


@app.post("/soap")
def soap_endpoint():
    return {"op": envelope_op(request.form["envelope"].encode())}
