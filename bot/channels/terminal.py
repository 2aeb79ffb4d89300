"""`putokaz chat`: a conversation in the terminal through the same service and an
in-memory store, for content editors to try flows without a phone.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from bot.channels.base import Turn
from bot.config import Config
from bot.engine.events import Back, Choose, Event, Exit, Menu, Start
from bot.engine.reply import Reply
from bot.engine.session import Session
from bot.service.conversations import Conversations
from bot.service.runtime import load_flows
from bot.store.memory import MemoryStore
from bot.store.pseudonym import Pseudonymizer

CHANNEL = "terminal"
SHORTCUTS: dict[str, Event] = {"b": Back(), "m": Menu(), "q": Exit()}


class TerminalOutbox:
    """Prints each reply: notices, texts and numbered buttons."""

    def __init__(self) -> None:
        self.last: Reply | None = None

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        self.last = reply
        show(reply)
        return ()


def show(reply: Reply) -> None:
    """Print one reply as the terminal chat shows it."""
    for notice in reply.notices:
        click.secho(notice, fg="yellow")
    for message in reply.messages:
        click.echo(message.text)
    for number, button in enumerate(reply.buttons, 1):
        suffix = f"  ({button.url})" if button.url else ""
        click.secho(f"  [{number}] {button.label}{suffix}", fg="cyan")


async def run_terminal_chat(config: Config, lang: str | None) -> None:
    """Talk until the person exits: the numbers choose buttons, b/m/q go back, menu, exit."""
    conversations = Conversations(
        load_flows(config), MemoryStore(), Pseudonymizer(b"terminal-chat-pepper-not-stored")
    )
    outbox = TerminalOutbox()
    event: Event | None = Start(lang.replace("-", "_") if lang else None)
    while True:
        if event is not None:
            result = await conversations.run(CHANNEL, Turn("you", event), outbox)
            if result.ended:
                return
        reply = outbox.last
        assert reply is not None
        answer = click.prompt("", prompt_suffix="> ", default="", show_default=False).strip()
        event = SHORTCUTS.get(answer.lower())
        if event is None and answer.isdigit() and 0 < int(answer) <= len(reply.buttons):
            event = Choose(reply.buttons[int(answer) - 1].option_id, reply.node)
        if event is None:
            click.secho("type a button number, b, m or q", fg="red")
            show(reply)
