# blind: cmdi tp
import asyncio

from fastapi import FastAPI

app = FastAPI()


@app.get("/dns/{domain}")
async def dig(domain: str):
    proc = await asyncio.create_subprocess_shell(
        f"dig +short {domain}", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    return {"answer": out.decode()}
