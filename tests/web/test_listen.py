"""`bind()` before start-up: a busy port is a PortInUse naming the setting; the address to open."""

from __future__ import annotations

import socket

import pytest

from bot.web.listen import PortInUse, bind, browser_url


def test_a_busy_port_raises_port_in_use_naming_the_setting() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUse, match=f"^port {port} is in use — set PUTOKAZ_PORT"):
            bind("127.0.0.1", port)


def test_port_0_binds_a_free_port_shown_in_the_address() -> None:
    with bind("127.0.0.1", 0) as sock:
        port = sock.getsockname()[1]
        assert port > 0
        assert browser_url(*sock.getsockname()[:2]) == f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("0.0.0.0", "http://127.0.0.1:8080/"),
        ("::", "http://127.0.0.1:8080/"),
        ("::1", "http://[::1]:8080/"),
        ("192.0.2.7", "http://192.0.2.7:8080/"),
    ],
)
def test_the_address_to_open_is_one_this_machine_answers_on(host: str, url: str) -> None:
    assert browser_url(host, 8080) == url
