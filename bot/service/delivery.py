"""A platform delivery (Telegram update_id, Viber message_token) is answered once.

It is recorded as answered only after its reply went out, or its failure is final;
a reply that could not be sent leaves it open so the platform delivers it again.
"""

from __future__ import annotations

DELIVERY_ATTEMPTS = 5
"""Deliveries of one update whose reply could not be sent before it is given up
(answered 200 without a reply), so a permanently failing update does not loop."""


class ReplyNotSent(Exception):
    """The reply could not be sent yet; the webhook answers 503 so the platform retries."""

    def __init__(self, channel: str, attempt: int) -> None:
        super().__init__(
            f"{channel}: the reply could not be sent (delivery attempt {attempt} of "
            f"{DELIVERY_ATTEMPTS}); the platform will deliver the update again"
        )
        self.channel = channel
        self.attempt = attempt
