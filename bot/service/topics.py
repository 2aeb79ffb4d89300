"""Topics as hotline staff name them: a flow that has a `start` screen, and its menu button.

`putokaz link --list` shows them; `--topic` accepts the flow's name or words of its button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine import Flows
from bot.engine.model import SOURCE_LANGUAGE, Option

WORD = re.compile(r"\w+")


class TopicError(ValueError):
    """No topic, or more than one, fits what was asked; the message lists the topics."""


@dataclass(frozen=True)
class Topic:
    name: str
    label: str  # the button that opens it, in the language asked for; "" for the first screen


def topics(flows: Flows, language: str = SOURCE_LANGUAGE) -> list[Topic]:
    """Every flow with a `start` screen, menu order first, with its button's label."""
    names = [n.removesuffix(".start") for n in flows.nodes if n.endswith(".start")]
    buttons = _buttons(flows)
    order = {name: i for i, name in enumerate(buttons)}
    names.sort(key=lambda name: (order.get(name, len(order)), name))
    return [
        Topic(name, flows.text(language, buttons[name].key).value if name in buttons else "")
        for name in names
    ]


def find_topic(flows: Flows, asked: str, language: str = SOURCE_LANGUAGE) -> str:
    """The topic named `asked`, or the one whose button has all of its words; else TopicError."""
    if f"{asked}.start" in flows.nodes:
        return asked
    words = _words(asked)
    if words:
        english = {t.name: t.label for t in topics(flows)}
        fitting = [
            t.name
            for t in topics(flows, language)
            if words <= _words(t.name) | _words(t.label) | _words(english[t.name])
        ]
        if len(fitting) == 1:
            return fitting[0]
        if fitting:
            raise TopicError(
                f"topic {asked!r} fits {len(fitting)} topics: {', '.join(fitting)} — "
                "use more words of the button, or the topic's name"
            )
    raise TopicError(
        f"unknown topic {asked!r} — use one of: {describe(topics(flows, language))} "
        "(putokaz link --list)"
    )


def describe(found: list[Topic]) -> str:
    """`rights ("Your rights"), reflection ("Time to recover and decide"), …`"""
    return ", ".join(f'{t.name} ("{t.label}")' if t.label else t.name for t in found)


def _buttons(flows: Flows) -> dict[str, Option]:
    """For each topic the button that opens its start screen, the main menu's first."""
    found: dict[str, Option] = {}
    menu = flows.navigation.menu
    for node_id in [menu, *sorted(n for n in flows.nodes if n != menu)]:
        for option in flows.node(node_id).options:
            if option.goto is not None and option.goto.endswith(".start"):
                found.setdefault(option.goto.removesuffix(".start"), option)
    return found


def _words(text: str) -> set[str]:
    return {word.casefold() for word in WORD.findall(text)}
