"""A finding of `putokaz doctor`: what was checked, what was found, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "FAIL"
    SKIP = "skip"


@dataclass(frozen=True)
class Finding:
    """One check: `what` was looked at, `detail` what was found, `fix` how to repair it."""

    what: str
    status: Status
    detail: str
    fix: str = ""

    def lines(self) -> list[str]:
        shown = [f"{self.status.value:<4}  {self.what}: {self.detail}"]
        if self.fix:
            shown.append(f"      fix: {self.fix}")
        return shown


def ok(what: str, detail: str) -> Finding:
    return Finding(what, Status.OK, detail)


def fail(what: str, detail: str, fix: str) -> Finding:
    return Finding(what, Status.FAIL, detail, fix)


def warn(what: str, detail: str, fix: str) -> Finding:
    return Finding(what, Status.WARN, detail, fix)


def skip(what: str, detail: str) -> Finding:
    return Finding(what, Status.SKIP, detail)


def healthy(findings: list[Finding]) -> bool:
    return not any(f.status is Status.FAIL for f in findings)
