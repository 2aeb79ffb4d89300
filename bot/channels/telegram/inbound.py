"""Read one Telegram update into an inbound value for the service, and the message handles
the outbox needs (the person's message, the tapped one, the callback to answer).

Typed text is looked at only to find a command; it is never kept, logged or passed on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeGuard

from telegram.constants import ChatMemberStatus, ChatType

from bot.channels.base import Blocked, Group, Ignored, Inbound, Turn
from bot.channels.commands import command_event
from bot.engine.choice_token import decode_choice
from bot.engine.events import Choose, Text


@dataclass(frozen=True, slots=True)
class Update:
    """One Telegram update: what the service acts on, and the handles for answering it."""

    inbound: Inbound
    message_id: int | None = None
    """The person's own message, deleted on quick exit."""
    tapped_id: int | None = None
    """The bot message whose button was tapped (edited in place when it is the latest)."""
    callback_id: str | None = None
    """The tap to answer (it stops the button's spinner)."""


JOINED = frozenset(
    {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.RESTRICTED}
)
SERVICE = frozenset(
    {
        "new_chat_members",
        "left_chat_member",
        "new_chat_title",
        "new_chat_photo",
        "delete_chat_photo",
        "group_chat_created",
        "supergroup_chat_created",
        "channel_chat_created",
        "message_auto_delete_timer_changed",
        "migrate_to_chat_id",
        "migrate_from_chat_id",
        "pinned_message",
        "write_access_allowed",
        "users_shared",
        "chat_shared",
        "successful_payment",
        "refunded_payment",
        "connected_website",
        "proximity_alert_triggered",
        "chat_background_set",
        "boost_added",
    }
)
"""Service messages: Telegram reports something; the person sent nothing to answer."""

FORGED = Choose("", None)
"""The event for a button token that is not ours: the engine shows the current screen."""


def ignored(reason: str) -> Update:
    """An update the bot does nothing with; `reason` goes to the log."""
    return Update(Ignored(reason))


def read_update(data: Any) -> Update:
    """What to do with an update; never raises, whatever the payload holds.

    Reads the few fields the channel needs straight from the JSON, with a type check
    for each: building PTB's Update for every update cost more CPU than the engine.
    """
    if not isinstance(data, dict):
        return ignored("malformed")
    uid = data.get("update_id")
    if not _is_int(uid):
        return ignored("malformed")
    if "callback_query" in data:
        return _tap(uid, data["callback_query"])
    if "message" in data:
        return _message(uid, data["message"])
    if "my_chat_member" in data:
        return _member(data["my_chat_member"])
    if "channel_post" in data:
        chat = _chat(data["channel_post"])
        return Update(Group(chat[0], "channel")) if chat else ignored("malformed")
    if "edited_message" in data:
        return ignored("edited")
    return ignored("unsupported")


def _tap(uid: int, query: Any) -> Update:
    if not isinstance(query, dict) or not isinstance(query.get("id"), str):
        return ignored("malformed")
    callback_id = query["id"]
    message: Any = query.get("message")
    chat = _chat(message)
    if chat is None or not _is_int(message.get("message_id")):
        return Update(Ignored("inline"), callback_id=callback_id)
    chat_id, private = chat
    if not private:
        return Update(Group(chat_id, "group"), callback_id=callback_id)
    data = query.get("data")
    token = decode_choice(data if isinstance(data, str) else None)
    event = FORGED if token is None else Choose(token.option_id, token.node)
    return Update(
        Turn(chat_id, event, str(uid)), tapped_id=message["message_id"], callback_id=callback_id
    )


def _message(uid: int, message: Any) -> Update:
    chat = _chat(message)
    if chat is None or not _is_int(message.get("message_id")):
        return ignored("malformed")
    chat_id, private = chat
    if not private:
        return Update(Group(chat_id, "group"))
    sender = message.get("from")
    if not isinstance(sender, dict) or sender.get("is_bot") is not False:
        return ignored("not_a_person")
    if not SERVICE.isdisjoint(message):
        return ignored("service")
    text = message.get("text")
    code = sender.get("language_code")
    device = code if isinstance(code, str) else None
    event = command_event(text, device) if isinstance(text, str) else Text()
    return Update(Turn(chat_id, event, str(uid)), message_id=message["message_id"])


def _member(update: Any) -> Update:
    chat = _chat(update)
    member = update.get("new_chat_member") if chat is not None else None
    if chat is None or not isinstance(member, dict):
        return ignored("malformed")
    chat_id, private = chat
    status = member.get("status")
    if not isinstance(status, str):
        return ignored("malformed")
    if private:
        if status == ChatMemberStatus.BANNED:  # "kicked": the person blocked the bot
            return Update(Blocked(chat_id, "blocked"))
        return ignored("member")
    if status in JOINED:
        return Update(Group(chat_id, "added"))
    return ignored("member")


def _chat(holder: Any) -> tuple[int, bool] | None:
    """(chat id, whether the chat is private) of a message-like object, if well formed."""
    if not isinstance(holder, dict):
        return None
    chat = holder.get("chat")
    if not isinstance(chat, dict) or not _is_int(chat.get("id")):
        return None
    return chat["id"], chat.get("type") == ChatType.PRIVATE


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
