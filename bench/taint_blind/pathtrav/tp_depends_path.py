# blind: pathtrav tp
from pathlib import Path

from fastapi import Depends, FastAPI, Header

app = FastAPI()


def workspace_dir(x_workspace: str = Header(...)) -> Path:
    return Path("/srv/workspaces") / x_workspace


@app.delete("/workspace/cache")
def clear_cache(ws: Path = Depends(workspace_dir)):
    (ws / "cache.db").unlink(missing_ok=True)
    return {"cleared": str(ws)}
