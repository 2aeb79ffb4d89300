"""One Viber callback answered: the service call, and the outbox that sends the reply.

The welcome message of `conversation_started` rides in the webhook's answer; every other
reply goes out by send_message calls on the app's pooled HTTP client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.channels.base import NO_REPLY, NotSent, Turn, Unreachable
from bot.channels.viber.api import ViberClient, ViberError
from bot.channels.viber.inbound import CHANNEL, Callback
from bot.channels.viber.outbound import paired_ids, render_reply, welcome_message
from bot.engine.reply import Reply
from bot.engine.session import Session
from bot.logs import log_event
from bot.service.conversations import Conversations


class ViberChannel:
    """Hands callbacks to the service and answers through a `ViberOutbox`."""

    def __init__(self, conversations: Conversations, client: ViberClient) -> None:
        self.conversations = conversations
        self.client = client

    async def handle(self, callback: Callback) -> dict[str, Any] | None:
        """Act on one callback; the message to answer the webhook with, if any.

        Raises ReplyNotSent when the reply could not be sent and Viber should retry.
        """
        inbound = callback.inbound
        if not isinstance(inbound, Turn):
            await self.conversations.run(CHANNEL, inbound, NO_REPLY)
            return None
        pairs = paired_ids(self.conversations.flows)
        outbox = ViberOutbox(self.client, str(inbound.platform_id), pairs, callback.welcome)
        await self.conversations.run(CHANNEL, inbound, outbox)
        return outbox.answer


class ViberOutbox:
    """Sends one reply to one subscriber, or puts the welcome message in the answer."""

    def __init__(
        self, client: ViberClient, user_id: str, pairs: frozenset[str], welcome: bool = False
    ) -> None:
        self.client = client
        self.user_id = user_id
        self.pairs = pairs
        self.welcome = welcome
        self.answer: dict[str, Any] | None = None
        """The welcome message, answered in the webhook's response body."""

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        """Send the reply's messages in order; stop at a failure. Viber deletes nothing,
        so no message id is kept."""
        if self.welcome:
            self.answer = welcome_message(reply, self.pairs)
            return ()
        for body in render_reply(reply, self.pairs):
            try:
                await self.client.send_message({"receiver": self.user_id, **body})
            except ViberError as error:
                log_event(
                    "viber_send_failed",
                    channel=CHANNEL,
                    method=error.method,
                    kind=error.kind,
                    status=error.status,
                    reason=error.reason,
                )
                if error.unreachable:
                    raise Unreachable(error.reason) from None
                if error.transient:
                    raise NotSent(error.reason) from None
                return ()
        return ()
