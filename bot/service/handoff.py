"""Hand-off codes for the hotline, and where `{code, language, topics, time}` goes.

The code is random, never derived from an id; a sink receives that document and nothing
else: a webhook (PUTOKAZ_HANDOFF_WEBHOOK) and/or a staff Telegram chat.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime
from typing import Protocol

import aiohttp

from bot.engine.reply import Handoff
from bot.logs import log_event

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read aloud
CODE_LENGTH = 4

HandoffDocument = dict[str, object]


def handoff_code() -> str:
    """CODE_LENGTH letters of CODE_ALPHABET, uniformly random.

    One draw from the OS's random source, written in base len(CODE_ALPHABET): a turn
    makes one whether or not it shows the code, and four secrets.choice() calls were
    3 % of an update's CPU (tests/bench/profile.py)."""
    number = secrets.randbelow(len(CODE_ALPHABET) ** CODE_LENGTH)
    letters = []
    for _ in range(CODE_LENGTH):
        number, digit = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return "".join(letters)


def handoff_document(handoff: Handoff, now: float) -> HandoffDocument:
    """Exactly what the hotline staff receive."""
    moment = datetime.fromtimestamp(now, UTC).replace(second=0, microsecond=0)
    return {
        "code": handoff.code,
        "language": handoff.language,
        "topics": list(handoff.topics),
        "time": moment.isoformat().replace("+00:00", "Z"),
    }


class HandoffSink(Protocol):
    name: str

    async def send(self, document: HandoffDocument) -> None:
        """Deliver one document; raise on failure (the caller logs it)."""


class WebhookSink:
    """POSTs the document as JSON to PUTOKAZ_HANDOFF_WEBHOOK."""

    name = "webhook"

    def __init__(self, url: str, http: aiohttp.ClientSession, timeout: float = 5.0) -> None:
        self.url = url
        self.http = http
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, document: HandoffDocument) -> None:
        async with self.http.post(self.url, json=document, timeout=self.timeout) as response:
            response.raise_for_status()


class Handoffs:
    """Sends each hand-off to every sink in the background, so no reply waits for it."""

    def __init__(self) -> None:
        self.sinks: list[HandoffSink] = []
        self._tasks: set[asyncio.Task[None]] = set()

    def add(self, sink: HandoffSink) -> None:
        self.sinks.append(sink)

    def post(self, handoff: Handoff, now: float) -> None:
        document = handoff_document(handoff, now)
        for sink in self.sinks:
            task = asyncio.create_task(self._send(sink, document))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _send(self, sink: HandoffSink, document: HandoffDocument) -> None:
        try:
            await sink.send(document)
        except Exception as error:  # a background send: whatever fails is logged, not raised
            log_event("handoff_failed", kind=sink.name, error=type(error).__name__)
        else:
            log_event("handoff_posted", kind=sink.name)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
