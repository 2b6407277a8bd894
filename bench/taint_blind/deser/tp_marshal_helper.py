# blind: deser tp
import marshal

from fastapi import FastAPI, Request

app = FastAPI()


def decode_blob(blob: bytes):
    return marshal.loads(blob)


@app.post("/blobs")
async def upload_blob(req: Request):
    return {"type": type(decode_blob(await req.body())).__name__}
