# blind: pathtrav safe
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()
REPORTS = Path("/data/reports").resolve()


@app.get("/reports/{report_name}")
def get_report(report_name: str):
    target = (REPORTS / report_name).resolve()
    if not target.is_relative_to(REPORTS):
        raise HTTPException(status_code=404)
    return FileResponse(target)
