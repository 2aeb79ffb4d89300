"""The flow folder's other files: navigation.yaml, contacts.yaml and glossary.yaml.

Each reader adds what it found, or located problems, to the loader's `Draft`.
"""

from __future__ import annotations

from bot.engine.load.draft import NAME, Draft, unknown_keys
from bot.engine.load.flow_file import load_options
from bot.engine.load.yaml_source import LocatedDict, LocatedList
from bot.engine.model import Contact, Glossary, Location, MsgKey, Navigation, NodeId, Term

NAVIGATION_KEYS = ("start", "menu", "hotline", "exited", "forgotten", "footer", "notices")
CONTACT_KEYS = ("value", "source", "verified", "kind", "note")
REQUIRED_NOTICES = ("free_text", "fallback")


def load_navigation(draft: Draft, shown: str, data: LocatedDict) -> None:
    """Read navigation.yaml: where Start, Menu and the hotline lead, the footer, notices."""
    unknown_keys(draft, shown, data, ("version", "navigation"), "navigation.yaml")
    nav = data["navigation"]
    if not isinstance(nav, LocatedDict):
        draft.error(shown, data.key_lines["navigation"], "`navigation:` must be a mapping")
        return
    unknown_keys(draft, shown, nav, NAVIGATION_KEYS, "navigation")
    ends: dict[str, NodeId] = {}
    for key in ("start", "menu", "hotline", "exited", "forgotten"):
        value = nav.get(key)
        if not isinstance(value, str) or "." not in value:
            draft.error(
                shown, nav.key_lines.get(key, nav.line), f"navigation needs `{key}: flow.node`"
            )
            continue
        ends[key] = NodeId(value)
    footer = load_options(draft, shown, nav, "footer", "navigation", "navigation.footer")
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


def load_contacts(draft: Draft, shown: str, data: LocatedDict) -> None:
    """Read contacts.yaml: every number the flows may show, with its source."""
    unknown_keys(draft, shown, data, ("version", "contacts"), "contacts.yaml")
    contacts = data["contacts"]
    if not isinstance(contacts, LocatedDict):
        draft.error(shown, data.key_lines["contacts"], "`contacts:` must be a mapping")
        return
    for key, body in contacts.items():
        line = contacts.key_lines[key]
        if not NAME.match(key) or not isinstance(body, LocatedDict):
            draft.error(shown, line, f'contact "{key}" needs a lowercase id and `value:`')
            continue
        unknown_keys(draft, shown, body, CONTACT_KEYS, f'contact "{key}"')
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


def load_glossary(draft: Draft, shown: str, data: LocatedDict) -> None:
    """Read glossary.yaml: terms said one way, and words kept off the first screens."""
    unknown_keys(draft, shown, data, ("version", "glossary"), "glossary.yaml")
    body = data["glossary"]
    if not isinstance(body, LocatedDict):
        draft.error(shown, data.key_lines["glossary"], "`glossary:` must be a mapping")
        return
    unknown_keys(draft, shown, body, ("terms", "discreet"), "glossary")
    terms: list[Term] = []
    raw_terms = body.get("terms") or LocatedList()
    for item, line in zip(raw_terms, getattr(raw_terms, "item_lines", []), strict=False):
        if not isinstance(item, LocatedDict) or not isinstance(item.get("use"), str):
            draft.error(shown, line, 'a glossary term needs `use: "…"` and `avoid: [...]`')
            continue
        unknown_keys(draft, shown, item, ("use", "avoid", "source", "note"), "a glossary term")
        avoid = item.get("avoid") or []
        terms.append(Term(item["use"], tuple(str(a) for a in avoid), Location(shown, line)))
    discreet_raw = body.get("discreet") or {}
    discreet = {
        str(lang): tuple(str(w) for w in words or ()) for lang, words in discreet_raw.items()
    }
    draft.glossary = Glossary(tuple(terms), discreet)
