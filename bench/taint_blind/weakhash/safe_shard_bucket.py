# blind: weakhash safe
import hashlib

from fastapi import FastAPI

app = FastAPI()
SHARDS = 16


@app.get("/users/{user_id}/shard")
def shard(user_id: str):
    bucket = int(hashlib.sha1(user_id.encode()).hexdigest(), 16) % SHARDS
    return {"shard": bucket}
