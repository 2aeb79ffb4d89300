"""Hand-off codes: short, from the readable alphabet, and random in every position."""

from __future__ import annotations

from collections import Counter

from bot.service.handoff import CODE_ALPHABET, CODE_LENGTH, handoff_code


def test_a_code_is_four_readable_letters() -> None:
    codes = [handoff_code() for _ in range(200)]

    assert all(len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET) for code in codes)


def test_every_letter_turns_up_in_every_position() -> None:
    codes = [handoff_code() for _ in range(3000)]

    for position in range(CODE_LENGTH):
        seen = Counter(code[position] for code in codes)
        # 3000 draws over 23 letters: ~130 each; a letter missing means a biased draw.
        assert set(seen) == set(CODE_ALPHABET), position
