"""The flow model: frozen dataclasses built once by the loader.

`Flows` also holds the per-language text tables, so a lookup is one dict access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, NewType

NodeId = NewType("NodeId", str)
OptionId = NewType("OptionId", str)
MsgKey = NewType("MsgKey", str)

SOURCE_LANGUAGE = "en"
LANGUAGE_OPTION_PREFIX = "@"


class Action(StrEnum):
    """What a button does when it does not simply go to a node."""

    BACK = "back"
    MENU = "menu"
    EXIT = "exit"
    FORGET = "forget"
    HOTLINE = "hotline"


@dataclass(frozen=True)
class Location:
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Option:
    id: OptionId
    label: str
    key: MsgKey
    goto: NodeId | None = None
    action: Action | None = None
    url: str | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Node:
    id: NodeId
    say: tuple[str, ...]
    say_keys: tuple[MsgKey, ...]
    options: tuple[Option, ...] = ()
    source: str | None = None
    footer: bool = True
    handoff: bool = False
    languages: NodeId | None = None
    remember: bool = True
    location: Location | None = None

    @property
    def flow(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Contact:
    key: str
    value: str
    source: str
    verified: bool
    location: Location | None = None


@dataclass(frozen=True)
class Navigation:
    start: NodeId
    menu: NodeId
    hotline: NodeId
    exited: NodeId
    forgotten: NodeId
    footer: tuple[Option, ...]
    notices: Mapping[str, MsgKey]
    location: Location | None = None

    @cached_property
    def not_topics(self) -> frozenset[str]:
        """Flows the hotline is not told about as topics seen: where Start, Menu, the
        hotline, the quick exit and Forget lead (welcome, safety and hotline in flows/)."""
        targets = (self.start, self.menu, self.hotline, self.exited, self.forgotten)
        return frozenset(target.split(".", 1)[0] for target in targets)


@dataclass(frozen=True)
class Term:
    """A term said one way everywhere: `use` it, never one of `avoid`."""

    use: str
    avoid: tuple[str, ...]
    location: Location | None = None


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    discreet: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Per language, words that must not show on the first screens or in button labels."""


@dataclass(frozen=True)
class Language:
    """A language the bot can speak; `name` is written in its own script."""

    code: str
    name: str
    direction: str = "ltr"
    status: str = "reviewed"


@dataclass(frozen=True)
class Text:
    """One translated string; `fallback` marks source text shown for a gap."""

    value: str
    fallback: bool = False


@dataclass(frozen=True)
class Flows:
    nodes: Mapping[NodeId, Node]
    navigation: Navigation
    contacts: Mapping[str, Contact]
    source_texts: Mapping[MsgKey, str]
    languages: tuple[Language, ...] = (Language(SOURCE_LANGUAGE, "English"),)
    texts: Mapping[str, Mapping[MsgKey, Text]] = field(default_factory=dict)
    options_by_node: Mapping[NodeId, Mapping[OptionId, Option]] = field(default_factory=dict)
    glossary: Glossary = field(default_factory=Glossary)

    @cached_property
    def rendered(self) -> dict[tuple[NodeId, str], Any]:
        """step()'s memo: the reply of a node without a hand-off code, per language.

        A pure function of these flows, composed once instead of on every turn; each
        Flows has its own (a copy made with `replace` starts empty)."""
        return {}

    def node(self, node_id: NodeId) -> Node:
        return self.nodes[node_id]

    def language(self, code: str | None) -> Language | None:
        for language in self.languages:
            if language.code == code:
                return language
        return None

    def text(self, language: str, key: MsgKey) -> Text:
        """The string for `key` in `language`, or the source text marked as fallback."""
        table = self.texts.get(language)
        if table is not None:
            found = table.get(key)
            if found is not None:
                return found
        return Text(self.source_texts[key], fallback=language != SOURCE_LANGUAGE)
