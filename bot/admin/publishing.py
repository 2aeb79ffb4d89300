"""Publish a draft or restore an old version: a new numbered version in staff.db, the
running flows swapped at once on this replica (others follow within seconds), audited."""

from __future__ import annotations

from aiohttp import web

from bot.admin.audit import AuditEntry
from bot.admin.content import Checked
from bot.admin.keys import CONTENT_VERSIONS, LIVE, SETTINGS, STAFF_DATA, staff_session
from bot.admin.workspace import checked
from bot.logs import log_event
from bot.store.versions import FlowFiles, VersionInfo
from bot.web.keys import CONVERSATIONS


class NotPublishable(Exception):
    """The files have errors; `checked` holds them, each at its line."""

    def __init__(self, result: Checked) -> None:
        super().__init__(f"{len(result.errors)} error(s)")
        self.result = result


async def publish(
    request: web.Request,
    files: FlowFiles,
    message: str,
    action: str = "published",
    restored_from: int | None = None,
) -> VersionInfo:
    """Check `files` as `putokaz check` would, store them as the next version, go live."""
    data = request.config_dict[STAFF_DATA]
    settings = request.config_dict[SETTINGS]
    result = checked(files, settings.locales_dir)
    if not result.ok:
        raise NotPublishable(result)
    author = staff_session(request).account.name
    now = settings.clock()
    info = data.versions.add(files, author, message, now, restored_from)
    version = data.versions.get(info.number)
    assert version is not None
    await request.config_dict[LIVE].apply(version)
    data.audit.record(AuditEntry(now, author, action, f"version {info.number}", message))
    kind = "rollback" if restored_from is not None else "publish"
    request.config_dict[CONVERSATIONS].metrics.publish(kind)
    # The other replicas: the content number's notice makes them load it from staff.db.
    number = await request.config_dict[CONTENT_VERSIONS].bump()
    log_event("flows_published", count=number, version=info.number, kind=action)
    return info
