"""The logging filter: app.masking's secret rule on key=value text, bearer and API authorization headers, on every
logger that can print request data."""
from __future__ import annotations

import io
import logging

import pytest

from app.logging_filter import RedactSecrets, scrub

SECRET = "s3cr3t-value-9f8e7d"


@pytest.mark.parametrize("line", [
    f"refresh_token={SECRET}",
    f"GET /api/workspaces?page=1&session_id={SECRET} HTTP/1.1",
    f'{{"client_secret": "{SECRET}", "name": "x"}}',
    f"{{'password': '{SECRET} with spaces', 'region': 'EU'}}",
    f"X-Api-Key: {SECRET}",
    f"authorization: API {SECRET}",
    f"{{'Authorization': 'API {SECRET}', 'Accept': 'application/json'}}",
    f"Authorization: Bearer {SECRET}",
    f"sent Bearer {SECRET} to aac",
    f"Authorization: Basic {SECRET}",
    f'Authorization: OAuth oauth_consumer_key="{SECRET}", oauth_signature="{SECRET}"',
    f"redis://flightdeck:{SECRET}@cache:6379/0",
    f"FLIGHTDECK_SECRET_KEY={SECRET}",
])
def test_scrub_hides_each_form_of_secret(line):
    """Is the secret gone from each form a log line can carry it in (query, JSON, repr, headers, URL)?"""
    cleaned = scrub(line)
    assert SECRET not in cleaned and "[redacted]" in cleaned


def test_scrub_keeps_the_key_the_scheme_and_harmless_text():
    """Does a reader still see which key or scheme was hidden, and is harmless text left alone and scrubbing twice
    the same as once?"""
    assert scrub(f"authorization: API {SECRET}") == "authorization: API [redacted]"
    assert scrub(f'{{"access_token": "{SECRET}", "expires_in": 300}}') == \
        '{"access_token": "[redacted]", "expires_in": 300}'
    harmless = "GET /aac/aac-main/schedules?q=nightly&page=2 HTTP/1.1 200"
    assert scrub(harmless) == harmless
    once = scrub(f"password={SECRET} Authorization: Bearer {SECRET}")
    assert scrub(once) == once


def test_the_filter_scrubs_arguments_and_tracebacks():
    """Are secrets passed as %-arguments and in an exception's text both gone from the record?"""
    try:
        raise ValueError(f"token endpoint refused client_secret={SECRET}")
    except ValueError:
        import sys
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "sent %s", (f"api_key={SECRET}",), sys.exc_info())
    RedactSecrets().filter(record)
    assert SECRET not in record.getMessage() and SECRET not in record.exc_text
    assert "ValueError" in record.exc_text


@pytest.mark.parametrize("name", ["app.factory", "app.http", "app.platforms.alooma.client", "werkzeug",
                                  "gunicorn.error", "gunicorn.access", "urllib3.connectionpool", "authlib"])
def test_every_logger_that_prints_requests_is_scrubbed(app, caplog, name):
    """Does a secret logged on the app's own logger, a module's, werkzeug's, gunicorn's or urllib3's reach neither
    pytest's capture nor a handler added after the app was made (as gunicorn adds its own)?"""
    caplog.set_level(logging.DEBUG)
    stream = io.StringIO()
    late = logging.StreamHandler(stream)
    logger = app.logger if name == "app.factory" else logging.getLogger(name)
    logger.addHandler(late)
    try:
        if name == "gunicorn.access":  # gunicorn logs its access line as a format with a dict of atoms
            logger.info('%(h)s "%(r)s" %(s)s', {"h": "10.0.0.1", "r": f"GET /x?access_token={SECRET} HTTP/1.1",
                                                  "s": "200"})
        else:
            logger.warning("calling %s with %s", "/rest/inputs", f"authorization: API {SECRET}")
    finally:
        logger.removeHandler(late)
    assert caplog.records and all(SECRET not in r.getMessage() for r in caplog.records)
    assert "[redacted]" in stream.getvalue() and SECRET not in stream.getvalue() + caplog.text
