"""Two `putokaz serve` processes on different ports sharing one real redis-server, in front
of one fake Bot API: what a proxy spreading Telegram's webhook calls over replicas needs.

Every person is their own private chat; their updates go to either replica.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest

from bot.channels.telegram.outbound import footer_ids, render_reply
from bot.engine import Choose, Flows, Menu, Start, StepContext, step
from bot.engine.choice_token import encode_choice
from bot.engine.session import Session
from bot.store.pseudonym import Pseudonymizer
from tests.channels.telegram.test_channel import (
    TOKEN,
    Mode,
    TelegramDriver,
    message,
    post_update,
    server_env,
    tap,
)
from tests.conversations.script import load_scripts, run_script
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.support.redis_server import RedisServer
from tests.support.server import ServerProcess

PEPPER = "replicas-share-this-pepper-0123456789"
PREFIX = "putokaz:"
SHOWN = ("sendMessage", "editMessageText", "deleteMessages")
ENDS = frozenset({"exit", "forget"})
"""Buttons the generated conversations do not tap: they end the conversation."""
NEXT_ANSWER_WITHIN = 5.0
"""The issue's bound for a person whose turn a killed replica was holding."""
_chats = itertools.count(7_300_000_001)


class Replicas:
    """The two servers, the Redis they share and the fake Bot API they answer through."""

    def __init__(
        self, servers: list[ServerProcess], redis: RedisServer, fake: FakeTelegramAPI
    ) -> None:
        self.servers = servers
        self.redis = redis
        self.fake = fake
        self.pseudonyms = Pseudonymizer(PEPPER.encode())

    def session_key(self, chat: int) -> str:
        return f"{PREFIX}s:{self.pseudonyms.key('telegram', chat).value}"

    def has_session(self, chat: int) -> bool:
        return self.redis.command("EXISTS", self.session_key(chat)).startswith(b":1")

    def shown(self, chat: int, method: str | None = None) -> list[Call]:
        """What the person saw, in order: successful sends, edits and deletions."""
        return [
            c
            for c in list(self.fake.calls)
            if c.method in SHOWN
            and (method is None or c.method == method)
            and c.status == 200
            and _to(c, chat)
        ]


def _to(call: Call, chat: int) -> bool:
    return call.params.get("chat_id") in (chat, str(chat))


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    folder = tmp_path_factory.mktemp("replicas")
    redis = RedisServer(folder / "redis").start()
    with FakeTelegramAPI(token=TOKEN).run_in_thread() as fake:
        env = server_env(fake, webhook=True) | {
            "PUTOKAZ_REDIS_URL": redis.url,
            "PUTOKAZ_PEPPER": PEPPER,
        }
        servers = [ServerProcess(folder / f"replica{i}", env=env) for i in range(2)]
        try:
            for server in servers:
                server.start()
            yield Replicas(servers, redis, fake)
        finally:
            for server in servers:
                server.stop()
            redis.stop()


@pytest.fixture
async def web(replicas: Replicas) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as http:
        yield http
    replicas.fake.reset_faults()


class Alternating(Mode):
    """Webhook deliveries that alternate between the replicas, update by update."""

    def __init__(self, replicas: Replicas, http: aiohttp.ClientSession) -> None:
        super().__init__(replicas.servers[0], replicas.fake, webhook=True)
        self.replicas = replicas
        self.http = http
        self.turn = 0

    async def deliver(self, update: dict[str, Any]) -> dict[str, Any] | None:
        self.server = self.replicas.servers[self.turn % 2]
        self.turn += 1
        return await super().deliver(update)


class RedisDriver(TelegramDriver):
    """The Telegram script driver, finding the session in Redis instead of a SQLite file."""

    def __init__(self, mode: Alternating, flows: Flows) -> None:
        super().__init__(mode, flows, next(_chats))
        self.replicas = mode.replicas

    def has_session(self) -> bool:
        return self.replicas.has_session(self.chat)


async def test_a_scripted_conversation_alternating_between_replicas_completes(
    replicas: Replicas, web: aiohttp.ClientSession, flows: Flows
) -> None:
    scripts = {s.path.stem: s for s in load_scripts()}
    for name in ("back_and_menu", "hotline_handoff", "quick_exit", "forget", "stale_button"):
        mode = Alternating(replicas, web)
        await run_script(scripts[name], flows, "en", RedisDriver(mode, flows))
        assert mode.turn >= 2


def conversation(
    flows: Flows, chat: int, rng: random.Random
) -> tuple[list[dict[str, Any]], list[str]]:
    """/start, two taps on buttons the bot showed, /help; and the texts the person must
    see. The taps point at the person's own /start message, never the latest one, so
    every reply is sent as new messages and its texts follow from the engine alone."""
    footer = footer_ids(flows)
    start = message(chat, "/start en")
    updates = [start]
    session, reply = step(flows, None, Start("en"), StepContext(0.0))
    texts = [out.text for out in render_reply(reply, footer)]
    for _ in range(2):
        assert reply.node is not None
        buttons = [b for b in reply.buttons if b.url is None and b.option_id not in ENDS]
        button = rng.choice(buttons)
        data = encode_choice(reply.node, button.option_id)
        updates.append(tap(chat, start["message"]["message_id"], data))
        choice = Choose(button.option_id, reply.node)
        session, reply = step(flows, session, choice, StepContext(1.0))
        texts += [out.text for out in render_reply(reply, footer)]
    updates.append(message(chat, "/help"))
    session, reply = step(flows, session, Menu(), StepContext(2.0))
    texts += [out.text for out in render_reply(reply, footer)]
    return updates, texts


def same_text(expected: str, seen: str) -> bool:
    """Equal, but for the hand-off code each reply draws anew."""
    pattern = re.escape(expected).replace(re.escape("----"), "[A-Z0-9]{4}")
    return re.fullmatch(pattern, seen, flags=re.S) is not None


async def test_two_hundred_conversations_over_both_replicas_with_duplicates_answered_once(
    replicas: Replicas, web: aiohttp.ClientSession, flows: Flows
) -> None:
    rng = random.Random(18)
    plans = {chat: conversation(flows, chat, rng) for chat in (next(_chats) for _ in range(200))}
    copies_sent = 0

    async def converse(chat: int) -> None:
        nonlocal copies_sent
        for update in plans[chat][0]:
            # Telegram redelivers when an answer is slow; the proxy may pick either replica.
            targets = replicas.servers if rng.random() < 0.3 else [rng.choice(replicas.servers)]
            copies_sent += len(targets)
            answers = await asyncio.gather(*(post_update(web, s, update) for s in targets))
            assert [status for status, _ in answers] == [200] * len(targets)

    waiting = list(plans)

    async def worker() -> None:
        while waiting:
            await converse(waiting.pop())

    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(25))), 300)
    assert copies_sent > 4 * len(plans), "some updates were delivered twice"
    wrong = []
    for chat, (_, texts) in plans.items():
        seen = [str(c.params.get("text")) for c in replicas.shown(chat, "sendMessage")]
        if len(seen) != len(texts) or not all(map(same_text, texts, seen)):
            wrong.append((chat, len(texts), len(seen)))
    assert wrong == [], f"{len(wrong)} of 200 people saw a reply lost, doubled or out of order"


async def test_a_tap_and_a_quick_exit_on_different_replicas_leave_no_session_every_time(
    replicas: Replicas, web: aiohttp.ClientSession
) -> None:
    # A slow edit keeps the tap's turn open on its replica when the exit reaches the other.
    replicas.fake.delay("editMessageText", 0.1)
    for attempt in range(50):
        chat = next(_chats)
        tapped_on, exit_on = replicas.servers[attempt % 2], replicas.servers[1 - attempt % 2]
        assert (await post_update(web, tapped_on, message(chat, "/start en")))[0] == 200
        latest = max(mid for c, mid in list(replicas.fake.messages) if c == chat)
        the_tap = tap(chat, latest, encode_choice("welcome.menu", "reflection"))

        async def quick_exit(chat: int = chat, exit_on: ServerProcess = exit_on) -> tuple[int, str]:
            while not any(
                c.method == "editMessageText" and _to(c, chat) for c in list(replicas.fake.calls)
            ):
                await asyncio.sleep(0.001)
            return await post_update(web, exit_on, message(chat, "/exit"))

        answers = await asyncio.wait_for(
            asyncio.gather(post_update(web, tapped_on, the_tap), quick_exit()), 30
        )
        assert [status for status, _ in answers] == [200, 200]
        assert not replicas.has_session(chat), f"attempt {attempt + 1}: the session came back"
        methods = [c.method for c in replicas.shown(chat)]
        assert methods[-3:] == ["editMessageText", "deleteMessages", "sendMessage"], methods


async def test_a_replica_killed_mid_load_blocks_no_one_and_corrupts_no_session(
    replicas: Replicas, web: aiohttp.ClientSession, flows: Flows
) -> None:
    # Slow replies keep many turns, and their locks, open on the replica when it dies.
    replicas.fake.delay("sendMessage", 0.02)
    victim, survivor = replicas.servers
    people = [next(_chats) for _ in range(160)]
    updates = {chat: message(chat, "/start en") for chat in people}
    waiting = list(people)
    killed_at: float | None = None
    answered_after_kill = 0
    taken_over: dict[int, float] = {}

    async def deliver(chat: int) -> None:
        nonlocal killed_at, answered_after_kill
        server = victim if chat % 2 else survivor
        try:
            status, _ = await post_update(web, server, updates[chat])
        except (aiohttp.ClientError, OSError):
            status = 0
        if status == 200:
            if killed_at is not None and server is survivor:
                answered_after_kill += 1
            if killed_at is None and len(people) - len(waiting) >= 60:
                killed_at = time.monotonic()
                victim.kill()
            return
        # As Telegram does on no answer: deliver it again (the proxy now picks the survivor).
        started = time.monotonic()
        status, _ = await post_update(web, survivor, updates[chat])
        assert status == 200
        taken_over[chat] = time.monotonic() - started

    async def worker() -> None:
        while waiting:
            await deliver(waiting.pop())

    try:
        await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(30))), 120)
    finally:
        replicas.fake.reset_faults()
        if victim.process is None:
            victim.start()
    assert killed_at is not None, "the kill came too late to test"
    assert taken_over, "no update was in flight on the killed replica"
    assert answered_after_kill > 0, "the surviving replica kept answering"
    slow = {chat: round(s, 2) for chat, s in taken_over.items() if s > NEXT_ANSWER_WITHIN}
    assert slow == {}, f"answered only after more than {NEXT_ANSWER_WITHIN} s"
    unanswered = [chat for chat in people if not replicas.shown(chat, "sendMessage")]
    assert unanswered == []

    # After the restart: every session is whole, and the restarted replica answers.
    for chat in people:
        raw = replicas.redis.command("GET", replicas.session_key(chat))
        body = raw.split(b"\r\n", 1)[1].rsplit(b"\r\n", 1)[0]
        session = Session.from_json(body)
        assert session.language == "en", chat
        assert session.node in flows.nodes, chat
    for chat in people[:10]:
        before = len(replicas.shown(chat, "sendMessage"))
        assert (await post_update(web, victim, message(chat, "/help")))[0] == 200
        assert len(replicas.shown(chat, "sendMessage")) > before


def test_a_replica_with_another_pepper_refuses_to_start(
    replicas: Replicas, tmp_path_factory: pytest.TempPathFactory
) -> None:
    env = {"PUTOKAZ_REDIS_URL": replicas.redis.url, "PUTOKAZ_PEPPER": "another-pepper-" * 3}
    stray = ServerProcess(tmp_path_factory.mktemp("stray") / "data", env=env)
    with pytest.raises(RuntimeError, match="exited early") as refused:
        stray.start()
    assert "set the same PUTOKAZ_PEPPER on every replica" in str(refused.value)
    assert "Traceback" not in stray.stderr()
