"""Where translation files live under `locales/`: the manifest, the template and,
per language, `<locale>/LC_MESSAGES/messages.po` with its compiled `.mo`.
"""

from __future__ import annotations

import os
from pathlib import Path

DOMAIN = "messages"
MANIFEST = "languages.yaml"


def manifest_path(locales_dir: Path) -> Path:
    return locales_dir / MANIFEST


def template_path(locales_dir: Path) -> Path:
    return locales_dir / f"{DOMAIN}.pot"


def po_path(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locales_dir: Path, locale: str) -> Path:
    return po_path(locales_dir, locale).with_suffix(".mo")


def shown(path: Path) -> str:
    """`path` as problems print it: relative to the working folder when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
