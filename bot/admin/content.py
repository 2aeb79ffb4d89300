"""Flow files as the staff area holds them: read from and written to a folder, checked
by the same loader and lint as `putokaz check`, and the published set the bot speaks.

`LiveFlows` swaps the running flows in one assignment, so an update in progress keeps the
flows it started with and the next one gets the new set; a replica notices a version
published elsewhere by comparing one number.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterator
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
DEFAULT_POLL = 2.0


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
    """The published version the bot speaks, and the swap to a newer one."""

    def __init__(
        self,
        target: FlowsTarget,
        versions: VersionStore,
        locales_dir: str | os.PathLike[str] | None,
        number: int = 0,
    ) -> None:
        self.target = target
        self.versions = versions
        self.locales_dir = locales_dir
        self.number = number

    def apply(self, version: FlowVersion) -> None:
        """Build the version's flows, then swap them in with one assignment."""
        flows = build_flows(version.files, self.locales_dir)
        self.target.flows = flows
        self.number = version.number
        log_event("flows_live", count=version.number, nodes=len(flows.nodes))

    def refresh(self) -> bool:
        """Apply the newest stored version if it is not the one running; True when swapped."""
        if self.versions.latest_number() == self.number:
            return False
        latest = self.versions.latest()
        if latest is None:
            return False
        try:
            self.apply(latest)
        except FlowError as error:
            # A version is checked before it is stored; this means catalogs on this replica
            # differ. Keep speaking the old version rather than stop.
            self.number = latest.number
            log_event("flows_live_failed", count=latest.number, error=len(error.problems))
            return False
        return True

    async def watch(self, every: float = DEFAULT_POLL) -> None:
        """Poll the version number forever (the cheap replica check)."""
        while True:
            await asyncio.sleep(every)
            self.refresh()


@contextlib.asynccontextmanager
async def watching(live: LiveFlows, every: float) -> AsyncIterator[None]:
    task = asyncio.create_task(live.watch(every))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
