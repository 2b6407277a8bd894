# blind: cmdi tp
import subprocess

from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/print")
async def print_job(req: Request):
    body = await req.json()
    printer = body.get("printer")
    try:
        subprocess.Popen("lp -d " + printer + " /tmp/job.pdf", shell=True)
    except OSError as exc:
        return {"error": str(exc)}
    return {"sent": True}
