# blind: cmdi tp
import subprocess

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Archive(BaseModel):
    name: str
    paths: list[str]


@app.post("/archives")
def make_archive(spec: Archive):
    cmd = "tar czf /backups/%s.tgz %s" % (spec.name, " ".join(spec.paths))
    subprocess.Popen(cmd, shell=True)
    return {"queued": spec.name}
