"""The session keeps message ids with their times, bounded, and round-trips through JSON."""

from __future__ import annotations

from dataclasses import replace

from bot.engine.session import MESSAGE_ID_LIMIT, Session

DAY = 24 * 3600.0


def test_only_messages_of_the_last_48_hours_are_offered_for_deletion() -> None:
    session = Session(created=0.0, updated=0.0).with_messages(1, 2)
    session = replace(session, updated=3 * DAY).with_messages(3)
    assert session.messages_since(3 * DAY - 2 * DAY) == (3,)
    assert session.messages_since(0.0) == (1, 2, 3)


def test_message_ids_are_bounded_and_keep_their_times() -> None:
    session = Session()
    for number in range(MESSAGE_ID_LIMIT + 10):
        session = replace(session, updated=float(number)).with_messages(number)
    assert len(session.message_ids) == MESSAGE_ID_LIMIT
    assert len(session.message_times) == MESSAGE_ID_LIMIT
    assert session.messages_since(float(MESSAGE_ID_LIMIT + 9)) == (MESSAGE_ID_LIMIT + 9,)


def test_json_round_trip_and_sessions_saved_before_message_times() -> None:
    session = Session(language="fa", created=5.0, updated=9.0).with_messages(7, 8)
    assert Session.from_json(session.to_json()) == session
    old = Session.from_json('{"message_ids": [4], "created": 5.0, "updated": 6.0}')
    assert old.messages_since(5.0) == (4,)
    assert Session().messages_since(0.0) == ()
