"""A hotline hand-off reaches the staff's Telegram group as one line: code, language,
topics, time — no id, no name; and the bot stays in that one group."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.channels.telegram.test_channel import (
    TOKEN,
    fixture,
    message,
    param,
    post_update,
    sent_to,
    server_env,
    tap,
    until,
)
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.server import ServerProcess

STAFF_CHAT = -1001234567890
PERSON = 5_300_000_001
LINE = re.compile(r"^([A-Z0-9]{4}) · fa · reflection · \d{4}-\d\d-\d\dT\d\d:\d\d:00Z$")


@pytest.fixture
def fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI(token=TOKEN).run_in_thread() as api:
        yield api


async def test_the_staff_group_gets_the_handoff_line_and_is_not_left(
    tmp_path: Path, fake: FakeTelegramAPI, http: aiohttp.ClientSession
) -> None:
    env = server_env(fake, webhook=True) | {"PUTOKAZ_HANDOFF_TELEGRAM_CHAT": str(STAFF_CHAT)}
    with ServerProcess(tmp_path / "data", env=env) as server:
        await post_update(http, server, message(PERSON, "/start fa-reflection"))
        await post_update(http, server, tap(PERSON, 1, "1|reflection.start|hotline"))
        await until(lambda: bool(sent_to(fake, STAFF_CHAT)))

        staff_group = fixture("group_message")
        staff_group["message"]["chat"]["id"] = STAFF_CHAT
        staff_group["update_id"] = 990_000_001
        mark = len(fake.calls)
        await post_update(http, server, staff_group)

    staff = sent_to(fake, STAFF_CHAT)
    assert len(staff) == 1
    line = param(staff[0], "text")
    found = LINE.match(line)
    assert found, line
    texts = [param(c, "text") for c in fake.calls if param(c, "chat_id") == PERSON]
    assert any(found.group(1) in (t or "") for t in texts), (
        "the same code is on the person's screen"
    )
    assert str(PERSON) not in line
    assert "leaveChat" not in [c.method for c in fake.calls[mark:]]
