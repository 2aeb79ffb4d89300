"""axe-core on every screen of the web chat, in English and Arabic, with and without JavaScript.

The page is loaded from the real server; every screen is then drawn into it with the
server's own renderer (the markup chat.js draws is the same), so one axe run per language
and mode covers every node. No serious or critical WCAG 2.2 A/AA violation may remain
(axe's best practices are checked too: a heading, every part of the page in a landmark).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser

from bot.channels.webchat.page import screen_html
from bot.engine import Flows, render
from tests.browser.conftest import PHONE
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio(loop_scope="session")

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["en", "ar"])
async def test_no_serious_or_critical_violation_on_any_screen(
    browser: Browser, web: ServerProcess, flows: Flows, language: str, javascript: bool
) -> None:
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    await page.goto(f"{web.url}/?start={language}")
    if not javascript:
        # axe needs scripts to run, so the page as a browser without JavaScript draws it is
        # rebuilt here: the served HTML, <noscript> content shown, chat.js left out.
        served = await (await page.request.get(f"{web.url}/")).text()
        served = served.replace("<noscript>", '<div class="noscript">')
        served = served.replace("</noscript>", "</div>")
        served = served.replace('<script src="/static/chat.js" defer></script>', "")
        await page.evaluate(
            "html => { document.open(); document.write(html); document.close(); }", served
        )
        await page.wait_for_load_state()
    await page.evaluate(Axe().axe_script)
    # Every screen at once, one section each, so axe runs once per language and mode.
    screens = "".join(
        screen_html(render(flows, node, language, "K7QX")) for node in sorted(flows.nodes)
    )
    await page.evaluate(
        "html => { document.getElementById('chat').innerHTML = html;"
        " document.getElementById('offline').hidden = false;"
        " document.getElementById('typed-notice').textContent = 'x'; }",
        screens,
    )
    result = await page.evaluate(f"axe.run(document, {json.dumps(OPTIONS)})")
    await context.close()
    blocking = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
    minor = Counter(
        {v["id"]: len(v["nodes"]) for v in result["violations"] if v["impact"] not in BLOCKING}
    )
    print(f"axe {language} js={javascript}: minor/moderate {dict(minor)}")
    assert blocking == []
