"""Staff area II in headless Chromium against `putokaz serve`: a translator edits a Farsi
string and marks it reviewed, and the web chat says it in Farsi from the same process; the
coverage bar moves; the translator cannot publish flows. A hotline operator makes a
poster whose QR code (read by zbarimg from a screenshot) is exactly the chosen link."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from bot.admin.roles import Role
from bot.config import PROJECT_ROOT
from tests.admin.staff_client import PASSWORD
from tests.browser.conftest import PHONE
from tests.support.server import ServerProcess
from tests.support.system_tools import require

pytestmark = pytest.mark.asyncio(loop_scope="session")

LAPTOP = {"viewport": {"width": 1280, "height": 900}}
KEY = "reflection.start.how_long"
NEW = "مدت آن چقدر است؟"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    data = tmp_path / "data"
    data.mkdir()
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", locales)
    from bot.admin.database import open_staff_data
    from bot.store.pseudonym import load_pepper

    staff = open_staff_data(data / "staff.db", load_pepper(data))
    staff.accounts.add("tara", Role.TRANSLATOR, PASSWORD, 0.0)
    staff.accounts.add("hana", Role.HOTLINE, PASSWORD, 0.0)
    staff.close()
    with ServerProcess(data, env={"PUTOKAZ_LOCALES": str(locales)}) as running:
        yield running


async def log_in(page: Page, url: str, name: str) -> None:
    await page.goto(f"{url}/admin/login")
    await page.fill("#name", name)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page.get_by_role("heading", name="Flows")).to_be_visible()


async def farsi_button(browser: Browser, url: str) -> str:
    """The label of "How long is it?" a new visitor of the Farsi web chat reads."""
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    await page.goto(f"{url}/?start=fa-reflection")
    button = page.locator('[data-option="how_long"]')
    await expect(button).to_be_visible()
    text = (await button.inner_text()).strip()
    await context.close()
    return text


async def test_a_translator_reviews_a_farsi_string_and_the_web_chat_says_it(
    browser: Browser, server: ServerProcess, screenshots: Path
) -> None:
    url = server.url
    pid = server.process.pid if server.process else None
    assert await farsi_button(browser, url) != NEW
    context = await browser.new_context(**LAPTOP)
    page = await context.new_page()
    await log_in(page, url, "tara")

    await page.get_by_role("navigation").get_by_role("link", name="Translations").click()
    reviewed = page.locator('tr[data-locale="fa"] td[data-state="reviewed"]')
    before = int(await reviewed.inner_text())
    await page.screenshot(path=str(screenshots / "staff-translations.png"), full_page=True)

    await page.locator('tr[data-locale="fa"] a').first.click()
    # Placeholders are checked as one types.
    hotline = page.locator('textarea[id="t-hotline.start.say"]')
    await hotline.fill("سلام")
    await expect(hotline.locator("xpath=following-sibling::p[@class='check bad']")).to_contain_text(
        "missing {atina_phone}"
    )
    entry = page.locator(f'form[id="{KEY}"]')
    await entry.locator("textarea").fill(NEW)
    await entry.locator("select").select_option("reviewed")
    await entry.locator("textarea").scroll_into_view_if_needed()
    await page.screenshot(path=str(screenshots / "staff-translation-editor.png"))
    await entry.get_by_role("button", name="Save and publish").click()
    await expect(page.get_by_role("status")).to_contain_text(f"Saved and live: {KEY}")
    await expect(page.locator(f'form[id="{KEY}"] .badge')).to_have_text("reviewed")

    assert await farsi_button(browser, url) == NEW

    await page.get_by_role("navigation").get_by_role("link", name="Translations").click()
    await expect(reviewed).to_have_text(str(before + 1))
    bar = page.locator('tr[data-locale="fa"] svg rect[data-state="reviewed"]')
    assert await bar.get_attribute("data-count") == str(before + 1)

    # Publishing flows is an editor's: the translator's post is refused.
    token = await page.locator('input[name="csrf"]').first.get_attribute("value")
    refused = await context.request.post(
        f"{url}/admin/draft/publish", form={"csrf": token or "", "message": "try"}
    )
    assert refused.status == 403
    assert server.process is not None
    assert server.process.poll() is None
    assert server.process.pid == pid, "no restart"
    await context.close()


async def test_the_poster_qr_code_reads_back_as_the_chosen_link(
    browser: Browser, server: ServerProcess, screenshots: Path, tmp_path: Path
) -> None:
    zbarimg = require("zbarimg")
    context = await browser.new_context(**LAPTOP)
    page = await context.new_page()
    await log_in(page, server.url, "hana")
    await page.get_by_role("navigation").get_by_role("link", name="Hotline desk").click()
    await page.get_by_role("link", name="Escalation links and posters").click()
    await page.select_option("#lang", "fa")
    await page.select_option("#topic", "reflection")
    await page.fill("#campaign", "clinic2")
    await page.get_by_role("button", name="Make the links").click()
    web = page.locator('section[data-channel="web"]')
    link = (await web.locator("code.link").inner_text()).strip()
    assert link.startswith(f"{server.url}/?s=")
    await web.get_by_role("link", name="A4 poster").click()
    await expect(page.locator(".poster h1")).to_be_visible()
    await page.emulate_media(media="print")
    shot = screenshots / "staff-poster-fa.png"
    await page.screenshot(path=str(shot), full_page=True)
    decoded = subprocess.run([zbarimg, "-q", "--raw", str(shot)], capture_output=True, text=True)
    assert decoded.stdout.strip() == link
    text = (await page.locator(".poster").inner_text()).lower()
    for word in ("traffick", "victim", "exploit", "قاچاق", "قربانی"):
        assert word not in text
    assert "+381 61 63 84 071" in text

    # The same link is a Farsi web chat at the reflection period.
    await page.emulate_media(media="screen")
    visitor = await browser.new_context(**PHONE)
    chat = await visitor.new_page()
    await chat.goto(link)
    await expect(chat.locator('[data-option="how_long"]')).to_be_visible()
    await visitor.close()
    await context.close()


async def test_the_cli_poster_svg_reads_back_as_its_link(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "poster.svg"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUTOKAZ_")}
    env["PUTOKAZ_DATA"] = str(tmp_path / "data")
    env["PUTOKAZ_PUBLIC_URL"] = "https://chat.example.org"
    done = subprocess.run(
        [
            str(Path(os.sys.executable).with_name("putokaz")),
            "qr",
            "--lang",
            "fa",
            "--topic",
            "reflection",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    link = done.stdout.strip().split(": ", 1)[1]
    assert link.startswith("https://chat.example.org/?s=")
    context = await browser.new_context(viewport={"width": 794, "height": 1123})
    page = await context.new_page()
    await page.goto(out.as_uri())
    shot = tmp_path / "poster.png"
    await page.screenshot(path=str(shot))
    await context.close()
    decoded = subprocess.run(
        [require("zbarimg"), "-q", "--raw", str(shot)], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == link
