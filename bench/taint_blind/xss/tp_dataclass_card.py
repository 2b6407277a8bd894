# blind: xss tp
from dataclasses import dataclass

from flask import Flask, request

app = Flask(__name__)


@dataclass
class Card:
    title: str
    body: str

    def to_html(self) -> str:
        return f"<div class='card'><h4>{self.title}</h4><p>{self.body}</p></div>"


@app.post("/cards/preview")
def preview():
    card = Card(title=request.form["title"], body=request.form["body"])
    return card.to_html()
