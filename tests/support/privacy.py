"""Scan every persisted byte (files under a folder, a Redis dump, logs) for planted identifiers.

Text is checked raw and in the encodings a store might use (UTF-8, UTF-16, JSON escapes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path


def encodings(secret: str) -> set[bytes]:
    forms = {secret.encode(), secret.encode("utf-16-le"), json.dumps(secret)[1:-1].encode()}
    return {f for f in forms if f}


def find_leaks(paths: Iterable[Path], secrets: Iterable[str]) -> list[str]:
    """Every (file, secret) pair where the secret's bytes appear; empty means clean."""
    needles = {s: encodings(s) for s in secrets if s}
    leaks = []
    files = [
        p for root in paths for p in ([root] if root.is_file() else root.rglob("*")) if p.is_file()
    ]
    for path in files:
        data = path.read_bytes()
        for secret, forms in needles.items():
            if any(form in data for form in forms):
                leaks.append(f"{path}: {secret!r}")
    return leaks


def persisted_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())
