"""Merge the template into a language's catalog, matching entries by msgctxt first.

Babel's `Catalog.update` matches by msgid, falling back to a fuzzy text match that
ignores msgctxt and misses rewritten sentences; our msgctxt is a stable key instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message

FUZZY = "fuzzy"


@dataclass(frozen=True)
class MergeResult:
    """What changed in one catalog: new strings, changed English (now fuzzy), removed."""

    added: int
    changed: int
    obsolete: int


def merge(catalog: Catalog, template: Catalog) -> MergeResult:
    """Bring `catalog` up to `template` in place; changed English keeps the old
    translation, marked fuzzy, with the English it was made for as `#| msgid`."""
    before = {m.context for m in catalog if m.id}
    obsolete_before = len(catalog.obsolete)
    previous, changed = _retarget(catalog, template)
    catalog.update(template, update_header_comment=False, keep_user_comments=True)
    for message in catalog:
        # Babel's update rebuilds entries from the template and forgets previous_id.
        if message.id and message.fuzzy and message.context in previous:
            message.previous_id = previous[message.context]
    added = sum(1 for m in template if m.id and m.context not in before)
    return MergeResult(added, changed, len(catalog.obsolete) - obsolete_before)


def _retarget(catalog: Catalog, template: Catalog) -> tuple[dict[str | None, list[str]], int]:
    """Re-key entries whose English changed to the new msgid, so `update` finds them."""
    wanted = {str(m.context): m.id for m in template if m.id and m.context}
    previous: dict[str | None, list[str]] = {}
    changed = 0
    for old in [m for m in catalog if m.id and m.context]:
        old_previous = list(old.previous_id) if old.fuzzy and old.previous_id else []
        new_id = wanted.get(str(old.context))
        if new_id is None or new_id == old.id:
            if old_previous:
                previous[old.context] = old_previous
            continue
        catalog.delete(old.id, context=old.context)
        flags = set(old.flags)
        if old.string:
            changed += 1
            flags.add(FUZZY)
            # The translation still renders the English it was made for, not the last text.
            previous[old.context] = old_previous or [str(old.id)]
        catalog[new_id] = Message(
            new_id,
            old.string,
            locations=old.locations,
            flags=flags,
            auto_comments=old.auto_comments,
            user_comments=old.user_comments,
            context=old.context,
        )
    return previous, changed
