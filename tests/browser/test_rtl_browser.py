"""Arabic and Farsi read right-to-left, while the hotline number keeps its left-to-right order."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, expect

from bot.engine import Flows
from bot.engine.model import MsgKey
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio(loop_scope="session")

NUMBER = "+381 61 63 84 071"

# Where each character of the number is drawn, left to right on the screen.
CHARACTER_POSITIONS = """
(number) => {
  const numbers = [...document.querySelectorAll('.msg .num')];
  for (const element of numbers) {
    const node = element.firstChild;
    const at = node.textContent.replace(/\u00a0/g, ' ').indexOf(number);
    if (at < 0) continue;
    const xs = [];
    for (let i = 0; i < number.length; i++) {
      if (number[i] === ' ') continue;
      const range = document.createRange();
      range.setStart(node, at + i);
      range.setEnd(node, at + i + 1);
      const rect = range.getClientRects()[0];
      xs.push({ch: number[i], x: rect.left, y: rect.top});
    }
    const message = element.closest('.msg');
    return {dir: getComputedStyle(message).direction, lang: document.documentElement.lang,
            lines: element.getClientRects().length, xs};
  }
  return null;
}
"""


@pytest.mark.parametrize("language", ["ar", "fa", "ur"])
async def test_rtl_conversation_with_the_number_left_to_right(
    phone: BrowserContext, web: ServerProcess, language: str, tmp_path: Path
) -> None:
    page = await phone.new_page()
    await page.set_viewport_size({"width": 320, "height": 740})
    await page.goto(f"{web.url}/?start={language}-hotline")
    await expect(page.locator(".msg").first).to_be_visible()
    assert await page.evaluate("document.documentElement.lang") == language

    found = await page.evaluate(CHARACTER_POSITIONS, NUMBER)
    assert found is not None, "the hotline number is on the screen"
    assert found["dir"] == "rtl"
    assert found["lang"] == language
    assert found["lines"] == 1, "the number is never broken across lines"
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    same_line = [c for c in found["xs"] if abs(c["y"] - found["xs"][0]["y"]) < 2]
    xs = [c["x"] for c in same_line]
    assert xs == sorted(xs), f"the number is drawn left to right: {same_line}"
    assert [c["ch"] for c in same_line][:4] == ["+", "3", "8", "1"]

    buttons = page.locator(".buttons").last
    direction = await buttons.evaluate("(e) => getComputedStyle(e).direction")
    assert direction == "rtl"
    await page.screenshot(path=str(tmp_path / f"webchat-hotline-{language}-320.png"))


async def test_the_header_quick_exit_speaks_the_persons_language(
    phone: BrowserContext, web: ServerProcess, flows: Flows
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=uk-rights")
    await expect(page.locator(".msg").first).to_be_visible()
    label = flows.text("uk", MsgKey("navigation.footer.exit")).value
    await expect(page.locator("#quick-exit")).to_contain_text(label)
    typed = flows.text("uk", MsgKey("navigation.notice.input_label")).value
    assert await page.get_attribute("#typed-input", "aria-label") == typed
    await page.locator("#quick-exit").click()
    await page.wait_for_url("about:blank")
