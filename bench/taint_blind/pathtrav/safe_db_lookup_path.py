# blind: pathtrav safe
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import FileResponse

from .db import get_db
from .models import Document

app = FastAPI()


@app.get("/documents/{doc_id}")
def download_document(doc_id: int, db=Depends(get_db)):
    doc = db.get(Document, doc_id)
    if doc is None:
        raise HTTPException(404)
    return FileResponse("/srv/docs/" + str(doc_id) + ".bin", filename=doc.title)
