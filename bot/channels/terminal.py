"""`putokaz chat`: a conversation in the terminal through the same engine and an
in-memory store, for content editors to try flows without a phone.
"""

from __future__ import annotations

import click

from bot.config import Config
from bot.engine.events import Back, Choose, Event, Exit, Menu, Start
from bot.engine.reply import Reply
from bot.service.conversations import Conversations
from bot.service.runtime import load_flows
from bot.store.memory import MemoryStore
from bot.store.pseudonym import Pseudonymizer

SHORTCUTS: dict[str, Event] = {"b": Back(), "m": Menu(), "q": Exit()}


def show(reply: Reply) -> None:
    for notice in reply.notices:
        click.secho(notice, fg="yellow")
    for message in reply.messages:
        click.echo(message.text)
    for number, button in enumerate(reply.buttons, 1):
        suffix = f"  ({button.url})" if button.url else ""
        click.secho(f"  [{number}] {button.label}{suffix}", fg="cyan")


async def run_terminal_chat(config: Config, lang: str | None) -> None:
    conversations = Conversations(
        load_flows(config), MemoryStore(), Pseudonymizer(b"terminal-chat-pepper-not-stored")
    )
    turn = await conversations.handle(
        "terminal", "you", Start(lang.replace("-", "_") if lang else None)
    )
    while True:
        show(turn.reply)
        if turn.after is None:
            return
        answer = click.prompt("", prompt_suffix="> ", default="", show_default=False).strip()
        event: Event | None = SHORTCUTS.get(answer.lower())
        if event is None and answer.isdigit() and 0 < int(answer) <= len(turn.reply.buttons):
            event = Choose(turn.reply.buttons[int(answer) - 1].option_id, turn.reply.node)
        if event is None:
            click.secho("type a button number, b, m or q", fg="red")
            continue
        turn = await conversations.handle("terminal", "you", event)
