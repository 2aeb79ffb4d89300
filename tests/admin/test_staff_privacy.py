"""staff.db holds staff names, flow versions and the audit log — never a person's cookie,
session key or anything they did; the session file holds no staff secret."""

from __future__ import annotations

import aiohttp

from bot.channels.webchat.routes import COOKIE as CHAT_COOKIE
from bot.config import Config
from bot.store.pseudonym import Pseudonymizer, load_pepper
from tests.admin.staff_client import PASSWORD, Staff
from tests.support.privacy import find_leaks


async def test_staff_db_holds_nothing_of_a_person_and_sessions_nothing_of_staff(
    staff: Staff, config: Config
) -> None:
    url = staff.client.make_url("/api/chat")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as person:
        async with person.post(url, json={"action": "start", "payload": "fa-reflection"}):
            pass
        async with person.post(url, json={"action": "choose", "option": "how_long"}) as r:
            assert r.status == 200
        cookie = next(c.value for c in person.cookie_jar if c.key == CHAT_COOKIE)
    key = Pseudonymizer(load_pepper(config.data_dir, config.pepper)).key("webchat", cookie).value
    await staff.login("erin")
    await staff.post("/admin/preview", action="start", lang="fa", flow="reflection")
    assert staff.cookie is not None
    staff_files = sorted(config.data_dir.glob("staff.db*"))
    people_files = sorted(config.data_dir.glob("putokaz.db*"))
    assert staff_files
    assert people_files
    assert find_leaks(staff_files, [cookie, key]) == []
    assert find_leaks(people_files, [PASSWORD, staff.cookie.value, staff.csrf, "erin"]) == []
