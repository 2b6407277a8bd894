# blind: xpath tp
import xml.etree.ElementTree as ET

from fastapi import FastAPI

app = FastAPI()
BOOKS = ET.parse("/app/books.xml").getroot()


@app.get("/books/{genre}")
def by_genre(genre: str):
    return [b.findtext("title") for b in BOOKS.findall(".//book[@genre='{}']".format(genre))]
