# blind: xss tp
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/echo")
async def echo(req: Request):
    msg = req.query_params.get("msg", "")
    page = "<html><body><pre>{}</pre></body></html>".format(msg)
    return HTMLResponse(page)
