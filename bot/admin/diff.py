"""Line diffs between two sets of flow files, for the history and the draft pages."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bot.store.versions import FlowFiles


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "hunk" or "same"
    text: str


@dataclass(frozen=True)
class FileDiff:
    name: str
    lines: tuple[DiffLine, ...]

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.kind == "add")

    @property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.kind == "del")


def diff_files(old: FlowFiles | None, new: FlowFiles) -> list[FileDiff]:
    """One entry per file that differs (added, removed or changed), in name order."""
    before = old or {}
    diffs = []
    for name in sorted(set(before) | set(new)):
        a, b = before.get(name, ""), new.get(name, "")
        if a == b:
            continue
        lines = []
        raw = difflib.unified_diff(
            a.splitlines(), b.splitlines(), f"a/{name}", f"b/{name}", n=2, lineterm=""
        )
        for line in raw:
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                lines.append(DiffLine("hunk", line))
            elif line.startswith("+"):
                lines.append(DiffLine("add", line))
            elif line.startswith("-"):
                lines.append(DiffLine("del", line))
            else:
                lines.append(DiffLine("same", line))
        diffs.append(FileDiff(name, tuple(lines)))
    return diffs
