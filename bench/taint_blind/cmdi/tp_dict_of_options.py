# blind: cmdi tp
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/thumb")
def thumbnail():
    opts = {"size": request.json.get("size", "128x128"), "src": "/uploads/latest.png"}
    command = "convert {src} -resize {size} /tmp/thumb.png".format(**opts)
    subprocess.call(command, shell=True)
    return {"ok": True}
