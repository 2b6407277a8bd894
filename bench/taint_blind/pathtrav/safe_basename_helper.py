# blind: pathtrav safe
import os

from flask import Flask, request

app = Flask(__name__)


def clean_name(raw: str) -> str:
    name = os.path.basename(raw)
    if name in ("", ".", ".."):
        raise ValueError("bad name")
    return name


@app.post("/avatar")
def save_avatar():
    target = os.path.join("/srv/avatars", clean_name(request.form["user"]) + ".png")
    with open(target, "wb") as out:
        out.write(request.files["img"].read())
    return "", 201
