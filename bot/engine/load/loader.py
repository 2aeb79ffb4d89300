"""Load `flows/*.yaml` into `Flows`, reporting every mistake with its file and line.

The format is described in docs/FLOW_FORMAT.md; `FORMAT_VERSION` is the newest one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.engine.load.draft import Draft
from bot.engine.load.flow_file import load_flow
from bot.engine.load.side_files import load_contacts, load_glossary, load_navigation
from bot.engine.load.yaml_source import InvalidYaml, LocatedDict, parse
from bot.engine.model import (
    Flows,
    Location,
    Navigation,
    Node,
    NodeId,
    Option,
)
from bot.engine.problems import FlowError, Problem, did_you_mean
from bot.engine.texts import PLACEHOLDER, compile_source_texts, index_options

__all__ = ["FORMAT_VERSION", "FlowError", "load", "load_dir", "load_texts"]

FORMAT_VERSION = 1
RUNTIME_PLACEHOLDERS = frozenset({"handoff_code"})


def load_dir(folder: str | os.PathLike[str]) -> Flows:
    """Load every `*.yaml` in `folder`."""
    paths = sorted(Path(folder).glob("*.yaml"))
    if not paths:
        raise FlowError([Problem(Location(_display(Path(folder)), 0), "no *.yaml flow files here")])
    return load(paths)


def load(paths: Iterable[str | os.PathLike[str]]) -> Flows:
    """Parse and check flow files; raise `FlowError` listing every error found."""
    draft = Draft()
    for path in paths:
        _load_file(draft, Path(path))
    return _finish(draft)


def load_texts(files: Mapping[str, str], folder: str = "flows") -> Flows:
    """Like `load`, from file texts by name (`{"reflection.yaml": "..."}`), as the staff
    area holds them; problems name `folder/NAME:LINE` as `putokaz check` does."""
    draft = Draft()
    for name in sorted(files):
        before = len(draft.problems)
        _parse_text(draft, f"{folder}/{name}", Path(name).stem, files[name])
        if len(draft.problems) > before:
            draft.broken_flows.add(Path(name).stem)
    return _finish(draft)


def _finish(draft: Draft) -> Flows:
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


def _load_file(draft: Draft, path: Path) -> None:
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
    draft = Draft()
    data = _parse_text(draft, path or "<flow file>", Path(path).stem if path else None, text)
    if draft.problems or data is None:
        raise FlowError(draft.problems)
    return ParsedFile(data, dict(draft.nodes), draft.navigation)


def _parse_file(draft: Draft, path: Path) -> None:
    shown = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        draft.error(shown, 0, f"cannot read this file ({error}) — save it as UTF-8 text")
        return
    _parse_text(draft, shown, path.stem, text)


def _parse_text(draft: Draft, shown: str, stem: str | None, text: str) -> LocatedDict | None:
    try:
        data, duplicates = parse(text)
    except InvalidYaml as error:
        draft.error(shown, error.line, str(error))
        return None
    for dup in duplicates:
        draft.error(shown, dup.line, str(dup))
    if not isinstance(data, LocatedDict):
        draft.error(shown, 1, "a flow file must be a mapping — start with `version: 1`")
        return None
    if not _check_version(draft, shown, data):
        return None
    if "navigation" in data:
        load_navigation(draft, shown, data)
    elif "contacts" in data:
        load_contacts(draft, shown, data)
    elif "glossary" in data:
        load_glossary(draft, shown, data)
    else:
        load_flow(draft, shown, stem or str(data.get("id")), data)
    return data


def _check_version(draft: Draft, shown: str, data: LocatedDict) -> bool:
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


def _all_options(draft: Draft) -> Iterable[tuple[str, Option]]:
    for node in draft.nodes.values():
        for option in node.options:
            yield node.id, option
    if draft.navigation:
        for option in draft.navigation.footer:
            yield "navigation.footer", option


def _check_targets(draft: Draft) -> None:
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


def _missing_target(draft: Draft, location: Location | None, what: str, target: str) -> None:
    if target.split(".", 1)[0] in draft.broken_flows:
        return  # that file's own error explains it; a second message would only add noise
    hint = did_you_mean(target, draft.nodes.keys())
    draft.problems.append(
        Problem(location, f'{what} goes to "{target}", which does not exist{hint}')
    )


def _check_placeholders(draft: Draft) -> None:
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


def _check_placeholder(draft: Draft, node: Node, name: str, known: set[str]) -> None:
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
