"""axe-core on every page of the staff area (laptop and phone): no serious or critical
WCAG 2.2 A/AA violation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser

from bot.admin.database import open_staff_data
from bot.admin.roles import Role
from bot.store.pseudonym import load_pepper
from tests.admin.staff_client import PASSWORD
from tests.browser.conftest import PHONE
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio(loop_scope="session")

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}
PAGES = [
    "/admin/",
    "/admin/flows/reflection",
    "/admin/flows/reflection/nodes/how_long",
    "/admin/files/reflection.yaml",
    "/admin/draft",
    "/admin/preview",
    "/admin/history",
    "/admin/history/1",
    "/admin/audit",
]


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    data = tmp_path_factory.mktemp("staff-a11y") / "data"
    data.mkdir()
    staff = open_staff_data(data / "staff.db", load_pepper(data))
    for device in ("laptop", "phone"):  # one each: a draft is per account
        staff.accounts.add(f"adam.{device}", Role.ADMIN, PASSWORD, 0.0)
    staff.close()
    with ServerProcess(data) as server:
        yield server


@pytest.mark.parametrize("device", ["laptop", "phone"])
async def test_no_serious_or_critical_violation_on_any_staff_page(
    browser: Browser, admin_server: ServerProcess, device: str, tmp_path: Path
) -> None:
    options = PHONE if device == "phone" else {"viewport": {"width": 1280, "height": 900}}
    context = await browser.new_context(**options, bypass_csp=True)
    page = await context.new_page()
    url = admin_server.url
    await page.goto(f"{url}/admin/login")
    found = await _blocking(page)
    await page.fill("#name", f"adam.{device}")
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    # A draft with a located error, and a simulated conversation, so those pages show all.
    await page.goto(f"{url}/admin/preview")
    await page.select_option("#lang", "fa")
    await page.get_by_role("button", name="Start").click()
    found += [f"preview: {v}" for v in await _blocking(page)]
    await page.goto(f"{url}/admin/flows/reflection/nodes/how_long")
    await page.fill('input[name="opt-1-target"]', "nowhere")
    await page.get_by_role("button", name="Save to draft and check").click()
    for path in PAGES:
        await page.goto(f"{url}{path}")
        found += [f"{path}: {v}" for v in await _blocking(page)]
    await context.close()
    assert found == []


async def _blocking(page) -> list[str]:  # type: ignore[no-untyped-def]
    await page.evaluate(Axe().axe_script)
    result = await page.evaluate(f"axe.run(document, {json.dumps(OPTIONS)})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
