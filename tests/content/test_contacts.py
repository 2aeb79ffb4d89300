"""Every number the bot shows is one of contacts.yaml; every claim has its source."""

from __future__ import annotations

import re

from bot.engine import Flows
from bot.engine.lint import CLAIM

PHONE = re.compile(r"\+?\d[\d ]{5,}\d|\b19[234]\b")


def test_every_phone_number_shown_equals_a_contact(flows: Flows) -> None:
    contacts = {c.value for c in flows.contacts.values() if c.verified}
    for language, table in flows.texts.items():
        for key, text in table.items():
            for number in PHONE.findall(text.value.replace("\u2066", "").replace("\u2069", "")):
                assert number.strip() in contacts, (
                    f"{language} {key}: {number!r} is not in contacts.yaml"
                )


def test_unverified_contacts_are_never_shown(flows: Flows) -> None:
    hidden = [c.value for c in flows.contacts.values() if not c.verified]
    assert hidden, "contacts.yaml keeps ASTRA's number, unverified"
    for table in flows.texts.values():
        for text in table.values():
            assert not any(number in text.value for number in hidden)


def test_every_node_stating_a_right_or_period_has_a_source(flows: Flows) -> None:
    missing = [
        node.id
        for node in flows.nodes.values()
        if any(CLAIM.search(text) for text in node.say) and not node.source
    ]
    assert missing == []


def test_the_reflection_period_states_the_convention_minimum(flows: Flows) -> None:
    text = " ".join(flows.node("reflection.how_long").say)  # type: ignore[arg-type]
    assert "at least 30 days" in text
    assert "CETS 197" in (flows.node("reflection.how_long").source or "")  # type: ignore[arg-type]


def test_no_hours_or_cost_are_claimed_for_the_hotline(flows: Flows) -> None:
    english = " ".join(flows.texts["en"][k].value for k in flows.texts["en"]).lower()
    for unverified in ("24/7", "24 hours a day, 7", "free of charge", "free call", "toll-free"):
        assert unverified not in english


def test_the_reviewers_list_in_docs_names_every_screen_and_no_other(flows: Flows) -> None:
    from pathlib import Path

    listed = set(
        re.findall(
            r"^\| `([a-z_]+\.[a-z0-9_]+)` \|",
            (Path(__file__).parents[2] / "docs" / "CONTENT.md").read_text(),
            flags=re.M,
        )
    )
    assert listed == set(flows.nodes)
