# blind: xxe safe
from flask import Flask
from lxml import etree

app = Flask(__name__)
BUILTIN_MENU = b"<menu><item>Home</item><item>About</item></menu>"


@app.get("/menu")
def menu():
    root = etree.fromstring(BUILTIN_MENU)
    return {"items": [i.text for i in root]}
