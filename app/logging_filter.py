"""A logging filter that removes bearer tokens and secret-looking values from every log line.

What is secret is app.masking's rule (SECRET_NAME for a key's name, URL_USERINFO for a URL's user and password),
applied here to `key=value`, `key: value` and `"key": "value"` text, so logs, audit rows and pages hide the same
things. An Authorization header keeps its scheme (`Authorization: API [redacted]`) so a reader can tell which
credential was sent.
"""
from __future__ import annotations

import logging
import re

from flask import Flask

from app.masking import SECRET_NAME, URL_USERINFO

REDACTED = "[redacted]"
BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I)
AUTHORIZATION = re.compile(r"authori[sz]ation", re.I)
# key, separator (quotes, `:` or `=`), an optional auth scheme, then the value: up to the closing quote when quoted,
# else up to whitespace or a delimiter of a query string, a dict or a list
SCHEME = r"(?:Bearer|Basic|API|Token|Digest|JWT)\s+"
KEY_VALUE = re.compile(
    r"(?<![\w.-])(?P<key>[\w.-]*(?:" + SECRET_NAME.pattern + r")[\w.-]*)"
    r"(?P<sep>[\"']?\s*[:=]\s*[\"']?)"
    r"(?!(?:" + SCHEME + r")?\[redacted\])"  # scrubbed already (a record may pass two filters)
    r"(?P<scheme>" + SCHEME + r")?"
    r"(?P<value>(?<=\")[^\"]+|(?<=')[^']+|[^\s\"'&,;}\]]+)",
    re.I,
)
# the loggers that print request lines, headers or platform calls; records made on them are cleaned even when a
# handler is added after this runs (gunicorn's, werkzeug's own, pytest's)
REQUEST_LOGGERS = ("werkzeug", "gunicorn.error", "gunicorn.access", "urllib3", "urllib3.connectionpool")


def _hide(match: re.Match) -> str:
    """The key and separator kept; an Authorization header's scheme kept; the value redacted."""
    scheme = match["scheme"] or ""
    if scheme and not AUTHORIZATION.search(match["key"]):
        scheme = ""  # "password: Token x": the whole value is the secret
    return f"{match['key']}{match['sep']}{scheme}{REDACTED}"


def scrub(text: str) -> str:
    """`text` with bearer tokens, secret-looking values and URL passwords replaced by [redacted]."""
    text = BEARER.sub(rf"\g<1>{REDACTED}", text)
    text = KEY_VALUE.sub(_hide, text)
    return URL_USERINFO.sub(rf"\g<1>{REDACTED}@", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message (and its traceback text) scrubbed; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error report
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            # formatters reuse exc_text when it is set, so the traceback is printed scrubbed too
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        return True


REDACT = RedactSecrets()


def _scrubbing_factory(previous):
    """A LogRecord factory that scrubs each record as it is made: a logger filter sees only records made on its
    own logger (not its children's), and a handler filter only its handler, so this is what covers every
    `logging.getLogger(__name__)` in app/ and handlers added later."""
    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        REDACT.filter(record)
        return record
    factory.flightdeck_redacts = True
    return factory


def install_redaction(app: Flask) -> None:
    """Scrub every record the process makes, and attach the filter to the request loggers and to every handler
    that exists now, so no handler sees a raw secret. Safe to call once per app."""
    if not getattr(logging.getLogRecordFactory(), "flightdeck_redacts", False):
        logging.setLogRecordFactory(_scrubbing_factory(logging.getLogRecordFactory()))
    loggers = [logging.getLogger(), app.logger, *(logging.getLogger(name) for name in REQUEST_LOGGERS)]
    for logger in loggers:
        if REDACT not in logger.filters:
            logger.addFilter(REDACT)
        for handler in logger.handlers:
            if REDACT not in handler.filters:
                handler.addFilter(REDACT)
