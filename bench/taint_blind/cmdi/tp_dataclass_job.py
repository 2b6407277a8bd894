# blind: cmdi tp
import subprocess
from dataclasses import dataclass

from fastapi import FastAPI

app = FastAPI()


@dataclass
class EncodeJob:
    source: str
    bitrate: str

    def command(self) -> str:
        return f"ffmpeg -i /media/{self.source} -b:a {self.bitrate} /media/out.mp3"


@app.post("/encode")
def encode(source: str, bitrate: str = "128k"):
    job = EncodeJob(source, bitrate)
    subprocess.run(job.command(), shell=True, check=False)
    return {"queued": True}
