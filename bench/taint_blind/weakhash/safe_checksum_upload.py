# blind: weakhash safe
import hashlib

from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/uploads")
async def upload(file: UploadFile):
    content = await file.read()
    checksum = hashlib.sha1(content).hexdigest()
    return {"name": file.filename, "sha1": checksum, "size": len(content)}
