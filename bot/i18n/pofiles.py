"""Reading and writing .po/.pot/.mo with Babel, patched where Babel loses data:
it drops unknown headers (`X-Putokaz-Review`) and reads `#| msgid` as a comment.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import PoFileError, PoFileParser, normalize, unescape, write_po

from bot.engine.model import Location
from bot.engine.problems import Problem
from bot.i18n.errors import CatalogError
from bot.i18n.languages import DRAFT, REVIEWED, LanguageEntry
from bot.i18n.layout import shown

REVIEW_HEADER = "X-Putokaz-Review"
DRAFT_NOTE = "DRAFT machine translation — not reviewed by a native speaker."
WIDTH = 76


class ReviewedCatalog(Catalog):
    """A Babel `Catalog` that keeps the `X-Putokaz-Review: draft|reviewed` header."""

    review: str = DRAFT

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = super()._get_mime_headers()
        names = [name for name, _ in headers]
        # Babel ends Generated-By with a newline, so ours goes before it.
        at = names.index("Generated-By") if "Generated-By" in names else len(headers)
        headers.insert(at, (REVIEW_HEADER, self.review))
        return headers

    def _set_mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        headers = list(headers)
        for name, value in headers:
            if str(name).lower() == REVIEW_HEADER.lower():
                self.review = str(value).strip()
        super()._set_mime_headers(headers)

    mime_headers = property(_get_mime_headers, _set_mime_headers)


def read_catalog(path: Path, locale: str | None = None) -> ReviewedCatalog:
    """A .po or .pot file; raise `CatalogError` at the line Babel cannot parse."""
    catalog = ReviewedCatalog(locale=locale)
    parser = PoFileParser(catalog, abort_invalid=True)
    try:
        with path.open("rb") as fileobj:
            parser.parse(fileobj)
    except PoFileError as error:
        raise CatalogError(
            [
                Problem(
                    Location(shown(path), error.lineno + 1),
                    f"this is not a valid .po entry ({str(error).rsplit(' on ', 1)[0]}) — "
                    "open the file in Poedit, or compare with messages.pot",
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(
            [Problem(Location(shown(path), 0), f"cannot read it ({error}) — save it as UTF-8")]
        ) from None
    for message in [*catalog._messages.values(), *catalog.obsolete.values()]:
        _recover_previous(message)
    return catalog


def _recover_previous(message: Message) -> None:
    """Turn the `#| msgid "…"` lines Babel read as comments back into `previous_id`."""
    kept: list[str] = []
    pieces: list[str] = []
    field = ""
    for comment in message.user_comments:
        if not comment.startswith("|"):
            kept.append(comment)
            continue
        body = comment[1:].strip()
        keyword, _, rest = body.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            field, body = keyword, rest.strip()
        if field == "msgid" and body.startswith('"'):
            pieces.append(unescape(body))
    if len(kept) != len(message.user_comments):
        message.user_comments = kept
        if pieces and not message.previous_id:
            message.previous_id = ["".join(pieces)]


def render_po(catalog: Catalog) -> bytes:
    """The .po text; `#| msgid` written here, as Babel's own writer wraps a multi-line
    previous msgid into one broken comment that msgfmt rejects."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_previous=False)
    previous = {
        str(m.context): str(m.previous_id[0])
        for m in catalog
        if m.id and m.context and m.previous_id
    }
    if not previous:
        return buffer.getvalue()
    lines: list[str] = []
    for line in buffer.getvalue().decode(catalog.charset or "utf-8").split("\n"):
        if line.startswith('msgctxt "'):
            old = previous.get(unescape(line.removeprefix("msgctxt ")))
            if old is not None:
                lines.append(f"#| msgid {normalize(old, prefix='#| ', width=WIDTH)}")
        lines.append(line)
    return "\n".join(lines).encode(catalog.charset or "utf-8")


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write `content` unless the file already holds it (keeps mtimes and diffs quiet)."""
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def write_compiled(path: Path, catalog: Catalog) -> None:
    """The .mo for `catalog`; fuzzy and empty entries are left out, as with msgfmt."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    path.write_bytes(buffer.getvalue())


def read_compiled(path: Path) -> Catalog:
    """A .mo file; Babel leaves msgctxt as bytes there, so it is decoded here."""
    with path.open("rb") as fileobj:
        catalog = read_mo(fileobj)
    for message in catalog._messages.values():
        if isinstance(message.context, bytes):
            message.context = message.context.decode(catalog.charset or "utf-8")
    return catalog


def stamp_review(catalog: ReviewedCatalog, entry: LanguageEntry) -> None:
    """Header comment and `X-Putokaz-Review` from the manifest, the one source of truth."""
    catalog.review = entry.status
    if entry.status == REVIEWED:
        note = (
            f"Reviewed by a native speaker ({entry.reviewer_role or 'role not recorded'}) "
            f"on {entry.reviewed_on or 'an unrecorded date'}."
        )
    else:
        note = DRAFT_NOTE
    catalog.header_comment = "\n".join(
        [
            f"# Putokaz — {entry.name} ({entry.code}) translation of the flows in flows/.",
            f"# {note}",
            "# Review state: locales/languages.yaml.",
            "# How to translate: docs/TRANSLATING.md.",
            "#",
        ]
    )
