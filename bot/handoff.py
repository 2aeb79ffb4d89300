"""Hand-off codes for the hotline, and the optional post of `{code, language, topics, time}`.

The code is random, never derived from an id; the post carries nothing else.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime

import aiohttp

from bot.engine.reply import Handoff
from bot.logs import log_event

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read aloud
CODE_LENGTH = 4


def handoff_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def handoff_document(handoff: Handoff, now: float) -> dict[str, object]:
    """Exactly what the hotline staff receive."""
    moment = datetime.fromtimestamp(now, UTC).replace(second=0, microsecond=0)
    return {
        "code": handoff.code,
        "language": handoff.language,
        "topics": list(handoff.topics),
        "time": moment.isoformat().replace("+00:00", "Z"),
    }


class HandoffPoster:
    """Posts hand-offs to PUTOKAZ_HANDOFF_WEBHOOK in the background, with a timeout."""

    def __init__(self, url: str, session: aiohttp.ClientSession, timeout: float = 5.0) -> None:
        self.url = url
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._tasks: set[asyncio.Task[None]] = set()

    def post(self, handoff: Handoff, now: float) -> None:
        task = asyncio.create_task(self._post(handoff_document(handoff, now)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post(self, document: dict[str, object]) -> None:
        try:
            async with self.session.post(self.url, json=document, timeout=self.timeout) as resp:
                log_event("handoff_posted", status=resp.status)
        except (aiohttp.ClientError, TimeoutError) as error:
            log_event("handoff_failed", error=type(error).__name__)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
