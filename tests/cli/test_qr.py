"""`putokaz qr`: the QR code PNG reads back (zbarimg) as the link; the poster is an A4 SVG
with the neutral title and the hotline number; a wrong file type is refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.service.web_links import WebLinks
from tests.support.system_tools import require

PUBLIC = "https://chat.example.org"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PUTOKAZ_DATA", str(tmp_path))
    return tmp_path


def qr(*args: str) -> Result:
    return CliRunner().invoke(main, ["qr", *args], env={"PUTOKAZ_PUBLIC_URL": PUBLIC})


def test_the_png_reads_back_as_the_web_link_of_the_chosen_topic(tmp_path: Path) -> None:
    out = tmp_path / "qr.png"
    result = qr("--lang", "ar", "--topic", "rights", "--campaign", "bus1", "--out", str(out))
    assert result.exit_code == 0, result.output
    decoded = subprocess.run(
        [require("zbarimg"), "-q", "--raw", str(out)], capture_output=True, text=True
    )
    link = decoded.stdout.strip()
    assert link.startswith(f"{PUBLIC}/?s=")
    found = WebLinks(tmp_path).find(link.rsplit("=", 1)[1])
    assert found is not None
    assert (found.language, found.topic, found.campaign) == ("ar", "rights", "bus1")


def test_the_poster_is_an_a4_svg_with_the_title_and_the_number(tmp_path: Path) -> None:
    out = tmp_path / "poster.svg"
    result = qr("--lang", "en", "--topic", "reflection", "--out", str(out))
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert 'width="210mm" height="297mm"' in svg
    assert "Talk to a person" in svg
    assert "+381 61 63 84 071" in svg
    for word in ("traffick", "victim", "exploit"):
        assert word not in svg.lower()


def test_another_file_type_is_refused_with_the_two_that_work(tmp_path: Path) -> None:
    result = qr("--lang", "fa", "--out", str(tmp_path / "poster.pdf"))
    assert result.exit_code == 2
    assert ".svg (the poster) or .png (the QR code)" in result.output
