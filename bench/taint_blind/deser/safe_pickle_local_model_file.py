# blind: deser safe
import pickle

from fastapi import FastAPI

app = FastAPI()
with open("/app/models/classifier.pkl", "rb") as fh:
    CLASSIFIER = pickle.load(fh)


@app.get("/classify")
def classify(text: str):
    return {"label": CLASSIFIER.predict([text])[0]}
