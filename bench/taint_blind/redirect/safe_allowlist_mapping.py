# blind: redirect safe
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()
DESTINATIONS = {"docs": "https://docs.example.com", "blog": "https://blog.example.com"}


@app.get("/go")
def go(dest: str):
    return RedirectResponse(DESTINATIONS.get(dest, "/"), status_code=302)
