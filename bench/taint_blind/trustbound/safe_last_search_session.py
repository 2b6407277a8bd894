# blind: trustbound safe
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/search")
async def search(request: Request, q: str = ""):
    request.session["last_search"] = q[:200]
    return {"q": q}
