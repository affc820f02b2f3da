"""A logging filter that removes bearer tokens and secret-looking values from every log line."""
from __future__ import annotations

import logging
import re

from flask import Flask

PATTERNS = [
    re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I),
    re.compile(r"((?:refresh_token|access_token|client_secret|password|api_key)[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]+",
               re.I),
]


def scrub(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.sub(r"\1[redacted]", text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install_redaction(app: Flask) -> None:
    """Attach to the root handlers and Flask's logger so no handler sees a raw secret."""
    redact = RedactSecrets()
    for handler in logging.getLogger().handlers + app.logger.handlers:
        handler.addFilter(redact)
    app.logger.addFilter(redact)
    logging.getLogger("urllib3").addFilter(redact)
