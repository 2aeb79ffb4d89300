"""Reading Telegram updates: which event, which chat, and never an exception."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.base import Blocked, Group, Ignored, Turn
from bot.channels.telegram.inbound import FORGED, Update, read_update
from bot.engine.events import Choose, ChooseLanguage, Exit, Forget, Menu, Start, Text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "telegram"
CHAT = 777000111


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("message_start", Update(Turn(CHAT, Start(None, "en"), "900000001"), message_id=1)),
        (
            "message_start_payload",
            Update(Turn(CHAT, Start("fa-reflection", "en"), "900000002"), message_id=2),
        ),
        ("message_text", Update(Turn(CHAT, Text(), "900000003"), message_id=3)),
        (
            "callback_query",
            Update(
                Turn(CHAT, Choose("rights", "welcome.menu"), "900000004"),
                tapped_id=4,
                callback_id="3336647895683246401",
            ),
        ),
        ("my_chat_member_kicked", Update(Blocked(CHAT, "blocked"))),
        ("edited_message", Update(Ignored("edited"))),
        ("message_photo", Update(Turn(CHAT, Text(), "900000007"), message_id=7)),
        ("message_sticker", Update(Turn(CHAT, Text(), "900000008"), message_id=8)),
        ("message_voice", Update(Turn(CHAT, Text(), "900000009"), message_id=9)),
        ("group_message", Update(Group(-4012345678, "group"))),
        ("message_command_help", Update(Turn(CHAT, Menu(), "900000011"), message_id=11)),
        ("message_command_forget", Update(Turn(CHAT, Forget(), "900000012"), message_id=12)),
        ("message_command_exit", Update(Turn(CHAT, Exit(), "900000013"), message_id=13)),
        (
            "message_command_language",
            Update(Turn(CHAT, ChooseLanguage(), "900000014"), message_id=14),
        ),
        ("message_document", Update(Turn(CHAT, Text(), "900000015"), message_id=15)),
        (
            "my_chat_member_added_to_group",
            Update(Group(-1001987654321, "added")),
        ),
    ],
)
def test_every_fixture_reads_as_expected(name: str, expected: Update) -> None:
    assert read_update(fixture(name)) == expected


def test_every_fixture_has_an_expectation() -> None:
    names = {p.stem for p in FIXTURES.glob("*.json")}
    tested = {"message_start", "message_start_payload", "message_text", "callback_query"}
    tested |= {"my_chat_member_kicked", "edited_message", "message_photo", "message_sticker"}
    tested |= {"message_voice", "group_message", "message_command_help", "message_document"}
    tested |= {"message_command_forget", "message_command_exit", "message_command_language"}
    tested |= {"my_chat_member_added_to_group"}
    assert names == tested


def test_a_forged_or_foreign_button_token_shows_the_current_screen() -> None:
    update = fixture("callback_query")
    for data in ("opt:rights", "1|welcome.menu|../../etc", "2|welcome.menu|rights", None, 7):
        update["callback_query"]["data"] = data
        inbound = read_update(update).inbound
        assert isinstance(inbound, Turn)
        assert inbound.event == FORGED


def test_a_tap_on_an_inline_message_is_only_answered() -> None:
    update = fixture("callback_query")
    del update["callback_query"]["message"]
    update["callback_query"]["inline_message_id"] = "AAAA"
    assert read_update(update) == Update(Ignored("inline"), callback_id="3336647895683246401")


def test_service_messages_and_bots_get_no_answer() -> None:
    update = fixture("message_text")
    del update["message"]["text"]
    update["message"]["message_auto_delete_timer_changed"] = {"message_auto_delete_time": 86400}
    assert read_update(update).inbound == Ignored("service")
    update = fixture("message_text")
    update["message"]["from"]["is_bot"] = True
    assert read_update(update).inbound == Ignored("not_a_person")


def test_unblocking_or_other_member_changes_need_nothing() -> None:
    update = fixture("my_chat_member_kicked")
    update["my_chat_member"]["new_chat_member"]["status"] = "member"
    assert isinstance(read_update(update).inbound, Ignored)


@pytest.mark.parametrize(
    "data",
    [None, [], "x", 1, {}, {"update_id": True}, {"update_id": "1"}, {"update_id": 1}],
)
def test_malformed_updates_are_ignored(data: Any) -> None:
    assert isinstance(read_update(data).inbound, Ignored)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "update_id",
                    "message",
                    "callback_query",
                    "my_chat_member",
                    "chat",
                    "id",
                    "type",
                    "text",
                    "from",
                    "is_bot",
                    "data",
                    "message_id",
                    "new_chat_member",
                    "status",
                    "channel_post",
                    "edited_message",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(JSON)
def test_any_json_reads_without_an_exception(data: Any) -> None:
    assert isinstance(read_update(data), Update)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(sorted(p.stem for p in FIXTURES.glob("*.json"))), st.data())
def test_fixtures_with_any_field_replaced_read_without_an_exception(name: str, data: Any) -> None:
    update = fixture(name)
    holder: Any = update
    while isinstance(holder, dict) and holder:
        key = data.draw(st.sampled_from(sorted(holder)))
        if not isinstance(holder[key], dict) or data.draw(st.booleans()):
            holder[key] = data.draw(JSON)
            break
        holder = holder[key]
    assert isinstance(read_update(update), Update)
