# blind: cmdi safe
import os

from fastapi import FastAPI

app = FastAPI()
BACKUP_CMD = "pg_dump app > /backups/latest.sql"


@app.post("/backup")
def backup(reason: str = ""):
    rc = os.system(BACKUP_CMD)
    return {"rc": rc, "reason": reason}
