"""Located problems found in flows and catalogs, and the exception that carries them.

Every message says where, what is wrong, and how to fix it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.engine.model import Location


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    location: Location | None
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}{prefix}{self.message}"


class FlowError(Exception):
    """The flows could not be loaded; `problems` lists every error found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _order(problem: Problem) -> tuple[str, int]:
    if problem.location is None:
        return ("", 0)
    return (problem.location.path, problem.location.line)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """` — did you mean "x"?` for the closest choice, or a list of the valid ones."""
    choices = sorted(set(choices))
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return f' — did you mean "{close[0]}"?'
    if len(choices) <= 8:
        return " — use one of: " + ", ".join(choices)
    return ""
