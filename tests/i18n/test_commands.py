"""`putokaz i18n extract | update | compile | coverage`, end to end in a tmp project."""

from __future__ import annotations

import gettext
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.engine import load_dir, render
from bot.i18n.catalogs import attach_catalogs
from bot.i18n.pofiles import read_catalog
from tests.i18n.workspace import Workspace, make_workspace
from tests.support.system_tools import require

OLD = "You have at least 30 days to recover and decide."
NEW = "You have at least 30 days to rest, recover and decide."


def putokaz(*args: str) -> Result:
    from bot.cli import main

    return CliRunner().invoke(main, list(args))


def i18n(space: Workspace, command: str, *extra: str) -> Result:
    args = ["i18n", command, "--locales", str(space.locales), *extra]
    if command in ("extract", "coverage"):
        args += ["--flows", str(space.flows)]
    result = putokaz(*args)
    assert result.exit_code in (0, 1), result.output
    return result


def translate_everything(space: Workspace, locale: str) -> None:
    """A complete translation that keeps every placeholder and number: "[fa] …"."""
    catalog = read_catalog(space.po(locale))
    space.translate(locale, {m.context: f"[{locale}] {m.id}" for m in catalog if m.id})


@pytest.fixture
def space(tmp_path: Path) -> Workspace:
    space = make_workspace(tmp_path, ["fa:fa:rtl", "sr-Latn:sr_Latn:ltr", "ar:ar:rtl"])
    i18n(space, "extract")
    i18n(space, "update")
    return space


def test_update_creates_an_untranslated_draft_catalog_per_language(tmp_path: Path) -> None:
    space = make_workspace(tmp_path, ["fa:fa:rtl", "sr-Latn:sr_Latn:ltr"])
    assert "18 strings (written)" in i18n(space, "extract").output
    result = i18n(space, "update")
    assert result.output.splitlines() == [
        f"fa: 18 new, 0 changed (fuzzy), 0 obsolete — {space.po('fa')} (new)",
        f"sr-Latn: 18 new, 0 changed (fuzzy), 0 obsolete — {space.po('sr_Latn')} (new)",
    ]
    text = space.po("sr_Latn").read_text(encoding="utf-8")
    assert "# DRAFT machine translation — not reviewed by a native speaker.\n" in text
    assert '"X-Putokaz-Review: draft\\n"' in text
    assert '"Language: sr_Latn\\n"' in text
    catalog = read_catalog(space.po("fa"))
    assert all(not m.string for m in catalog if m.id)
    assert len([m for m in catalog if m.id]) == 18


def test_a_reviewed_language_says_so_in_its_header(tmp_path: Path) -> None:
    space = make_workspace(tmp_path, ["fr:fr:ltr:published:reviewed"])
    i18n(space, "extract")
    i18n(space, "update")
    text = space.po("fr").read_text(encoding="utf-8")
    assert "# Reviewed by a native speaker (native-speaker caseworker) on 2026-01-15.\n" in text
    assert '"X-Putokaz-Review: reviewed\\n"' in text
    i18n(space, "compile")
    with space.mo("fr").open("rb") as fileobj:
        assert gettext.GNUTranslations(fileobj).info()["x-putokaz-review"] == "reviewed"


def test_extract_leaves_an_unchanged_template_alone(space: Workspace) -> None:
    before = (space.locales / "messages.pot").read_bytes()
    assert "18 strings (unchanged)" in i18n(space, "extract").output
    assert (space.locales / "messages.pot").read_bytes() == before


def test_changed_english_is_fuzzy_everywhere_and_shown_in_english(space: Workspace) -> None:
    for locale in ("fa", "sr_Latn", "ar"):
        translate_everything(space, locale)
    i18n(space, "compile")
    flows = attach_catalogs(load_dir(space.flows), space.locales)
    before = render(flows, "rights.start", "fa")
    assert before.messages[0].text == f"[fa] {OLD}"
    assert before.notices == ()

    space.edit_flow("rights.yaml", OLD, NEW)
    i18n(space, "extract")
    assert (
        i18n(space, "update")
        .output.splitlines()[0]
        .startswith("fa: 0 new, 1 changed (fuzzy), 0 obsolete")
    )
    for locale in ("fa", "sr_Latn", "ar"):
        entry = next(m for m in read_catalog(space.po(locale)) if m.context == "rights.start.say")
        assert (entry.id, entry.string, entry.fuzzy) == (NEW, f"[{locale}] {OLD}", True)
        assert entry.previous_id == [OLD]
        text = space.po(locale).read_text(encoding="utf-8")
        assert f'#, fuzzy\n#| msgid "{OLD}"\nmsgctxt "rights.start.say"\n' in text

    # The .mo is now older than the .po: the catalog is compiled again, in memory.
    flows = attach_catalogs(load_dir(space.flows), space.locales)
    after = render(flows, "rights.start", "fa")
    assert after.messages[0].text == NEW
    assert after.messages[1].text == "[fa] In danger now? Call the police: \u2066192\u2069."
    assert after.notices == ("[fa] Part of this page is in English.",)
    assert all(OLD not in m.text for m in after.messages)


def test_the_old_english_survives_further_updates_until_fixed(space: Workspace) -> None:
    translate_everything(space, "fa")
    space.edit_flow("rights.yaml", OLD, NEW)
    i18n(space, "extract")
    i18n(space, "update")
    space.edit_flow("rights.yaml", NEW, "You have at least 30 days to think.")
    space.edit_flow("rights.yaml", '"Tell me more"', '"More, please"')
    i18n(space, "extract")
    i18n(space, "update")
    entries = {m.context: m for m in read_catalog(space.po("fa"))}
    # The translation still says what the first English text said.
    assert entries["rights.start.say"].previous_id == [OLD]
    assert entries["rights.start.more"].previous_id == ["Tell me more"]
    assert entries["rights.start.more"].string == "[fa] Tell me more"
    assert all(not c.startswith("|") for m in entries.values() for c in m.user_comments)


def test_compile_leaves_fuzzy_and_empty_entries_out(space: Workspace) -> None:
    space.translate(
        "fa",
        {"welcome.menu.say": "یک موضوع انتخاب کنید.", "rights.start.more": "بیشتر"},
        fuzzy=["rights.start.more"],
    )
    assert "fa: 1 of 18 translated" in i18n(space, "compile").output
    with space.mo("fa").open("rb") as fileobj:
        mo = gettext.GNUTranslations(fileobj)
    assert mo.pgettext("welcome.menu.say", "Choose a topic.") == "یک موضوع انتخاب کنید."
    assert mo.pgettext("rights.start.more", "Tell me more") == "Tell me more"


def test_a_removed_string_becomes_obsolete(space: Workspace) -> None:
    translate_everything(space, "fa")
    space.edit_flow("rights.yaml", '      - {id: more, label: "Tell me more", goto: more}\n', "")
    space.edit_flow(
        "welcome.yaml",
        "goto: rights.start}",
        'goto: rights.start}\n      - {id: more, label: "More", goto: rights.more}',
    )
    i18n(space, "extract")
    line = i18n(space, "update").output.splitlines()[0]
    assert line.startswith("fa: 1 new, 0 changed (fuzzy), 1 obsolete")
    assert '#~ msgctxt "rights.start.more"' in space.po("fa").read_text(encoding="utf-8")


def test_update_without_a_template_says_what_to_run(tmp_path: Path) -> None:
    space = make_workspace(tmp_path, ["fa:fa:rtl"])
    result = i18n(space, "update")
    assert result.exit_code == 1
    assert "messages.pot:0: no template — run `putokaz i18n extract` first" in result.output


def test_coverage_counts_per_language_and_strict_fails_on_published_gaps(
    tmp_path: Path,
) -> None:
    space = make_workspace(tmp_path, ["fa:fa:rtl:published", "sr-Latn:sr_Latn:ltr"])
    i18n(space, "extract")
    i18n(space, "update")
    space.translate(
        "fa",
        {
            "welcome.menu.say": "یک موضوع انتخاب کنید.",
            "rights.start.more": "بیشتر بگو",
            "hotline.start.say": "فقط کد: {handoff_code}",
        },
        fuzzy=["rights.start.more"],
    )
    result = i18n(space, "coverage")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "code       translated  fuzzy  missing  reviewed  status   published name",
        "en            18 100%      0        0      100%  reviewed yes       English",
        "fa               1 5%      1       16        0%  draft    yes       Name-fa",
        "sr-Latn          0 0%      0       18        0%  draft    no        Name-sr-Latn",
    ]
    strict = i18n(space, "coverage", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == (
        "published with gaps: fa (16 missing, 1 fuzzy) — translate them, or set "
        "published: false in languages.yaml"
    )
    translate_everything(space, "fa")
    assert i18n(space, "coverage", "--strict").exit_code == 0


def test_msgfmt_accepts_catalogs_after_a_change(space: Workspace) -> None:
    translate_everything(space, "fa")
    space.edit_flow("rights.yaml", OLD, NEW)
    i18n(space, "extract")
    i18n(space, "update")
    for po in sorted(space.locales.glob("*/LC_MESSAGES/messages.po")):
        done = subprocess.run(
            [require("msgfmt"), "--check", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""


def test_msgfmt_accepts_a_fuzzy_entry_whose_old_english_had_several_lines(
    space: Workspace,
) -> None:
    long_old = "A first paragraph that is long enough to wrap in the catalog file, surely."
    space.edit_flow("rights.yaml", OLD, long_old)
    i18n(space, "extract")
    i18n(space, "update")
    translate_everything(space, "fa")
    space.edit_flow("rights.yaml", long_old, NEW)
    i18n(space, "extract")
    i18n(space, "update")
    po = space.po("fa")
    done = subprocess.run(
        [require("msgfmt"), "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    entry = next(m for m in read_catalog(po) if m.context == "rights.start.say")
    assert entry.fuzzy
    assert entry.previous_id == [long_old]
