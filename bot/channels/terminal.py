"""`putokaz chat`: a conversation in the terminal through the same service and an
in-memory store, for content editors to try flows without a phone.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence

import click

from bot.channels.base import Turn
from bot.config import Config
from bot.engine.events import Back, Choose, Event, Exit, Menu, Start
from bot.engine.reply import Reply
from bot.engine.session import Session
from bot.service.conversations import Conversations
from bot.service.language_codes import check_language
from bot.service.runtime import load_flows
from bot.store.memory import MemoryStore
from bot.store.pseudonym import Pseudonymizer

CHANNEL = "terminal"
SHORTCUTS: dict[str, Event] = {"b": Back(), "m": Menu(), "q": Exit()}
KEYS = "Keys: a button's number, b back, m menu, q quick exit; Enter or Ctrl-D ends."


def wrap(text: str, width: int, indent: str = "", hanging: str = "") -> str:
    """`text` broken at spaces to `width` columns, each line (paragraph) on its own."""
    return "\n".join(
        textwrap.fill(
            line,
            width=max(width, 20),
            initial_indent=indent,
            subsequent_indent=hanging or indent,
            break_long_words=False,  # a URL or a run of CJK stays whole
            break_on_hyphens=False,
        )
        if line.strip()
        else ""
        for line in text.splitlines()
    )


class TerminalOutbox:
    """Prints each reply: notices, texts and numbered buttons, wrapped to `width`."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.last: Reply | None = None

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        self.last = reply
        show(reply, self.width)
        return ()


def show(reply: Reply, width: int) -> None:
    """Print one reply as the terminal chat shows it."""
    for notice in reply.notices:
        click.secho(wrap(notice, width), fg="yellow")
    for message in reply.messages:
        click.echo(wrap(message.text, width))
    for number, button in enumerate(reply.buttons, 1):
        suffix = f"  ({button.url})" if button.url else ""
        start = f"  [{number}] "
        click.secho(wrap(f"{button.label}{suffix}", width, start, " " * len(start)), fg="cyan")


def read_answer() -> str | None:
    """One line typed by the person; None for Ctrl-D, Ctrl-C or an empty line."""
    try:
        answer = click.prompt("", prompt_suffix="> ", default="", show_default=False)
    except click.Abort:
        click.echo()
        return None
    return answer.strip() or None


def event_for(answer: str, reply: Reply) -> Event | None:
    """The event a typed answer means on `reply`'s screen; None when it means nothing."""
    event = SHORTCUTS.get(answer.lower())
    if event is None and answer.isdigit() and 0 < int(answer) <= len(reply.buttons):
        event = Choose(reply.buttons[int(answer) - 1].option_id, reply.node)
    return event


async def run_terminal_chat(config: Config, lang: str | None) -> None:
    """Talk until quick exit, an empty line or end of input; raises UnknownLanguage first."""
    flows = load_flows(config)
    check_language(flows, lang)
    conversations = Conversations(
        flows, MemoryStore(), Pseudonymizer(b"terminal-chat-pepper-not-stored")
    )
    width = shutil.get_terminal_size().columns
    outbox = TerminalOutbox(width)
    click.secho(wrap(KEYS, width), dim=True)
    event: Event | None = Start(lang.replace("-", "_") if lang else None)
    while True:
        if event is not None:
            result = await conversations.run(CHANNEL, Turn("you", event), outbox)
            if result.ended:
                return
        reply = outbox.last
        if reply is None:  # the service delivered nothing (a duplicate): nothing to answer
            return
        answer = read_answer()
        if answer is None:
            return
        event = event_for(answer, reply)
        if event is None:
            click.secho(wrap(KEYS, width), fg="red")
            show(reply, width)
