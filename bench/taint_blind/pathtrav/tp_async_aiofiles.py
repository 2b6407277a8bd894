# blind: pathtrav tp
import aiofiles
from fastapi import FastAPI, Query

app = FastAPI()


@app.get("/notes")
async def read_note(title: str = Query(...)):
    async with aiofiles.open(f"/srv/notes/{title}.md") as fh:
        return {"body": await fh.read()}
