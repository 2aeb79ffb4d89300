"""deploy/Caddyfile with a real Caddy (Debian's caddy): it validates, proxies to
`putokaz serve`, keeps /metrics private and logs no client address, port or header."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import ServerProcess, free_port
from tests.support.system_tools import require

CADDYFILE = Path(__file__).resolve().parents[2] / "deploy" / "Caddyfile"
UPSTREAM = "dynamic a bot 8080"
PLANTED_AGENT = "PlantedAgent/7.7 planted_username_q7"


def caddy_env(home: Path, domain: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PUTOKAZ_DOMAIN": domain,
    }


def test_the_caddyfile_is_valid(tmp_path: Path) -> None:
    caddy = require("caddy")
    result = subprocess.run(
        [caddy, "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=caddy_env(tmp_path, "bot.example.org"),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stderr + result.stdout


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`putokaz serve` behind Caddy on loopback (plain HTTP: no certificate to get)."""
    caddy = require("caddy")
    text = CADDYFILE.read_text()
    assert text.count(UPSTREAM) == 1
    with ServerProcess(tmp_path / "data") as server:
        port = free_port()
        config = tmp_path / "Caddyfile"
        config.write_text(text.replace(UPSTREAM, f"dynamic a 127.0.0.1 {server.port}"))
        log = tmp_path / "caddy.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
                env=caddy_env(tmp_path, f"http://127.0.0.1:{port}"),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310
                        break
                except OSError:
                    assert process.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.1)
            yield url, log
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_requests_pass_and_the_access_log_keeps_no_client_address(
    proxied: tuple[str, Path],
) -> None:
    url, log = proxied
    request = urllib.request.Request(  # noqa: S310 -- loopback
        f"{url}/api/chat",
        data=json.dumps({"action": "start"}).encode(),
        headers={
            "Content-Type": "application/json",
            "User-Agent": PLANTED_AGENT,
            "Cookie": "putokaz_chat=planted_username_q7",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert json.loads(response.read())["node"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{url}/metrics", timeout=10)  # noqa: S310
    assert refused.value.code == 404  # Caddy's answer: Putokaz's /metrics never reached

    deadline = time.monotonic() + 10
    while "handled request" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = [
        json.loads(line) for line in log.read_text().splitlines() if '"handled request"' in line
    ]
    chat = next(line for line in lines if line["request"]["uri"] == "/api/chat")
    assert chat["status"] == 200
    assert set(chat["request"]) >= {"method", "uri", "proto"}
    for kept_out in ("remote_ip", "remote_port", "client_ip", "headers", "tls"):
        assert kept_out not in chat["request"], kept_out
    assert "resp_headers" not in chat
    assert "user_id" not in chat
    assert "Planted" not in log.read_text()
    assert "planted" not in log.read_text()
