# blind: pathtrav safe
from pathlib import Path

from fastapi import FastAPI, UploadFile

app = FastAPI()
INBOX = Path("/srv/inbox")


@app.post("/inbox")
async def drop(file: UploadFile):
    name = Path(file.filename or "upload.bin").name
    if name.startswith("."):
        name = "upload.bin"
    (INBOX / name).write_bytes(await file.read())
    return {"stored": name}
