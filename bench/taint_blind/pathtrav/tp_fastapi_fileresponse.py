# blind: pathtrav tp
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()
REPORTS = Path("/data/reports")


@app.get("/reports/{report_name}")
def get_report(report_name: str):
    return FileResponse(REPORTS / report_name)
