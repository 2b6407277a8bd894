# blind: cmdi safe
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/thumb")
def thumbnail():
    width = int(request.json.get("width", 128))
    subprocess.call(
        f"convert /uploads/latest.png -resize {width}x{width} /tmp/thumb.png", shell=True
    )
    return {"ok": True}
