"""`putokaz chat`: a conversation in the terminal through the same engine and an
in-memory store, for content editors to try flows without a phone.
"""

from __future__ import annotations

import shutil
import textwrap

import click

from bot.config import Config
from bot.engine.events import Back, Choose, Event, Exit, Menu, Start
from bot.engine.reply import Reply
from bot.service.conversations import Conversations
from bot.service.language_codes import check_language
from bot.service.runtime import load_flows
from bot.store.memory import MemoryStore
from bot.store.pseudonym import Pseudonymizer

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


def show(reply: Reply, width: int) -> None:
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


async def run_terminal_chat(config: Config, lang: str | None) -> None:
    """Talk until quick exit, an empty line or end of input; raises UnknownLanguage first."""
    flows = load_flows(config)
    check_language(flows, lang)
    conversations = Conversations(
        flows, MemoryStore(), Pseudonymizer(b"terminal-chat-pepper-not-stored")
    )
    width = shutil.get_terminal_size().columns
    click.secho(wrap(KEYS, width), dim=True)
    turn = await conversations.handle(
        "terminal", "you", Start(lang.replace("-", "_") if lang else None)
    )
    while True:
        show(turn.reply, width)
        if turn.after is None:
            return
        while True:
            answer = read_answer()
            if answer is None:
                return
            event: Event | None = SHORTCUTS.get(answer.lower())
            buttons = turn.reply.buttons
            if event is None and answer.isdigit() and 0 < int(answer) <= len(buttons):
                event = Choose(buttons[int(answer) - 1].option_id, turn.reply.node)
            if event is not None:
                break
            click.secho(wrap(KEYS, width), fg="red")
        turn = await conversations.handle("terminal", "you", event)
