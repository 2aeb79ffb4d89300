"""One Telegram update in, Bot API calls out: the same for the webhook and for long polling.

Only message ids are added to the session (for quick exit); chat ids live as long as
the update is being answered.
"""

from __future__ import annotations

from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.channels.telegram.api import TelegramAPI
from bot.channels.telegram.inbound import Incoming, Kind, read_update
from bot.channels.telegram.outbound import Outgoing, footer_ids, render_reply
from bot.engine.reply import Effect
from bot.logs import log_event
from bot.service.conversations import Conversations, Turn

CHANNEL = "telegram"
DELETABLE_FOR = 48 * 3600
"""Telegram lets a bot delete messages of a private chat for 48 hours."""


class TelegramChannel:
    def __init__(
        self, conversations: Conversations, api: TelegramAPI, staff_chat: int | None = None
    ) -> None:
        self.conversations = conversations
        self.api = api
        self.staff_chat = staff_chat
        """The hotline staff's group for hand-offs: the one group the bot stays in."""
        self.footer = footer_ids(conversations.flows)

    async def handle(self, data: Any, *, webhook: bool) -> dict[str, Any] | None:
        """Act on one update; returns the Bot API call to put in the webhook's answer, if any.

        Raises ReplyNotSent when the reply could not be sent and the update should come again.
        """
        incoming = read_update(data)
        if incoming.kind is Kind.TURN:
            return await self._one_at_a_time(incoming, webhook)
        answer = await self._answer_tap(incoming, webhook)
        if incoming.kind is Kind.BLOCKED:
            await self.conversations.drop(CHANNEL, incoming.chat_id, reason=incoming.reason)
        elif incoming.kind is Kind.GROUP and incoming.chat_id == self.staff_chat:
            self.conversations.metrics.update(CHANNEL, "ignored")
            log_event("telegram_ignored", channel=CHANNEL, reason="staff_chat")
        elif incoming.kind is Kind.GROUP:
            self.conversations.metrics.update(CHANNEL, "ignored")
            await self._leave(incoming)
        else:
            self.conversations.metrics.update(CHANNEL, "ignored")
            log_event("telegram_ignored", channel=CHANNEL, reason=incoming.reason)
        return answer

    async def _answer_tap(self, incoming: Incoming, webhook: bool) -> dict[str, Any] | None:
        """Every tap is answered (it stops the button's spinner); by webhook answer if we can."""
        if incoming.callback_id is None:
            return None
        if webhook:
            return {"method": "answerCallbackQuery", "callback_query_id": incoming.callback_id}
        try:
            await self.api.answer_callback(incoming.callback_id)
        except TelegramError as error:
            log_event("telegram_call_failed", method="answerCallbackQuery", error=_name(error))
        return None

    async def _one_at_a_time(self, incoming: Incoming, webhook: bool) -> dict[str, Any] | None:
        """Webhook requests may overlap; a chat's turns (e.g. a tap racing a quick exit, or
        an update and its redelivery) must not, or the later one would undo or repeat it."""
        delivery = str(incoming.update_id)
        async with self.conversations.one_at_a_time(CHANNEL, incoming.chat_id):
            if await self.conversations.answered(CHANNEL, delivery):
                log_event("telegram_duplicate", channel=CHANNEL)
                return None
            answer = await self._answer_tap(incoming, webhook)
            await self._turn(incoming, delivery)
            return answer

    async def _turn(self, incoming: Incoming, delivery: str) -> None:
        chat = incoming.chat_id
        turn = await self.conversations.begin(CHANNEL, chat, incoming.event, delivery)  # type: ignore[arg-type]
        sent: list[int] = []
        try:
            await self._deliver(incoming, turn, sent)
        except Forbidden:
            await self.conversations.drop(CHANNEL, chat, reason="blocked")
            turn.after = None
            await self.conversations.commit(turn)
            return
        except TelegramError as error:
            log_event("telegram_reply_failed", channel=CHANNEL, error=_name(error))
            if _transient(error):
                self._keep_sent(incoming, turn, sent)
                await self.conversations.reply_failed(turn)
                return
        self._keep_sent(incoming, turn, sent)
        await self.conversations.commit(turn)

    @staticmethod
    def _keep_sent(incoming: Incoming, turn: Turn, sent: list[int]) -> None:
        if turn.after is not None:
            ids = [i for i in (incoming.message_id, *sent) if i is not None]
            if ids:
                turn.after = turn.after.with_messages(*ids)

    async def _deliver(self, incoming: Incoming, turn: Turn, sent: list[int]) -> None:
        chat = incoming.chat_id
        messages = render_reply(turn.reply, self.footer)
        if Effect.QUICK_EXIT in turn.reply.effects:
            await self._quick_exit(incoming, turn)
            for out in messages:  # the neutral message; its id is not kept
                await self.api.send(chat, out)
            return
        if self._edits_in_place(incoming, turn, messages):
            try:
                await self.api.edit(chat, incoming.tapped_id, messages[0])  # type: ignore[arg-type]
                return
            except BadRequest as error:  # e.g. the person deleted it: send anew
                log_event("telegram_edit_failed", channel=CHANNEL, error=_name(error))
        for out in messages:
            sent.append(await self.api.send(chat, out))

    def _edits_in_place(self, incoming: Incoming, turn: Turn, messages: list[Outgoing]) -> bool:
        """A tap on the latest message of the chat, answered by one message: edit it.

        Ids are recorded in chat order (the person's message, then the replies), so the
        last one is the latest message; an edit adds none.
        """
        before = turn.before
        return (
            incoming.tapped_id is not None
            and len(messages) == 1
            and before is not None
            and bool(before.message_ids)
            and incoming.tapped_id == before.message_ids[-1]
        )

    async def _quick_exit(self, incoming: Incoming, turn: Turn) -> None:
        """Delete the conversation's messages we know of: the bot's and the person's."""
        before = turn.before
        now = self.conversations.clock()
        ids = list(before.messages_since(now - DELETABLE_FOR)) if before is not None else []
        if before is not None and len(ids) < len(before.message_ids):
            # Telegram refuses to delete older messages; they stay until the person does it.
            log_event("telegram_quick_exit_old", channel=CHANNEL, reason="older_than_48h")
        if incoming.message_id is not None:
            ids.append(incoming.message_id)
        if not ids:
            return
        refused = await self.api.delete(incoming.chat_id, ids)
        log_event("telegram_quick_exit", channel=CHANNEL, count=len(ids))
        if refused:
            log_event("telegram_quick_exit_incomplete", channel=CHANNEL, count=refused)

    async def _leave(self, incoming: Incoming) -> None:
        """Groups and channels are refused: leave, answer nothing, store nothing."""
        try:
            await self.api.leave(incoming.chat_id)
        except TelegramError as error:
            log_event("telegram_call_failed", method="leaveChat", error=_name(error))
        log_event("telegram_group_left", channel=CHANNEL, reason=incoming.reason)


def _transient(error: TelegramError) -> bool:
    """Rate limits, 5xx, timeouts and network errors may pass; a refused request will not."""
    return isinstance(error, RetryAfter | NetworkError) and not isinstance(error, BadRequest)


def _name(error: BaseException) -> str:
    return type(error).__name__
