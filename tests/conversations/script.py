"""Conversation scripts (`tests/conversations/*.yaml`) and the runner that checks them.

A script is a list of actions with expected replies; drivers perform the actions
through the engine directly or through a channel over real HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from bot.engine import Flows, render
from bot.engine.model import NodeId

SCRIPTS = Path(__file__).parent


@dataclass(frozen=True)
class Observed:
    """What a person sees after an action, in the same shape for every channel."""

    texts: tuple[str, ...]
    buttons: tuple[str, ...]
    effects: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()


class Driver(Protocol):
    async def act(self, action: dict[str, Any]) -> Observed: ...


@dataclass(frozen=True)
class Script:
    name: str
    path: Path
    steps: tuple[dict[str, Any], ...]
    languages: str = "all"


def load_scripts() -> list[Script]:
    scripts = []
    for path in sorted(SCRIPTS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scripts.append(
            Script(data["name"], path, tuple(data["steps"]), data.get("languages", "all"))
        )
    return scripts


def payload_language(code: str) -> str:
    return code.replace("-", "_")


def substitute(value: Any, language: str) -> Any:
    """Fill `{lang}` / `{lang_payload}` in a script value for the language being run."""
    if isinstance(value, str):
        return value.replace("{lang_payload}", payload_language(language)).replace(
            "{lang}", language
        )
    if isinstance(value, dict):
        return {k: substitute(v, language) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, language) for v in value]
    return value


def _matches(expected: str, seen: str) -> bool:
    pattern = re.escape(expected).replace(re.escape("----"), "[A-Z0-9]{4}")
    pattern = pattern.replace("\u2066\\-\\-\\-\\-\u2069", "\u2066[A-Z0-9]{4}\u2069")
    return re.fullmatch(pattern, seen, flags=re.S) is not None


def check(flows: Flows, language: str, expect: dict[str, Any], seen: Observed, where: str) -> None:
    node = expect.get("node")
    if node is not None:
        wanted = render(flows, NodeId(node), language)
        texts = tuple(m.text for m in wanted.messages)
        shown = f"{where}: expected the text of {node} in {language}:\n{texts}\nsaw:\n{seen.texts}"
        assert len(texts) == len(seen.texts), shown
        assert all(_matches(w, s) for w, s in zip(texts, seen.texts, strict=True)), shown
        wanted_buttons = tuple(b.option_id for b in wanted.buttons)
        assert seen.buttons == wanted_buttons, (
            f"{where}: expected the buttons of {node} {wanted_buttons}, saw {seen.buttons}"
        )
    for button in expect.get("buttons", ()):
        assert button in seen.buttons, f"{where}: no button {button!r} in {seen.buttons}"
    for button in expect.get("no_buttons", ()):
        assert button not in seen.buttons, f"{where}: unexpected button {button!r}"
    if language == "en":
        joined = "\n".join(seen.texts)
        for fragment in expect.get("text", ()):
            assert fragment in joined, f"{where}: {fragment!r} not in {joined!r}"
    for effect in expect.get("effects", ()):
        assert effect in seen.effects, f"{where}: effect {effect!r} not in {seen.effects}"
    if expect.get("notice") == "free_text":
        assert seen.notices, f"{where}: expected the free-text notice"


def language_after(action: dict[str, Any], speaking: str, language: str) -> str:
    """The language the reply to `action` is in: set by a language button or a deep link."""
    if action.get("choose") == f"@{language}":
        return language
    payload = action.get("start")
    if isinstance(payload, str) and payload.split("-")[0] == payload_language(language):
        return language
    return speaking


async def run_script(
    script: Script,
    flows: Flows,
    language: str,
    driver: Driver,
    after_step: Callable[[int, dict[str, Any]], Awaitable[None]] | None = None,
) -> None:
    speaking = "en"  # until the person picks a language, the bot speaks the source language
    for number, raw_step in enumerate(script.steps, 1):
        step = substitute(raw_step, language)
        action = {k: v for k, v in step.items() if k != "expect"}
        speaking = language_after(action, speaking, language)
        seen = await driver.act(action)
        where = f"{script.path.name} step {number} ({action}) [{language}]"
        check(flows, speaking, step.get("expect", {}), seen, where)
        if {"forget", "quick_exit"} & set(seen.effects):
            speaking = "en"
        if after_step is not None:
            await after_step(number, step)


@dataclass
class Recorder:
    """Keeps every Observed, for tests that look back over a conversation."""

    seen: list[Observed] = field(default_factory=list)
