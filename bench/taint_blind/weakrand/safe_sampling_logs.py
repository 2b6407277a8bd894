# blind: weakrand safe
import logging
import random

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)
SAMPLE_RATE = 0.01


@app.before_request
def sample_request_log():
    if random.random() < SAMPLE_RATE:
        log.info("sampled request %s %s", request.method, request.path)
