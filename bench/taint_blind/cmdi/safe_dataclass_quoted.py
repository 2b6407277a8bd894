# blind: cmdi safe
import shlex
import subprocess
from dataclasses import dataclass

from fastapi import FastAPI

app = FastAPI()


@dataclass
class EncodeJob:
    source: str

    def argv(self) -> list[str]:
        return ["ffmpeg", "-i", "/media/" + self.source.replace("/", "_"), "/media/out.mp3"]


@app.post("/encode")
def encode(source: str):
    subprocess.run(EncodeJob(source).argv(), check=False)
    return {"queued": True}
