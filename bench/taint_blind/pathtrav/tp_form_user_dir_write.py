# blind: pathtrav tp
import os

from flask import Flask, request

app = Flask(__name__)


@app.post("/avatar")
def save_avatar():
    user_dir = request.form["user"]
    target = os.path.join("/srv/avatars", user_dir, "avatar.png")
    with open(target, "wb") as out:
        out.write(request.files["img"].read())
    return "", 201
