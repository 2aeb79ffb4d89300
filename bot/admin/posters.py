"""Escalation links as QR codes (segno: SVG and PNG) and the A4 poster per language: the
QR, a neutral title taken from the flows' own reviewed button texts, the hotline number.

The title is checked against the glossary's discreet stems of its language (no
"trafficking", "victim", "exploit"…), as first screens are: a poster may hang where the
person's controller sees it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html import escape

import segno

from bot.engine import Flows
from bot.engine.texts import placeholders
from bot.service.topics import topics


class PosterError(ValueError):
    """The poster cannot be made as asked; the message says what to change."""


def qr_svg(link: str, scale: int = 4) -> str:
    """The QR code as an SVG element (no XML declaration: it goes inline in a page)."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", xmldecl=False, scale=scale, border=4)
    return buffer.getvalue().decode("ascii")


def qr_png(link: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


@dataclass(frozen=True)
class Poster:
    language: str
    direction: str
    title: str
    subtitle: str
    phone: str
    link: str


def hotline_phone(flows: Flows) -> str:
    """The number the hotline screen names (its first contact placeholder with digits)."""
    node = flows.node(flows.navigation.hotline)
    for key in node.say_keys:
        for name in placeholders(flows.source_texts[key]):
            contact = flows.contacts.get(name)
            if contact is not None and any(ch.isdigit() for ch in contact.value):
                return contact.value
    raise PosterError(f"the hotline screen {node.id} names no phone contact — add one")


def _hotline_label(flows: Flows, language: str) -> str:
    for option in flows.node(flows.navigation.menu).options:
        if option.goto == flows.navigation.hotline:
            return flows.text(language, option.key).value
    raise PosterError("the main menu has no button to the hotline — the poster's title is it")


def poster(flows: Flows, language: str, topic: str | None, link: str) -> Poster:
    found = flows.language(language)
    if found is None:
        raise PosterError(f"unknown language {language!r}")
    title = _hotline_label(flows, language)
    subtitle = ""
    if topic:
        subtitle = next((t.label for t in topics(flows, language) if t.name == topic), "")
    stems = [*flows.glossary.discreet.get(language, ()), *flows.glossary.discreet.get("en", ())]
    for text in (title, subtitle):
        for stem in stems:
            if stem.casefold() in text.casefold():
                raise PosterError(
                    f"the poster's text {text!r} contains {stem!r}, a word a poster must not "
                    "show — change the button's text in the flows or its translation"
                )
    return Poster(language, found.direction, title, subtitle, hotline_phone(flows), link)


def poster_svg(p: Poster) -> str:
    """An A4 page (210 × 297 mm) as one SVG file: title, QR, number, the link in small."""
    qr = segno.make(p.link, error="m")
    size = qr.symbol_size(scale=1, border=4)[0]
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", xmldecl=False, svgns=True, scale=1, border=4)
    inner = re.sub(
        r"^<svg[^>]*>",
        f'<svg x="45" y="80" width="120" height="120" viewBox="0 0 {size} {size}" '
        'shape-rendering="crispEdges">',
        buffer.getvalue().decode("ascii"),
    )
    anchor = "middle"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
        f'viewBox="0 0 210 297" direction="{p.direction}">'
        '<rect width="210" height="297" fill="#fff"/>'
        f'<text x="105" y="45" text-anchor="{anchor}" font-size="14" font-weight="700" '
        f'font-family="Noto Sans, sans-serif">{escape(p.title)}</text>'
        f'<text x="105" y="62" text-anchor="{anchor}" font-size="9" '
        f'font-family="Noto Sans, sans-serif">{escape(p.subtitle)}</text>'
        f"{inner}"
        f'<text x="105" y="225" text-anchor="{anchor}" font-size="12" font-weight="700" '
        f'font-family="Noto Sans, sans-serif" direction="ltr">☎ {escape(p.phone)}</text>'
        f'<text x="105" y="240" text-anchor="{anchor}" font-size="4" fill="#555" '
        f'font-family="Noto Sans, sans-serif" direction="ltr">{escape(p.link)}</text>'
        "</svg>\n"
    )
