# blind: xss tp
from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)


@app.post("/comment/preview")
def preview_comment():
    body = request.form["body"]
    return render_template("preview.html", comment=Markup(f"<blockquote>{body}</blockquote>"))
