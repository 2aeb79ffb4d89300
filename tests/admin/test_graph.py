"""The SVG graph of a flow: a box per screen linking to its form, rows by taps from the
start, marks for problems and gaps, a red box for a button to a missing screen."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from bot.admin.graph import Marks, edges_of, layout, render_svg
from bot.config import PROJECT_ROOT
from bot.engine.load.loader import parse_file_text

REFLECTION = (PROJECT_ROOT / "flows" / "reflection.yaml").read_text()
SVG = "{http://www.w3.org/2000/svg}"


def nodes(text: str = REFLECTION) -> tuple:  # type: ignore[type-arg]
    return tuple(parse_file_text(text, "flows/reflection.yaml").nodes.values())


def test_every_screen_is_a_link_to_its_form_and_the_svg_is_well_formed() -> None:
    svg = render_svg("reflection", nodes(), {})
    root = ET.fromstring(svg)  # noqa: S314  (our own output, checked for well-formedness)
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert sorted(links) == sorted(
        f"/admin/flows/reflection/nodes/{n.id.split('.')[1]}" for n in nodes()
    )
    assert "<script" not in svg
    assert "style=" not in svg


def test_rows_follow_taps_from_the_start() -> None:
    found = nodes()
    placed = layout(found, edges_of(found, None))
    assert placed.rows[0] == ["reflection.start"]
    assert "reflection.how_long" in placed.rows[1]


def test_marks_show_problems_and_translation_gaps() -> None:
    marks = {"reflection.how_long": Marks(errors=1, gaps=("fa", "ar"))}
    svg = render_svg("reflection", nodes(), marks)
    box = re.search(r'<a class="([^"]+)"[^>]*data-node="how_long"', svg)
    assert box is not None
    assert "error" in box.group(1).split()
    assert "not translated in fa, ar" in svg
    assert "2 lang. missing" in svg


def test_a_button_to_a_missing_screen_is_a_red_dashed_arrow_to_a_box_saying_so() -> None:
    broken = REFLECTION.replace("goto: decide}", "goto: nowhere}", 1)
    svg = render_svg("reflection", nodes(broken), {}, known=frozenset(n.id for n in nodes()))
    assert 'class="edge broken"' in svg
    assert "missing: reflection.nowhere" in svg


def test_text_is_escaped() -> None:
    tricky = REFLECTION.replace("How long is it?", "<b>& 'quotes'</b>", 1)
    svg = render_svg("reflection", nodes(tricky), {})
    ET.fromstring(svg)  # noqa: S314
    assert "<b>" not in svg
