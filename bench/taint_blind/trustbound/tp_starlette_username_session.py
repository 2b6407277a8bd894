# blind: trustbound tp
from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/impersonate")
async def impersonate(request: Request):
    form = await request.form()
    request.session["username"] = form["as_user"]
    return {"ok": True}
