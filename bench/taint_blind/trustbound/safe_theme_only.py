# blind: trustbound safe
from flask import Flask, request, session

app = Flask(__name__)


@app.post("/preferences")
def save_preferences():
    session["theme"] = "dark" if request.form.get("theme") == "dark" else "light"
    return "", 204
