# blind: pathtrav tp
import shutil

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class CopyRequest(BaseModel):
    source: str
    target: str


@app.post("/files/copy")
def copy_file(body: CopyRequest):
    shutil.copy(body.source, "/srv/share/" + body.target)
    return {"ok": True}
