"""A bare Flask "hello" app: the yardstick bench/overview_warm.py serves with the same gunicorn settings."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "hello"
