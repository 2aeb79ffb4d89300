"""One Telegram update in, Bot API calls out: the same for the webhook and for long polling.

Only message ids are added to the session (for quick exit); chat ids live as long as
the update is being answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.channels.base import NO_REPLY, Group, NotSent, Turn, Unreachable
from bot.channels.telegram.api import TelegramAPI
from bot.channels.telegram.inbound import Update, read_update
from bot.channels.telegram.outbound import Outgoing, footer_ids, render_reply
from bot.engine.reply import Effect, Reply
from bot.engine.session import Session
from bot.logs import log_event
from bot.service.conversations import Conversations

CHANNEL = "telegram"
DELETABLE_FOR = 48 * 3600
"""Telegram lets a bot delete messages of a private chat for 48 hours."""

WebhookAnswer = dict[str, Any]
"""A Bot API call put in the webhook's response body (Telegram makes it for us)."""


class TelegramChannel:
    """Reads updates, hands them to the service, and answers through a `TelegramOutbox`."""

    def __init__(
        self, conversations: Conversations, api: TelegramAPI, staff_chat: int | None = None
    ) -> None:
        self.conversations = conversations
        self.api = api
        self.staff_chat = staff_chat
        """The hotline staff's group for hand-offs: the one group the bot stays in."""

    async def handle(self, data: Any, *, webhook: bool) -> WebhookAnswer | None:
        """Act on one update; returns the Bot API call to put in the webhook's answer, if any.

        Raises ReplyNotSent when the reply could not be sent and the update should come again.
        """
        update = read_update(data)
        inbound = update.inbound
        if isinstance(inbound, Turn):
            footer = footer_ids(self.conversations.flows)
            outbox = TelegramOutbox(self.api, int(inbound.platform_id), update, footer, webhook)
            await self.conversations.run(CHANNEL, inbound, outbox)
            return outbox.webhook_answer
        answer = await answer_tap(self.api, update.callback_id, webhook)
        if isinstance(inbound, Group):
            if inbound.chat_id == self.staff_chat:
                self.conversations.metrics.update(CHANNEL, "ignored")
                log_event("telegram_ignored", channel=CHANNEL, reason="staff_chat")
                return answer
            await self._leave(inbound)
        await self.conversations.run(CHANNEL, inbound, NO_REPLY)
        return answer

    async def _leave(self, group: Group) -> None:
        """Groups and channels are refused: leave, answer nothing, store nothing."""
        try:
            await self.api.leave(group.chat_id)
        except TelegramError as error:
            log_event("telegram_call_failed", method="leaveChat", error=_name(error))
        log_event("telegram_group_left", channel=CHANNEL, reason=group.reason)


async def answer_tap(
    api: TelegramAPI, callback_id: str | None, webhook: bool
) -> WebhookAnswer | None:
    """Every tap is answered (it stops the button's spinner); by webhook answer if we can."""
    if callback_id is None:
        return None
    if webhook:
        return {"method": "answerCallbackQuery", "callback_query_id": callback_id}
    try:
        await api.answer_callback(callback_id)
    except TelegramError as error:
        log_event("telegram_call_failed", method="answerCallbackQuery", error=_name(error))
    return None


class TelegramOutbox:
    """Sends one reply into the chat an update came from: edits, sends or quick exit."""

    def __init__(
        self, api: TelegramAPI, chat: int, update: Update, footer: frozenset[str], webhook: bool
    ) -> None:
        self.api = api
        self.chat = chat
        self.update = update
        self.footer = footer
        self.webhook = webhook
        self.webhook_answer: WebhookAnswer | None = None

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        self.webhook_answer = await answer_tap(self.api, self.update.callback_id, self.webhook)
        sent: list[int] = []
        try:
            await self._send(reply, before, now, sent)
        except Forbidden:
            raise Unreachable("blocked") from None
        except (RetryAfter, NetworkError) as error:
            if not isinstance(error, BadRequest):
                raise NotSent(_name(error)) from None
            log_event("telegram_reply_failed", channel=CHANNEL, error=_name(error))
        except TelegramError as error:  # refused for good: a redelivery would fail the same
            log_event("telegram_reply_failed", channel=CHANNEL, error=_name(error))
        if Effect.QUICK_EXIT in reply.effects:
            return ()
        return [i for i in (self.update.message_id, *sent) if i is not None]

    async def _send(
        self, reply: Reply, before: Session | None, now: float, sent: list[int]
    ) -> None:
        messages = render_reply(reply, self.footer)
        if Effect.QUICK_EXIT in reply.effects:
            await self._quick_exit(before, now)
            for out in messages:  # the neutral message; its id is not kept
                await self.api.send(self.chat, out)
            return
        tapped = self.update.tapped_id
        if tapped is not None and _edits_in_place(tapped, before, messages):
            try:
                await self.api.edit(self.chat, tapped, messages[0])
                return
            except BadRequest as error:  # e.g. the person deleted it: send anew
                log_event("telegram_edit_failed", channel=CHANNEL, error=_name(error))
        for out in messages:
            sent.append(await self.api.send(self.chat, out))

    async def _quick_exit(self, before: Session | None, now: float) -> None:
        """Delete the conversation's messages we know of: the bot's and the person's."""
        ids = list(before.messages_since(now - DELETABLE_FOR)) if before is not None else []
        if before is not None and len(ids) < len(before.message_ids):
            # Telegram refuses to delete older messages; they stay until the person does it.
            log_event("telegram_quick_exit_old", channel=CHANNEL, reason="older_than_48h")
        if self.update.message_id is not None:
            ids.append(self.update.message_id)
        if not ids:
            return
        refused = await self.api.delete(self.chat, ids)
        log_event("telegram_quick_exit", channel=CHANNEL, count=len(ids))
        if refused:
            log_event("telegram_quick_exit_incomplete", channel=CHANNEL, count=refused)


def _edits_in_place(tapped: int, before: Session | None, messages: list[Outgoing]) -> bool:
    """A tap on the latest message of the chat, answered by one message: edit it.

    Ids are recorded in chat order (the person's message, then the replies), so the
    last one is the latest message; an edit adds none.
    """
    return (
        len(messages) == 1
        and before is not None
        and bool(before.message_ids)
        and tapped == before.message_ids[-1]
    )


def _name(error: BaseException) -> str:
    return type(error).__name__
