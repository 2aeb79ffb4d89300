"""What the loader has gathered so far, and the checks every kind of flow file shares.

Problems are collected, never raised one by one, so a file's mistakes come all at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.engine.load.yaml_source import LocatedDict
from bot.engine.model import Contact, Glossary, Location, MsgKey, Navigation, Node, NodeId
from bot.engine.problems import Problem, did_you_mean

NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass
class Draft:
    """Everything parsed so far, before cross-file checks."""

    problems: list[Problem] = field(default_factory=list)
    nodes: dict[NodeId, Node] = field(default_factory=dict)
    navigation: Navigation | None = None
    contacts: dict[str, Contact] = field(default_factory=dict)
    notice_texts: dict[MsgKey, str] = field(default_factory=dict)
    flow_files: dict[str, str] = field(default_factory=dict)
    glossary: Glossary = field(default_factory=Glossary)
    broken_flows: set[str] = field(default_factory=set)

    def error(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(Location(path, line), message))


def unknown_keys(
    draft: Draft, shown: str, data: LocatedDict, allowed: Iterable[str], what: str
) -> None:
    """One problem per key of `data` that is not `allowed`, with a did-you-mean."""
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            line = data.key_lines.get(key, data.line)
            hint = did_you_mean(key, allowed)
            draft.error(shown, line, f'unknown key "{key}" in {what}{hint}')


def optional_str(draft: Draft, shown: str, body: LocatedDict, key: str) -> str | None:
    """`body[key]` as stripped text, None when absent; a problem when not text."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        draft.error(shown, body.key_lines[key], f"`{key}:` must be non-empty text")
        return None
    return value.strip()


def flag(draft: Draft, shown: str, body: LocatedDict, key: str, default: bool) -> bool:
    """`body[key]` as a boolean, `default` when absent; a problem when not true/false."""
    value = body.get(key, default)
    if not isinstance(value, bool):
        draft.error(shown, body.key_lines[key], f"`{key}:` must be true or false, not {value!r}")
        return default
    return value
