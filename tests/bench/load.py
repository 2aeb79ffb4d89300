"""The load the webhook benchmarks offer: generated conversations, at a fixed rate or flat out.

Each conversation is one private chat: a /start with a deep link, then taps on buttons the
bot showed (the engine walks ahead to know them). One chat's updates go one after another,
as Telegram delivers them; many chats run at once. Latency is from the moment an update is
sent to the moment its reply (sendMessage or editMessageText) reaches the fake Bot API.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import json
import os
import random
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.engine import Choose, Flows, Start, StepContext, step
from bot.engine.choice_token import encode_choice
from tests.fakes.telegram_api import FakeTelegramAPI

SECRET = "bench-secret"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
TAPS_PER_CHAT = 4
SKIPPED = frozenset({"exit", "forget"})
"""Buttons the generated walks do not tap: they end the conversation."""
REPLIES = frozenset({"sendMessage", "editMessageText"})


@dataclass(frozen=True, slots=True)
class Chat:
    chat_id: int
    updates: tuple[bytes, ...]


@dataclass(slots=True)
class Sent:
    """One update's trip: when it left, when the webhook answered, its HTTP status."""

    chat_id: int
    sent: float
    answered: float = 0.0
    status: int = 0


@dataclass(slots=True)
class Run:
    """What one load run observed; latencies are filled in from the fake's recorded calls."""

    offered: float | None
    wall: float
    trips: list[Sent]
    latencies: list[float] = field(default_factory=list)
    unmatched: int = 0

    @property
    def rate(self) -> float:
        return len(self.trips) / self.wall

    @property
    def failures(self) -> int:
        return sum(t.status != 200 for t in self.trips)


def person(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Bench", "language_code": "en"}


def start_update(update_id: int, chat_id: int, language: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1_000_000 + update_id,
            "from": person(chat_id),
            "chat": {"id": chat_id, "first_name": "Bench", "type": "private"},
            "date": 1767261607,
            "text": f"/start {language.replace('-', '_')}",
            "entities": [{"offset": 0, "length": 6, "type": "bot_command"}],
        },
    }


def tap_update(update_id: int, chat_id: int, data: str, message_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id * 10 + 1),
            "from": person(chat_id),
            "message": {
                "message_id": message_id,
                "from": {"id": 123456, "is_bot": True, "first_name": "Putokaz"},
                "chat": {"id": chat_id, "first_name": "Bench", "type": "private"},
                "date": 1767261607,
                "text": "…",
            },
            "chat_instance": "-5384165712374016129",
            "data": data,
        },
    }


class Conversations:
    """An endless supply of generated chats; chat and update ids never repeat."""

    def __init__(self, flows: Flows, seed: int = 11, first_chat: int = 6_000_000_000) -> None:
        self.flows = flows
        self.rng = random.Random(seed)
        self.languages = [language.code for language in flows.languages]
        self.next_chat = first_chat
        self.next_update = 1

    def chat(self) -> Chat:
        chat_id = self.next_chat
        self.next_chat += 1
        language = self.rng.choice(self.languages)
        session, reply = step(self.flows, None, Start(language.replace("-", "_")), StepContext(0.0))
        updates = [start_update(self._update_id(), chat_id, language)]
        # The fake numbers a chat's messages from 1; the /start reply is message 1, and a
        # tap on the latest message is answered by editing it, so every tap is on message 1.
        for tap in range(TAPS_PER_CHAT):
            buttons = [b for b in reply.buttons if b.url is None and b.option_id not in SKIPPED]
            if not buttons or reply.node is None or len(reply.messages) != 1:
                break
            button = self.rng.choice(buttons)
            data = encode_choice(reply.node, button.option_id)
            updates.append(tap_update(self._update_id(), chat_id, data, 1))
            session, reply = step(
                self.flows, session, Choose(button.option_id, reply.node), StepContext(1.0 + tap)
            )
        return Chat(chat_id, tuple(json.dumps(u).encode() for u in updates))

    def chats(self, updates: int) -> list[Chat]:
        """Whole chats with at least `updates` updates in all."""
        out: list[Chat] = []
        while sum(len(c.updates) for c in out) < updates:
            out.append(self.chat())
        return out

    def _update_id(self) -> int:
        number = self.next_update
        self.next_update += 1
        return number


async def _post(http: aiohttp.ClientSession, url: str, chat: Chat, body: bytes) -> Sent:
    trip = Sent(chat.chat_id, time.monotonic())
    try:
        async with http.post(url, data=body, headers=HEADERS) as response:
            await response.read()
            trip.status = response.status
    except aiohttp.ClientError:
        trip.status = -1
    trip.answered = time.monotonic()
    return trip


async def offered_load(url: str, supply: Conversations, rate: float, seconds: float) -> Run:
    """Open loop: one update every 1/rate s, whatever the answers do; a chat's next update
    waits for the answer to its previous one, so new chats start when none is ready."""
    total = int(rate * seconds)
    ready: deque[tuple[Chat, int]] = deque()
    trips: list[Sent] = []
    tasks: set[asyncio.Task[None]] = set()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(chat: Chat, index: int) -> None:
            trips.append(await _post(http, url, chat, chat.updates[index]))
            if index + 1 < len(chat.updates):
                ready.append((chat, index + 1))

        started = time.monotonic()
        for number in range(total):
            due = started + number / rate
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            chat, index = ready.popleft() if ready else (supply.chat(), 0)
            task = asyncio.create_task(one(chat, index))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks)
        return Run(rate, time.monotonic() - started, trips)


async def saturation(url: str, chats: list[Chat], clients: int = 50) -> Run:
    """Closed loop: `clients` chats at a time, each update sent as soon as the last is answered."""
    queue = deque(chats)
    trips: list[Sent] = []
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            while queue:
                chat = queue.popleft()
                for body in chat.updates:
                    trips.append(await _post(http, url, chat, body))

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return Run(None, time.monotonic() - started, trips)


def match_replies(run: Run, fake: FakeTelegramAPI, since: int) -> Run:
    """Latency of each update: from sending it to the first reply call for its chat that
    reached the fake while the update was being answered (the bot replies before it answers
    the webhook), whatever the fake answered (the floor's constant text is "not modified").
    An update without one counts as unmatched."""
    arrivals: dict[int, list[float]] = {}
    for call in fake.calls[since:]:
        if call.method in REPLIES:
            # python-telegram-bot sends numbers as JSON strings.
            chat = call.params.get("chat_id")
            with contextlib.suppress(TypeError, ValueError):
                arrivals.setdefault(int(chat), []).append(call.time)
    for times in arrivals.values():
        times.sort()
    for trip in run.trips:
        times = arrivals.get(trip.chat_id, [])
        at = bisect.bisect_left(times, trip.sent)
        if at < len(times) and times[at] <= trip.answered:
            run.latencies.append(times[at] - trip.sent)
        else:
            run.unmatched += 1
    return run


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss(pid: int) -> int:
    """The process's peak resident set size so far, in bytes (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def rss(pid: int) -> int:
    """The process's resident set size now, in bytes (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0
