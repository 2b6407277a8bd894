# blind: trustbound tp
from flask import Flask, request, session

app = Flask(__name__)


@app.post("/preferences")
def save_preferences():
    session["theme"] = request.form.get("theme", "light")
    session["is_admin"] = request.form.get("is_admin") == "1"
    return "", 204
