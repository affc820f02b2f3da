"""With every emulator's free text full of XSS payloads, no page Chromium opens runs one or turns one into markup.

Run with `-s` to see the summary lines.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from sandbox.common.server import LiveServer
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.helpers import login
from tests.security.route_walk import walk
from tests.security.tally import Tally

pytestmark = pytest.mark.browser

# sandbox/common/hostile.py marks every payload element with this class or an xss-… id
PROBES = '.xss-probe, [id^="xss-"]'
# What a page shows of the payloads after load, read in one round trip: event-handler attributes (the templates
# have none: the CSP allows no inline script), javascript: URLs, a template that evaluated {{7*7}}, and each
# <script type="application/json"> block (the chart data) that does not parse.
LOOK = """() => {
  const handlers = [], urls = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attribute of el.attributes) {
      if (attribute.name.startsWith("on")) { handlers.push(`<${el.localName} ${attribute.name}>`); }
      if (["href", "src", "action", "formaction"].includes(attribute.name)
          && /^\\s*javascript:/i.test(attribute.value)) { urls.push(`<${el.localName} ${attribute.name}>`); }
    }
  }
  const blocks = Array.from(document.querySelectorAll('script[type="application/json"]')).map(block => {
    try { JSON.parse(block.textContent); return {id: block.id, parsed: true}; }
    catch (e) { return {id: block.id, parsed: false}; }
  });
  return {handlers, urls, blocks, evaluated: /xss-[\\w-]+-tpl=49/.test(document.documentElement.outerHTML),
          shown: document.body.innerText.includes("xss-probe")};
}"""


@pytest.fixture
def hostile_app(security_app, emulators):
    """security_app with every emulator's world made hostile in place, so the tokens it was given still work."""
    for emulator in emulators:
        assert emulator.hostile() > 0, emulator.url
    return security_app


@pytest.fixture
def live_hostile_app(hostile_app) -> Iterator[str]:
    server = LiveServer(hostile_app)
    yield server.start()
    server.stop()


def html_pages(app: Any) -> list[str]:
    """The URLs of every page (not redirect, JSON or download) an admin reaches in the route walk."""
    admin = app.test_client()
    assert login(admin, "admin", PASSWORD).status_code == 302
    return [url for url, response in walk(app, admin).pages.items()
            if response.mimetype == "text/html" and not 300 <= response.status_code < 400]


def payload_findings(page: Any, looked: dict[str, Any]) -> list[str]:
    """What on the loaded page came from a payload: marked elements, handlers, javascript: URLs, evaluation."""
    found = [f"element #{element.get_attribute('id') or element.get_attribute('class')}"
             for element in page.query_selector_all(PROBES)]
    found += [f"handler {handler}" for handler in looked["handlers"]]
    found += [f"javascript: URL in {url}" for url in looked["urls"]]
    if looked["evaluated"]:
        found.append("a template evaluated {{7*7}}")
    return found


def test_no_hostile_name_message_or_result_runs_or_becomes_markup_in_any_page(hostile_app, live_hostile_app,
                                                                             browser_page):
    """With the five emulators' names, descriptions, messages and results carrying script, HTML, javascript: and
    template payloads, does every HTML page the route walk finds, opened in Chromium as an admin, fire no dialog,
    hold no payload element, handler or javascript: URL, evaluate no template, and keep its JSON blocks JSON?"""
    urls = html_pages(hostile_app)
    page, base, current = browser_page, live_hostile_app, [""]
    dialogs: dict[str, list[str]] = {}
    blocked: dict[str, list[str]] = {}

    def on_dialog(dialog: Any) -> None:
        dialogs.setdefault(current[0], []).append(f"{dialog.type}({dialog.message})")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # a payload that became a script is refused by the CSP before it can alert: the refusal is the finding
    page.on("console", lambda message: blocked.setdefault(current[0], []).append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    sign_in(page, base)
    pages, alerts, json_blocks = Tally("xss pages"), Tally("xss dialogs"), Tally("xss json blocks")
    shown = 0
    for url in urls:
        current[0] = url
        page.goto(base + url, wait_until="load")
        looked = page.evaluate(LOOK)
        found = payload_findings(page, looked) + [f"CSP refused: {text}" for text in blocked.get(url, ())]
        pages.check(not found, f"{url}: {found[:6]}" + (f" and {len(found) - 6} more" if len(found) > 6 else ""))
        alerts.check(url not in dialogs, f"{url}: {dialogs.get(url)}")
        for block in looked["blocks"]:
            json_blocks.check(block["parsed"], f"{url}: script#{block['id']} is not JSON")
        shown += looked["shown"]
    for tally in (pages, alerts, json_blocks):
        print(tally.line())
    print(f"xss payloads shown as text: {shown} of {pages.tried} pages")
    assert pages.tried >= 60 and json_blocks.tried >= 5, (pages.tried, json_blocks.tried)
    assert shown >= pages.tried // 2, "the hostile seed reached too few pages to prove anything"
    failed = pages.failed + alerts.failed + json_blocks.failed
    assert not failed, "\n".join(failed)
