# blind: codei tp
from fastapi import FastAPI, Header

app = FastAPI()


@app.get("/debug/run")
async def debug_run(x_debug_snippet: str = Header(default="")):
    scope: dict = {}
    exec(x_debug_snippet, scope)
    return {"keys": list(scope)}
