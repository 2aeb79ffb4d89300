"""The one text splitter: a screen's text in pieces within a platform's limits.

Cuts at a paragraph, else a line, else a word end, in the second half of the room, so
no piece is a stub; a text within the limits is left exactly as it is.
"""

from __future__ import annotations

PARAGRAPH = "\n\n"


def split_text(text: str, max_chars: int, max_bytes: int | None = None) -> list[str]:
    """`text` in pieces of at most `max_chars` characters (and `max_bytes` UTF-8 bytes)."""
    limit = max_bytes if max_bytes is not None else 4 * max_chars  # 4 bytes: any character
    pieces: list[str] = []
    rest = text
    while not _fits(rest, max_chars, limit):
        cut = _nice_cut(rest, _longest_prefix(rest, max_chars, limit))
        if rest[:cut].strip():
            pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces


def _fits(text: str, max_chars: int, max_bytes: int) -> bool:
    return len(text) <= max_chars and len(text.encode("utf-8")) <= max_bytes


def _longest_prefix(text: str, max_chars: int, max_bytes: int) -> int:
    cut = min(len(text), max_chars)
    while cut > 1:
        excess = len(text[:cut].encode("utf-8")) - max_bytes
        if excess <= 0:
            break
        cut -= max(1, excess // 4)
    return max(cut, 1)


def _nice_cut(text: str, cut: int) -> int:
    for mark in (PARAGRAPH, "\n", " "):
        found = text.rfind(mark, 0, cut)
        if found > cut // 2:
            return found
    return cut
