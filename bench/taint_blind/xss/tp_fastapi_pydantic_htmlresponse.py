# blind: xss tp
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

app = FastAPI()


class Feedback(BaseModel):
    author: str
    text: str


@app.post("/feedback", response_class=HTMLResponse)
async def feedback(fb: Feedback):
    return HTMLResponse("<p>Thanks, " + fb.author + "! We got: " + fb.text + "</p>")
