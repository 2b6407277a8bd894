# blind: weakrand safe
import random

from flask import Flask

from .models import Question

app = Flask(__name__)


@app.get("/quiz")
def quiz():
    questions = Question.query.limit(50).all()
    random.shuffle(questions)
    return {"questions": [q.text for q in questions[:10]]}
