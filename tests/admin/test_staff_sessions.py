"""Staff sessions and login throttling against a real staff.db, with explicit times."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.admin.database import StaffData, open_staff_data
from bot.admin.roles import Role
from bot.admin.staff_sessions import DEFAULT_LIFETIME
from bot.admin.throttle import MAX_LOCK, WINDOW

PASSWORD = "correct horse battery"


@pytest.fixture
def data(tmp_path: Path) -> StaffData:
    staff = open_staff_data(tmp_path / "staff.db", b"p" * 32, idle=600)
    staff.accounts.add("erin", Role.EDITOR, PASSWORD, 0.0)
    return staff


def test_a_session_ends_after_the_idle_time_and_is_kept_alive_by_use(data: StaffData) -> None:
    erin = data.accounts.get("erin")
    assert erin is not None
    token = data.sessions.open(erin, now=1000.0)
    assert data.sessions.find(token, 1500.0) is not None  # used: seen moves to 1500
    assert data.sessions.find(token, 2000.0) is not None
    assert data.sessions.find(token, 2700.0) is None  # 700 s idle
    assert data.sessions.find(token, 2000.0) is None, "an ended session stays ended"


def test_a_session_ends_after_its_lifetime_even_when_used(data: StaffData) -> None:
    erin = data.accounts.get("erin")
    assert erin is not None
    token = data.sessions.open(erin, now=0.0)
    now = 0.0
    while now < DEFAULT_LIFETIME - 500:
        now += 500
        assert data.sessions.find(token, now) is not None
    assert data.sessions.find(token, DEFAULT_LIFETIME + 1) is None


def test_the_token_itself_is_not_stored(data: StaffData, tmp_path: Path) -> None:
    erin = data.accounts.get("erin")
    assert erin is not None
    token = data.sessions.open(erin, now=0.0)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("staff.db*"))
    assert token.encode() not in raw
    assert PASSWORD.encode() not in raw


def test_locks_double_and_end(data: StaffData) -> None:
    throttle = data.throttle
    for i in range(5):
        assert throttle.wait("erin", "10.0.0.1", 100.0 + i) == 0
        throttle.failed("erin", "10.0.0.1", 100.0 + i)
    assert throttle.wait("erin", "10.0.0.1", 105.0) == 0, "five failures are free"
    throttle.failed("erin", "10.0.0.1", 105.0)
    first = throttle.wait("erin", "10.0.0.1", 105.0)
    assert first > 0
    throttle.failed("erin", "10.0.0.1", 105.0)
    assert throttle.wait("erin", "10.0.0.1", 105.0) == 2 * first
    for _ in range(20):
        throttle.failed("erin", "10.0.0.9", 105.0)
    assert throttle.wait("erin", "10.0.0.1", 105.0) <= MAX_LOCK
    assert throttle.wait("erin", "10.0.0.1", 105.0 + MAX_LOCK + 1) == 0


def test_the_address_limit_holds_across_accounts(data: StaffData) -> None:
    throttle = data.throttle
    for i in range(21):
        throttle.failed(f"guess{i}", "10.0.0.7", 10.0)
    assert throttle.wait("someone-new", "10.0.0.7", 10.0) > 0
    assert throttle.wait("someone-new", "10.0.0.8", 10.0) == 0


def test_a_right_password_clears_the_accounts_failures(data: StaffData) -> None:
    throttle = data.throttle
    for _ in range(4):
        throttle.failed("erin", "10.0.0.1", 0.0)
    throttle.succeeded("erin")
    for _ in range(5):
        throttle.failed("erin", "10.0.0.1", 1.0)
    assert throttle.wait("erin", "10.0.0.1", 1.0) == 0


def test_failures_are_forgotten_after_the_window(data: StaffData) -> None:
    throttle = data.throttle
    for _ in range(5):
        throttle.failed("erin", "10.0.0.1", 0.0)
    throttle.failed("erin", "10.0.0.1", WINDOW + 1.0)
    assert throttle.wait("erin", "10.0.0.1", WINDOW + 1.0) == 0
