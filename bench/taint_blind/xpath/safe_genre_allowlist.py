# blind: xpath safe
import xml.etree.ElementTree as ET

from fastapi import FastAPI, HTTPException

app = FastAPI()
BOOKS = ET.parse("/app/books.xml").getroot()
GENRES = {"fiction", "poetry", "history"}


@app.get("/books/{genre}")
def by_genre(genre: str):
    if genre not in GENRES:
        raise HTTPException(404)
    return [b.findtext("title") for b in BOOKS.findall(f".//book[@genre='{genre}']")]
