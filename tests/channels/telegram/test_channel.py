"""The Telegram channel end to end: the web app against FakeTelegramAPI over real HTTP.

One in-process server per mode serves the module (webhook: updates POSTed to /telegram; polling:
updates queued in the fake); every conversation is its own private chat.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import random
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.engine import Flows, render
from bot.engine.choice_token import decode_choice, encode_choice
from bot.engine.model import NodeId
from bot.service.handoff import CODE_ALPHABET
from bot.service.runtime import Services
from tests.conversations.script import Observed, load_scripts, run_script
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.support.app_server import AppServer
from tests.support.privacy import find_leaks
from tests.support.server import ServerProcess
from tests.support.sessions import session_rows

TOKEN = "123456:TEST-token_for-the-fake"
SECRET = "test-secret_7Qz"
PUBLIC_URL = "https://putokaz.test"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "telegram"
PLANTED_CHAT = 777000111
REPLIES = ("sendMessage", "editMessageText")

_chats = itertools.count(5_000_000_001)
_updates = itertools.count(100_000_001)
_person_messages = itertools.count(1_000_001)
"""The person's message ids: far above the bot's, so a test can tell them apart."""


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


def in_chat(update: dict[str, Any], chat_id: int) -> dict[str, Any]:
    """`update` moved to the private chat `chat_id` (the person's user id is the chat id)."""
    update = copy.deepcopy(update)
    update["update_id"] = next(_updates)
    body = next(v for k, v in update.items() if k != "update_id")
    for holder in (body, body.get("message") or {}):
        if isinstance(holder.get("chat"), dict):
            holder["chat"]["id"] = chat_id
    if isinstance(body.get("from"), dict):
        body["from"]["id"] = chat_id
    return update


def message(chat_id: int, text: str | None = None, fixture_name: str = "message_text") -> Any:
    update = in_chat(fixture(fixture_name), chat_id)
    update["message"]["message_id"] = next(_person_messages)
    if text is not None:
        update["message"]["text"] = text
        update["message"].pop("entities", None)
    return update


def tap(chat_id: int, message_id: int, data: str) -> dict[str, Any]:
    update = in_chat(fixture("callback_query"), chat_id)
    query = update["callback_query"]
    query["id"] = str(next(_updates) * 1000 + 7)
    query["data"] = data
    query["message"]["message_id"] = message_id
    return update


def markup(call: Call) -> dict[str, Any] | None:
    value = call.params.get("reply_markup")
    return json.loads(value) if isinstance(value, str) else value


def is_reply(call: Call) -> bool:
    """A reply the person sees: a sent message, or an edit (one to the same content is
    refused with 400 "message is not modified", and still shows that content)."""
    return call.method in REPLIES and (
        call.status == 200 or (call.method == "editMessageText" and call.status == 400)
    )


def to_chat(call: Call, chat_id: int) -> bool:
    return call.params.get("chat_id") in (chat_id, str(chat_id))


def param(call: Call, name: str) -> Any:
    """A call parameter as Telegram reads it: PTB sends numbers and lists as JSON text."""
    value = call.params.get(name)
    return json.loads(value) if isinstance(value, str) and name != "text" else value


class Mode:
    """How updates reach the server: POSTed to the webhook, or queued for getUpdates."""

    def __init__(self, server: ServerProcess, fake: FakeTelegramAPI, webhook: bool) -> None:
        self.server = server
        self.fake = fake
        self.webhook = webhook
        self.http: aiohttp.ClientSession | None = None

    async def deliver(self, update: dict[str, Any]) -> dict[str, Any] | None:
        """Hand the update over and wait until it is answered; the webhook's answer body."""
        if not self.webhook:
            self.fake.queue_update(update)
            await until(lambda: self.fake.pending_update_count == 0)
            return None
        assert self.http is not None
        status, body = await post_update(self.http, self.server, update)
        assert status == 200, body
        return json.loads(body) if body else None


async def until(condition: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the server did not answer in time")
        await asyncio.sleep(0.001)


async def post_update(
    http: aiohttp.ClientSession,
    server: ServerProcess,
    update: Any,
    secret: str | None = SECRET,
    raw: bytes | None = None,
) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    body = raw if raw is not None else json.dumps(update).encode()
    async with http.post(f"{server.url}/telegram", data=body, headers=headers) as response:
        return response.status, await response.text()


class TelegramDriver:
    """One person in one private chat, as Telegram would show it to them.

    Start, typed text, /help (menu), /exit and /forget are messages; a choice taps the
    button with that option id on the latest keyboard (a stale or forged one is sent
    as a client could); back taps the footer's back button. Replies are read from the
    fake's call log. A `tel:` button cannot be shown on Telegram (its number is in
    the text instead), so its option id is counted where the flow puts it.
    """

    def __init__(self, mode: Mode, flows: Flows, chat_id: int | None = None) -> None:
        self.mode = mode
        self.flows = flows
        self.chat = chat_id or next(_chats)
        self.keyboard: list[list[dict[str, Any]]] = []
        self.language = "en"
        self.person_ids: list[int] = []
        self.answers: list[dict[str, Any] | None] = []
        self.notices = sorted(
            {
                flows.text(language.code, key).value
                for language in flows.languages
                for key in flows.navigation.notices.values()
            },
            key=len,
            reverse=True,
        )

    @property
    def fake(self) -> FakeTelegramAPI:
        return self.mode.fake

    async def act(self, action: dict[str, Any]) -> Observed:
        mark = len(self.fake.calls)
        answer = await self.mode.deliver(self.update(action))
        self.answers.append(answer)
        calls = [c for c in self.fake.calls[mark:] if to_chat(c, self.chat)]
        replies = [c for c in calls if is_reply(c)]
        assert replies, f"no reply to {action}: {[(c.method, c.status) for c in calls]}"
        if replies[0].status == 400:  # an edit Telegram refused: a new message follows
            replies = replies[1:] or replies
        self.keyboard = (markup(replies[-1]) or {}).get("inline_keyboard", [])
        texts, notices = self.split_notices([str(c.params["text"]) for c in replies])
        effects = self.effects(calls, texts)
        return Observed(texts, self.buttons(), effects, notices)

    def update(self, action: dict[str, Any]) -> dict[str, Any]:
        if "start" in action:
            payload = action["start"]
            return self.typed("/start" if payload is None else f"/start {payload}")
        if "text" in action:
            return self.typed(str(action["text"]))
        if "menu" in action:
            return self.typed("/help")
        if "exit" in action:
            return self.typed("/exit")
        if "forget" in action:
            return self.typed("/forget")
        if "back" in action:
            return tap(self.chat, self.latest_message(), self.callback_data("back"))
        if "choose" in action:
            option = str(action["choose"])
            return tap(self.chat, self.latest_message(), self.callback_data(option))
        raise ValueError(f"unknown script action {action}")

    def typed(self, text: str) -> dict[str, Any]:
        update = message(self.chat, text)
        self.person_ids.append(update["message"]["message_id"])
        return update

    def latest_message(self) -> int:
        mine = [mid for chat, mid in list(self.fake.messages) if chat == self.chat]
        return max(mine, default=1)

    def callback_data(self, option_id: str) -> str:
        for row in self.keyboard:
            for button in row:
                token = decode_choice(button.get("callback_data"))
                if token is not None and token.option_id == option_id:
                    return str(button["callback_data"])
        # Not on the keyboard: what a stale or forged button would send.
        return encode_choice(self.node or "welcome.start", option_id)[:64]

    @property
    def node(self) -> str | None:
        for row in self.keyboard:
            for button in row:
                token = decode_choice(button.get("callback_data"))
                if token is not None:
                    return token.node
        return None

    def buttons(self) -> tuple[str, ...]:
        ids: list[str] = []
        for row in self.keyboard:
            for button in row:
                token = decode_choice(button.get("callback_data"))
                assert token is not None, f"button {button} carries no choice token"
                ids.append(token.option_id)
        node = self.node
        if node is not None:
            wanted = render(self.flows, NodeId(node), self.language).buttons
            for index, button in enumerate(wanted):
                if button.url is not None and button.url.startswith("tel:"):
                    ids.insert(index, button.option_id)
        return tuple(ids)

    def split_notices(self, texts: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Notices come in front of the first message; take them off it."""
        first, notices = texts[0], []
        for notice in self.notices:
            if first.startswith(notice + "\n\n"):
                notices.append(notice)
                first = first.removeprefix(notice + "\n\n")
        return (first, *texts[1:]), tuple(notices)

    def has_session(self) -> bool:
        """Whether the server keeps a session for this chat (in its SQLite file)."""
        return session_rows(self.mode.server.data_dir, "telegram", self.chat) > 0

    def effects(self, calls: list[Call], texts: tuple[str, ...]) -> tuple[str, ...]:
        effects = []
        if any(c.method == "deleteMessages" for c in calls):
            effects.append("quick_exit")
        if not self.has_session():
            effects.append("forget")
        node = self.node
        if node is not None and self.flows.node(NodeId(node)).handoff:
            shown = "\n".join(texts)
            template = "\n".join(
                m.text for m in render(self.flows, NodeId(node), self.language).messages
            )
            pattern = re.escape(template).replace(re.escape("----"), "(.{4})", 1)
            pattern = pattern.replace(re.escape("----"), ".{4}")
            found = re.fullmatch(pattern, shown, flags=re.S)
            if found and set(found.group(1)) <= set(CODE_ALPHABET):
                effects.append("handoff")
        return tuple(effects)


@pytest.fixture(scope="module")
def webhook_fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI(token=TOKEN).run_in_thread() as api:
        yield api


@pytest.fixture(scope="module")
def polling_fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI(token=TOKEN).run_in_thread() as api:
        yield api


def server_env(fake: FakeTelegramAPI, webhook: bool) -> dict[str, str]:
    env = {
        "PUTOKAZ_TELEGRAM_TOKEN": TOKEN,
        "PUTOKAZ_TELEGRAM_SECRET": SECRET,
        "PUTOKAZ_TELEGRAM_API_URL": fake.base_url,
    }
    if webhook:
        env["PUTOKAZ_PUBLIC_URL"] = PUBLIC_URL
    return env


@pytest.fixture(scope="module")
def webhook_server(
    tmp_path_factory: pytest.TempPathFactory, webhook_fake: FakeTelegramAPI, flows: Flows
) -> Iterator[AppServer]:
    """The app in this process: these tests are about HTTP and the Bot API, not the process."""
    env = server_env(webhook_fake, webhook=True)
    folder = tmp_path_factory.mktemp("telegram-webhook") / "data"
    with AppServer(folder, env=env, services=Services(flows=flows)) as server:
        yield server


@pytest.fixture(scope="module")
def polling_server(
    tmp_path_factory: pytest.TempPathFactory, polling_fake: FakeTelegramAPI, flows: Flows
) -> Iterator[AppServer]:
    env = server_env(polling_fake, webhook=False)
    folder = tmp_path_factory.mktemp("telegram-polling") / "data"
    with AppServer(folder, env=env, services=Services(flows=flows)) as server:
        yield server


@pytest.fixture
def webhook(
    webhook_server: ServerProcess, webhook_fake: FakeTelegramAPI, http: aiohttp.ClientSession
) -> Iterator[Mode]:
    mode = Mode(webhook_server, webhook_fake, webhook=True)
    mode.http = http
    yield mode
    webhook_fake.reset_faults()


@pytest.fixture
def polling(polling_server: ServerProcess, polling_fake: FakeTelegramAPI) -> Iterator[Mode]:
    yield Mode(polling_server, polling_fake, webhook=False)
    polling_fake.reset_faults()


async def run_every_script(mode: Mode, flows: Flows, languages: list[str]) -> None:
    scripts = load_scripts()
    for language in languages:
        for script in scripts:
            driver = TelegramDriver(mode, flows)
            driver.language = language
            await run_script(script, flows, language, driver)


async def test_every_script_in_every_language_by_webhook(
    webhook: Mode, flows: Flows, languages: list[str]
) -> None:
    await run_every_script(webhook, flows, languages)
    assert "Traceback" not in webhook.server.log_file.read_text()


async def test_every_script_in_every_language_by_long_polling(
    polling: Mode, flows: Flows, languages: list[str]
) -> None:
    await run_every_script(polling, flows, languages)
    assert "Traceback" not in polling.server.log_file.read_text()


def sent_to(fake: FakeTelegramAPI, chat_id: int, method: str = "sendMessage") -> list[Call]:
    return [c for c in list(fake.calls) if c.method == method and to_chat(c, chat_id)]


def delivered(fake: FakeTelegramAPI, chat_id: int) -> list[Call]:
    return [c for c in sent_to(fake, chat_id) if c.status == 200]


def log_of(server: ServerProcess) -> str:
    return server.log_file.read_text() + server.stderr()


async def test_a_tap_is_answered_in_the_webhook_reply_and_edits_the_latest_message(
    webhook: Mode, flows: Flows
) -> None:
    driver = TelegramDriver(webhook, flows)
    await driver.act({"start": "en"})
    first = driver.latest_message()
    mark = len(webhook.fake.calls)
    update = tap(driver.chat, first, encode_choice("welcome.menu", "rights"))
    answer = await webhook.deliver(update)

    assert answer == {
        "method": "answerCallbackQuery",
        "callback_query_id": update["callback_query"]["id"],
    }
    calls = [c for c in webhook.fake.calls[mark:] if to_chat(c, driver.chat)]
    assert [(c.method, param(c, "message_id")) for c in calls] == [("editMessageText", first)]
    assert "parse_mode" not in calls[0].params
    assert webhook.fake.calls_to("answerCallbackQuery") == []

    # A button on an older message answers with a new message below.
    await driver.act({"text": "hello"})
    mark = len(webhook.fake.calls)
    await webhook.deliver(tap(driver.chat, first, encode_choice("rights.start", "legal")))
    calls = [c for c in webhook.fake.calls[mark:] if to_chat(c, driver.chat)]
    assert [c.method for c in calls] == ["sendMessage"]


async def test_long_polling_answers_taps_by_call_and_asks_only_for_three_update_types(
    polling: Mode, flows: Flows
) -> None:
    driver = TelegramDriver(polling, flows)
    await driver.act({"start": "en"})
    update = tap(driver.chat, driver.latest_message(), encode_choice("welcome.menu", "talk"))
    await polling.deliver(update)

    answers = polling.fake.calls_to("answerCallbackQuery")
    assert [c.params["callback_query_id"] for c in answers][-1:] == [update["callback_query"]["id"]]
    polls = polling.fake.calls_to("getUpdates")
    assert polls
    assert {param(c, "timeout") for c in polls} == {25}
    assert all(
        sorted(param(c, "allowed_updates")) == ["callback_query", "message", "my_chat_member"]
        for c in polls
    )


async def test_long_polling_survives_bot_api_errors(polling: Mode, flows: Flows) -> None:
    polling.fake.fail("getUpdates", 502, times=1)
    driver = TelegramDriver(polling, flows)
    seen = await driver.act({"start": "en"})
    assert seen.buttons
    assert "event=telegram_poll_failed error=NetworkError" in log_of(polling.server)
    assert "Traceback" not in log_of(polling.server)


async def test_long_polling_asks_again_for_an_update_whose_reply_did_not_get_out(
    polling: Mode,
) -> None:
    polling.fake.fail("sendMessage", 502, times=3)
    chat = next(_chats)
    await polling.deliver(message(chat, "/start en"))

    assert len(delivered(polling.fake, chat)) == 1
    assert "event=reply_deferred channel=telegram attempt=1" in log_of(polling.server)


def garble(rng: random.Random, value: Any, depth: int = 0) -> Any:
    """`value` with one random change somewhere inside: a key gone, a value of another type."""
    odd = [None, True, 0, -1, 2**70, 1.5, "", "x" * 300, "/start fa-rights", [], {}, ["1"], "١٢"]
    if not isinstance(value, dict | list) or not value or depth > 4 or rng.random() < 0.25:
        return rng.choice(odd)
    if isinstance(value, list):
        index = rng.randrange(len(value))
        return [garble(rng, v, depth + 1) if i == index else v for i, v in enumerate(value)]
    key = rng.choice(sorted(value))
    changed = dict(value)
    if rng.random() < 0.3:
        del changed[key]
    else:
        changed[key] = garble(rng, value[key], depth + 1)
    return changed


async def test_a_thousand_garbled_updates_never_get_a_5xx_or_a_traceback(
    webhook: Mode, http: aiohttp.ClientSession
) -> None:
    rng = random.Random(20260101)
    names = sorted(p.stem for p in FIXTURES.glob("*.json"))
    updates = []
    for number in range(1000):
        update = fixture(rng.choice(names))
        for _ in range(rng.randint(1, 3)):
            update = garble(rng, update)
        if isinstance(update, dict) and number % 2:
            update["update_id"] = next(_updates)  # half of them get past deduplication
        updates.append(update)

    statuses: list[int] = []
    for start in range(0, len(updates), 25):
        batch = updates[start : start + 25]
        results = await asyncio.gather(*(post_update(http, webhook.server, u) for u in batch))
        statuses.extend(status for status, _ in results)

    assert len(statuses) == 1000
    assert all(status < 500 for status in statuses)
    assert set(statuses) <= {200}
    async with http.get(f"{webhook.server.url}/healthz") as response:
        assert response.status == 200
    log = log_of(webhook.server)
    assert "Traceback" not in log
    assert "event=telegram_update_failed" not in log, "an update reached the catch-all"
    assert log.count("event=ignored channel=telegram") > 100


async def test_a_hundred_updates_delivered_twice_are_answered_once(
    webhook: Mode, http: aiohttp.ClientSession
) -> None:
    chats = [next(_chats) for _ in range(100)]
    updates = [message(chat, "/start en") for chat in chats]
    for _ in range(2):
        results = await asyncio.gather(*(post_update(http, webhook.server, u) for u in updates))
        assert [status for status, _ in results] == [200] * 100
    # And twice at the same moment.
    again = message(chats[0], "/help")
    await asyncio.gather(*(post_update(http, webhook.server, again) for _ in range(5)))

    answers = [
        c for c in webhook.fake.calls if c.method in REPLIES and param(c, "chat_id") in chats
    ]
    assert len(answers) == 101
    assert log_of(webhook.server).count("event=duplicate channel=telegram") >= 104


async def test_rate_limits_delay_replies_but_each_arrives_exactly_once(
    webhook: Mode, http: aiohttp.ClientSession
) -> None:
    webhook.fake.fail(None, 429, ratio=0.1, retry_after=2, seed=3)
    chats = [next(_chats) for _ in range(40)]
    started = time.monotonic()
    results = await asyncio.gather(
        *(post_update(http, webhook.server, message(chat, "/start en")) for chat in chats)
    )
    assert [status for status, _ in results] == [200] * 40
    limited = [c for c in webhook.fake.calls_to("sendMessage") if c.status == 429]
    assert limited, "the fake should have refused some calls"
    assert time.monotonic() - started >= 2
    for chat in chats:
        assert len(delivered(webhook.fake, chat)) == 1
    assert "event=telegram_retry method=sendMessage reason=rate_limited wait=2.0" in log_of(
        webhook.server
    )


async def test_server_errors_are_retried_then_the_update_is_left_for_telegram_to_redeliver(
    webhook: Mode, flows: Flows, http: aiohttp.ClientSession
) -> None:
    webhook.fake.fail("sendMessage", 500, times=2)
    driver = TelegramDriver(webhook, flows)
    seen = await driver.act({"start": "en"})
    assert seen.buttons
    assert len(delivered(webhook.fake, driver.chat)) == 1

    webhook.fake.fail("sendMessage", 502, times=3)
    update = message(driver.chat, "/help")
    status, _ = await post_update(http, webhook.server, update)
    assert status == 503, "Telegram redelivers an update only when it gets no 2xx"
    assert len(delivered(webhook.fake, driver.chat)) == 1

    # Telegram delivers it again: now the reply goes out, and only once.
    assert await webhook.deliver(update) is None
    assert len(delivered(webhook.fake, driver.chat)) == 2
    assert await webhook.deliver(update) is None
    assert len(delivered(webhook.fake, driver.chat)) == 2
    log = log_of(webhook.server)
    assert "event=reply_deferred channel=telegram attempt=1" in log
    assert "event=telegram_retry method=sendMessage error=NetworkError wait=0.5 attempt=1" in log
    assert "event=telegram_gave_up method=sendMessage error=NetworkError attempt=3" in log
    assert "Traceback" not in log


async def test_an_update_whose_reply_never_gets_out_is_given_up_after_five_deliveries(
    webhook: Mode, http: aiohttp.ClientSession
) -> None:
    webhook.fake.fail("sendMessage", 500)
    chat = next(_chats)
    update = message(chat, "/start en")
    statuses = [(await post_update(http, webhook.server, update))[0] for _ in range(5)]
    assert statuses == [503, 503, 503, 503, 200]

    webhook.fake.reset_faults()
    assert (await post_update(http, webhook.server, update))[0] == 200
    assert delivered(webhook.fake, chat) == [], "a given-up update is not answered later"
    assert "event=reply_given_up channel=telegram attempt=5" in log_of(webhook.server)


async def test_quick_exit_deletes_exactly_this_chats_messages(webhook: Mode, flows: Flows) -> None:
    one = TelegramDriver(webhook, flows)
    other = TelegramDriver(webhook, flows)
    await one.act({"start": "en"})
    await other.act({"start": "en"})
    await one.act({"choose": "rights"})
    await one.act({"text": "my secret words zebra-42"})
    await one.act({"choose": "legal"})
    await other.act({"choose": "rights"})
    await one.act({"menu": True})
    await one.act({"choose": "reflection"})
    bot_ids = set(range(1, len(delivered(webhook.fake, one.chat)) + 1))
    others_before = {k: v for k, v in webhook.fake.messages.items() if k[0] == other.chat}

    seen = await one.act({"choose": "exit"})

    deleted = [
        i
        for c in sent_to(webhook.fake, one.chat, "deleteMessages")
        for i in param(c, "message_ids")
    ]
    assert sorted(deleted) == sorted(bot_ids | set(one.person_ids))
    assert sent_to(webhook.fake, other.chat, "deleteMessages") == []
    assert {k: v for k, v in webhook.fake.messages.items() if k[0] == other.chat} == others_before
    remaining = [k for k in webhook.fake.messages if k[0] == one.chat]
    assert len(remaining) == 1
    assert remaining[0][1] not in bot_ids
    assert seen.texts == tuple(
        m.text for m in render(flows, NodeId("safety.exited"), "en").messages
    )
    assert session_rows(webhook.server.data_dir, "telegram", one.chat) == 0

    # Typed /exit deletes the command message too.
    third = TelegramDriver(webhook, flows)
    await third.act({"start": "en"})
    await third.act({"exit": True})
    deleted = [
        i
        for c in sent_to(webhook.fake, third.chat, "deleteMessages")
        for i in param(c, "message_ids")
    ]
    assert sorted(deleted) == sorted({1, *third.person_ids})


async def test_groups_and_channels_are_left_and_nothing_is_stored(webhook: Mode) -> None:
    data_dir = webhook.server.data_dir
    with sqlite3.connect(data_dir / "putokaz.db") as db:
        before = db.execute(
            "select (select count(*) from sessions), (select count(*) from deliveries)"
        ).fetchone()
    group = fixture("group_message")
    group["update_id"] = next(_updates)
    added = fixture("my_chat_member_added_to_group")
    added["update_id"] = next(_updates)
    group_tap = tap(PLANTED_CHAT, 1, encode_choice("welcome.menu", "rights"))
    group_tap["callback_query"]["message"]["chat"] = dict(group["message"]["chat"])
    mark = len(webhook.fake.calls)

    answers = [await webhook.deliver(u) for u in (group, added, group_tap)]

    calls = webhook.fake.calls[mark:]
    assert [(c.method, param(c, "chat_id")) for c in calls] == [
        ("leaveChat", group["message"]["chat"]["id"]),
        ("leaveChat", added["my_chat_member"]["chat"]["id"]),
        ("leaveChat", group["message"]["chat"]["id"]),
    ]
    assert answers[:2] == [None, None]
    assert answers[2] is not None
    assert answers[2]["method"] == "answerCallbackQuery"
    with sqlite3.connect(data_dir / "putokaz.db") as db:
        after = db.execute(
            "select (select count(*) from sessions), (select count(*) from deliveries)"
        ).fetchone()
    assert after == before


async def test_blocking_the_bot_drops_the_session(webhook: Mode, flows: Flows) -> None:
    driver = TelegramDriver(webhook, flows)
    await driver.act({"start": "en"})
    assert session_rows(webhook.server.data_dir, "telegram", driver.chat) == 1
    await webhook.deliver(in_chat(fixture("my_chat_member_kicked"), driver.chat))
    assert session_rows(webhook.server.data_dir, "telegram", driver.chat) == 0

    # Or Telegram refuses a reply with 403: the session goes as well.
    other = TelegramDriver(webhook, flows)
    await other.act({"start": "en"})
    webhook.fake.fail("sendMessage", 403, times=1)
    await webhook.deliver(message(other.chat, "/help"))
    assert session_rows(webhook.server.data_dir, "telegram", other.chat) == 0
    assert "event=session_dropped channel=telegram reason=blocked" in log_of(webhook.server)


@pytest.mark.parametrize(
    "name", ["message_photo", "message_sticker", "message_voice", "message_document"]
)
async def test_photos_stickers_voice_and_files_get_the_screen_again_with_a_notice(
    webhook: Mode, flows: Flows, name: str
) -> None:
    driver = TelegramDriver(webhook, flows)
    await driver.act({"start": "en"})
    await driver.act({"choose": "procedure"})
    update = in_chat(fixture(name), driver.chat)
    mark = len(webhook.fake.calls)
    await webhook.deliver(update)
    calls = [c for c in webhook.fake.calls[mark:] if to_chat(c, driver.chat)]
    notice = flows.text("en", flows.navigation.notices["free_text"]).value
    screen = render(flows, NodeId("procedure.start"), "en").messages[0].text
    assert [c.method for c in calls] == ["sendMessage"]
    assert calls[0].params["text"] == f"{notice}\n\n{screen}"


async def test_edited_messages_are_ignored(webhook: Mode) -> None:
    mark = len(webhook.fake.calls)
    assert await webhook.deliver(in_chat(fixture("edited_message"), next(_chats))) is None
    assert webhook.fake.calls[mark:] == []


async def test_a_delivery_is_remembered_across_a_restart(
    tmp_path: Path, webhook_fake: FakeTelegramAPI, http: aiohttp.ClientSession
) -> None:
    update = message(next(_chats), "/start en")
    env = server_env(webhook_fake, webhook=True)
    for _ in range(2):
        with ServerProcess(tmp_path / "data", env=env) as server:
            status, _ = await post_update(http, server, update)
            assert status == 200
    assert len(delivered(webhook_fake, update["message"]["chat"]["id"])) == 1


def test_without_a_secret_the_webhook_route_is_not_registered(
    caplog: pytest.LogCaptureFixture, tmp_path: Path, flows: Flows
) -> None:
    from bot.config import load_config
    from bot.service.runtime import Services
    from bot.store.memory import MemoryStore
    from bot.web.app import create_app

    caplog.set_level(logging.INFO, logger="putokaz")
    env = {
        "PUTOKAZ_TELEGRAM_TOKEN": TOKEN,
        "PUTOKAZ_PUBLIC_URL": PUBLIC_URL,
        "PUTOKAZ_DATA": str(tmp_path),
    }
    app = create_app(load_config(env=env), Services(flows=flows, store=MemoryStore()))

    paths = {resource.canonical for resource in app.router.resources()}
    assert "/telegram" not in paths
    assert (
        "event=telegram_webhook_refused channel=telegram reason=PUTOKAZ_TELEGRAM_SECRET_is_not_set"
        in caplog.text
    )


PLANTED = (
    str(PLANTED_CHAT),
    "planted_username_q7",
    "PlantedFirstName",
    "PlantedLastName",
    "PlantedGroupTitle",
    "-4012345678",
    "my secret words zebra-42",
    "zebra-42",
)
FIXTURE_CONVERSATION = (
    "message_start",
    "message_start_payload",
    "message_text",
    "callback_query",
    "message_photo",
    "message_sticker",
    "message_voice",
    "message_document",
    "edited_message",
    "message_command_help",
    "message_command_language",
    "group_message",
    "my_chat_member_added_to_group",
    "message_command_forget",
    "message_command_exit",
    "my_chat_member_kicked",
)


async def test_no_chat_id_name_username_or_typed_text_is_kept_or_logged(
    tmp_path: Path, webhook_fake: FakeTelegramAPI, http: aiohttp.ClientSession, flows: Flows
) -> None:
    env = server_env(webhook_fake, webhook=True)
    with ServerProcess(tmp_path / "data", env=env) as server:
        mode = Mode(server, webhook_fake, webhook=True)
        mode.http = http
        for name in FIXTURE_CONVERSATION:
            update = fixture(name)
            for kind in ("message", "edited_message"):
                if kind in update:  # the person's ids apart from the fake's for the bot
                    update[kind]["message_id"] = next(_person_messages)
            status, _ = await post_update(http, server, update)
            assert status == 200
        driver = TelegramDriver(mode, flows, chat_id=PLANTED_CHAT)
        for script in load_scripts():
            if script.path.stem in {"free_text", "hotline_handoff", "selfcheck_some", "forget"}:
                await run_script(script, flows, "en", driver)
        await driver.act({"start": "fa-rights"})
        await driver.act({"text": "my secret words zebra-42"})
        assert session_rows(server.data_dir, "telegram", PLANTED_CHAT) == 1
        running = sorted(p for p in server.data_dir.rglob("*") if p.is_file())
        assert any(p.name.endswith("-wal") for p in running)
        assert find_leaks(running, PLANTED) == []
    files = sorted(p for p in (tmp_path / "data").rglob("*") if p.is_file())
    assert any(p.name == "server.log" and p.stat().st_size > 0 for p in files)
    assert find_leaks(files, PLANTED) == []
