# blind: xpath tp
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
USERS = etree.parse("/app/data/users.xml")


@app.get("/user")
def find_user():
    login = request.args["login"]
    nodes = USERS.xpath(f"//user[@login='{login}']/email/text()")
    return {"email": nodes[0] if nodes else None}
