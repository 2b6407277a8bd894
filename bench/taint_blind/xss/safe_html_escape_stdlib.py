# blind: xss safe
import html

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/welcome/{username}")
def welcome(username: str):
    return HTMLResponse(f"<html><body>Hi {html.escape(username)}</body></html>")
