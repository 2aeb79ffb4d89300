"""Edit → check → preview → publish → restore, through the pages, and what the bot says
on the web chat after each, without a restart; who may do which."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from bot.config import Config
from bot.engine import Flows
from tests.admin.staff_client import Staff, running, staff_data
from tests.admin.test_flow_pages import node_form, save_node

NODE = "reflection.how_long"


def old_sentence(flows: Flows) -> str:
    """The first sentence of the screen the tests change (whatever the content says today)."""
    return flows.node(NODE).say[0].split(". ")[0] + "."


NEW = "Staff changed this sentence for the test."


async def change_sentence(staff: Staff, old: str, new: str) -> None:
    fields = await node_form(staff, "reflection", "how_long")
    say = fields["say"]
    assert isinstance(say, list)
    assert old in say[0]
    fields["say"] = [say[0].replace(old, new), ""]
    status, html = await save_node(staff, "reflection", "how_long", fields)
    assert status == 200
    assert "Saved to your draft" in html


async def chat_how_long(client: TestClient, language: str = "en") -> dict[str, Any]:  # type: ignore[type-arg]
    """What the web chat shows on the reflection period's length, for a new visitor."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as fresh:
        base = client.make_url("/api/chat")
        start = {"action": "start", "payload": f"{language}-reflection"}
        async with fresh.post(base, json=start) as response:
            assert response.status == 200
        async with fresh.post(base, json={"action": "choose", "option": "how_long"}) as response:
            assert response.status == 200
            body: dict[str, Any] = await response.json()
            return body


def chat_text(body: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in body["messages"])


async def publish(staff: Staff, message: str = "clearer length") -> tuple[int, str]:
    return await staff.post("/admin/draft/publish", message=message)


async def test_publish_changes_the_web_chat_without_restart_and_restore_brings_it_back(
    staff: Staff, flows: Flows, config: Config
) -> None:
    old = old_sentence(flows)
    assert old in chat_text(await chat_how_long(staff.client))
    await staff.login("erin")
    await change_sentence(staff, old, NEW)
    assert old in chat_text(await chat_how_long(staff.client)), "a draft is not live"

    status, html = await publish(staff)
    assert status == 200
    assert "Published" in html
    assert "Version 2" in html
    assert NEW in chat_text(await chat_how_long(staff.client))

    status, html = await staff.post("/admin/history/1/restore")
    assert status == 200
    assert "Restored as version 3" in html
    assert old in chat_text(await chat_how_long(staff.client))

    status, history = await staff.get("/admin/history")
    assert "restore of 1" in history
    data = staff_data(config)
    audit = [(e.actor, e.action, e.subject) for e in data.audit.recent()]
    data.close()
    assert audit[:3] == [
        ("erin", "restored", "version 3"),
        ("erin", "published", "version 2"),
        ("erin", "logged_in", "erin"),
    ]


async def test_publish_and_restore_are_counted_in_the_metrics(staff: Staff, flows: Flows) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    await staff.login("erin")
    await change_sentence(staff, old_sentence(flows), NEW)
    assert (await publish(staff))[0] == 200
    assert (await staff.post("/admin/history/1/restore"))[0] == 200
    response = await staff.client.get("/metrics")
    counts = {
        sample.labels["kind"]: sample.value
        for family in text_string_to_metric_families(await response.text())
        for sample in family.samples
        if sample.name == "putokaz_publishes_total"
    }
    assert counts == {"publish": 1.0, "rollback": 1.0, "other": 0.0}


async def test_history_shows_the_diff_against_the_previous_version(
    staff: Staff, flows: Flows
) -> None:
    await staff.login("erin")
    await change_sentence(staff, old_sentence(flows), NEW)
    await publish(staff, "the diff test")
    status, html = await staff.get("/admin/history/2")
    assert status == 200
    assert "reflection.yaml" in html
    assert re.search(r'<span class="add">\+\s+' + re.escape(NEW), html)
    assert re.search(r'<span class="del">-\s+' + re.escape(old_sentence(flows)), html)
    assert "erin" in html
    assert "the diff test" in html


async def test_a_viewer_and_a_translator_cannot_publish_or_restore(
    staff: Staff, flows: Flows
) -> None:
    await staff.login("tara")  # a translator may keep a draft…
    await change_sentence(staff, old_sentence(flows), NEW)
    status, _ = await publish(staff)
    assert status == 403  # …but not publish it
    status, _ = await staff.post("/admin/history/1/restore")
    assert status == 403
    await staff.post("/admin/logout")
    await staff.login("vera")
    for path in ("/admin/draft/publish", "/admin/history/1/restore", "/admin/draft/discard"):
        status, _ = await staff.post(path, message="x")
        assert status == 403, path
    assert old_sentence(flows) in chat_text(await chat_how_long(staff.client))


async def test_a_draft_with_errors_is_not_published(staff: Staff, config: Config) -> None:
    await staff.login("erin")
    fields = await node_form(staff, "reflection", "how_long")
    index = next(k for k, v in fields.items() if k.endswith("-id") and v == "all").split("-")[1]
    fields[f"opt-{index}-target"] = "nowhere"
    await save_node(staff, "reflection", "how_long", fields)
    status, html = await publish(staff)
    assert status == 422
    assert "Not published" in html
    assert "reflection.nowhere" in html
    data = staff_data(config)
    assert data.versions.latest_number() == 1
    data.close()


async def test_preview_in_farsi_shows_the_fallback_notice_and_no_live_session(
    staff: Staff, flows: Flows, config: Config
) -> None:
    await staff.login("erin")
    await change_sentence(staff, old_sentence(flows), NEW)
    status, html = await staff.post("/admin/preview", action="start", lang="fa", flow="reflection")
    assert status == 200
    assert 'dir="rtl"' in html
    status, html = await staff.post(
        "/admin/preview", action="choose", option="how_long", node="reflection.start", lang="fa"
    )
    assert status == 200
    assert NEW in html, "the draft's new English shows where Farsi has no translation yet"
    notice = flows.text("fa", flows.navigation.notices["fallback"]).value
    assert notice in html
    # The simulator wrote no session of the bot's.
    assert not list(config.data_dir.glob("putokaz.db")) or _sessions(config) == 0


def _sessions(config: Config) -> int:
    import sqlite3

    with sqlite3.connect(config.database) as db:
        return int(db.execute("select count(*) from sessions").fetchone()[0])


async def test_a_second_replica_speaks_the_new_version_without_restart(
    staff: Staff, flows: Flows, config: Config, tmp_path: Path
) -> None:
    async with running(config) as other:
        await staff.login("erin")
        await change_sentence(staff, old_sentence(flows), NEW)
        await publish(staff)
        # The other app learns of it from the content number in the store (SQLite: polled).
        for _ in range(400):
            if NEW in chat_text(await chat_how_long(other)):
                break
            await asyncio.sleep(0.05)
        assert NEW in chat_text(await chat_how_long(other))


async def test_a_reload_after_a_publish_keeps_the_published_version(
    staff: Staff, flows: Flows
) -> None:
    """`putokaz reload` (catalogs compiled anew) must not bring flows/ back over staff's
    work: once staff have published, the folder is only the seed."""
    from bot.admin.keys import LIVE

    await staff.login("erin")
    await change_sentence(staff, old_sentence(flows), NEW)
    await publish(staff)
    await staff.client.server.app[LIVE].reload(99)
    assert NEW in chat_text(await chat_how_long(staff.client))


async def test_a_draft_older_than_the_published_version_asks_before_publishing_over_it(
    staff: Staff, flows: Flows, config: Config
) -> None:
    await staff.login("erin")
    await change_sentence(staff, old_sentence(flows), NEW)
    async with running(config) as other_app:
        adam = Staff(other_app)
        await adam.login("adam")
        await change_sentence(adam, old_sentence(flows), "Adam's version of the sentence.")
        status, _ = await publish(adam, "adam first")
        assert status == 200
    status, html = await publish(staff)
    assert status == 422
    assert "was published after your draft started" in html
    status, html = await staff.post("/admin/draft/publish", message="mine", over="2")
    assert status == 200
    assert "Version 3" in html
