# blind: xpath safe
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
ACCOUNTS = etree.parse("/app/accounts.xml").getroot()
CHECK = etree.XPath("//account[name/text()=$u and pass/text()=$p]")


@app.post("/login")
def login():
    match = CHECK(ACCOUNTS, u=request.form["user"], p=request.form["password"])
    return {"ok": bool(match)}
