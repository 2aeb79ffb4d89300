"""`putokaz check`: load the flows and catalogs and collect every problem.

Kept apart from the CLI so tests call it directly; the staff area checks drafts with
the same `check_loaded`.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.engine import Flows
from bot.engine.lint import lint
from bot.engine.load.loader import load_dir
from bot.engine.problems import FlowError, Problem


def run_checks(flows_dir: Path, locales_dir: Path | None = None) -> tuple[list[Problem], str]:
    """All problems (errors and warnings) and a one-line summary."""
    try:
        flows = load_dir(flows_dir)
    except FlowError as error:
        return list(error.problems), "the flows did not load"
    try:
        translated, problems = check_loaded(flows, locales_dir)
    except FlowError as error:
        return list(error.problems), "the catalogs did not load"
    summary = f"{len(translated.nodes)} nodes, {len(translated.languages)} language(s)"
    return problems, summary


def check_loaded(
    flows: Flows, locales_dir: str | os.PathLike[str] | None
) -> tuple[Flows, list[Problem]]:
    """Loaded flows with the catalogs attached, and every lint problem of both.

    Raises `FlowError` (a `CatalogError`) when a catalog cannot be read.
    """
    if locales_dir is None:
        return flows, lint(flows)
    from bot.i18n.catalogs import attach_catalogs
    from bot.i18n.lint import lint_catalogs

    translated = attach_catalogs(flows, locales_dir)
    # Linted with the catalogs attached, so translated screens are measured too.
    problems = lint(translated)
    problems += lint_catalogs(Path(locales_dir), flows.source_texts)
    return translated, problems
