# blind: xss tp
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/welcome/{username}", response_class=HTMLResponse)
def welcome(username: str):
    return HTMLResponse(content=f"<html><body>Hi {username}</body></html>")
