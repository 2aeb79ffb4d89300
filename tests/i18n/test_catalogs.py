"""attach_catalogs: one table per language with a catalog; English, with the fallback
notice, wherever a translation is missing, fuzzy, outdated or broken."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.engine import Flows, load_dir, render
from bot.i18n.catalogs import attach_catalogs
from bot.i18n.errors import CatalogError
from tests.i18n.workspace import FIXTURE_FLOWS, Workspace, make_workspace, prepared_workspace

PHONE = "+381 61 63 84 071"
LRI, PDI = "\u2066", "\u2069"


def attached(space: Workspace) -> Flows:
    return attach_catalogs(load_dir(space.flows), space.locales)


def test_no_locales_folder_means_english_only(tmp_path: Path) -> None:
    flows = attach_catalogs(load_dir(FIXTURE_FLOWS), tmp_path / "missing")
    assert [language.code for language in flows.languages] == ["en"]
    assert attach_catalogs(load_dir(FIXTURE_FLOWS), None).languages == flows.languages


def test_a_manifest_without_catalogs_offers_english_only(tmp_path: Path) -> None:
    space = make_workspace(tmp_path, ["fa:fa:rtl"])
    assert [language.code for language in attached(space).languages] == ["en"]


def test_only_languages_with_a_catalog_are_offered(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "fa:fa:rtl", "ar:ar:rtl", "sr-Latn:sr_Latn:ltr")
    space.po("ar").unlink()
    flows = attached(space)
    assert [(lang.code, lang.direction) for lang in flows.languages] == [
        ("en", "ltr"),
        ("fa", "rtl"),
        ("sr-Latn", "ltr"),
    ]
    menu = render(flows, flows.navigation.start, "en")
    assert [b.label for b in menu.buttons if b.option_id.startswith("@")] == [
        "English",
        "Name-fa",
        "Name-sr-Latn",
    ]


def test_untranslated_and_fuzzy_strings_show_english_with_the_notice(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "sr-Latn:sr_Latn:ltr")
    space.translate(
        "sr_Latn",
        {"welcome.menu.say": "Izaberite temu.", "welcome.menu.rights": "Vaša prava"},
        fuzzy=["welcome.menu.rights"],
    )
    reply = render(attached(space), "welcome.menu", "sr-Latn")
    assert reply.messages[0].text == "Izaberite temu."
    assert reply.buttons[0].label == "Your rights"
    assert reply.notices == ("Part of this page is in English.",)


def test_a_translation_of_older_english_is_not_shown(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "sr-Latn:sr_Latn:ltr")
    space.translate("sr_Latn", {"rights.more.say": "Imate pravo na pomoć."})
    space.edit_flow("rights.yaml", "to help,", "to help and protection,")
    reply = render(attached(space), "rights.more", "sr-Latn")
    assert reply.messages[0].text.startswith("You have the right to help and protection")


def test_a_translation_that_drops_a_placeholder_is_not_shown(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "sr-Latn:sr_Latn:ltr")
    space.translate(
        "sr_Latn",
        {
            "hotline.start.say": "Pozovite nas. Kod: {handoff_code}.",
            "rights.start.say": "Imate najmanje 31 dan da se oporavite i odlučite.",
        },
    )
    flows = attached(space)
    assert PHONE in render(flows, "hotline.start", "sr-Latn").messages[0].text
    assert "30 days" in render(flows, "rights.start", "sr-Latn").messages[0].text


def test_an_arabic_translation_isolates_the_phone_number(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "ar:ar:rtl")
    space.translate(
        "ar", {"hotline.start.say": "اتصل أو راسل {atina_phone}. الرمز: {handoff_code}."}
    )
    reply = render(attached(space), "hotline.start", "ar", code="K7Q2")
    assert reply.direction == "rtl"
    assert reply.messages[0].text == f"اتصل أو راسل {LRI}{PHONE}{PDI}. الرمز: {LRI}K7Q2{PDI}."
    # Links stay machine-readable: no isolates inside tel: URLs.
    assert reply.buttons[0].url == "tel:+381616384071"


def test_persian_digits_count_as_the_same_numbers(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "fa:fa:rtl")
    space.translate("fa", {"rights.start.say": "شما دست‌کم ۳۰ روز فرصت دارید."})
    assert render(attached(space), "rights.start", "fa").messages[0].text == (
        "شما دست‌کم ۳۰ روز فرصت دارید."
    )


def test_a_fresh_mo_is_used_and_a_stale_one_is_not(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "sr-Latn:sr_Latn:ltr")
    space.translate("sr_Latn", {"welcome.menu.say": "Izaberite temu."})
    CliRunner().invoke(main, ["i18n", "compile", "--locales", str(space.locales)])
    space.translate("sr_Latn", {"welcome.menu.say": "Odaberite temu."})
    past = space.mo("sr_Latn").stat().st_mtime - 60
    os.utime(space.po("sr_Latn"), (past, past))
    assert render(attached(space), "welcome.menu", "sr-Latn").messages[0].text == (
        "Izaberite temu."
    )
    os.utime(space.po("sr_Latn"))
    assert render(attached(space), "welcome.menu", "sr-Latn").messages[0].text == (
        "Odaberite temu."
    )


def test_a_broken_catalog_is_reported_at_its_line(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "fa:fa:rtl")
    text = space.po("fa").read_text(encoding="utf-8")
    space.po("fa").write_text(text.replace('msgstr ""\n\n#.', 'msgtsr ""\n\n#.', 1))
    broken = 1 + text.split("\n").index('msgstr ""', 20)
    with pytest.raises(CatalogError) as caught:
        attached(space)
    assert str(caught.value).endswith(
        f"messages.po:{broken}: this is not a valid .po entry (Unknown or misformatted "
        "keyword) — open the file in Poedit, or compare with messages.pot"
    )


def test_the_project_offers_every_language_with_a_catalog(flows: Flows) -> None:
    codes = [language.code for language in flows.languages]
    assert codes[0] == "en"
    assert {"sr-Latn", "fa", "ar", "zh-Hans"} <= set(codes)
    assert all(flows.text(code, flows.navigation.notices["fallback"]).value for code in codes)
