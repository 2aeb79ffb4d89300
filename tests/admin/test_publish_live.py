"""Publishing while 50 conversations run on the web chat: none is lost or broken. A
screen some of them are on disappears in the new version; they go on from its flow's
start, in their own language."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from bot.config import Config
from bot.engine import Flows
from tests.admin.staff_client import Staff, staff_data

CONVERSATIONS = 50
LANGUAGES = ("en", "fa", "ar", "sr-Latn", "uk")
SKIP = frozenset({"exit", "forget", "back", "menu"})
GONE = "help"
"""reflection.help is renamed in the published version, so its old id no longer exists."""


def renamed_version(text: str) -> str:
    """reflection.yaml with the node `help` renamed `support` (and the buttons to it)."""
    renamed = text.replace(f"\n  {GONE}:\n", "\n  support:\n")
    renamed = renamed.replace(f"goto: {GONE}}}", "goto: support}")
    assert renamed != text
    return renamed


async def talk(
    client: TestClient,  # type: ignore[type-arg]
    language: str,
    published: asyncio.Event,
    halfway: asyncio.Semaphore,
    seed: int,
) -> list[dict[str, Any]]:
    """One person: into the reflection period, onto `help`, then on after the publish."""
    rng = random.Random(seed)
    replies: list[dict[str, Any]] = []
    url = client.make_url("/api/chat")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:

        async def act(body: dict[str, str]) -> dict[str, Any]:
            async with http.post(url, json=body) as response:
                assert response.status == 200, await response.text()
                reply: dict[str, Any] = await response.json()
                replies.append(reply)
                return reply

        await act({"action": "start", "payload": f"{language.replace('-', '_')}-reflection"})
        await act({"action": "choose", "option": "how_long"})
        await act({"action": "choose", "option": "next"})  # decide
        await act({"action": "choose", "option": "next"})  # help: the node that goes away
        if seed % 2 == 0:
            # On `help` when it disappears: its "next" button is tapped after the publish.
            halfway.release()
            await published.wait()
            await act({"action": "choose", "option": "next"})
        else:
            # `help` is in the back stack when it disappears; these keep tapping through
            # the publish, then go back all the way.
            await act({"action": "choose", "option": "next"})  # expel
            halfway.release()
            for _ in range(3):
                buttons = [b for m in replies[-1]["messages"] for b in m["buttons"]]
                choices = [b for b in buttons if not b["url"] and b["id"] not in SKIP]
                await act({"action": "choose", "option": rng.choice(choices)["id"]})
                await asyncio.sleep(0)
            await published.wait()
            for _ in range(8):
                await act({"action": "back"})
        await act({"action": "choose", "option": "menu"})
    return replies


async def test_fifty_conversations_survive_a_publish(
    staff: Staff, flows: Flows, config: Config
) -> None:
    await staff.login("erin")
    data = staff_data(config)
    latest = data.versions.latest()
    assert latest is not None
    files = dict(latest.files)
    files["reflection.yaml"] = renamed_version(files["reflection.yaml"])

    published = asyncio.Event()
    halfway = asyncio.Semaphore(0)
    people = [
        asyncio.create_task(
            talk(staff.client, LANGUAGES[i % len(LANGUAGES)], published, halfway, i)
        )
        for i in range(CONVERSATIONS)
    ]
    for _ in range(CONVERSATIONS):
        await halfway.acquire()
    # Everyone is on reflection.help now; publish the version without it, through the
    # YAML editor and the draft page, as staff would.
    status, _ = await staff.post("/admin/files/reflection.yaml", text=files["reflection.yaml"])
    assert status == 200
    status, html = await staff.post("/admin/draft/publish", message="rename help")
    assert status == 200, html[:2000]
    published.set()
    conversations = await asyncio.gather(*people)

    new_nodes = set(flows.nodes) - {f"reflection.{GONE}"} | {"reflection.support"}
    old_nodes = set(flows.nodes)
    for i, replies in enumerate(conversations):
        language = LANGUAGES[i % len(LANGUAGES)]
        assert replies[3]["node"] == f"reflection.{GONE}"
        for reply in replies:
            assert reply["messages"], "every answer has a screen"
            assert reply["language"] == language, "nobody lost their language"
            assert reply["node"] in old_nodes | new_nodes
        assert replies[-1]["node"] == flows.navigation.menu
        if i % 2 == 0:
            # The screen they were on is gone: the tap lands on that flow's start.
            assert len(replies) == 6
            assert replies[4]["node"] == "reflection.start"
        else:
            assert len(replies) == 5 + 3 + 8 + 1
            assert all(r["node"] in new_nodes for r in replies[-9:])
    assert data.versions.latest_number() == 2
    data.close()
    count = await staff.client.server.app[_conversations_key()].store.count()  # type: ignore[union-attr]
    assert count == CONVERSATIONS, "no session was lost"


def _conversations_key() -> Any:
    from bot.web.keys import CONVERSATIONS

    return CONVERSATIONS
