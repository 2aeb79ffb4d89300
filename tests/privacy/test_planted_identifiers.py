"""The privacy proof: conversations over Telegram, Viber and the web chat carry planted
identifiers; afterwards no byte the service wrote holds any of them, in plain text, hex or
base64 — with SQLite (main file, WAL, SHM, the whole data folder, the logs) and with Redis
(the RDB file after SAVE, and every key and value found by SCAN).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import redis as redis_sync

from bot.channels.webchat.routes import COOKIE
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.viber_api import FakeViberAPI, load_fixture, post_callback
from tests.support.privacy import encodings
from tests.support.redis_server import RedisServer
from tests.support.server import ServerProcess

TELEGRAM_TOKEN = "123456:PRIVACY-token_for-the-fake"
TELEGRAM_SECRET = "privacy-secret_5Tq"
VIBER_TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"

TELEGRAM_ID = 7_461_935_208
"""Chat id and user id (the same in a private chat)."""
TELEGRAM_EXITING = 7_461_935_209
USERNAME = "planted_user_k9x"
FIRST_NAME = "PlantedFirst Qzrw"
LAST_NAME = "PlantedLast Wvpx"
VIBER_ID = "5xPlantedViberId7wQ=="
VIBER_NAME = "PlantedViberName Rk"
VIBER_AVATAR = "https://avatar.example/planted-avatar-m3.jpg"
PHONE = "+381 64 123 4567"
PHONE_DIGITS = "381641234567"
SENTENCE = "the blue heron sleeps at four o'clock on the Sava quietly"

PLANTED = [
    str(TELEGRAM_ID),
    str(TELEGRAM_EXITING),
    USERNAME,
    FIRST_NAME,
    LAST_NAME,
    VIBER_ID,
    VIBER_NAME,
    VIBER_AVATAR,
    "planted-avatar-m3",
    PHONE,
    PHONE_DIGITS,
    SENTENCE,
    "heron sleeps",
]


def forms(secret: str) -> set[bytes]:
    """Every way the bytes of `secret` could sit in a file: plain (UTF-8, UTF-16, JSON
    escaped), hex (lower and upper case), base64 and URL-safe base64 at each of the three
    alignments a longer encoded text could put it in; numbers also as the 8- and 6-byte
    big-endian and 8-byte little-endian integers SQLite and Redis store."""
    found = set(encodings(secret))
    raw = secret.encode()
    found |= {raw.hex().encode(), raw.hex().upper().encode()}
    for shift in range(3):
        padded = b"\0" * shift + raw
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(padded).rstrip(b"=")
            # Drop the characters that also depend on the bytes around the secret.
            start = (shift * 8 + 5) // 6
            end = (shift + len(raw)) * 8 // 6
            core = text[start:end]
            if len(core) >= 8:
                found.add(core)
    if secret.isdigit():
        number = int(secret)
        found |= {number.to_bytes(8, "big"), number.to_bytes(8, "little")}
        if number < 2**47:
            found.add(number.to_bytes(6, "big"))
    return found


def leaks(blobs: Iterable[tuple[str, bytes]], secrets: Iterable[str]) -> list[str]:
    """Every (place, secret) where a form of the secret appears; empty means clean."""
    needles = {secret: forms(secret) for secret in secrets}
    return [
        f"{place}: {secret!r}"
        for place, data in blobs
        for secret, wanted in needles.items()
        if any(form in data for form in wanted)
    ]


def files_under(*roots: Path) -> list[tuple[str, bytes]]:
    return [
        (str(path), path.read_bytes())
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]


def redis_contents(server: RedisServer) -> list[tuple[str, bytes]]:
    """Every key and value in Redis, as SCAN finds them (values serialized by DUMP, and
    read plainly by type)."""
    client = redis_sync.Redis(port=server.port)
    found: list[tuple[str, bytes]] = []
    try:
        for key in client.scan_iter(count=1000):
            name = key.decode(errors="replace")
            found.append((f"redis key {name}", key))
            found.append((f"redis DUMP {name}", client.dump(key) or b""))
            kind = client.type(key)
            if kind == b"string":
                found.append((f"redis value {name}", client.get(key) or b""))
            elif kind == b"hash":
                pairs = client.hgetall(key).items()
                found.append((f"redis hash {name}", b"\n".join(k + b"=" + v for k, v in pairs)))
            elif kind == b"zset":
                members = client.zrange(key, 0, -1)
                found.append((f"redis zset {name}", b"\n".join(members)))
    finally:
        client.close()
    return found


def test_the_scanner_finds_each_form_it_looks_for(tmp_path: Path) -> None:
    secret = SENTENCE
    for number, form in enumerate(sorted(forms(secret))):
        (tmp_path / f"{number}.bin").write_bytes(b"\x00noise " + form + b" noise\xff")
    found = leaks(files_under(tmp_path), [secret])
    assert len(found) == len(forms(secret))
    for before in (b"", b"a", b"ab"):  # each alignment inside a longer encoded text
        wrapped = base64.b64encode(before + b'{"x": "' + secret.encode() + b'", "y": 1}')
        assert leaks([("json in base64", wrapped)], [secret]) != [], before
    assert leaks([("an int64", TELEGRAM_ID.to_bytes(8, "big"))], [str(TELEGRAM_ID)]) != []


def telegram_message(chat: int, update_id: int, text: str) -> dict[str, Any]:
    person = {
        "id": chat,
        "is_bot": False,
        "first_name": FIRST_NAME,
        "last_name": LAST_NAME,
        "username": USERNAME,
        "language_code": "en",
    }
    message: dict[str, Any] = {
        "message_id": update_id % 100_000,
        "from": person,
        "chat": {k: v for k, v in person.items() if k not in ("is_bot", "language_code")}
        | {"type": "private"},
        "date": 1767261621,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]
    return {"update_id": update_id, "message": message}


def telegram_tap(chat: int, update_id: int, message_id: int, data: str) -> dict[str, Any]:
    update = telegram_message(chat, update_id, "…")
    message = update.pop("message")
    person = message["from"]
    message["from"] = {"id": 123456, "is_bot": True, "first_name": "Putokaz"}
    update["callback_query"] = {
        "id": f"{update_id}77",
        "from": person,
        "message": message | {"message_id": message_id},
        "chat_instance": "-5384165712374016129",
        "data": data,
    }
    return update


async def talk_on_telegram(
    http: aiohttp.ClientSession, server: ServerProcess, fake: FakeTelegramAPI
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}

    async def post(update: dict[str, Any]) -> None:
        async with http.post(f"{server.url}/telegram", json=update, headers=headers) as response:
            assert response.status == 200

    await post(telegram_message(TELEGRAM_ID, 810_000_001, "/start en"))
    keyboard = fake.calls_to("sendMessage")[-1].params["reply_markup"]
    data = next(
        button["callback_data"]
        for row in (keyboard if isinstance(keyboard, dict) else __import__("json").loads(keyboard))[
            "inline_keyboard"
        ]
        for button in row
        if "callback_data" in button
    )
    latest = max(mid for chat, mid in fake.messages if chat == TELEGRAM_ID)
    await post(telegram_tap(TELEGRAM_ID, 810_000_002, latest, data))
    await post(telegram_message(TELEGRAM_ID, 810_000_003, SENTENCE))
    await post(telegram_message(TELEGRAM_ID, 810_000_004, f"call me {PHONE}"))
    await post(telegram_message(TELEGRAM_ID, 810_000_005, "/help"))
    await post(telegram_message(TELEGRAM_EXITING, 810_000_006, "/start en"))
    await post(telegram_message(TELEGRAM_EXITING, 810_000_007, SENTENCE))
    await post(telegram_message(TELEGRAM_EXITING, 810_000_008, "/exit"))
    # The control: the planted ids did pass through the service (into its replies).
    calls = [("Bot API calls", repr([c.params for c in fake.calls]).encode())]
    assert len(leaks(calls, [str(TELEGRAM_ID), str(TELEGRAM_EXITING)])) == 2


async def talk_on_viber(
    http: aiohttp.ClientSession, server: ServerProcess, fake: FakeViberAPI
) -> None:
    url = f"{server.url}/viber"
    started = load_fixture("conversation_started")
    started["user"] |= {"id": VIBER_ID, "name": VIBER_NAME, "avatar": VIBER_AVATAR}
    started["user"]["language"] = "en"
    started["context"] = "en"
    answer = await post_callback(http, started, VIBER_TOKEN, path=url)
    assert answer.status == 200
    keyboard = answer.json().get("keyboard") or {}
    for number, text in enumerate(
        [SENTENCE, f"my number is {PHONE}", keyboard["Buttons"][0]["ActionBody"], "/menu"]
    ):
        message = load_fixture("message_text")
        message["sender"] |= {"id": VIBER_ID, "name": VIBER_NAME, "avatar": VIBER_AVATAR}
        message["message"]["text"] = text
        message["message_token"] = 5_741_311_803_571_800_000 + number
        assert (await post_callback(http, message, VIBER_TOKEN, path=url)).status == 200
    sends = [("Viber sends", repr([c.body for c in fake.sends()]).encode())]
    assert leaks(sends, [VIBER_ID]) != [], "the planted Viber id passed through the service"


async def talk_on_the_web_chat(server: ServerProcess) -> str:
    """A web chat conversation; the cookie that identifies the browser."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        for body in (
            {"action": "start", "payload": "en"},
            {"action": "text", "text": SENTENCE},
            {"action": "text", "text": PHONE},
            {"action": "choose", "option": "rights", "node": "welcome.menu"},
        ):
            async with http.post(f"{server.url}/api/chat", json=body) as response:
                assert response.status == 200
        return next(c.value for c in jar if c.key == COOKIE)


@pytest.mark.parametrize("store", ["sqlite", "redis"])
async def test_no_planted_identifier_is_in_any_byte_the_service_wrote(
    tmp_path: Path, store: str
) -> None:
    redis = RedisServer(tmp_path / "redis", save=True).start() if store == "redis" else None
    async with (
        FakeTelegramAPI(token=TELEGRAM_TOKEN) as telegram,
        FakeViberAPI(auth_token=VIBER_TOKEN) as viber,
    ):
        env = {
            "PUTOKAZ_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "PUTOKAZ_TELEGRAM_SECRET": TELEGRAM_SECRET,
            "PUTOKAZ_TELEGRAM_API_URL": telegram.base_url,
            "PUTOKAZ_PUBLIC_URL": "https://putokaz.test",
            "PUTOKAZ_VIBER_TOKEN": VIBER_TOKEN,
            "PUTOKAZ_VIBER_API_URL": viber.base_url,
        }
        if redis is not None:
            env["PUTOKAZ_REDIS_URL"] = redis.url
        server = ServerProcess(tmp_path / "data", env=env)
        await asyncio.to_thread(server.start)
        try:
            async with aiohttp.ClientSession() as http:
                await talk_on_telegram(http, server, telegram)
                await talk_on_viber(http, server, viber)
            cookie = await talk_on_the_web_chat(server)
            secrets = [*PLANTED, cookie]
            # While serving: the SQLite WAL and SHM exist now, and Redis holds sessions.
            running = files_under(tmp_path)
            if store == "sqlite":
                names = {Path(place).name for place, _ in running}
                assert {"putokaz.db", "putokaz.db-wal", "putokaz.db-shm"} <= names
            assert leaks(running, secrets) == []
        finally:
            await asyncio.to_thread(server.stop)
    written = files_under(tmp_path)
    log = (server.data_dir / "server.log").read_text()
    assert "event=reply channel=telegram" in log
    assert "event=reply channel=viber" in log
    assert "event=reply channel=webchat" in log
    if redis is not None:
        contents = redis_contents(redis)
        assert any("putokaz:s:" in place for place, _ in contents), "sessions live in Redis"
        assert redis.command("SAVE").startswith(b"+OK")
        redis.stop()
        assert redis.dump.stat().st_size > 0
        written += contents + files_under(redis.directory)
    assert leaks(written, secrets) == []
