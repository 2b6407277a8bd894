# blind: codei tp
from flask import Flask, request

app = Flask(__name__)


@app.get("/calc")
def calc():
    expr = request.args.get("expr", "1+1")
    return {"result": eval(expr)}
