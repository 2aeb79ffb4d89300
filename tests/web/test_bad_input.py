"""Bad input over real HTTP against `putokaz serve`: never a 5xx, one log line, nothing
of the request in the log.

aiohttp's client will not send malformed HTTP, so those cases go over raw sockets.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.viber_api import SIGNATURE_HEADER, sign
from tests.support.server import ServerProcess

TELEGRAM_TOKEN = "123456:TEST-token_for-bad-input"
SECRET = "bad-input-secret_9"
VIBER_TOKEN = "445da6az1s345z78-dazcczb2542zv51a-bad-input"
PLANTED = "planted_username_q7"
"""Put into every malformed request; no byte of it may reach the log."""
NOWHERE = "http://127.0.0.1:9"
"""No platform call is made in these tests; a refused port if one were."""


@dataclass
class Log:
    """The server's log file and stderr, read from a mark on."""

    server: ServerProcess

    def mark(self) -> tuple[int, int]:
        return (_size(self.server.log_file), _size(self.server.data_dir / "server.stderr"))

    def since(self, mark: tuple[int, int]) -> str:
        """The log file's new lines (stderr carries the same lines, checked by `clean`)."""
        return self.server.log_file.read_bytes()[mark[0] :].decode("utf-8", "replace")

    def stderr_since(self, mark: tuple[int, int]) -> str:
        err = (self.server.data_dir / "server.stderr").read_bytes()[mark[1] :]
        return err.decode("utf-8", "replace")

    def wait_for(self, mark: tuple[int, int], text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while text not in (seen := self.since(mark)):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not logged; the log since the mark:\n{seen}")
            time.sleep(0.02)
        time.sleep(0.1)  # anything else the same request logs comes right after
        return self.since(mark)

    def one_clean_line(self, mark: tuple[int, int], text: str) -> str:
        """Wait for `text`; the one line logged since `mark`, checked for what must not be
        there: a traceback, any byte of the planted request data, the peer's address."""
        seen = self.wait_for(mark, text)
        for written in (seen, self.stderr_since(mark)):
            assert "Traceback" not in written, written
            assert "planted" not in written.lower(), written
            assert "127.0.0.1" not in written, written
        assert len(seen.splitlines()) == 1, seen
        return seen


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {
        "PUTOKAZ_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "PUTOKAZ_TELEGRAM_SECRET": SECRET,
        "PUTOKAZ_TELEGRAM_API_URL": f"{NOWHERE}/bot",
        "PUTOKAZ_PUBLIC_URL": "https://putokaz.test",
        "PUTOKAZ_VIBER_TOKEN": VIBER_TOKEN,
        "PUTOKAZ_VIBER_API_URL": f"{NOWHERE}/pa",
    }
    with ServerProcess(tmp_path_factory.mktemp("bad-input") / "data", env=env) as process:
        yield process


@pytest.fixture
def log(server: ServerProcess) -> Log:
    return Log(server)


def headers_for(route: str, body: bytes) -> dict[str, str]:
    """What each route needs to get as far as reading the body."""
    if route == "/telegram":
        return {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    if route == "/viber":
        return {SIGNATURE_HEADER: sign(body, VIBER_TOKEN), "Content-Type": "application/json"}
    return {"Content-Type": "application/json"}


def raw_request(port: int, data: bytes, *, hang_up: bool = False) -> bytes:
    """Send `data` as is; the answer, or b"" when we hang up first."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        if hang_up:
            sock.shutdown(socket.SHUT_RDWR)
            return b""
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
        return answer


def head(route: str, extra: str = "", body: bytes = b"") -> bytes:
    lines = [f"POST {route} HTTP/1.1", "Host: putokaz.test", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers_for(route, body).items()]
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode("latin-1")


ROUTES = ("/telegram", "/viber", "/api/chat")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"action": []}, '"action" must be a string, not array'),
        ({}, '"action" is missing'),
        (["start"], "send a JSON object"),
        ({"action": {"start": 1}}, '"action" must be a string, not object'),
        ({"action": "choose", "option": 7}, '"option" must be a string, not number'),
        ({"action": "choose", "option": "x", "node": []}, '"node" must be a string'),
        ({"action": "start", "payload": True}, '"payload" must be a string, not boolean'),
    ],
)
async def test_web_chat_json_of_the_wrong_shape_is_a_clear_400(
    server: ServerProcess, http: aiohttp.ClientSession, body: object, fragment: str
) -> None:
    async with http.post(f"{server.url}/api/chat", json=body) as response:
        assert response.status == 400
        assert fragment in (await response.json())["error"]


@pytest.mark.parametrize("route", ROUTES)
async def test_deeply_nested_json_is_400_on_every_route(
    server: ServerProcess, http: aiohttp.ClientSession, log: Log, route: str
) -> None:
    depth = 2040  # under the web chat's 4 KB, over Python's recursion limit
    body = b"[" * depth + b"]" * depth
    mark = log.mark()
    async with http.post(f"{server.url}{route}", data=body, headers=headers_for(route, body)) as r:
        assert r.status == 400
    log.one_clean_line(mark, "reason=nesting")


@pytest.mark.parametrize(
    ("route", "status"), [("/telegram", 400), ("/viber", 415), ("/api/chat", 400)]
)
async def test_a_body_labelled_gzip_that_is_not_gzip_is_refused_on_every_route(
    server: ServerProcess, http: aiohttp.ClientSession, log: Log, route: str, status: int
) -> None:
    body = b'{"action": "start"}'
    headers = headers_for(route, body) | {"Content-Encoding": "gzip"}
    mark = log.mark()
    async with http.post(f"{server.url}{route}", data=body, headers=headers) as response:
        assert response.status == status
    log.one_clean_line(mark, f"status={status}")


async def test_web_chat_reads_a_body_that_really_is_gzip(
    server: ServerProcess, http: aiohttp.ClientSession
) -> None:
    body = gzip.compress(json.dumps({"action": "start", "payload": "en"}).encode())
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    async with http.post(f"{server.url}/api/chat", data=body, headers=headers) as response:
        assert response.status == 200
        assert (await response.json())["messages"]


@pytest.mark.parametrize("route", ROUTES)
def test_a_client_hanging_up_mid_body_leaves_one_line_and_no_traceback(
    server: ServerProcess, log: Log, route: str
) -> None:
    start = f'{{"action": "{PLANTED}", '.encode()
    request = head(route, "Content-Length: 500\r\n", start) + start
    mark = log.mark()
    raw_request(server.port, request, hang_up=True)
    log.one_clean_line(mark, "reason=hang_up")


MALFORMED = {
    "broken chunked framing": lambda: (
        head("/api/chat", "Transfer-Encoding: chunked\r\n")
        + f"zz{PLANTED}\r\nhello\r\n0\r\n\r\n".encode()
    ),
    "control byte in a Cookie header": lambda: head(
        "/api/chat", f"Cookie: putokaz_chat={PLANTED}\x01tail\r\n"
    ),
    "header over 8,190 bytes": lambda: head("/api/chat", f"X-Note: {PLANTED}{'a' * 9000}\r\n"),
    "request line with a control byte": lambda: (
        f"POST /api/chat?{PLANTED}\x7f HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_http_is_logged_as_one_line_without_the_request_or_the_address(
    server: ServerProcess, log: Log, case: str
) -> None:
    mark = log.mark()
    answer = raw_request(server.port, MALFORMED[case]())
    status_line = answer.split(b"\r\n")[0]
    assert status_line.startswith(b"HTTP/1.")
    assert b" 400 " in status_line
    assert "error=" in log.one_clean_line(mark, "event=")


def test_broken_chunked_framing_after_the_body_began_is_one_line(
    server: ServerProcess, log: Log
) -> None:
    mark = log.mark()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(head("/api/chat", "Transfer-Encoding: chunked\r\n") + b'5\r\n{"act\r\n')
        time.sleep(0.2)  # the handler is reading the body now
        sock.sendall(f"zz{PLANTED}\r\n".encode())
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            sock.recv(65536)
    log.one_clean_line(mark, "event=")
