# blind: deser safe
import yaml
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/pipelines")
async def upload_pipeline(spec: UploadFile):
    pipeline = yaml.load(await spec.read(), Loader=yaml.SafeLoader)
    return {"steps": len(pipeline.get("steps", []))}
