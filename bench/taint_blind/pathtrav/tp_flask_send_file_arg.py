# blind: pathtrav tp
from flask import Flask, request, send_file

app = Flask(__name__)


@app.get("/download")
def download():
    name = request.args["file"]
    return send_file("/srv/exports/" + name)
