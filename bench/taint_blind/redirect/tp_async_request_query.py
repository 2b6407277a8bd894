# blind: redirect tp
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/auth/done")
async def auth_done(request: Request):
    state = request.query_params.get("redirect_uri", "/")
    return RedirectResponse(state)
