"""Drivers for conversation scripts: the engine directly, and the web chat over HTTP.

Telegram and Viber drivers live beside their channel tests and share `action_event`.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.engine import Flows, Reply, Session, StepContext, step
from bot.engine.events import Back, Choose, Event, Exit, Forget, Menu, Start, Text
from tests.conversations.script import Observed


def action_event(action: dict[str, Any], node: str | None) -> Event:
    """The engine event a script action stands for."""
    if "start" in action:
        return Start(action["start"])
    if "choose" in action:
        return Choose(action["choose"], node)
    simple = {"text": Text(), "back": Back(), "menu": Menu(), "exit": Exit(), "forget": Forget()}
    for name, event in simple.items():
        if name in action:
            return event
    raise ValueError(f"unknown script action {action}")


def observe(reply: Reply) -> Observed:
    return Observed(
        texts=tuple(m.text for m in reply.messages),
        buttons=tuple(b.option_id for b in reply.buttons),
        effects=tuple(e.value for e in reply.effects),
        notices=reply.notices,
    )


class EngineDriver:
    def __init__(self, flows: Flows) -> None:
        self.flows = flows
        self.session: Session | None = None
        self.node: str | None = None
        self.clock = 1_800_000_000.0

    async def act(self, action: dict[str, Any]) -> Observed:
        self.clock += 5
        event = action_event(action, self.node)
        self.session, reply = step(self.flows, self.session, event, StepContext(self.clock, "K7F3"))
        self.node = reply.node
        return observe(reply)


class WebChatDriver:
    """Talks to /api/chat of a running server, with its own cookie jar."""

    def __init__(self, base_url: str, http: aiohttp.ClientSession) -> None:
        self.base_url = base_url
        self.http = http
        self.node: str | None = None

    async def act(self, action: dict[str, Any]) -> Observed:
        body = self.body(action)
        async with self.http.post(f"{self.base_url}/api/chat", json=body) as response:
            assert response.status == 200, await response.text()
            data = await response.json()
        self.node = data["node"]
        return Observed(
            texts=tuple(m["text"] for m in data["messages"]),
            buttons=tuple(b["id"] for m in data["messages"] for b in m["buttons"]),
            effects=tuple(data["effects"]),
            notices=tuple(data["notices"]),
        )

    def body(self, action: dict[str, Any]) -> dict[str, Any]:
        if "start" in action:
            return {"action": "start", "payload": action["start"]}
        if "choose" in action:
            return {"action": "choose", "option": action["choose"], "node": self.node}
        if "text" in action:
            return {"action": "text", "text": action["text"]}
        for name in ("back", "menu", "exit", "forget"):
            if name in action:
                return {"action": name}
        raise ValueError(f"unknown script action {action}")
