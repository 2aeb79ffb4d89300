"""Load `flows/*.yaml` into `Flows`, reporting every mistake with its file and line.

The format is described in docs/FLOW_FORMAT.md; `FORMAT_VERSION` is the newest one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.engine.model import (
    Action,
    Contact,
    Flows,
    Glossary,
    Location,
    MsgKey,
    Navigation,
    Node,
    NodeId,
    Option,
    OptionId,
    Term,
)
from bot.engine.problems import FlowError, Problem, did_you_mean
from bot.engine.texts import PLACEHOLDER, compile_source_texts, index_options
from bot.engine.yaml_source import LocatedDict, LocatedList, parse

__all__ = ["FORMAT_VERSION", "FlowError", "load", "load_dir"]

FORMAT_VERSION = 1
NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
OPTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
RESERVED_OPTION_IDS = frozenset({"say", "source"})
RUNTIME_PLACEHOLDERS = frozenset({"handoff_code"})

FLOW_KEYS = ("version", "id", "title", "nodes")
NODE_KEYS = ("say", "options", "source", "footer", "handoff", "languages", "remember", "note")
OPTION_KEYS = ("id", "label", "goto", "action", "url")
NAVIGATION_KEYS = ("start", "menu", "hotline", "exited", "forgotten", "footer", "notices")
CONTACT_KEYS = ("value", "source", "verified", "kind", "note")
REQUIRED_NOTICES = ("free_text", "fallback")


@dataclass
class _Draft:
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


def load_dir(folder: str | os.PathLike[str]) -> Flows:
    """Load every `*.yaml` in `folder`."""
    paths = sorted(Path(folder).glob("*.yaml"))
    if not paths:
        raise FlowError([Problem(Location(_display(Path(folder)), 0), "no *.yaml flow files here")])
    return load(paths)


def load(paths: Iterable[str | os.PathLike[str]]) -> Flows:
    """Parse and check flow files; raise `FlowError` listing every error found."""
    draft = _Draft()
    for path in paths:
        _load_file(draft, Path(path))
    if draft.navigation is None:
        draft.problems.append(
            Problem(
                None,
                "no navigation.yaml — add one with `navigation:` naming start, menu, "
                "hotline, exited, forgotten and the footer (see docs/FLOW_FORMAT.md)",
            )
        )
    _check_targets(draft)
    _check_placeholders(draft)
    if draft.problems:
        raise FlowError(draft.problems)
    assert draft.navigation is not None
    flows = Flows(
        nodes=dict(draft.nodes),
        navigation=draft.navigation,
        contacts=dict(draft.contacts),
        source_texts={},
        glossary=draft.glossary,
    )
    return index_options(compile_source_texts(flows, draft.notice_texts))


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _load_file(draft: _Draft, path: Path) -> None:
    before = len(draft.problems)
    _parse_file(draft, path)
    if len(draft.problems) > before:
        draft.broken_flows.add(path.stem)


@dataclass(frozen=True)
class ParsedFile:
    """One flow file on its own, before cross-file checks; `data` keeps YAML line numbers."""

    data: LocatedDict
    nodes: Mapping[NodeId, Node]
    navigation: Navigation | None


def parse_file_text(text: str, path: str | None = None) -> ParsedFile:
    """Parse one file's text (the i18n extractor uses this); raise `FlowError` on mistakes.

    Without a path, the flow's own `id:` stands in for the file name.
    """
    draft = _Draft()
    data = _parse_text(draft, path or "<flow file>", Path(path).stem if path else None, text)
    if draft.problems or data is None:
        raise FlowError(draft.problems)
    return ParsedFile(data, dict(draft.nodes), draft.navigation)


def _parse_file(draft: _Draft, path: Path) -> None:
    shown = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        draft.error(shown, 0, f"cannot read this file ({error}) — save it as UTF-8 text")
        return
    _parse_text(draft, shown, path.stem, text)


def _parse_text(draft: _Draft, shown: str, stem: str | None, text: str) -> LocatedDict | None:
    try:
        data, duplicates = parse(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(error, "problem", None) or str(error)
        draft.error(
            shown, line, f"this is not valid YAML ({problem}) — check indentation and quotes"
        )
        return None
    for dup in duplicates:
        draft.error(
            shown,
            dup.line,
            f'"{dup.key}" appears twice (first at line {dup.first_line}) — '
            "rename or merge one of them",
        )
    if not isinstance(data, LocatedDict):
        draft.error(shown, 1, "a flow file must be a mapping — start with `version: 1`")
        return None
    if not _check_version(draft, shown, data):
        return None
    if "navigation" in data:
        _load_navigation(draft, shown, data)
    elif "contacts" in data:
        _load_contacts(draft, shown, data)
    elif "glossary" in data:
        _load_glossary(draft, shown, data)
    else:
        _load_flow(draft, shown, stem or str(data.get("id")), data)
    return data


def _check_version(draft: _Draft, shown: str, data: LocatedDict) -> bool:
    version = data.get("version")
    line = data.key_lines.get("version", 1)
    if version is None:
        draft.error(shown, 1, f"no `version:` — add `version: {FORMAT_VERSION}` at the top")
        return False
    if not isinstance(version, int) or version < 1:
        draft.error(
            shown, line, f"version {version!r} is not a format version — use {FORMAT_VERSION}"
        )
        return False
    if version > FORMAT_VERSION:
        draft.error(
            shown,
            line,
            f"this file is format version {version}, but this Putokaz reads version "
            f"{FORMAT_VERSION} at most — upgrade Putokaz or write version {FORMAT_VERSION}",
        )
        return False
    return True


def _unknown_keys(
    draft: _Draft, shown: str, data: LocatedDict, allowed: Iterable[str], what: str
) -> None:
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            line = data.key_lines.get(key, data.line)
            hint = did_you_mean(key, allowed)
            draft.error(shown, line, f'unknown key "{key}" in {what}{hint}')


def _load_flow(draft: _Draft, shown: str, stem: str, data: LocatedDict) -> None:
    _unknown_keys(draft, shown, data, FLOW_KEYS, "a flow file")
    flow_id = data.get("id")
    if flow_id is None:
        draft.error(shown, 1, f"no `id:` — add `id: {stem}` (the file name)")
        return
    if flow_id != stem:
        draft.error(
            shown,
            data.key_lines["id"],
            f'flow id "{flow_id}" differs from the file name "{stem}.yaml" — '
            f"rename one so both say {stem}",
        )
        return
    if stem in draft.flow_files:
        draft.error(shown, 1, f'flow "{stem}" is also defined in {draft.flow_files[stem]}')
        return
    draft.flow_files[stem] = shown
    nodes = data.get("nodes")
    if not isinstance(nodes, LocatedDict) or not nodes:
        line = data.key_lines.get("nodes", 1)
        draft.error(shown, line, "a flow needs `nodes:` with at least one node — add `start:`")
        return
    for name, body in nodes.items():
        _load_node(draft, shown, flow_id, name, body, nodes.key_lines[name])


def _load_node(draft: _Draft, shown: str, flow_id: str, name: str, body: Any, line: int) -> None:
    node_id = NodeId(f"{flow_id}.{name}")
    if not NAME.match(name):
        draft.error(
            shown,
            line,
            f'node id "{name}" must be lowercase ASCII letters, digits and _ '
            "(starting with a letter) — rename it",
        )
        return
    if not isinstance(body, LocatedDict):
        draft.error(shown, line, f'node "{node_id}" must be a mapping with at least `say:`')
        return
    _unknown_keys(draft, shown, body, NODE_KEYS, f'node "{node_id}"')
    say = _texts(draft, shown, body, node_id, line)
    options = _options(draft, shown, body, "options", flow_id, node_id)
    languages = body.get("languages")
    location = Location(shown, line)
    draft.nodes[node_id] = Node(
        id=node_id,
        say=tuple(text for text, _ in say),
        say_keys=tuple(key for _, key in say),
        options=tuple(options),
        source=_optional_str(draft, shown, body, "source"),
        footer=_flag(draft, shown, body, "footer", default=True),
        handoff=_flag(draft, shown, body, "handoff", default=False),
        remember=_flag(draft, shown, body, "remember", default=True),
        languages=_qualify(flow_id, languages) if isinstance(languages, str) else None,
        location=location,
    )


def _texts(
    draft: _Draft, shown: str, body: LocatedDict, node_id: str, node_line: int
) -> list[tuple[str, MsgKey]]:
    say = body.get("say")
    line = body.key_lines.get("say", node_line)
    if isinstance(say, str):
        say = [say]
    if (
        not say
        or not isinstance(say, list)
        or not all(isinstance(s, str) and s.strip() for s in say)
    ):
        draft.error(
            shown,
            line,
            f'node "{node_id}" has no text — add `say: "…"` (one message or a list of messages)',
        )
        return []
    return [
        (text.strip(), MsgKey(f"{node_id}.say" if i == 0 else f"{node_id}.say.{i + 1}"))
        for i, text in enumerate(say)
    ]


def _optional_str(draft: _Draft, shown: str, body: LocatedDict, key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        draft.error(shown, body.key_lines[key], f"`{key}:` must be non-empty text")
        return None
    return value.strip()


def _flag(draft: _Draft, shown: str, body: LocatedDict, key: str, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        draft.error(shown, body.key_lines[key], f"`{key}:` must be true or false, not {value!r}")
        return default
    return value


def _qualify(flow_id: str, target: str) -> NodeId:
    return NodeId(target if "." in target else f"{flow_id}.{target}")


def _options(
    draft: _Draft, shown: str, body: LocatedDict, key: str, flow_id: str, owner: str
) -> list[Option]:
    raw = body.get(key)
    if raw is None:
        return []
    line = body.key_lines.get(key, body.line)
    if not isinstance(raw, LocatedList):
        draft.error(shown, line, f"`{key}:` must be a list of `{{id, label, goto|action|url}}`")
        return []
    options: list[Option] = []
    seen: dict[str, int] = {}
    for item, item_line in zip(raw, raw.item_lines, strict=True):
        option = _option(draft, shown, item, item_line, flow_id, owner)
        if option is None:
            continue
        if option.id in seen:
            draft.error(
                shown,
                item_line,
                f'option id "{option.id}" is used twice in "{owner}" (first at line '
                f"{seen[option.id]}) — give each button its own id",
            )
            continue
        seen[option.id] = item_line
        options.append(option)
    return options


def _option(
    draft: _Draft, shown: str, item: Any, line: int, flow_id: str, owner: str
) -> Option | None:
    if not isinstance(item, LocatedDict):
        draft.error(shown, line, "an option must be a mapping like {id: x, label: …, goto: …}")
        return None
    _unknown_keys(draft, shown, item, OPTION_KEYS, f'an option of "{owner}"')
    option_id, label = item.get("id"), item.get("label")
    if not isinstance(option_id, str) or not OPTION_ID.match(option_id):
        draft.error(
            shown,
            line,
            f"option id {option_id!r} is not a stable ASCII id — use lowercase letters, "
            "digits and _ (start with a letter, at most 24), e.g. `legal_aid`",
        )
        return None
    if option_id in RESERVED_OPTION_IDS:
        draft.error(shown, line, f'option id "{option_id}" is reserved — choose another id')
        return None
    if not isinstance(label, str) or not label.strip():
        draft.error(shown, line, f'option "{option_id}" has no label — add `label: "…"`')
        return None
    targets = [k for k in ("goto", "action", "url") if k in item]
    if len(targets) != 1:
        draft.error(
            shown,
            line,
            f'option "{option_id}" needs exactly one of goto, action or url '
            f"(has {', '.join(targets) or 'none'})",
        )
        return None
    action: Action | None = None
    if "action" in item:
        try:
            action = Action(item["action"])
        except ValueError:
            hint = did_you_mean(str(item["action"]), [a.value for a in Action])
            draft.error(
                shown, line, f'option "{option_id}" has unknown action "{item["action"]}"{hint}'
            )
            return None
    goto = item.get("goto")
    url = item.get("url")
    return Option(
        id=OptionId(option_id),
        label=label.strip(),
        key=MsgKey(f"{owner}.{option_id}"),
        goto=_qualify(flow_id, str(goto)) if goto is not None else None,
        action=action,
        url=str(url) if url is not None else None,
        location=Location(shown, line),
    )


def _load_navigation(draft: _Draft, shown: str, data: LocatedDict) -> None:
    _unknown_keys(draft, shown, data, ("version", "navigation"), "navigation.yaml")
    nav = data["navigation"]
    if not isinstance(nav, LocatedDict):
        draft.error(shown, data.key_lines["navigation"], "`navigation:` must be a mapping")
        return
    _unknown_keys(draft, shown, nav, NAVIGATION_KEYS, "navigation")
    ends: dict[str, NodeId] = {}
    for key in ("start", "menu", "hotline", "exited", "forgotten"):
        value = nav.get(key)
        if not isinstance(value, str) or "." not in value:
            draft.error(
                shown, nav.key_lines.get(key, nav.line), f"navigation needs `{key}: flow.node`"
            )
            continue
        ends[key] = NodeId(value)
    footer = _options(draft, shown, nav, "footer", "navigation", "navigation.footer")
    notices = nav.get("notices")
    notice_keys: dict[str, MsgKey] = {}
    if not isinstance(notices, LocatedDict):
        draft.error(
            shown, nav.line, "navigation needs `notices:` with " + ", ".join(REQUIRED_NOTICES)
        )
    else:
        for name in REQUIRED_NOTICES:
            if not isinstance(notices.get(name), str):
                draft.error(shown, notices.line, f'navigation.notices needs `{name}: "…"`')
        for name, text in notices.items():
            key = MsgKey(f"navigation.notice.{name}")
            notice_keys[name] = key
            draft.notice_texts[key] = str(text).strip()
    if len(ends) == 5:
        draft.navigation = Navigation(
            footer=tuple(footer),
            notices=notice_keys,
            location=Location(shown, data.key_lines["navigation"]),
            **ends,
        )


def _load_contacts(draft: _Draft, shown: str, data: LocatedDict) -> None:
    _unknown_keys(draft, shown, data, ("version", "contacts"), "contacts.yaml")
    contacts = data["contacts"]
    if not isinstance(contacts, LocatedDict):
        draft.error(shown, data.key_lines["contacts"], "`contacts:` must be a mapping")
        return
    for key, body in contacts.items():
        line = contacts.key_lines[key]
        if not NAME.match(key) or not isinstance(body, LocatedDict):
            draft.error(shown, line, f'contact "{key}" needs a lowercase id and `value:`')
            continue
        _unknown_keys(draft, shown, body, CONTACT_KEYS, f'contact "{key}"')
        value, source = body.get("value"), body.get("source")
        if value is None or not isinstance(source, str):
            draft.error(
                shown, line, f'contact "{key}" needs `value:` and `source:` (where it comes from)'
            )
            continue
        draft.contacts[key] = Contact(
            key=key,
            value=str(value),
            source=source,
            verified=body.get("verified") is True,
            location=Location(shown, line),
        )


def _load_glossary(draft: _Draft, shown: str, data: LocatedDict) -> None:
    _unknown_keys(draft, shown, data, ("version", "glossary"), "glossary.yaml")
    body = data["glossary"]
    if not isinstance(body, LocatedDict):
        draft.error(shown, data.key_lines["glossary"], "`glossary:` must be a mapping")
        return
    _unknown_keys(draft, shown, body, ("terms", "discreet"), "glossary")
    terms: list[Term] = []
    raw_terms = body.get("terms") or LocatedList()
    for item, line in zip(raw_terms, getattr(raw_terms, "item_lines", []), strict=False):
        if not isinstance(item, LocatedDict) or not isinstance(item.get("use"), str):
            draft.error(shown, line, 'a glossary term needs `use: "…"` and `avoid: [...]`')
            continue
        _unknown_keys(draft, shown, item, ("use", "avoid", "source", "note"), "a glossary term")
        avoid = item.get("avoid") or []
        terms.append(Term(item["use"], tuple(str(a) for a in avoid), Location(shown, line)))
    discreet_raw = body.get("discreet") or {}
    discreet = {
        str(lang): tuple(str(w) for w in words or ()) for lang, words in discreet_raw.items()
    }
    draft.glossary = Glossary(tuple(terms), discreet)


def _all_options(draft: _Draft) -> Iterable[tuple[str, Option]]:
    for node in draft.nodes.values():
        for option in node.options:
            yield node.id, option
    if draft.navigation:
        for option in draft.navigation.footer:
            yield "navigation.footer", option


def _check_targets(draft: _Draft) -> None:
    known = draft.nodes.keys()
    for owner, option in _all_options(draft):
        if option.goto is not None and option.goto not in known:
            _missing_target(
                draft, option.location, f'option "{option.id}" of "{owner}"', option.goto
            )
    for node in draft.nodes.values():
        if node.languages is not None and node.languages not in known:
            _missing_target(draft, node.location, f'`languages:` of "{node.id}"', node.languages)
    nav = draft.navigation
    if nav is not None:
        for name in ("start", "menu", "hotline", "exited", "forgotten"):
            target = getattr(nav, name)
            if target not in known:
                _missing_target(draft, nav.location, f"navigation `{name}`", target)
        footer_ids = {o.id for o in nav.footer}
        for node in draft.nodes.values():
            for option in node.options:
                if option.id in footer_ids and node.footer:
                    draft.problems.append(
                        Problem(
                            option.location,
                            f'option id "{option.id}" of "{node.id}" is also a footer button '
                            "— rename it so taps are not ambiguous",
                        )
                    )


def _missing_target(draft: _Draft, location: Location | None, what: str, target: str) -> None:
    if target.split(".", 1)[0] in draft.broken_flows:
        return  # that file's own error explains it; a second message would only add noise
    hint = did_you_mean(target, draft.nodes.keys())
    draft.problems.append(
        Problem(location, f'{what} goes to "{target}", which does not exist{hint}')
    )


def _check_placeholders(draft: _Draft) -> None:
    allowed_static = {k for k, c in draft.contacts.items()}
    derived = {f"{k}_tel" for k in allowed_static}
    for node in draft.nodes.values():
        strings = [
            *node.say,
            *(o.label for o in node.options),
            *(o.url or "" for o in node.options),
        ]
        for text in strings:
            for name in PLACEHOLDER.findall(text):
                if not name:
                    continue
                _check_placeholder(draft, node, name, allowed_static | derived)


def _check_placeholder(draft: _Draft, node: Node, name: str, known: set[str]) -> None:
    if name in RUNTIME_PLACEHOLDERS:
        if not node.handoff:
            draft.problems.append(
                Problem(
                    node.location,
                    f'"{{{name}}}" in "{node.id}" only works in a node with `handoff: true`',
                )
            )
        return
    if name not in known:
        hint = did_you_mean(name, known | RUNTIME_PLACEHOLDERS)
        draft.problems.append(
            Problem(
                node.location, f'"{{{name}}}" in "{node.id}" is not a key of contacts.yaml{hint}'
            )
        )
        return
    contact = draft.contacts.get(name) or draft.contacts[name.removesuffix("_tel")]
    if not contact.verified:
        draft.problems.append(
            Problem(
                node.location,
                f'"{node.id}" shows contact "{contact.key}", which is `verified: false` — '
                "have staff confirm it in contacts.yaml, or remove it from the text",
            )
        )
