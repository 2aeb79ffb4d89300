"""Logging in and out of /admin: sessions, cookies, CSRF, throttling, no page without a
session, no secret in the log."""

from __future__ import annotations

import logging

import pytest

from bot.admin.middleware import COOKIE
from tests.admin.staff_client import PASSWORD, Staff

PAGES = ["/admin/", "/admin/flows/reflection", "/admin/history", "/admin/draft", "/admin/preview"]


@pytest.mark.parametrize("path", PAGES)
async def test_no_admin_page_without_a_session(staff: Staff, path: str) -> None:
    response = await staff.client.get(path, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/admin/login"


async def test_right_password_opens_a_session_with_safe_cookie(staff: Staff) -> None:
    assert await staff.login("erin") == 303
    cookie = staff.cookie
    assert cookie is not None
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/admin"
    status, html = await staff.get("/admin/")
    assert status == 200
    assert "erin" in html
    assert "reflection" in html


async def test_wrong_password_and_unknown_name_are_refused_alike(staff: Staff) -> None:
    assert await staff.login("erin", "not the password") == 401
    assert await staff.login("nobody", PASSWORD) == 401
    _status, html = await staff.get("/admin/login")
    assert "Wrong name or password" not in html  # a fresh form, no error


async def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(staff: Staff) -> None:
    statuses = [await staff.login("erin", f"wrong {i}") for i in range(10)]
    assert statuses[:5] == [401] * 5
    assert 429 in statuses[5:]
    assert await staff.login("erin") == 429
    page = await staff.client.get("/admin/login")
    assert page.status == 200
    # Another account from the same address still works (the address limit is higher).
    assert await staff.login("vera") == 303


async def test_logout_ends_the_session_on_the_server(staff: Staff) -> None:
    await staff.login("erin")
    assert staff.cookie is not None
    cookie = staff.cookie.value
    status, _ = await staff.post("/admin/logout")
    assert status == 200  # followed to the login page
    # The old cookie value no longer opens anything, even when sent by hand.
    response = await staff.client.get(
        "/admin/", headers={"Cookie": f"{COOKIE}={cookie}"}, allow_redirects=False
    )
    assert response.status == 303


async def test_a_form_without_or_with_a_wrong_csrf_token_is_refused(staff: Staff) -> None:
    await staff.login("erin")
    missing = await staff.client.post("/admin/logout", data={}, allow_redirects=False)
    assert missing.status == 403
    wrong = await staff.client.post("/admin/logout", data={"csrf": "x" * 43}, allow_redirects=False)
    assert wrong.status == 403
    status, _ = await staff.get("/admin/")
    assert status == 200, "the refused forms did not log out"


async def test_login_form_needs_its_csrf_cookie(staff: Staff) -> None:
    response = await staff.client.post(
        "/admin/login",
        data={"name": "erin", "password": PASSWORD, "csrf": "made-up"},
        allow_redirects=False,
    )
    assert response.status == 403


async def test_a_post_from_another_site_is_refused(staff: Staff) -> None:
    await staff.login("erin")
    response = await staff.client.post(
        "/admin/logout",
        data={"csrf": staff.csrf},
        headers={"Origin": "https://evil.example"},
        allow_redirects=False,
    )
    assert response.status == 403


async def test_admin_pages_have_a_strict_csp_and_the_chat_keeps_its_own(staff: Staff) -> None:
    login = await staff.client.get("/admin/login")
    csp = login.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert login.headers["Cache-Control"] == "no-store"
    html = await login.text()
    assert "<script>" not in html
    assert " style=" not in html
    assert "onclick" not in html
    chat = await staff.client.get("/")
    assert chat.status == 200
    assert "default-src 'self'" in chat.headers["Content-Security-Policy"]


async def test_no_password_or_session_token_in_the_log(
    staff: Staff, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await staff.login("erin", "a wrong password 123")
    await staff.login("erin")
    assert staff.cookie is not None
    token = staff.cookie.value
    await staff.get("/admin/")
    await staff.post("/admin/logout")
    text = caplog.text
    assert "staff_login" in text
    for secret in (PASSWORD, "a wrong password 123", token, staff.csrf):
        assert secret not in text


async def test_a_disabled_account_loses_its_session(staff: Staff, config) -> None:  # type: ignore[no-untyped-def]
    from tests.admin.staff_client import staff_data

    await staff.login("erin")
    data = staff_data(config)
    data.accounts.disable("erin")
    data.close()
    response = await staff.client.get("/admin/", allow_redirects=False)
    assert response.status == 303
    assert await staff.login("erin") == 401
