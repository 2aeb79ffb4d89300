"""Flow files as the staff area holds them: read from and written to a folder, checked
by the same loader and lint as `putokaz check`, and the published set the bot speaks.

`LiveFlows` swaps the running flows in one assignment, so an update in progress keeps the
flows it started with and the next one gets the new set; other replicas learn of a new
version from the content number (bot/store/content_versions.py) and load it from staff.db.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.engine import Flows
from bot.engine.load.loader import load_texts
from bot.engine.problems import FlowError, Problem, Severity
from bot.logs import log_event
from bot.service.checks import check_loaded
from bot.store.versions import FlowFiles, FlowVersion, VersionInfo, VersionStore

FILE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}\.yaml$")
SEED_AUTHOR = "flows/"
"""The author of versions taken from the repository's `flows/` folder at start."""


class ContentError(ValueError):
    """Files that cannot be taken as flows; the message says which and how to fix it."""


def read_folder(folder: str | os.PathLike[str]) -> dict[str, str]:
    """Every `*.yaml` of `folder` by file name."""
    path = Path(folder)
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.yaml"))}
    if not files:
        raise ContentError(f"{path} has no *.yaml flow files — point at the flows folder")
    bad = [name for name in files if not FILE_NAME.match(name)]
    if bad:
        raise ContentError(
            f"{', '.join(bad)} in {path}: flow file names are lowercase letters, digits and _ "
            "ending in .yaml — rename them"
        )
    return files


def write_folder(files: FlowFiles, folder: str | os.PathLike[str]) -> list[Path]:
    """Write `files` into `folder` (created if needed); YAML files not in `files` are removed,
    so the folder is exactly the version."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.yaml"):
        if old.name not in files:
            old.unlink()
    written = []
    for name, text in sorted(files.items()):
        if not FILE_NAME.match(name):
            raise ContentError(f"{name!r} is not a flow file name — use e.g. rights.yaml")
        target = path / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


@dataclass(frozen=True)
class Checked:
    """The result of checking a set of files: translated flows (None: they did not load)
    and every problem, errors and warnings, each at its file and line."""

    flows: Flows | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def ok(self) -> bool:
        return self.flows is not None and not self.errors


def check_files(files: FlowFiles, locales_dir: str | os.PathLike[str] | None) -> Checked:
    """Load and lint `files` with the catalogs, as `putokaz check` does a folder."""
    try:
        flows = load_texts(files)
    except FlowError as error:
        return Checked(None, tuple(error.problems))
    try:
        translated, problems = check_loaded(flows, locales_dir)
    except FlowError as error:
        return Checked(None, tuple(error.problems))
    return Checked(translated, tuple(problems))


def build_flows(files: FlowFiles, locales_dir: str | os.PathLike[str] | None) -> Flows:
    """The flows a version speaks; `FlowError` when they do not load."""
    flows = load_texts(files)
    from bot.i18n.catalogs import attach_catalogs

    return attach_catalogs(flows, locales_dir)


def seed_versions(
    versions: VersionStore, flows_dir: str | os.PathLike[str], now: float
) -> VersionInfo | None:
    """Take `flows_dir` as a new version when nothing is published yet, or when the
    published version is still an earlier seed and the folder has changed since (no staff
    member has published; developers' edits to `flows/` then keep arriving)."""
    latest = versions.latest()
    if latest is not None and latest.info.author != SEED_AUTHOR:
        return None
    files = read_folder(flows_dir)
    if latest is not None and dict(latest.files) == files:
        return None
    return versions.add(files, SEED_AUTHOR, f"taken from {Path(flows_dir).name}/", now)


class FlowsTarget(Protocol):
    """Where the running flows are read from: anything with a `flows` attribute (the
    conversation service)."""

    flows: Flows


class LiveFlows:
    """The published version the bot speaks, and the swap to a newer one.

    `reload` is what the content-number follower (bot/service/reload.py) calls on every
    replica when the number moves: after a publish, a restore, `putokaz flows import` or
    `putokaz reload` (catalogs compiled anew, or `flows/` changed before any publish).
    """

    def __init__(
        self,
        target: FlowsTarget,
        versions: VersionStore,
        locales_dir: str | os.PathLike[str] | None,
        number: int,
        flows_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.target = target
        self.versions = versions
        self.locales_dir = locales_dir
        self.flows_dir = flows_dir
        self.number = number

    async def apply(self, version: FlowVersion) -> Flows:
        """Build the version's flows (in a thread: it reads every catalog), then swap them
        in with one assignment."""
        flows = await asyncio.to_thread(build_flows, version.files, self.locales_dir)
        self.target.flows = flows
        self.number = version.number
        return flows

    async def reload(self, number: int) -> None:
        started = time.perf_counter()
        if self.flows_dir is not None:
            seed_versions(self.versions, self.flows_dir, time.time())
        latest = self.versions.latest()
        if latest is None:
            return
        flows = await self.apply(latest)
        took = round((time.perf_counter() - started) * 1000, 1)
        log_event(
            "flows_reloaded", count=number, nodes=len(flows.nodes), ms=took, version=latest.number
        )


def published_flows(
    versions: VersionStore,
    flows_dir: str | os.PathLike[str],
    locales_dir: str | os.PathLike[str] | None,
    now: float,
) -> tuple[Flows, int]:
    """The flows of the newest version (seeded from `flows_dir` on a new installation)
    and its number; `FlowError` when they do not load."""
    seed_versions(versions, flows_dir, now)
    latest = versions.latest()
    assert latest is not None  # seeding stored one
    return build_flows(latest.files, locales_dir), latest.number
