# blind: pathtrav safe
from flask import Flask, request, send_from_directory

app = Flask(__name__)


@app.get("/download")
def download():
    return send_from_directory("/srv/exports", request.args["file"])
