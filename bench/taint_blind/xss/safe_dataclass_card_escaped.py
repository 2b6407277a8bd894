# blind: xss safe
from dataclasses import dataclass
from html import escape

from flask import Flask, request

app = Flask(__name__)


@dataclass
class Card:
    title: str
    body: str

    def to_html(self) -> str:
        return f"<div class='card'><h4>{escape(self.title)}</h4><p>{escape(self.body)}</p></div>"


@app.post("/cards/preview")
def preview():
    return Card(title=request.form["title"], body=request.form["body"]).to_html()
