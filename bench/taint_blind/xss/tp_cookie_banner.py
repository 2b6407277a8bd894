# blind: xss tp
from flask import Flask, make_response, request

app = Flask(__name__)


@app.get("/banner")
def banner():
    last = request.cookies.get("last_search", "")
    return make_response(f"<span>Your last search: {last}</span>")
