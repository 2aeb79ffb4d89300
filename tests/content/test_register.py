"""The register's forbidden phrasings appear nowhere, and the check would catch one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.engine import Flows, load_dir
from bot.engine.lint import discreet_pattern, first_screens
from tests.conftest import FLOWS_DIR
from tests.content.register import forbidden_in, load_phrasings

PHRASINGS = load_phrasings()


def test_no_forbidden_phrasing_in_the_english_source_or_the_catalogs(flows: Flows) -> None:
    findings = forbidden_in(flows, PHRASINGS)
    assert findings == [], "\n".join(str(f) for f in findings)


def test_every_phrasing_says_why_and_what_to_say_instead() -> None:
    assert len([p for p in PHRASINGS if p.language == "en"]) >= 10
    for phrasing in PHRASINGS:
        assert phrasing.why, phrasing.pattern.pattern
        assert phrasing.say, phrasing.pattern.pattern


@pytest.mark.parametrize(
    ("file", "now", "put_back", "key"),
    [
        ("hotline.yaml", "Call this number.", "Call or message this number.", "hotline.start.say"),
        (
            "rights.yaml",
            "The law can allow that you are not punished for them",
            "The law allows that you are not punished for them",
            "rights.not_punished.say",
        ),
        (
            "rights.yaml",
            "You may get free legal help.",
            "You have a right to legal help and to free legal aid.",
            "rights.legal.say",
        ),
        (
            "reflection.yaml",
            "If the authorities have reasons to believe that you are in this situation, in most",
            "If there are good reasons to believe that someone has exploited you, in most",
            "reflection.start.say",
        ),
    ],
)
def test_putting_a_forbidden_phrasing_back_is_caught(
    tmp_path: Path, file: str, now: str, put_back: str, key: str
) -> None:
    shutil.copytree(FLOWS_DIR, tmp_path / "flows")
    path = tmp_path / "flows" / file
    text = path.read_text(encoding="utf-8")
    assert now in text, f"{file} no longer says {now!r}: update this test"
    path.write_text(text.replace(now, put_back), encoding="utf-8")
    english = [p for p in PHRASINGS if p.language == "en"]
    findings = forbidden_in(load_dir(tmp_path / "flows"), english)
    assert [f.key for f in findings] == [key]


def test_every_language_has_a_discreet_word_list(flows: Flows) -> None:
    missing = [lang.code for lang in flows.languages if lang.code not in flows.glossary.discreet]
    assert missing == [], f"flows/glossary.yaml: add discreet word stems for {missing}"


def test_each_flow_start_and_the_hotline_count_as_first_screens(flows: Flows) -> None:
    firsts = set(first_screens(flows))
    starts = {n for n in flows.nodes if n.endswith(".start")}
    assert starts <= firsts
    assert {flows.navigation.hotline, flows.navigation.menu, flows.navigation.exited} <= firsts


def test_discreet_stems_catch_the_inflected_word(flows: Flows) -> None:
    english = discreet_pattern(flows.glossary.discreet["en"])
    assert english is not None
    for word in ("exploited", "Exploitation", "trafficked", "victims", "slavery"):
        assert english.search(f"If someone {word} you"), word
    assert english.search("Choose a topic") is None


def test_docs_content_shows_each_screens_sources_and_the_date_it_was_checked(
    flows: Flows,
) -> None:
    page = (FLOWS_DIR.parent / "docs" / "CONTENT.md").read_text(encoding="utf-8")
    rows = {
        cells[0].strip("` "): cells
        for line in page.splitlines()
        if line.startswith("| `")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    for node in flows.nodes.values():
        cells = rows.get(node.id)
        assert cells is not None, f"docs/CONTENT.md has no row for {node.id}"
        assert cells[2] == (node.source or "— (states no legal fact)"), (
            f"docs/CONTENT.md: the sources of {node.id} differ from flows/ — copy `source:`"
        )
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[3]), f"{node.id}: no check date"


@pytest.mark.parametrize(
    ("language", "text", "word"),
    [
        ("ru", "Если вас эксплуатировали, прочитайте это.", "эксплуатировали"),
        ("fr", "Si vous avez été victime de la traite, lisez ceci.", "victime"),
        ("sr-Latn", "Ako ste žrtva, pročitajte ovo.", "žrtva"),
    ],
)
def test_a_discreet_word_on_a_linked_start_is_caught_in_any_language(
    flows: Flows, language: str, text: str, word: str
) -> None:
    from dataclasses import replace

    from bot.engine.lint import lint
    from bot.engine.model import MsgKey, Text

    key = MsgKey("work.start.say")
    table = {**flows.texts[language], key: Text(text)}
    changed = replace(flows, texts={**flows.texts, language: table})
    found = [p.message for p in lint(changed) if f'"{key}" in {language}' in p.message]
    assert found, f"the discreet-word lint missed {word!r} in {language} on work.start"
    assert f'says "{word}' in found[0]
