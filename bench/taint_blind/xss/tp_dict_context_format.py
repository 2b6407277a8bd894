# blind: xss tp
from flask import Flask, request

app = Flask(__name__)
PAGE = "<html><title>{title}</title><body>{content}</body></html>"


@app.get("/page")
def page():
    ctx = {"title": "Notes", "content": request.args.get("note", "")}
    return PAGE.format(**ctx)
