# blind: cmdi safe
import subprocess
from typing import Literal

from fastapi import FastAPI

app = FastAPI()


@app.post("/export")
def export(fmt: Literal["csv", "json", "xlsx"] = "csv"):
    subprocess.check_call(f"export-tool --format {fmt}", shell=True)
    return {"ok": True}
