"""Tests of the fake Telegram Bot API, driven by python-telegram-bot and raw HTTP.
They pin the wire format and errors the rest of the suite and the benchmark rely on."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import urllib.request
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from multidict import CIMultiDictProxy
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter

from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "123:ABC"
CHAT = 777000111
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "telegram"
FIXTURE_TYPES = {
    "message_start": "message",
    "message_start_payload": "message",
    "message_text": "message",
    "callback_query": "callback_query",
    "my_chat_member_kicked": "my_chat_member",
    "edited_message": "edited_message",
    "message_photo": "message",
    "message_sticker": "message",
    "message_voice": "message",
    "group_message": "message",
    "message_command_help": "message",
    "message_command_forget": "message",
    "message_command_exit": "message",
    "message_command_language": "message",
    "message_document": "message",
    "my_chat_member_added_to_group": "my_chat_member",
}
PLANTED = ("777000111", "planted_username_q7", "PlantedFirstName", "PlantedLastName")


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(item, callback_data=item)] for item in data])


async def post(
    fake: FakeTelegramAPI, method: str, *, token: str = TOKEN, **kwargs: Any
) -> tuple[int, dict[str, Any], CIMultiDictProxy[str]]:
    url = f"{fake.base_url}{token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, **kwargs) as response:
        return response.status, await response.json(), response.headers


async def until(condition: Callable[[], object]) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never became true")


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(token=TOKEN) as api:
        yield api


@pytest_asyncio.fixture
async def bot(fake: FakeTelegramAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url) as client:
        yield client


@pytest.mark.asyncio
async def test_get_me_describes_the_bot_of_the_token(bot: Bot) -> None:
    me = await bot.get_me()

    assert (me.id, me.is_bot, me.username) == (123, True, "putokaz_test_bot")
    assert me.can_join_groups is True


@pytest.mark.asyncio
async def test_send_message_round_trip_echoes_inline_keyboard(
    bot: Bot, fake: FakeTelegramAPI
) -> None:
    markup = keyboard("opt:rights", "opt:hotline")

    first = await bot.send_message(CHAT, "Choose", reply_markup=markup)
    second = await bot.send_message(CHAT, "Again")
    other_chat = await bot.send_message(CHAT + 1, "Hello")

    assert (first.message_id, second.message_id, other_chat.message_id) == (1, 2, 1)
    assert first.chat.id == CHAT
    assert first.chat.type == "private"
    assert first.text == "Choose"
    assert first.reply_markup == markup
    assert second.reply_markup is None
    assert fake.sent_texts(CHAT) == ["Choose", "Again"]
    params = fake.calls_to("sendMessage")[0].params
    assert params["chat_id"] == CHAT
    assert params["reply_markup"] == markup.to_dict()


@pytest.mark.asyncio
async def test_form_encoded_and_json_bodies_are_both_accepted(fake: FakeTelegramAPI) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    form = {"chat_id": str(CHAT), "text": "123", "reply_markup": json.dumps(markup)}

    form_status, form_body, _ = await post(fake, "sendMessage", data=form)
    json_status, json_body, _ = await post(
        fake, "sendmessage", json={"chat_id": CHAT, "text": "hi", "reply_markup": markup}
    )

    assert (form_status, json_status) == (200, 200)
    assert form_body["ok"] is True
    assert form_body["result"]["text"] == "123"
    assert form_body["result"]["reply_markup"] == markup
    assert json_body["result"]["message_id"] == 2
    assert [call.params for call in fake.calls_to("sendMessage")] == [
        {"chat_id": CHAT, "text": "123", "reply_markup": markup},
        {"chat_id": CHAT, "text": "hi", "reply_markup": markup},
    ]


@pytest.mark.asyncio
async def test_multipart_and_query_string_params_are_accepted(fake: FakeTelegramAPI) -> None:
    multipart = aiohttp.FormData({"chat_id": str(CHAT), "text": "with file"})
    multipart.add_field("document", b"%PDF-1.4", filename="note.pdf")

    multipart_status, _, _ = await post(fake, "sendMessage", data=multipart)
    query_status, _, _ = await post(fake, "sendMessage", params={"chat_id": CHAT, "text": "q"})

    assert (multipart_status, query_status) == (200, 200)
    assert fake.calls_to("sendMessage")[0].params["document"] == b"%PDF-1.4"
    assert fake.sent_texts() == ["with file", "q"]


@pytest.mark.asyncio
async def test_wrong_token_and_unknown_method_are_refused_like_telegram(
    fake: FakeTelegramAPI,
) -> None:
    assert (await post(fake, "getMe", token="123:WRONG"))[:2] == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert (await post(fake, "sendPigeon"))[:2] == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"text": "hi"}, "Bad Request: chat_id is empty"),
        ({"chat_id": CHAT}, "Bad Request: message text is empty"),
        ({"chat_id": CHAT, "text": "   "}, "Bad Request: message text is empty"),
        ({"chat_id": CHAT, "text": "x" * 4097}, "Bad Request: message is too long"),
        (
            {"chat_id": CHAT, "text": "hi", "parse_mode": "BBCode"},
            "Bad Request: unsupported parse_mode",
        ),
        (
            {
                "chat_id": CHAT,
                "text": "hi",
                "reply_markup": {"inline_keyboard": [[{"text": "Call", "url": "tel:+3800"}]]},
            },
            "Bad Request: inline keyboard button URL 'tel:+3800' is invalid: "
            "Unsupported URL protocol",
        ),
        (
            {"chat_id": CHAT, "text": "hi", "reply_markup": {"inline_keyboard": [[{"text": "A"}]]}},
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        ),
    ],
)
@pytest.mark.asyncio
async def test_send_message_validates_like_telegram(
    fake: FakeTelegramAPI, params: dict[str, Any], description: str
) -> None:
    status, body, _ = await post(fake, "sendMessage", json=params)

    assert (status, body) == (400, {"ok": False, "error_code": 400, "description": description})
    assert fake.calls_to("sendMessage")[0].status == 400
    assert fake.messages == {}


@pytest.mark.asyncio
async def test_text_of_exactly_4096_characters_is_accepted(bot: Bot) -> None:
    message = await bot.send_message(CHAT, "é" * 4096)

    assert message.text == "é" * 4096


@pytest.mark.asyncio
async def test_too_long_callback_data_is_button_data_invalid(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(CHAT, "Choose", reply_markup=keyboard("x" * 65))

    await bot.send_message(CHAT, "Choose", reply_markup=keyboard("x" * 64))


@pytest.mark.asyncio
async def test_callback_data_limit_counts_utf8_bytes(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(CHAT, "Choose", reply_markup=keyboard("ж" * 33))


@pytest.mark.asyncio
async def test_delete_messages_then_deleting_again_is_not_found(
    bot: Bot, fake: FakeTelegramAPI
) -> None:
    for text in ("one", "two", "three"):
        await bot.send_message(CHAT, text)

    assert await bot.delete_messages(CHAT, [1, 2]) is True
    assert fake.calls_to("deleteMessages")[0].params["message_ids"] == [1, 2]
    assert list(fake.messages) == [(CHAT, 3)]
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(CHAT, 1)


@pytest.mark.asyncio
async def test_edit_message_text_replaces_text_and_keyboard(
    bot: Bot, fake: FakeTelegramAPI
) -> None:
    sent = await bot.send_message(CHAT, "Choose", reply_markup=keyboard("a"))

    edited = await bot.edit_message_text("Chosen", CHAT, sent.message_id)

    assert not isinstance(edited, bool)
    assert edited.text == "Chosen"
    assert edited.reply_markup is None
    assert edited.edit_date is not None
    assert fake.messages[(CHAT, 1)]["text"] == "Chosen"


@pytest.mark.asyncio
async def test_edit_with_same_content_is_not_modified(bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "Choose", reply_markup=keyboard("a"))

    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=keyboard("a"))
    removed = await bot.edit_message_reply_markup(CHAT, sent.message_id)

    assert not isinstance(removed, bool)
    assert removed.reply_markup is None


@pytest.mark.asyncio
async def test_editing_a_message_the_fake_never_sent_assumes_it_exists(bot: Bot) -> None:
    callback = Update.de_json(load("callback_query"), bot).callback_query
    assert callback is not None

    assert await callback.answer() is True
    edited = await bot.edit_message_text("Your rights", CHAT, 4)

    assert not isinstance(edited, bool)
    assert edited.text == "Your rights"


@pytest.mark.asyncio
async def test_get_updates_long_poll_returns_update_queued_while_waiting(
    bot: Bot, fake: FakeTelegramAPI
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await until(lambda: fake.calls_to("getUpdates"))
    started = time.monotonic()

    fake.queue_update(load("message_start"))
    updates = await asyncio.wait_for(poll, 5)

    assert time.monotonic() - started < 1
    assert [update.update_id for update in updates] == [900000001]
    assert updates[0].message is not None
    assert updates[0].message.text == "/start"


@pytest.mark.asyncio
async def test_get_updates_offset_confirms_earlier_updates(bot: Bot, fake: FakeTelegramAPI) -> None:
    first = fake.queue_update(load("message_start"))
    second = fake.queue_update(load("message_start"))

    assert second["update_id"] == first["update_id"] + 1
    assert [u.update_id for u in await bot.get_updates()] == [
        first["update_id"],
        second["update_id"],
    ]
    assert [u.update_id for u in await bot.get_updates(offset=second["update_id"])] == [
        second["update_id"]
    ]
    assert fake.pending_update_count == 1
    assert await bot.get_updates(offset=second["update_id"] + 1) == ()
    assert fake.pending_update_count == 0


@pytest.mark.asyncio
async def test_get_updates_honours_limit(bot: Bot, fake: FakeTelegramAPI) -> None:
    for _ in range(3):
        fake.queue_update(load("message_text"))

    assert len(await bot.get_updates(limit=2)) == 2


@pytest.mark.asyncio
async def test_empty_long_poll_waits_for_its_timeout(bot: Bot) -> None:
    started = time.monotonic()

    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 3


@pytest.mark.asyncio
async def test_second_long_poll_terminates_the_first_with_conflict(
    bot: Bot, fake: FakeTelegramAPI
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await until(lambda: fake.calls_to("getUpdates"))
    async with Bot(TOKEN, base_url=fake.base_url) as other_instance:
        second = asyncio.create_task(other_instance.get_updates(timeout=10))

        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(first, 5)
        fake.queue_update(load("message_text"))
        assert len(await asyncio.wait_for(second, 5)) == 1


@pytest.mark.asyncio
async def test_allowed_updates_drop_unwanted_types(bot: Bot, fake: FakeTelegramAPI) -> None:
    fake.queue_update(load("edited_message"))
    fake.queue_update(load("message_text"))

    updates = await bot.get_updates(allowed_updates=["message", "callback_query"])

    assert [update.effective_message.text for update in updates] == [  # type: ignore[union-attr]
        "my secret words zebra-42"
    ]
    assert fake.pending_update_count == 1


@pytest.mark.asyncio
async def test_webhook_blocks_get_updates_until_deleted(bot: Bot, fake: FakeTelegramAPI) -> None:
    url = "https://bot.example.org/telegram/webhook"
    assert await bot.set_webhook(url, secret_token="s3cret_token", allowed_updates=["message"])

    info = await bot.get_webhook_info()
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)

    assert (info.url, info.allowed_updates) == (url, ("message",))
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("http://bot.example.org/hook", "An HTTPS URL must be provided for webhook"),
        ("https://bot.example.org:8080/hook", "Webhook can be set up only on ports"),
    ],
)
@pytest.mark.asyncio
async def test_set_webhook_refuses_what_telegram_refuses(bot: Bot, url: str, detail: str) -> None:
    with pytest.raises(BadRequest, match=detail.lower()):
        await bot.set_webhook(url)


@pytest.mark.asyncio
async def test_429_surfaces_as_retry_after(
    bot: Bot, fake: FakeTelegramAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake.fail("sendMessage", 429, retry_after=2, times=1)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "hi")
    await bot.send_message(CHAT, "hi")

    assert caught.value.retry_after == dt.timedelta(seconds=2)
    assert [call.status for call in fake.calls_to("sendMessage")] == [429, 200]
    assert fake.sent_texts() == ["hi"]


@pytest.mark.asyncio
async def test_429_body_and_header_match_telegram(fake: FakeTelegramAPI) -> None:
    fake.fail(None, 429, retry_after=2)

    status, body, headers = await post(fake, "getMe")

    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 2",
        "parameters": {"retry_after": 2},
    }
    assert headers["Retry-After"] == "2"


@pytest.mark.asyncio
async def test_403_surfaces_as_forbidden(bot: Bot, fake: FakeTelegramAPI) -> None:
    fake.fail("sendMessage", 403)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "hi")
    fake.reset_faults()

    assert (await bot.send_message(CHAT, "hi")).text == "hi"


@pytest.mark.asyncio
async def test_fault_ratio_is_deterministic_for_a_seed(fake: FakeTelegramAPI) -> None:
    async def statuses() -> list[int]:
        fake.reset_faults()
        fake.fail("getMe", 500, ratio=0.5, seed=7)
        return [(await post(fake, "getMe"))[0] for _ in range(20)]

    first, second = await statuses(), await statuses()

    assert first == second
    assert set(first) == {200, 500}


@pytest.mark.asyncio
async def test_delay_slows_only_the_named_method(fake: FakeTelegramAPI) -> None:
    fake.delay("getMe", 0.3)

    started = time.monotonic()
    await post(fake, "getWebhookInfo")
    fast = time.monotonic() - started
    await post(fake, "getMe")
    slow = time.monotonic() - started - fast

    assert fast < 0.3 <= slow


def test_faults_for_unknown_methods_are_refused_with_the_known_ones() -> None:
    with pytest.raises(
        ValueError, match=r"does not implement 'sendMesage'; use one of: getMe, sendMessage,"
    ):
        FakeTelegramAPI().fail("sendMesage", 500)


@pytest.mark.asyncio
async def test_commands_are_kept_per_scope_and_language(bot: Bot) -> None:
    assert await bot.set_my_commands([("start", "Begin")], language_code="fa")

    assert [c.command for c in await bot.get_my_commands(language_code="fa")] == ["start"]
    assert await bot.get_my_commands() == ()
    assert await bot.delete_my_commands(language_code="fa")
    assert await bot.get_my_commands(language_code="fa") == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start", "Begin")])


@pytest.mark.asyncio
async def test_chat_action_and_menu_button_are_accepted(bot: Bot, fake: FakeTelegramAPI) -> None:
    assert await bot.send_chat_action(CHAT, "typing")
    assert await bot.set_chat_menu_button()

    with pytest.raises(BadRequest, match="Wrong parameter action in request"):
        await bot.send_chat_action(CHAT, "dancing")
    assert fake.menu_buttons == {None: {"type": "default"}}


def test_run_in_thread_serves_sync_clients() -> None:
    fake = FakeTelegramAPI(token=TOKEN)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    with fake.run_in_thread() as running:
        running.queue_update(load("message_command_help"))
        with opener.open(f"{running.base_url}{TOKEN}/getUpdates", timeout=5) as response:
            body = json.load(response)

    assert body["ok"] is True
    assert body["result"][0]["message"]["text"] == "/help"
    assert [call.method for call in fake.calls] == ["getUpdates"]


@pytest.mark.parametrize("name", sorted(FIXTURE_TYPES))
@pytest.mark.asyncio
async def test_every_fixture_parses_as_an_update(bot: Bot, name: str) -> None:
    data = load(name)

    update = Update.de_json(data, bot)

    assert update.update_id == data["update_id"]
    assert getattr(update, FIXTURE_TYPES[name]) is not None
    assert update.effective_user is not None
    assert update.effective_user.id == CHAT
    assert update.api_kwargs == {}


def test_every_fixture_file_is_listed_and_carries_the_planted_identifiers() -> None:
    assert sorted(path.stem for path in FIXTURES.glob("*.json")) == sorted(FIXTURE_TYPES)
    for name in FIXTURE_TYPES:
        raw = (FIXTURES / f"{name}.json").read_text()
        assert all(value in raw for value in PLANTED), name


@pytest.mark.asyncio
async def test_a_dropped_call_gets_no_answer_and_sends_nothing(fake: FakeTelegramAPI) -> None:
    fake.drop("sendMessage", times=1)
    url = f"{fake.base_url}{TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            async with session.post(url, json={"chat_id": CHAT, "text": "lost"}) as response:
                await response.read()
        assert (await post(fake, "sendMessage", json={"chat_id": CHAT, "text": "kept"}))[0] == 200

    assert fake.sent_texts(CHAT) == ["kept"]
    assert [call.status for call in fake.calls_to("sendMessage")] == [0, 200]


@pytest.mark.asyncio
async def test_a_call_the_client_gave_up_on_has_no_effect(fake: FakeTelegramAPI) -> None:
    fake.hang("sendMessage", 0.5, times=1)
    url = f"{fake.base_url}{TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(asyncio.TimeoutError):
            async with session.post(
                url,
                json={"chat_id": CHAT, "text": "timed out"},
                timeout=aiohttp.ClientTimeout(total=0.1),
            ) as response:
                await response.read()
        await asyncio.sleep(0.6)
        assert (await post(fake, "sendMessage", json={"chat_id": CHAT, "text": "kept"}))[0] == 200

    assert fake.sent_texts(CHAT) == ["kept"]


@pytest.mark.asyncio
async def test_a_hung_call_that_is_waited_for_is_answered(fake: FakeTelegramAPI) -> None:
    fake.hang("sendMessage", 0.2, times=1)
    started = time.monotonic()
    status, _, _ = await post(fake, "sendMessage", json={"chat_id": CHAT, "text": "slow"})

    assert status == 200
    assert time.monotonic() - started >= 0.2
    assert fake.sent_texts(CHAT) == ["slow"]


@pytest.mark.asyncio
async def test_drops_on_a_share_of_calls_are_seeded(fake: FakeTelegramAPI) -> None:
    async def outcomes() -> list[bool]:
        fake.reset_faults()
        fake.drop("getMe", ratio=0.5, seed=3)
        got = []
        for _ in range(12):
            try:
                got.append((await post(fake, "getMe"))[0] == 200)
            except aiohttp.ClientConnectionError:
                got.append(False)
        return got

    first, second = await outcomes(), await outcomes()

    assert first == second
    assert set(first) == {True, False}
