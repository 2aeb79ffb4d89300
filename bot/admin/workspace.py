"""What a staff member is looking at: their draft when they have one, else the published
version, checked once per distinct set of files (checking reads every catalog)."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass

from aiohttp import web

from bot.admin.content import Checked, check_files
from bot.admin.drafts import Draft
from bot.admin.keys import SETTINGS, STAFF_DATA, staff_session
from bot.engine.model import SOURCE_LANGUAGE, Flows, Node
from bot.engine.problems import Problem, Severity
from bot.store.versions import FlowFiles

CACHE_SIZE = 8
_checked: OrderedDict[str, Checked] = OrderedDict()


@dataclass(frozen=True)
class Workspace:
    files: FlowFiles
    draft: Draft | None
    published: int
    checked: Checked

    def flow_names(self) -> list[str]:
        return sorted(name.removesuffix(".yaml") for name in self.files)

    def problems_of(self, file_name: str) -> list[Problem]:
        shown = f"flows/{file_name}"
        return [p for p in self.checked.problems if p.location and p.location.path == shown]

    def problems_elsewhere(self) -> list[Problem]:
        """Problems not in a flow file (catalogs, or without a place)."""
        return [
            p
            for p in self.checked.problems
            if p.location is None or not p.location.path.startswith("flows/")
        ]


def checked(files: FlowFiles, locales_dir: object) -> Checked:
    key = hashlib.sha256(
        json.dumps([sorted(files.items()), str(locales_dir)], ensure_ascii=False).encode()
    ).hexdigest()
    found = _checked.get(key)
    if found is None:
        found = check_files(files, locales_dir)  # type: ignore[arg-type]
        _checked[key] = found
        while len(_checked) > CACHE_SIZE:
            _checked.popitem(last=False)
    else:
        _checked.move_to_end(key)
    return found


def published_files(request: web.Request) -> tuple[int, FlowFiles]:
    version = request.config_dict[STAFF_DATA].versions.latest()
    if version is None:
        raise web.HTTPServiceUnavailable(text="no flows are published yet")
    return version.number, version.files


def workspace(request: web.Request) -> Workspace:
    data = request.config_dict[STAFF_DATA]
    number, files = published_files(request)
    draft = data.drafts.get(staff_session(request).account.name)
    if draft is not None:
        files = draft.files
    locales = request.config_dict[SETTINGS].locales_dir
    return Workspace(files, draft, number, checked(files, locales))


def severity_of(problems: list[Problem]) -> str:
    if any(p.severity is Severity.ERROR for p in problems):
        return "error"
    if problems:
        return "warning"
    return "ok"


def translation_gaps(flows: Flows, node: Node) -> list[str]:
    """Languages in which some text of `node` falls back to English."""
    keys = [*node.say_keys, *(o.key for o in node.options)]
    return [
        language.code
        for language in flows.languages
        if language.code != SOURCE_LANGUAGE
        and any(flows.text(language.code, key).fallback for key in keys)
    ]


def my_draft(request: web.Request) -> Draft:
    """The staff member's draft, started from the published version when they have none."""
    data = request.config_dict[STAFF_DATA]
    name = staff_session(request).account.name
    draft = data.drafts.get(name)
    if draft is None:
        number, files = published_files(request)
        draft = Draft(name, number, dict(files))
    return draft


def save_file(request: web.Request, file_name: str, text: str) -> Draft:
    """Put `text` as `file_name` into the staff member's draft."""
    draft = my_draft(request)
    if file_name not in draft.files:
        raise web.HTTPNotFound(text=f"there is no flow file {file_name}")
    files = dict(draft.files)
    files[file_name] = text.replace("\r\n", "\n")
    updated = Draft(draft.name, draft.base, files)
    request.config_dict[STAFF_DATA].drafts.save(updated, request.config_dict[SETTINGS].clock())
    return updated
