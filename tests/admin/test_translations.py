"""Translations in the browser's pages, in-process: the editor saves a string with its
review status into the .po (and a .mo msgfmt accepts), live at once; export, a Poedit-like
edit and import show the diff before anything is taken; old English beside the new."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from bot.admin.keys import LIVE
from bot.config import PROJECT_ROOT, Config
from bot.engine.model import MsgKey
from bot.i18n.layout import mo_path, po_path
from tests.admin.staff_client import Staff, add_accounts, running, staff_config

KEY = "reflection.start.how_long"
NEW = "مدت آن چقدر است؟"


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    folder = tmp_path / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", folder)
    return folder


@pytest.fixture
def config(tmp_path: Path, locales: Path) -> Config:
    config = replace(staff_config(tmp_path / "data"), locales_dir=locales)
    add_accounts(config)
    return config


@pytest.fixture
async def client(config: Config) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with running(config) as client:
        yield client


def msgfmt_accepts(path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def count(html: str, state: str) -> int:
    found = re.search(rf'data-state="{state}">{state} (\d+)<', html)
    assert found, f"no {state} count on the page"
    return int(found.group(1))


def live_text(client: TestClient, key: str) -> str:  # type: ignore[type-arg]
    """What the running bot says for `key` in Farsi right now."""
    return client.server.app[LIVE].target.flows.text("fa", MsgKey(key)).value


async def test_a_translator_saves_a_reviewed_farsi_string_and_it_is_live(
    client: TestClient,  # type: ignore[type-arg]
    locales: Path,
) -> None:
    staff = Staff(client)
    assert await staff.login("tara") == 303
    status, before = await staff.get("/admin/translations/fa")
    assert status == 200
    reviewed = count(before, "reviewed")
    assert live_text(client, KEY) != NEW
    status, after = await staff.post(
        "/admin/translations/fa/save", key=KEY, translation=NEW, status="reviewed"
    )
    assert status == 200, after
    assert count(after, "reviewed") == reviewed + 1
    po = po_path(locales, "fa").read_text(encoding="utf-8")
    assert re.search(
        r"# Review: reviewed \(translator, \d{4}-\d{2}-\d{2}\)\n(#.*\n)*msgctxt \""
        + re.escape(KEY),
        po,
    )
    assert "tara" not in po
    assert live_text(client, KEY) == NEW
    msgfmt_accepts(po_path(locales, "fa"))
    assert mo_path(locales, "fa").stat().st_mtime_ns > po_path(locales, "fa").stat().st_mtime_ns
    _, versions = await staff.get("/admin/translations/fa/history")
    assert f"{KEY}: reviewed" in versions


async def test_a_translator_cannot_publish_flows(client: TestClient) -> None:  # type: ignore[type-arg]
    staff = Staff(client)
    await staff.login("tara")
    status, _ = await staff.post("/admin/draft/publish", message="try")
    assert status == 403


async def test_a_viewer_cannot_open_the_translations(client: TestClient) -> None:  # type: ignore[type-arg]
    staff = Staff(client)
    await staff.login("vera")
    status, _ = await staff.get("/admin/translations/fa")
    assert status == 403


def poedit_edit(po: str, key: str, translation: str) -> str:
    """What Poedit does to one entry: a new msgstr, a review comment, the fuzzy flag off."""
    entry = re.compile(
        r'((?:#.*\n)*)(msgctxt "' + re.escape(key) + r'"\nmsgid (?:".*"\n)+)msgstr (?:".*"\n)+'
    )
    found = entry.search(po)
    assert found, f"{key} not in the export"
    comments = found.group(1).replace("#, fuzzy\n", "")
    replaced = (
        "# Review: survivor-reviewed (editor, 2026-12-01)\n"
        + comments
        + found.group(2)
        + f'msgstr "{translation}"\n'
    )
    return po[: found.start()] + replaced + po[found.end() :]


async def test_an_exported_po_edited_offline_shows_its_diff_and_applies(
    client: TestClient,  # type: ignore[type-arg]
    locales: Path,
    tmp_path: Path,
) -> None:
    staff = Staff(client)
    await staff.login("tara")
    response = await client.get("/admin/translations/fa/export")
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    exported = await response.text()
    edited = poedit_edit(exported, KEY, NEW)
    offline = tmp_path / "fa.po"
    offline.write_text(edited, encoding="utf-8")
    msgfmt_accepts(offline)
    status, preview = await staff.post("/admin/translations/fa/import", po_text=edited)
    assert status == 200, preview
    assert f'data-key="{KEY}"' in preview
    assert preview.count("data-key=") == 1
    assert NEW in preview
    assert "survivor-reviewed" in preview
    assert NEW not in po_path(locales, "fa").read_text(encoding="utf-8"), "taken before accepting"
    status, page = await staff.post("/admin/translations/fa/import/apply", po_text=edited)
    assert status == 200, page
    written = po_path(locales, "fa").read_text(encoding="utf-8")
    assert NEW in written
    assert "Review: survivor-reviewed (editor, 2026-12-01)" in written
    msgfmt_accepts(po_path(locales, "fa"))


async def test_an_import_for_another_language_is_refused_with_the_reason(
    client: TestClient,  # type: ignore[type-arg]
    locales: Path,
) -> None:
    staff = Staff(client)
    await staff.login("tara")
    other = po_path(locales, "ru").read_text(encoding="utf-8")
    status, page = await staff.post("/admin/translations/fa/import", po_text=other)
    assert status == 422
    assert "for ru, not fa" in page


async def test_a_changed_english_string_shows_old_and_new_english_for_review(
    tmp_path: Path, locales: Path
) -> None:
    po = po_path(locales, "fa")
    text = po.read_text(encoding="utf-8")
    text = text.replace(
        'msgctxt "reflection.start.how_long"\nmsgid "How long is it?"',
        '#, fuzzy\n#| msgid "How long does it last?"\n'
        'msgctxt "reflection.start.how_long"\nmsgid "How long is it?"',
    )
    po.write_text(text, encoding="utf-8")
    mo_path(locales, "fa").unlink(missing_ok=True)
    config = replace(staff_config(tmp_path / "data2"), locales_dir=locales)
    add_accounts(config)
    async with running(config) as client:
        staff = Staff(client)
        await staff.login("tara")
        _, page = await staff.get("/admin/translations/fa?filter=fuzzy")
    entry = page[page.index(f'id="{KEY}"') :]
    entry = entry[: entry.index("</form>")]
    assert "How long does it last?" in entry
    assert "How long is it?" in entry
    assert 'data-status="fuzzy"' in page


async def test_a_replica_with_its_own_locales_folder_speaks_a_catalog_published_on_another(
    tmp_path: Path,
    config: Config,
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    other = tmp_path / "other-locales"
    shutil.copytree(PROJECT_ROOT / "locales", other)
    async with running(replace(config, locales_dir=other)) as replica:
        assert live_text(replica, KEY) != NEW
        staff = Staff(client)
        await staff.login("tara")
        status, _ = await staff.post(
            "/admin/translations/fa/save", key=KEY, translation=NEW, status="reviewed"
        )
        assert status == 200
        for _ in range(500):  # the content number's notice: within a second on SQLite
            if live_text(replica, KEY) == NEW:
                break
            await asyncio.sleep(0.02)
        assert live_text(replica, KEY) == NEW
    assert NEW in po_path(other, "fa").read_text(encoding="utf-8")
    msgfmt_accepts(po_path(other, "fa"))
