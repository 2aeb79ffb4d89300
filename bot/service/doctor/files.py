"""Checks of what is on disk: the data folder, the pepper, the catalogs and the flows."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from bot.config import Config
from bot.service.doctor.findings import Finding, fail, ok, warn
from bot.store.pseudonym import PEPPER_FILE

MIN_PEPPER_BYTES = 16
MAKE_A_PEPPER = 'python3 -c "import secrets; print(secrets.token_hex(32))"'


def check_data_dir(config: Config) -> list[Finding]:
    what = "data directory"
    path = config.data_dir.resolve()
    if not path.exists():
        parent = _existing_parent(path)
        if parent is None or not os.access(parent, os.W_OK | os.X_OK):
            return [
                fail(
                    what,
                    f"{path} does not exist and cannot be created",
                    f"mkdir -m 700 -p {path} as a user who may, then chown it to the service user",
                )
            ]
        return [
            warn(
                what,
                f"{path} does not exist yet (putokaz serve creates it)",
                f"mkdir -m 700 -p {path}",
            )
        ]
    if not path.is_dir():
        return [fail(what, f"{path} is not a directory", "set PUTOKAZ_DATA to a directory")]
    info = path.stat()
    mode = stat.S_IMODE(info.st_mode)
    findings = [_writable(what, path, mode)]
    if mode != 0o700:
        findings.append(
            fail(
                f"{what} mode",
                f"{path} has mode {mode:04o}; the database and pepper must be private",
                f"chmod 700 {path}",
            )
        )
    else:
        findings.append(ok(f"{what} mode", "0700"))
    return findings


def _writable(what: str, path: Path, mode: int) -> Finding:
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-"):
            pass
    except OSError as error:
        return fail(
            what,
            f"{path} is not writable ({error.strerror})",
            f"chown the directory to the user that runs putokaz serve, then chmod 700 {path}",
        )
    if mode & 0o300 != 0o300:
        # Root writes anywhere; the service user, the directory's owner, cannot.
        return fail(
            what,
            f"{path} is not writable by its owner (mode {mode:04o})",
            f"chmod 700 {path}",
        )
    return ok(what, f"{path} is writable")


def _existing_parent(path: Path) -> Path | None:
    for parent in path.parents:
        if parent.exists():
            return parent if parent.is_dir() else None
    return None


def check_pepper(config: Config) -> Finding:
    what = "pepper"
    if config.pepper:
        if len(config.pepper.encode()) < MIN_PEPPER_BYTES:
            return fail(
                what,
                f"PUTOKAZ_PEPPER is shorter than {MIN_PEPPER_BYTES} bytes",
                f"use a long random value, e.g. $({MAKE_A_PEPPER})",
            )
        return ok(what, "from PUTOKAZ_PEPPER")
    path = config.data_dir.resolve() / PEPPER_FILE
    if not path.exists():
        return warn(
            what,
            f"{path} does not exist yet (putokaz serve creates it, mode 0600)",
            "start putokaz serve once, then back the file up (docs/OPERATIONS.md)",
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode != 0o600:
        return fail(what, f"{path} has mode {mode:04o}", f"chmod 600 {path}")
    try:
        size = len(path.read_bytes().strip())
    except OSError as error:
        return fail(
            what, f"{path} cannot be read ({error.strerror})", "chown it to the service user"
        )
    if size < MIN_PEPPER_BYTES:
        return fail(
            what,
            f"{path} holds fewer than {MIN_PEPPER_BYTES} bytes",
            "restore it from the backup; a new one ends every session (docs/OPERATIONS.md)",
        )
    return ok(what, f"{path}, mode 0600")


def check_content(config: Config) -> list[Finding]:
    return [check_catalogs(config.locales_dir), check_flows(config)]


def check_catalogs(locales_dir: Path) -> Finding:
    from bot.i18n.languages import read_manifest
    from bot.i18n.layout import manifest_path, mo_path, po_path

    what = "catalogs"
    fix = f"putokaz i18n compile --locales {locales_dir}"
    try:
        entries = read_manifest(manifest_path(locales_dir))
    except Exception as error:  # the manifest's own errors name file and line
        return fail(what, str(error), "putokaz check")
    stale = []
    count = 0
    for entry in entries:
        po, mo = po_path(locales_dir, entry.locale), mo_path(locales_dir, entry.locale)
        if entry.is_source or not po.is_file():
            continue
        count += 1
        if not mo.is_file() or mo.stat().st_mtime_ns <= po.stat().st_mtime_ns:
            stale.append(entry.code)
    if stale:
        return fail(
            what,
            f"not compiled or older than their .po: {', '.join(stale)} "
            "(served from the .po, compiled at every start)",
            fix,
        )
    return ok(what, f"{count} compiled and current")


def check_flows(config: Config) -> Finding:
    from bot.service.checks import run_checks

    problems, summary = run_checks(config.flows_dir, config.locales_dir)
    errors = [p for p in problems if p.severity.value == "error"]
    if errors:
        first = str(errors[0])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return fail("flows", f"{first}{more}", "putokaz check — it lists each with its fix")
    warnings = len(problems) - len(errors)
    return ok("flows", summary + (f", {warnings} warning(s)" if warnings else ""))
