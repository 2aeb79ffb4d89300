"""The Babel extractor for flow files and the template (messages.pot) built with it.

Strings, keys and lines come from the engine's own loader, so msgctxt is the MsgKey.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from bot.engine.lint import LABEL_LIMIT, SCREEN_LIMIT
from bot.engine.load.loader import parse_file_text
from bot.engine.load.yaml_source import LocatedDict, LocatedList
from bot.engine.model import Action, MsgKey, Navigation, Node, Option
from bot.engine.texts import PLACEHOLDER, placeholders

# Babel turns the first argument of a pgettext call into msgctxt (keyword spec
# ((1, "c"), 2)); a custom extractor gets msgctxt only by posing as that call.
CONTEXT_KEYWORD = "pgettext"
METHOD_MAP = [("*.yaml", "bot.i18n.extract:extract_flows")]
TEMPLATE_HEADER = (
    "# Putokaz — the English text of flows/*.yaml, one entry per string.\n"
    "# msgctxt is the string's key, e.g. rights.start.say.\n"
    "# Made by `putokaz i18n extract`: edit the flows, not this file.\n"
    "# See docs/TRANSLATING.md.\n"
    "#"
)
ACTION_HINTS = {
    Action.BACK: "goes back one screen",
    Action.MENU: "opens the main menu",
    Action.EXIT: "quick exit: leaves the chat at once",
    Action.FORGET: "deletes what the service keeps about the chat",
    Action.HOTLINE: "opens the screen to talk to a person",
}
DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class FlowString:
    """One translatable string of a flow file, where it is and what to tell translators."""

    key: MsgKey
    text: str
    line: int
    comments: tuple[str, ...]


def extract_flows(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor: `(line, "pgettext", (msgctxt, text), comments)` per string."""
    if CONTEXT_KEYWORD not in keywords:
        raise ValueError(
            "the putokaz_flows extractor needs the pgettext keyword to set msgctxt — "
            "drop --no-default-keywords, or add -k pgettext:1c,2"
        )
    name = getattr(fileobj, "name", None)
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    for found in flow_strings(text, str(name) if name else None):
        yield found.line, CONTEXT_KEYWORD, (found.key, found.text), list(found.comments)


def flow_strings(text: str, path: str | None = None) -> list[FlowString]:
    """Every translatable string of one flow file; raise `FlowError` if it has mistakes."""
    parsed = parse_file_text(text, path)
    if parsed.navigation is not None:
        return _navigation_strings(parsed.navigation, parsed.data["navigation"])
    if "nodes" not in parsed.data:
        return []
    found: list[FlowString] = []
    for node in parsed.nodes.values():
        found.extend(_node_strings(node, parsed.data["nodes"][node.id.split(".", 1)[1]]))
    return found


def _node_strings(node: Node, body: LocatedDict) -> Iterator[FlowString]:
    say = body["say"]
    lines = say.item_lines if isinstance(say, LocatedList) else [body.key_lines["say"]]
    total = len(node.say)
    for index, (key, text, line) in enumerate(zip(node.say_keys, node.say, lines, strict=True)):
        where = f'Screen "{node.id}"' + (f", message {index + 1} of {total}" if total > 1 else "")
        limit = f"Limit: {SCREEN_LIMIT} characters for the whole screen (all its messages)."
        notes = [f"{where}.", limit, *_keep_notes(text)]
        if node.source:
            notes.append(f"Source of the facts: {node.source}.")
        yield FlowString(key, text, line, tuple(notes))
    for option in node.options:
        yield _label(option, f'Button on screen "{node.id}": {_does(option)}.')


def _navigation_strings(navigation: Navigation, nav: LocatedDict) -> list[FlowString]:
    found = [
        _label(
            option,
            f"Button under every screen: {_does(option)}. Anyone glancing at the phone "
            "sees it: keep it neutral.",
        )
        for option in navigation.footer
    ]
    notices = nav["notices"]
    for name, key in navigation.notices.items():
        text = str(notices[name]).strip()
        notes = (f'Short text "{name}" that the bot adds when needed. Keep it short.',)
        found.append(FlowString(key, text, notices.key_lines[name], notes + _keep_notes(text)))
    return found


def _label(option: Option, where: str) -> FlowString:
    line = option.location.line if option.location else 0
    notes = (where, f"Limit: {LABEL_LIMIT} characters.", *_keep_notes(option.label))
    return FlowString(option.key, option.label, line, notes)


def _does(option: Option) -> str:
    if option.goto is not None:
        return f'opens "{option.goto}"'
    if option.action is not None:
        return ACTION_HINTS[option.action]
    return "opens a link or starts a call"


def _keep_notes(text: str) -> tuple[str, ...]:
    notes: list[str] = []
    names = placeholders(text)
    if names:
        shown = ", ".join(f"{{{name}}}" for name in dict.fromkeys(names))
        notes.append(f"Keep {shown} exactly as written: the bot puts the real value there.")
    numbers = DIGITS.findall(PLACEHOLDER.sub("", text))
    if numbers:
        notes.append(
            f"Keep the numbers ({', '.join(dict.fromkeys(numbers))}) unchanged; "
            "write them with the digits 0-9, as in the English."
        )
    return tuple(notes)


def build_template(flows_dir: Path, root: Path) -> Catalog:
    """The template of every flow string; locations relative to `root` (flows/x.yaml:LINE)."""
    catalog = Catalog(
        project="Putokaz",
        version=_version(),
        header_comment=TEMPLATE_HEADER,
        msgid_bugs_address="see docs/TRANSLATING.md",
        charset="utf-8",
    )
    for filename, line, message, comments, context in extract_from_dir(
        str(flows_dir), METHOD_MAP, keywords=DEFAULT_KEYWORDS
    ):
        where = Path(os.path.relpath(flows_dir / filename, root)).as_posix()
        added = catalog.add(message, None, [(where, line)], auto_comments=comments, context=context)
        # Flow text is never %-formatted; the flag would make msgfmt --check demand % pairs.
        added.flags.discard("python-format")
    return catalog


def _version() -> str:
    try:
        return version("putokaz")
    except PackageNotFoundError:
        return "0"
