"""The README as a newcomer reads it in a fresh clone: links that exist, the set-up stated."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.config import Config
from tests.support.server import REPO

README = (REPO / "README.md").read_text()
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_relative_link_opens_a_file_of_the_clone(page: Path) -> None:
    for target in LINK.findall(page.read_text()):
        if re.match(r"[a-z]+:", target):
            continue
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(REPO), f"{page.name} links outside the clone: {target}"
        assert resolved.exists(), f"{page.name} links to {target}, which is not in the clone"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_no_page_sends_the_reader_outside_the_clone(page: Path) -> None:
    text = page.read_text()
    assert "../shared" not in text
    assert "DESIGN.md" not in text or (REPO / "DESIGN.md").exists()


def test_the_readme_states_the_python_version_pyproject_requires() -> None:
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11"
    assert "Python ≥ 3.11" in README


def test_the_readme_names_every_package_make_test_installs() -> None:
    script = (REPO / "scripts" / "system-deps").read_text()
    packages = set(re.findall(r"missing\+=\(([a-z0-9-]+)\)", script))
    assert len(packages) >= 8
    for package in packages:
        assert f"`{package}`" in README, f"README does not say make test installs {package}"


def test_the_readme_says_the_default_exit_page_is_outside_and_how_to_change_it() -> None:
    assert f"`{Config().exit_url}`" in README
    assert "outside site" in README
    assert "PUTOKAZ_EXIT_URL=" in README
