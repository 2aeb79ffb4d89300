"""`putokaz check`: load the flows and catalogs and collect every problem.

Kept apart from the CLI so tests call it directly.
"""

from __future__ import annotations

from pathlib import Path

from bot.engine.lint import lint
from bot.engine.load.loader import load_dir
from bot.engine.problems import FlowError, Problem


def run_checks(flows_dir: Path, locales_dir: Path | None = None) -> tuple[list[Problem], str]:
    """All problems (errors and warnings) and a one-line summary."""
    try:
        flows = load_dir(flows_dir)
    except FlowError as error:
        return list(error.problems), "the flows did not load"
    if locales_dir is None:
        problems = lint(flows)
    else:
        from bot.i18n.catalogs import attach_catalogs
        from bot.i18n.lint import lint_catalogs

        try:
            translated = attach_catalogs(flows, locales_dir)
        except FlowError as error:
            return list(error.problems), "the catalogs did not load"
        # Linted with the catalogs attached, so translated screens are measured too.
        problems = lint(translated)
        problems += lint_catalogs(Path(locales_dir), flows.source_texts)
        flows = translated
    summary = f"{len(flows.nodes)} nodes, {len(flows.languages)} language(s)"
    return problems, summary
