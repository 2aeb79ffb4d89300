"""Text tables: every string keyed by its msgctxt, placeholders filled once at load.

Per-language tables are built here from a lookup function, so `step()` only reads dicts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from bot.engine.model import (
    SOURCE_LANGUAGE,
    Action,
    Flows,
    Language,
    MsgKey,
    Node,
    NodeId,
    Option,
    OptionId,
    Text,
)

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z_][a-z0-9_]*)\}")
LEFT_TO_RIGHT_ISOLATE = "\u2066"
POP_DIRECTIONAL_ISOLATE = "\u2069"

Lookup = Callable[[MsgKey, str], str | None]
"""(msgctxt, source text) -> translation, or None when there is none."""


def placeholders(text: str) -> list[str]:
    """The `{names}` used in `text`, in order, without escaped braces."""
    return [name for name in PLACEHOLDER.findall(text) if name]


def isolate(value: str) -> str:
    """Wrap a left-to-right run (a phone number) so it keeps its order in RTL text."""
    return f"{LEFT_TO_RIGHT_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"


def fill(text: str, values: Mapping[str, str], *, rtl: bool = False) -> str:
    """Replace known `{placeholders}`; leave unknown ones (runtime values) in place."""
    if "{" not in text and "}" not in text:  # most texts: no regex run (load time, per language)
        return text

    def replacement(match: re.Match[str]) -> str:
        whole, name = match.group(0), match.group(1)
        if name is None:
            return whole[0]
        if name not in values:
            return whole
        return isolate(values[name]) if rtl and not name.endswith("_tel") else values[name]

    return PLACEHOLDER.sub(replacement, text)


def contact_values(flows: Flows) -> dict[str, str]:
    """Placeholder values: each contact, and `<key>_tel` digits for `tel:` links."""
    values: dict[str, str] = {}
    for key, contact in flows.contacts.items():
        values[key] = contact.value
        values[f"{key}_tel"] = re.sub(r"[^\d+]", "", contact.value)
    return values


def index_options(flows: Flows) -> Flows:
    """Precompute, per node, the options a tap may name (own options, then the footer)."""
    table: dict[NodeId, dict[OptionId, Option]] = {}
    for node in flows.nodes.values():
        options = {o.id: o for o in node.options}
        if node.footer:
            for option in _useful_footer(flows, node):
                options.setdefault(option.id, option)
        table[node.id] = options
    return replace(flows, options_by_node=table)


def _useful_footer(flows: Flows, node: Node) -> list[Option]:
    """The footer without buttons that would lead where the node already is or offers."""
    nav = flows.navigation
    pointless: set[Action] = set()
    if node.id == nav.menu:
        pointless.add(Action.MENU)
    if node.id == nav.start:
        pointless.update({Action.MENU, Action.BACK})
    if node.id == nav.hotline or any(o.goto == nav.hotline for o in node.options):
        pointless.add(Action.HOTLINE)
    return [o for o in nav.footer if o.action not in pointless]


def compile_source_texts(flows: Flows, notice_texts: Mapping[MsgKey, str]) -> Flows:
    """Collect every source string by key and build the source-language table."""
    source: dict[MsgKey, str] = {}
    for node in flows.nodes.values():
        source.update(zip(node.say_keys, node.say, strict=True))
        for option in node.options:
            source[option.key] = option.label
    for option in flows.navigation.footer:
        source[option.key] = option.label
    source.update(notice_texts)
    flows = replace(flows, source_texts=source)
    values = contact_values(flows)
    flows = replace(
        flows, nodes={nid: _fill_urls(node, values) for nid, node in flows.nodes.items()}
    )
    table = {key: Text(fill(text, values)) for key, text in source.items()}
    return replace(flows, texts={SOURCE_LANGUAGE: table})


def _fill_urls(node: Node, values: Mapping[str, str]) -> Node:
    if not any(o.url for o in node.options):
        return node
    options = tuple(replace(o, url=fill(o.url, values)) if o.url else o for o in node.options)
    return replace(node, options=options)


def localize(
    flows: Flows, languages: tuple[Language, ...], lookup: Callable[[str], Lookup]
) -> Flows:
    """Add a text table per language; gaps fall back to the source text, marked as such."""
    values = contact_values(flows)
    texts: dict[str, Mapping[MsgKey, Text]] = {SOURCE_LANGUAGE: flows.texts[SOURCE_LANGUAGE]}
    fallbacks: dict[tuple[MsgKey, bool], Text] = {}
    for language in languages:
        if language.code == SOURCE_LANGUAGE:
            continue
        find = lookup(language.code)
        rtl = language.direction == "rtl"
        table: dict[MsgKey, Text] = {}
        for key, source in flows.source_texts.items():
            translated = find(key, source)
            if translated:
                table[key] = Text(fill(translated, values, rtl=rtl))
            else:  # the same in every language of a direction: made once
                gap = (key, rtl)
                if gap not in fallbacks:
                    fallbacks[gap] = Text(fill(source, values, rtl=rtl), fallback=True)
                table[key] = fallbacks[gap]
        texts[language.code] = table
    return replace(flows, languages=languages, texts=texts)
