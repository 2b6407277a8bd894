# blind: deser safe
from fastapi import FastAPI, Request
from pydantic import BaseModel

app = FastAPI()


class Snapshot(BaseModel):
    name: str
    items: list[int]


@app.post("/restore")
async def restore(req: Request):
    snap = Snapshot.model_validate_json(await req.body())
    return {"restored": snap.name}
