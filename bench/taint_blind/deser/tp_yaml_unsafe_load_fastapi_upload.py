# blind: deser tp
import yaml
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/pipelines")
async def upload_pipeline(spec: UploadFile):
    pipeline = yaml.unsafe_load(await spec.read())
    return {"steps": len(pipeline.get("steps", []))}
