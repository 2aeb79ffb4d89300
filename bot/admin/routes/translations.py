"""Translations in the browser: coverage per language, the side-by-side editor, review
status, export and import of a language's .po, and its published versions."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.admin.catalog_versions import CatalogVersions, publish_catalog
from bot.admin.charts import coverage_bar
from bot.admin.keys import LIVE, SETTINGS, STAFF_DATA, staff_session
from bot.admin.permissions import require
from bot.admin.roles import Permission
from bot.admin.translations import (
    REVIEW_STATES,
    STATES,
    ImportRefused,
    Review,
    apply_edit,
    coverage,
    diff_catalogs,
    entries,
    parse_po,
    po_bytes,
)
from bot.engine.model import MsgKey
from bot.i18n.languages import LanguageEntry, read_manifest
from bot.i18n.layout import manifest_path, po_path
from bot.i18n.pofiles import ReviewedCatalog, read_catalog

MAX_PO_BYTES = 2 * 1024 * 1024


def add_routes(app: web.Application) -> None:
    app.router.add_get("/translations", languages_page)
    app.router.add_get("/translations/{locale}", editor_page)
    app.router.add_post("/translations/{locale}/save", save)
    app.router.add_get("/translations/{locale}/export", export)
    app.router.add_post("/translations/{locale}/import", import_preview)
    app.router.add_post("/translations/{locale}/import/apply", import_apply)
    app.router.add_get("/translations/{locale}/history", history_page)
    app.router.add_post("/translations/{locale}/history/{number:\\d+}/restore", restore)


def _locales_dir(request: web.Request) -> Path:
    folder = request.config_dict[SETTINGS].locales_dir
    if folder is None or not manifest_path(Path(folder)).is_file():
        raise web.HTTPNotFound(text="this server has no locales folder (set PUTOKAZ_LOCALES)")
    return Path(folder)


def _languages(request: web.Request) -> list[LanguageEntry]:
    return [e for e in read_manifest(manifest_path(_locales_dir(request))) if not e.is_source]


def _language(request: web.Request) -> LanguageEntry:
    locale = request.match_info["locale"]
    for entry in _languages(request):
        if entry.locale == locale:
            return entry
    raise web.HTTPNotFound(text=f"no language with the catalog folder {locale!r}")


def _english(request: web.Request) -> dict[MsgKey, str]:
    return dict(request.config_dict[LIVE].target.flows.source_texts)


def _catalog(request: web.Request, entry: LanguageEntry) -> ReviewedCatalog:
    path = po_path(_locales_dir(request), entry.locale)
    if not path.is_file():
        return ReviewedCatalog(locale=entry.locale)
    return read_catalog(path, entry.locale)


@aiohttp_jinja2.template("translations.html")
async def languages_page(request: web.Request) -> dict[str, Any]:
    require(request, Permission.TRANSLATE)
    english = _english(request)
    rows = []
    for entry in _languages(request):
        counts = coverage(entries(_catalog(request, entry), english))
        rows.append({"entry": entry, "counts": counts, "bar": coverage_bar(counts)})
    return {"rows": rows, "states": STATES}


@aiohttp_jinja2.template("translation.html")
async def editor_page(request: web.Request) -> dict[str, Any]:
    require(request, Permission.TRANSLATE)
    entry = _language(request)
    items = entries(_catalog(request, entry), _english(request))
    wanted = request.query.get("filter", "")
    counts = coverage(items)
    shown = [e for e in items if not wanted or e.status == wanted]
    return {
        "language": entry,
        "items": shown,
        "counts": counts,
        "bar": coverage_bar(counts),
        "states": STATES,
        "review_states": REVIEW_STATES,
        "filter": wanted,
        "saved": request.query.get("saved", ""),
        "error": "",
    }


def _text(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


async def save(request: web.Request) -> web.StreamResponse:
    require(request, Permission.TRANSLATE)
    entry = _language(request)
    form = await request.post()
    key, status = _text(form, "key"), _text(form, "status")
    translation = _text(form, "translation").replace("\r\n", "\n")
    if status not in REVIEW_STATES:
        raise web.HTTPBadRequest(text=f"status must be one of {', '.join(REVIEW_STATES)}")
    english = _english(request)
    if MsgKey(key) not in english:
        raise web.HTTPNotFound(text=f"{key!r} is not a string of the flows — reload the page")
    catalog = _catalog(request, entry)
    role = staff_session(request).account.role.value
    today = time.strftime("%Y-%m-%d", time.gmtime(request.config_dict[SETTINGS].clock()))
    review = Review(status, role, today) if status != "draft" else Review(status)
    apply_edit(catalog, english, key, translation, review)
    await publish_catalog(request, entry.locale, po_bytes(catalog), f"{key}: {status}")
    back = request.query.get("filter", "")
    suffix = f"&filter={back}" if back in STATES else ""
    raise web.HTTPSeeOther(f"/admin/translations/{entry.locale}?saved={key}{suffix}#{key}")


async def export(request: web.Request) -> web.StreamResponse:
    require(request, Permission.TRANSLATE)
    entry = _language(request)
    return web.Response(
        body=po_bytes(_catalog(request, entry)),
        content_type="text/x-gettext-translation",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{entry.locale}.po"'},
    )


async def _uploaded(request: web.Request) -> bytes:
    form = await request.post()
    upload = form.get("po")
    if not isinstance(upload, web.FileField):
        text = _text(form, "po_text")
        if not text:
            raise web.HTTPBadRequest(text="choose a .po file to import")
        return text.encode("utf-8")
    data: bytes = upload.file.read(MAX_PO_BYTES + 1)
    if len(data) > MAX_PO_BYTES:
        raise web.HTTPRequestEntityTooLarge(MAX_PO_BYTES, len(data))
    return data


async def import_preview(request: web.Request) -> web.StreamResponse:
    require(request, Permission.TRANSLATE)
    entry = _language(request)
    data = await _uploaded(request)
    context: dict[str, Any] = {"language": entry, "changes": [], "po_text": "", "error": ""}
    try:
        imported = parse_po(data, entry.locale)
    except ImportRefused as error:
        context["error"] = str(error)
        return aiohttp_jinja2.render_template("import.html", request, context, status=422)
    context["changes"] = diff_catalogs(_catalog(request, entry), imported, _english(request))
    context["po_text"] = data.decode("utf-8")
    return aiohttp_jinja2.render_template("import.html", request, context)


async def import_apply(request: web.Request) -> web.StreamResponse:
    require(request, Permission.TRANSLATE)
    entry = _language(request)
    data = await _uploaded(request)
    try:
        imported = parse_po(data, entry.locale)
    except ImportRefused as error:
        raise web.HTTPUnprocessableEntity(text=str(error)) from None
    changes = diff_catalogs(_catalog(request, entry), imported, _english(request))
    await publish_catalog(
        request,
        entry.locale,
        po_bytes(imported),
        f"imported: {len(changes)} change(s)",
        action="translation imported",
    )
    raise web.HTTPSeeOther(f"/admin/translations/{entry.locale}?saved=import")


@aiohttp_jinja2.template("translation_history.html")
async def history_page(request: web.Request) -> dict[str, Any]:
    require(request, Permission.TRANSLATE)
    entry = _language(request)
    versions = CatalogVersions(request.config_dict[STAFF_DATA].conn).history(entry.locale)
    return {"language": entry, "versions": versions}


async def restore(request: web.Request) -> web.StreamResponse:
    require(request, Permission.TRANSLATE)
    entry = _language(request)
    number = int(request.match_info["number"])
    version = CatalogVersions(request.config_dict[STAFF_DATA].conn).get(entry.locale, number)
    if version is None:
        raise web.HTTPNotFound(text=f"{entry.locale} has no catalog version {number}")
    await publish_catalog(
        request,
        entry.locale,
        version.po.encode("utf-8"),
        f"restored version {number}",
        action="translation restored",
        restored_from=number,
    )
    raise web.HTTPSeeOther(f"/admin/translations/{entry.locale}/history")
