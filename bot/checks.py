"""`putokaz check`: load the flows and catalogs and collect every problem.

Kept apart from the CLI so tests call it directly.
"""

from __future__ import annotations

from pathlib import Path

from bot.engine.lint import lint
from bot.engine.loader import load_dir
from bot.engine.problems import FlowError, Problem


def run_checks(flows_dir: Path, locales_dir: Path | None = None) -> tuple[list[Problem], str]:
    """All problems (errors and warnings) and a one-line summary."""
    try:
        flows = load_dir(flows_dir)
    except FlowError as error:
        return list(error.problems), "the flows did not load"
    problems = lint(flows)
    summary = f"{len(flows.nodes)} nodes, {len(flows.languages)} language(s)"
    return problems, summary
