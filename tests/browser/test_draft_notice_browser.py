"""A language whose catalog is a draft says so once, on its first screen; English never."""

from __future__ import annotations

import pytest
from playwright.async_api import BrowserContext, expect

from bot.engine import Flows
from bot.engine.model import MsgKey
from tests.support.server import ServerProcess

# The browser is shared by the session, so its tests run on the session's event loop.
pytestmark = pytest.mark.asyncio(loop_scope="session")


def notice(flows: Flows, language: str) -> str:
    return flows.text(language, flows.navigation.notices["draft"]).value


def first_line(flows: Flows, language: str, key: str) -> str:
    return flows.text(language, MsgKey(key)).value.split("\n")[0][:40]


async def test_a_draft_language_shows_its_notice_once(
    phone: BrowserContext, web: ServerProcess, flows: Flows
) -> None:
    assert flows.language("fr").status == "draft"  # type: ignore[union-attr]
    draft = notice(flows, "fr")
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=fr-rights")
    body = page.locator("body")
    await expect(body).to_contain_text(first_line(flows, "fr", "rights.start.say"))
    await expect(body).to_contain_text(draft)
    assert (await body.inner_text()).count(draft) == 1

    for option, screen in (("legal", "rights.legal.say"), ("next", "rights.witness.say")):
        node = screen.rsplit(".", 1)[0]
        previous = "rights.start" if option == "legal" else "rights.legal"
        label = flows.text("fr", MsgKey(f"{previous}.{option}")).value
        await page.get_by_role("button", name=label, exact=True).last.click()
        await expect(body).to_contain_text(first_line(flows, "fr", screen))
        assert (await body.inner_text()).count(draft) <= 1, f"shown again on {node}"


async def test_english_shows_no_draft_notice(
    phone: BrowserContext, web: ServerProcess, flows: Flows
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=en-rights")
    body = page.locator("body")
    await expect(body).to_contain_text(first_line(flows, "en", "rights.start.say"))
    await page.get_by_role("button", name="Legal help", exact=True).last.click()
    await expect(body).to_contain_text(first_line(flows, "en", "rights.legal.say"))
    assert notice(flows, "en") not in await body.inner_text()
