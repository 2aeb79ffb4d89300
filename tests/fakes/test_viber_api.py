"""Tests of the fake Viber REST bot API and of the Viber callback fixtures.
The fake is only useful if it answers like Viber, so its rules are pinned here."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from .viber_api import (
    FIRST_MESSAGE_TOKEN,
    FIXTURES,
    SIGNATURE_HEADER,
    FakeViberAPI,
    load_fixture,
    post_callback,
    post_callback_sync,
    sign,
)

TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"
RECEIVER = "01234567890A=planted"
SENDER = {"name": "Putokaz", "avatar": "https://avatar.example/putokaz.jpg"}
KEYBOARD = {
    "Type": "keyboard",
    "DefaultHeight": False,
    "Buttons": [
        {"Columns": 6, "Rows": 1, "ActionType": "reply", "ActionBody": "1|rights.start|safety"}
    ],
}
USER_KEYS = {"id", "name", "avatar", "country", "language", "api_version"}
DOCUMENTED_KEYS = {
    "webhook": {"event", "timestamp", "message_token"},
    "conversation_started": {
        "event",
        "timestamp",
        "type",
        "context",
        "user",
        "message_token",
        "subscribed",
    },
    "subscribed": {"event", "timestamp", "user", "message_token"},
    "unsubscribed": {"event", "timestamp", "user_id", "message_token"},
    "message_text": {"event", "timestamp", "sender", "message", "message_token"},
    "message_keyboard_reply": {"event", "timestamp", "sender", "message", "message_token"},
    "seen": {"event", "timestamp", "message_token", "user_id"},
    "delivered": {"event", "timestamp", "message_token", "user_id"},
    "failed": {"event", "timestamp", "message_token", "user_id", "desc"},
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeViberAPI]:
    async with FakeViberAPI(auth_token=TOKEN) as api:
        yield api


async def call(
    http: aiohttp.ClientSession,
    fake: FakeViberAPI,
    method: str,
    body: dict[str, Any] | bytes,
    token: str | None = TOKEN,
) -> tuple[int, dict[str, Any]]:
    headers = {} if token is None else {"X-Viber-Auth-Token": token}
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with http.post(f"{fake.base_url}/{method}", data=data, headers=headers) as response:
        return response.status, await response.json(content_type=None)


def text_message(**fields: Any) -> dict[str, Any]:
    return {"receiver": RECEIVER, "sender": SENDER, "type": "text", "text": "hello"} | fields


async def test_wrong_or_missing_auth_token_is_status_2(fake, http):
    assert await call(http, fake, "send_message", text_message(), token="wrong") == (
        200,
        {"status": 2, "status_message": "invalidAuthToken"},
    )
    _, reply = await call(http, fake, "get_account_info", {}, token=None)
    assert reply["status"] == 2
    assert fake.sends() == []
    assert len(fake.calls) == 2


async def test_send_message_with_keyboard_is_recorded(fake, http):
    status, reply = await call(http, fake, "send_message", text_message(keyboard=KEYBOARD))

    assert status == 200
    assert reply == {
        "status": 0,
        "status_message": "ok",
        "message_token": FIRST_MESSAGE_TOKEN,
        "chat_hostname": "SN-CHAT-01_",
    }
    assert fake.sent_texts() == ["hello"]
    assert fake.sent_texts(receiver="someone else") == []
    assert fake.keyboards(receiver=RECEIVER) == [KEYBOARD]
    assert fake.sends()[0].headers["X-Viber-Auth-Token"] == TOKEN


async def test_message_tokens_increase(fake, http):
    first = (await call(http, fake, "send_message", text_message()))[1]["message_token"]
    second = (await call(http, fake, "send_message", text_message()))[1]["message_token"]
    assert second == first + 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"sender": SENDER, "type": "text", "text": "hello"}, 4),
        (text_message(sender=None), 4),
        (text_message(text=None), 4),
        (text_message(type="carrier-pigeon"), 3),
        (text_message(text="x" * 7001), 3),
        (text_message(sender={"name": "n" * 29}), 3),
        (text_message(tracking_data="t" * 4001), 3),
        (text_message(min_api_version="7"), 3),
        (text_message(keyboard={"Buttons": KEYBOARD["Buttons"]}), 3),
        (text_message(keyboard=KEYBOARD | {"Buttons": [{"Columns": 7, "ActionBody": "a"}]}), 3),
        (text_message(keyboard=KEYBOARD | {"Buttons": [{"Text": "no action body"}]}), 4),
    ],
    ids=[
        "no receiver",
        "no sender",
        "no text",
        "unknown type",
        "text over 7000",
        "sender name over 28",
        "tracking data over 4000",
        "min_api_version not int",
        "keyboard without Type",
        "button 7 columns wide",
        "button without ActionBody",
    ],
)
async def test_invalid_send_message_gets_viber_status(fake, http, body, status):
    _, reply = await call(http, fake, "send_message", body)
    assert reply["status"] == status
    assert fake.sends() == []


async def test_text_of_exactly_7000_chars_is_accepted(fake, http):
    _, reply = await call(http, fake, "send_message", text_message(text="x" * 7000))
    assert reply["status"] == 0


async def test_body_over_30_kb_is_bad_data(fake, http):
    body = json.dumps(text_message(tracking_data="t" * 31_000)).encode()
    assert (await call(http, fake, "send_message", body))[1]["status"] == 3
    assert (await call(http, fake, "send_message", b"{not json"))[1]["status"] == 3


async def test_keyboard_feature_above_min_api_version_is_incompatible(fake, http):
    keyboard = KEYBOARD | {"InputFieldState": "hidden"}

    _, too_low = await call(http, fake, "send_message", text_message(keyboard=keyboard))
    _, enough = await call(
        http, fake, "send_message", text_message(keyboard=keyboard, min_api_version=4)
    )

    assert too_low == {"status": 14, "status_message": "incompatibleWithVersion"}
    assert enough["status"] == 0


async def test_known_users_limit_receivers(fake, http):
    fake.add_user("subscriber=", api_version=3)
    fake.add_user("left=", subscribed=False)

    async def status_for(receiver: str, **fields: Any) -> int:
        body = text_message(receiver=receiver, **fields)
        return (await call(http, fake, "send_message", body))[1]["status"]

    assert await status_for("subscriber=") == 0
    assert await status_for("stranger=") == 5
    assert await status_for("left=") == 6
    assert await status_for("subscriber=", min_api_version=4) == 13


async def test_too_many_requests_twice_then_ok(fake, http):
    fake.fail("send_message", 12, times=2)

    replies = [(await call(http, fake, "send_message", text_message()))[1] for _ in range(3)]

    assert [reply["status"] for reply in replies] == [12, 12, 0]
    assert replies[0]["status_message"] == "tooManyRequests"
    assert fake.sent_texts() == ["hello"]
    assert len(fake.calls) == 3


async def test_http_500_injection_and_reset(fake, http):
    fake.fail(None, 1, http_status=500)
    assert (await call(http, fake, "get_account_info", {}))[0] == 500
    assert fake.calls[-1].http_status == 500

    fake.reset_faults()
    assert (await call(http, fake, "get_account_info", {}))[0] == 200


async def test_ratio_faults_repeat_with_the_same_seed(http):
    async def pattern(seed: int) -> list[int]:
        async with FakeViberAPI(auth_token=TOKEN) as api:
            api.fail("/pa/send_message", 12, ratio=0.5, seed=seed)
            return [
                (await call(http, api, "send_message", text_message()))[1]["status"]
                for _ in range(12)
            ]

    first = await pattern(seed=7)
    assert first == await pattern(seed=7)
    assert {0, 12} == set(first)


async def test_delay_holds_the_answer(fake, http):
    fake.delay("get_account_info", 0.2)
    started = time.monotonic()
    await call(http, fake, "get_account_info", {})
    assert time.monotonic() - started >= 0.2


async def test_set_webhook_echoes_event_types(fake, http):
    _, reply = await call(
        http, fake, "set_webhook", {"url": "https://bot.example/viber", "event_types": ["seen"]}
    )
    assert reply == {"status": 0, "status_message": "ok", "event_types": ["seen"]}

    _, default = await call(http, fake, "set_webhook", {"url": "https://bot.example/viber"})
    assert default["event_types"] == [
        "delivered",
        "seen",
        "failed",
        "subscribed",
        "unsubscribed",
        "conversation_started",
    ]
    assert fake.webhook == "https://bot.example/viber"


async def test_set_webhook_records_whether_name_and_photo_are_asked_for(fake, http):
    body = {"url": "https://bot.example/viber", "send_name": False, "send_photo": False}
    assert (await call(http, fake, "set_webhook", body))[1]["status"] == 0
    assert (fake.send_name, fake.send_photo) == (False, False)
    body = {"url": "https://bot.example/viber", "send_name": "no"}
    assert (await call(http, fake, "set_webhook", body))[1]["status"] == 3


@pytest.mark.parametrize(
    ("body", "status"),
    [({}, 4), ({"url": "not a url"}, 1), ({"url": "https://b.example", "event_types": ["x"]}, 3)],
)
async def test_set_webhook_refuses_bad_requests(fake, http, body, status):
    assert (await call(http, fake, "set_webhook", body))[1]["status"] == status


async def test_set_webhook_checks_the_webhook_with_a_signed_callback(http):
    received: list[tuple[dict[str, Any], str]] = []

    async def viber(request: web.Request) -> web.Response:
        body = await request.read()
        received.append((json.loads(body), request.headers[SIGNATURE_HEADER]))
        ok = request.headers[SIGNATURE_HEADER] == sign(body, TOKEN)
        return web.Response(status=200 if ok else 403)

    app = web.Application()
    app.router.add_post("/viber", viber)
    async with TestServer(app) as server, FakeViberAPI(TOKEN, check_webhook=True) as api:
        _, reply = await call(http, api, "set_webhook", {"url": str(server.make_url("/viber"))})
        _, refused = await call(http, api, "set_webhook", {"url": "http://127.0.0.1:1/viber"})

    assert reply["status"] == 0
    assert received[0][0]["event"] == "webhook"
    assert refused["status"] == 1


async def test_get_account_info_has_documented_shape(fake, http):
    await call(http, fake, "set_webhook", {"url": "https://bot.example/viber"})
    _, info = await call(http, fake, "get_account_info", {})
    assert {"id", "name", "uri", "icon", "webhook", "event_types", "subscribers_count"} <= set(info)
    assert info["webhook"] == "https://bot.example/viber"
    assert {"id", "name", "avatar", "role"} == set(info["members"][0])


async def test_get_user_details_knows_added_users_only(fake, http):
    fake.add_user(RECEIVER, name="PlantedViberName")
    _, known = await call(http, fake, "get_user_details", {"id": RECEIVER})
    _, unknown = await call(http, fake, "get_user_details", {"id": "nobody="})
    assert known["user"]["name"] == "PlantedViberName"
    assert set(known["user"]) >= USER_KEYS
    assert unknown["status"] == 5


def test_sign_matches_independent_hmac():
    body = json.dumps(load_fixture("message_text")).encode()
    expected = hmac.new(TOKEN.encode(), body, hashlib.sha256).hexdigest()
    assert sign(body, TOKEN) == expected
    assert len(expected) == 64


async def test_post_callback_signs_the_exact_body():
    seen: list[tuple[bytes, str | None]] = []

    async def viber(request: web.Request) -> web.Response:
        seen.append((await request.read(), request.headers.get(SIGNATURE_HEADER)))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/viber", viber)
    async with TestClient(TestServer(app)) as client:
        reply = await post_callback(client, load_fixture("seen"), TOKEN)
        url = str(client.make_url("/viber"))
        unsigned = await post_callback(url, b"{}", TOKEN, signature="")

    assert reply.status == 200
    assert seen[0][1] == sign(seen[0][0], TOKEN)
    assert json.loads(seen[0][0]) == load_fixture("seen")
    assert unsigned.status == 200
    assert seen[1] == (b"{}", None)


def test_run_in_thread_serves_sync_callers():
    fake = FakeViberAPI(auth_token=TOKEN)
    with fake.run_in_thread():
        request = urllib.request.Request(  # noqa: S310 - loopback URL of the fake
            f"{fake.base_url}/send_message",
            data=json.dumps(text_message()).encode(),
            headers={"X-Viber-Auth-Token": TOKEN},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - as above
            reply = json.loads(response.read())
    assert reply["status"] == 0
    assert fake.sent_texts() == ["hello"]


def test_post_callback_sync_returns_error_answers():
    fake = FakeViberAPI(auth_token=TOKEN)
    with fake.run_in_thread():
        reply = post_callback_sync(f"http://127.0.0.1:{fake.port}/nowhere", {}, TOKEN)
    assert reply.status == 404


def test_every_fixture_is_tested():
    assert {path.stem for path in FIXTURES.glob("*.json")} == set(DOCUMENTED_KEYS)


@pytest.mark.parametrize("name", sorted(DOCUMENTED_KEYS))
def test_fixture_has_the_documented_keys(name):
    event = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))

    assert DOCUMENTED_KEYS[name] <= set(event)
    assert event["event"] == ("message" if name.startswith("message_") else name)
    assert isinstance(event["timestamp"], int)
    assert isinstance(event["message_token"], int)
    for key in ("user", "sender"):
        if key in event:
            assert set(event[key]) == USER_KEYS
            assert event[key]["id"] == "01234567890A=planted"
            assert event[key]["name"] == "PlantedViberName"


def test_message_fixtures_are_text_as_viber_sends_keyboard_replies():
    assert load_fixture("message_text")["message"] == {
        "type": "text",
        "text": "my secret words zebra-42",
    }
    assert load_fixture("message_keyboard_reply")["message"] == {
        "type": "text",
        "text": "1|rights.start|safety",
    }
    started = load_fixture("conversation_started")
    assert (started["context"], started["subscribed"]) == ("fa-reflection", False)


async def test_a_dropped_call_gets_no_answer_and_sends_nothing(fake, http):
    fake.drop("send_message", times=1)
    with pytest.raises(aiohttp.ClientConnectionError):
        await call(http, fake, "send_message", text_message(text="lost"))
    assert (await call(http, fake, "send_message", text_message(text="kept")))[1]["status"] == 0

    assert fake.sent_texts() == ["kept"]


async def test_a_call_the_client_gave_up_on_has_no_effect(fake, http):
    fake.hang("send_message", 0.5, times=1)
    with pytest.raises(asyncio.TimeoutError):
        async with asyncio.timeout(0.1):
            await call(http, fake, "send_message", text_message(text="timed out"))
    await asyncio.sleep(0.6)
    assert (await call(http, fake, "send_message", text_message(text="kept")))[1]["status"] == 0

    assert fake.sent_texts() == ["kept"]


async def test_a_hung_call_that_is_waited_for_is_answered(fake, http):
    fake.hang("send_message", 0.2, times=1)
    started = time.monotonic()

    assert (await call(http, fake, "send_message", text_message(text="slow")))[1]["status"] == 0
    assert time.monotonic() - started >= 0.2
    assert fake.sent_texts() == ["slow"]
