"""Checks on loaded flows that a person would feel: reachability, dead ends,
the hotline within two taps, labels and screens that fit a phone.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator

from bot.engine.choice_token import TELEGRAM_CALLBACK_LIMIT, encode_choice
from bot.engine.model import (
    LANGUAGE_OPTION_PREFIX,
    SOURCE_LANGUAGE,
    Action,
    Flows,
    Location,
    MsgKey,
    NodeId,
)
from bot.engine.problems import Problem, Severity

HOTLINE_MAX_TAPS = 2
LABEL_LIMIT = 40
SCREEN_LIMIT = 400
TRANSLATED_SCREEN_LIMIT = 1000
CLAIM = re.compile(
    r"\b(right|rights|law|legal|article|art\.|permit|residence|compensation|expel\w*|"
    r"punish\w*|entitled|days?)\b",
    re.IGNORECASE,
)


def taps(flows: Flows, node_id: NodeId) -> Iterator[NodeId]:
    """Nodes one tap away from `node_id` (Back is left out: it depends on history)."""
    nav = flows.navigation
    node = flows.node(node_id)
    if node.languages:
        yield node.languages
    for option in flows.options_by_node[node_id].values():
        if option.goto is not None:
            yield option.goto
        elif option.action is Action.HOTLINE:
            yield nav.hotline
        elif option.action is Action.MENU:
            yield nav.menu
        elif option.action is Action.EXIT:
            yield nav.exited
        elif option.action is Action.FORGET:
            yield nav.forgotten


def distances_to(flows: Flows, target: NodeId) -> dict[NodeId, int]:
    """Fewest taps from each node to `target` (missing: unreachable)."""
    reverse: dict[NodeId, set[NodeId]] = {n: set() for n in flows.nodes}
    for node_id in flows.nodes:
        for nxt in taps(flows, node_id):
            reverse[nxt].add(node_id)
    distance = {target: 0}
    queue = deque([target])
    while queue:
        here = queue.popleft()
        for before in reverse[here]:
            if before not in distance:
                distance[before] = distance[here] + 1
                queue.append(before)
    return distance


def reachable(flows: Flows) -> set[NodeId]:
    nav = flows.navigation
    seen = {nav.start, nav.exited, nav.forgotten}
    queue = deque(seen)
    while queue:
        for nxt in taps(flows, queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def lint(flows: Flows) -> list[Problem]:
    """Every structural and content problem, errors and warnings."""
    return [
        *_unreachable(flows),
        *_dead_ends(flows),
        *_hotline_distance(flows),
        *_labels(flows),
        *_screens(flows),
        *_sources(flows),
        *_glossary(flows),
        *_discreet(flows),
    ]


def _unreachable(flows: Flows) -> Iterator[Problem]:
    seen = reachable(flows)
    for node in flows.nodes.values():
        if node.id not in seen:
            yield Problem(
                node.location,
                f'node "{node.id}" cannot be reached from "{flows.navigation.start}" — '
                "add a button that goes to it, or delete it",
            )


def _dead_ends(flows: Flows) -> Iterator[Problem]:
    for node in flows.nodes.values():
        if node.id == flows.navigation.exited:
            continue
        if not flows.options_by_node[node.id] and not node.languages:
            yield Problem(
                node.location,
                f'node "{node.id}" is a dead end: no buttons and `footer: false` — '
                "add an option (at least back to the menu) or drop `footer: false`",
            )


def _hotline_distance(flows: Flows) -> Iterator[Problem]:
    distance = distances_to(flows, flows.navigation.hotline)
    for node in flows.nodes.values():
        if node.id == flows.navigation.exited:
            continue
        taps_needed = distance.get(node.id)
        if taps_needed is None or taps_needed > HOTLINE_MAX_TAPS:
            shown = "cannot reach it" if taps_needed is None else f"needs {taps_needed} taps"
            yield Problem(
                node.location,
                f'from "{node.id}" the hotline ({flows.navigation.hotline}) {shown}; '
                f"the limit is {HOTLINE_MAX_TAPS} — keep the footer or add a hotline button",
            )


def _labels(flows: Flows) -> Iterator[Problem]:
    for node in flows.nodes.values():
        for option in node.options:
            size = len(option.label)
            if size > LABEL_LIMIT:
                yield Problem(
                    option.location,
                    f'label of option "{option.id}" has {size} characters, over the limit of '
                    f"{LABEL_LIMIT} (buttons on Telegram and Viber cut it) — shorten it",
                )
            token = encode_choice(node.id, option.id)
            if len(token.encode()) > TELEGRAM_CALLBACK_LIMIT:
                yield Problem(
                    option.location,
                    f'button "{token}" is {len(token.encode())} bytes, over Telegram\'s '
                    f"callback_data limit of {TELEGRAM_CALLBACK_LIMIT} — "
                    "shorten the node or option id",
                )
            for code, table in flows.texts.items():
                label = table[option.key]
                if (
                    code != SOURCE_LANGUAGE
                    and not label.fallback
                    and len(label.value) > LABEL_LIMIT
                ):
                    yield Problem(
                        option.location,
                        f'label of option "{option.id}" in {code} has {len(label.value)} '
                        f"characters, over the limit of {LABEL_LIMIT} — shorten the translation",
                    )
        if node.languages:
            for language in flows.languages:
                token = encode_choice(node.id, LANGUAGE_OPTION_PREFIX + language.code)
                if len(token.encode()) > TELEGRAM_CALLBACK_LIMIT:
                    yield Problem(node.location, f'language button "{token}" is too long')


def _screens(flows: Flows) -> Iterator[Problem]:
    for language, table in flows.texts.items():
        limit = SCREEN_LIMIT if language == SOURCE_LANGUAGE else TRANSLATED_SCREEN_LIMIT
        for node in flows.nodes.values():
            texts = [table[key] for key in node.say_keys]
            if language != SOURCE_LANGUAGE and all(t.fallback for t in texts):
                continue  # the English itself is measured once, under "en"
            size = sum(len(t.value) for t in texts)
            if size > limit:
                where = "" if language == SOURCE_LANGUAGE else f" in {language}"
                yield Problem(
                    node.location,
                    f'screen "{node.id}"{where} has {size} characters, over the budget of '
                    f"{limit} for a small phone screen — shorten it or split it into two nodes",
                )


def _sources(flows: Flows) -> Iterator[Problem]:
    for node in flows.nodes.values():
        if node.source:
            continue
        claim = next((m.group(0) for t in node.say for m in [CLAIM.search(t)] if m), None)
        if claim:
            yield Problem(
                node.location,
                f'node "{node.id}" states a right, a period or a legal fact ("{claim}…") but '
                "has no `source:` — add the source from CONTENT.md",
                Severity.ERROR,
            )


def _glossary(flows: Flows) -> Iterator[Problem]:
    for term in flows.glossary.terms:
        for avoided in term.avoid:
            pattern = re.compile(rf"\b{re.escape(avoided)}\b", re.IGNORECASE)
            for node in flows.nodes.values():
                if any(pattern.search(text) for text in node.say):
                    yield Problem(
                        node.location,
                        f'"{node.id}" says "{avoided}" — the glossary says "{term.use}"; '
                        "use that so the same thing has one name everywhere",
                    )


def first_screens(flows: Flows) -> list[NodeId]:
    """Nodes a person can see before choosing anything: the start, the menu, the hotline,
    the two endings, and every flow's start (an escalation link `?start=en-<flow>`
    opens `<flow>.start` directly, so each is a first screen too)."""
    nav = flows.navigation
    fixed = [nav.start, nav.menu, nav.hotline, nav.exited, nav.forgotten]
    starts = [node_id for node_id in flows.nodes if node_id.endswith(".start")]
    return list(dict.fromkeys(n for n in (*fixed, *starts) if n in flows.nodes))


def discreet_keys(flows: Flows) -> list[tuple[MsgKey, Location | None]]:
    """Strings seen before anyone chooses a topic: every first screen and its buttons,
    the first flow's buttons, the footer and the notices."""
    nav = flows.navigation
    keys: list[tuple[MsgKey, Location | None]] = []
    first_flow = nav.start.split(".")[0]
    for node_id in first_screens(flows):
        node = flows.node(node_id)
        keys.extend((key, node.location) for key in node.say_keys)
        keys.extend((option.key, option.location) for option in node.options)
    for node in flows.nodes.values():
        if node.flow == first_flow:
            keys.extend((option.key, option.location) for option in node.options)
    keys.extend((option.key, option.location) for option in nav.footer)
    keys.extend((key, nav.location) for key in nav.notices.values())
    return list(dict.fromkeys(keys))


def discreet_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for a language's discreet list; each entry is a word stem, found
    anywhere in the text ("exploit" catches "exploited" and "exploitation")."""
    stems = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not stems:
        return None
    # The trailing letters only make the message show the whole word ("exploited").
    return re.compile("(?:" + "|".join(re.escape(w) for w in stems) + r")\w{0,15}", re.IGNORECASE)


def _discreet(flows: Flows) -> Iterator[Problem]:
    """No word that gives the subject away where someone looking over a shoulder sees it."""
    english = flows.glossary.discreet.get(SOURCE_LANGUAGE, ())
    for node in flows.nodes.values():
        word = next((w for w in english if w.lower() in node.flow.lower()), None)
        if word and node.id.endswith(".start"):
            yield Problem(
                node.location,
                f'flow id "{node.flow}" contains "{word}" and shows in escalation links '
                "(?start=en-" + node.flow + ") — rename the flow",
            )
    for language, table in flows.texts.items():
        words = flows.glossary.discreet.get(language, ()) + flows.glossary.discreet.get(
            SOURCE_LANGUAGE, ()
        )
        pattern = discreet_pattern(words)
        if pattern is None:
            continue
        for key, location in discreet_keys(flows):
            text = table[key]
            if language != SOURCE_LANGUAGE and text.fallback:
                continue  # English fallback: reported once, under "en"
            found = pattern.search(text.value)
            if found:
                yield Problem(
                    location,
                    f'"{key}" in {language} says "{found.group(0)}", which must not show on the '
                    "first screens or buttons (a flow's start opens first from an escalation "
                    "link; someone may be looking over the shoulder) — reword it",
                )
