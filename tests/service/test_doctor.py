"""`putokaz doctor` against the fake Bot API and Viber API, a real redis-server and the app
itself served over TLS: a healthy set-up, then each thing that can be wrong, with its fix."""

from __future__ import annotations

import dataclasses
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from click.testing import CliRunner

from bot.cli import main
from bot.config import PROJECT_ROOT, Config, load_config
from bot.i18n.commands import compile_catalogs
from bot.service.doctor import Finding, Status, diagnose, healthy
from bot.store.pseudonym import load_pepper
from bot.web.app import create_app
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.viber_api import FakeViberAPI
from tests.support.redis_server import RedisServer
from tests.support.server import free_port
from tests.support.system_tools import require

TOKEN = "123456:DOCTOR-token_for-the-fake"
VIBER_TOKEN = "4c3f1a2b3d4e5f60-doctor-viber-token"
SECRET = "doctor-secret_2Wm"


@dataclass
class World:
    config: Config
    telegram: FakeTelegramAPI
    viber: FakeViberAPI
    redis: RedisServer
    http: aiohttp.ClientSession

    async def findings(self, config: Config | None = None) -> dict[str, Finding]:
        found = await diagnose(config or self.config, self.http)
        return {finding.what: finding for finding in found}


def certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    openssl = require("openssl")
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def compiled_locales(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the catalogs, all compiled (a test may touch one)."""
    locales = tmp_path_factory.mktemp("doctor") / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", locales)
    compile_catalogs(locales)
    return locales


@pytest.fixture
async def world(
    tmp_path: Path, tls: tuple[Path, Path], compiled_locales: Path
) -> AsyncIterator[World]:
    key, cert = tls
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    load_pepper(data)
    locales = compiled_locales
    port = free_port()
    redis = RedisServer(tmp_path / "redis").start()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    client_tls = ssl.create_default_context(cafile=str(cert))
    try:
        async with (
            FakeTelegramAPI(TOKEN) as telegram,
            FakeViberAPI(VIBER_TOKEN) as viber,
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=client_tls)) as http,
        ):
            public = f"https://127.0.0.1:{port}"
            config = load_config(
                env={
                    "PUTOKAZ_DATA": str(data),
                    "PUTOKAZ_LOCALES": str(locales),
                    "PUTOKAZ_PUBLIC_URL": public,
                    "PUTOKAZ_TELEGRAM_TOKEN": TOKEN,
                    "PUTOKAZ_TELEGRAM_SECRET": SECRET,
                    "PUTOKAZ_TELEGRAM_API_URL": telegram.base_url,
                    "PUTOKAZ_VIBER_TOKEN": VIBER_TOKEN,
                    "PUTOKAZ_VIBER_API_URL": viber.base_url,
                    "PUTOKAZ_REDIS_URL": redis.url,
                }
            )
            # Telegram only calls ports 80, 88, 443 and 8443, so the fake's setWebhook would
            # refuse this test port: the registration is put in place as setWebhook leaves it.
            telegram.webhook = {
                "url": f"{public}/telegram",
                "max_connections": 40,
                "ip_address": "127.0.0.1",
                "secret_token": SECRET,
            }
            viber.webhook = f"{public}/viber"
            runner = web.AppRunner(create_app(config))
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port, ssl_context=server_tls).start()
            try:
                yield World(config, telegram, viber, redis, http)
            finally:
                await runner.cleanup()
    finally:
        redis.stop()


async def test_a_healthy_set_up_passes_every_check(world: World) -> None:
    findings = await world.findings()
    assert {what: f.status for what, f in findings.items()} == dict.fromkeys(findings, Status.OK)
    assert set(findings) == {
        "data directory",
        "data directory mode",
        "pepper",
        "catalogs",
        "flows",
        "telegram token",
        "telegram secret",
        "telegram webhook",
        "viber token",
        "viber webhook",
        "public URL",
        "redis",
    }
    assert healthy(list(findings.values()))
    assert "@putokaz_test_bot" in findings["telegram token"].detail


async def test_a_bad_token_is_reported_with_where_to_get_a_new_one(world: World) -> None:
    config = dataclasses.replace(world.config, telegram_token="123456:REVOKED-token")
    finding = (await world.findings(config))["telegram token"]
    assert finding.status is Status.FAIL
    assert "rejected the token (HTTP 401)" in finding.detail
    assert "@BotFather" in finding.fix
    assert "REVOKED" not in finding.detail + finding.fix


async def test_an_unset_webhook_is_reported_with_the_command_that_sets_it(world: World) -> None:
    world.telegram.webhook = {}
    finding = (await world.findings())["telegram webhook"]
    assert finding.status is Status.FAIL
    assert finding.detail.startswith("not set")
    assert finding.fix == "putokaz telegram set-webhook"


async def test_a_webhook_on_another_url_is_reported(world: World) -> None:
    world.telegram.webhook = {**world.telegram.webhook, "url": "https://old.example.org/telegram"}
    finding = (await world.findings())["telegram webhook"]
    assert finding.status is Status.FAIL
    assert "points at https://old.example.org/telegram, not https://127.0.0.1:" in finding.detail
    assert "putokaz telegram set-webhook" in finding.fix


async def test_a_viber_webhook_not_set_is_reported(world: World) -> None:
    world.viber.webhook = ""
    finding = (await world.findings())["viber webhook"]
    assert finding.status is Status.FAIL
    assert finding.fix == "putokaz viber set-webhook"


async def test_an_unwritable_data_dir_is_reported_with_the_fix(world: World) -> None:
    world.config.data_dir.chmod(0o500)
    try:
        findings = await world.findings()
    finally:
        world.config.data_dir.chmod(0o700)
    finding = findings["data directory"]
    assert finding.status is Status.FAIL
    assert "is not writable" in finding.detail
    assert f"chmod 700 {world.config.data_dir}" in finding.fix
    assert findings["data directory mode"].status is Status.FAIL


async def test_a_data_dir_others_can_read_is_reported(world: World) -> None:
    world.config.data_dir.chmod(0o755)
    try:
        finding = (await world.findings())["data directory mode"]
    finally:
        world.config.data_dir.chmod(0o700)
    assert finding.status is Status.FAIL
    assert "mode 0755" in finding.detail
    assert finding.fix == f"chmod 700 {world.config.data_dir}"


async def test_a_pepper_others_can_read_is_reported(world: World) -> None:
    pepper = world.config.data_dir / "pepper"
    pepper.chmod(0o644)
    finding = (await world.findings())["pepper"]
    assert finding.status is Status.FAIL
    assert finding.fix == f"chmod 600 {pepper}"


async def test_redis_down_is_reported_with_the_fix(world: World) -> None:
    nothing_there = f"redis://127.0.0.1:{free_port()}/0"
    config = dataclasses.replace(world.config, redis_url=nothing_there)
    finding = (await world.findings(config))["redis"]
    assert finding.status is Status.FAIL
    assert "does not answer PING" in finding.detail
    assert "start Redis" in finding.fix
    assert "PUTOKAZ_REDIS_URL" in finding.fix


async def test_stale_catalogs_are_reported(world: World, tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(world.config.locales_dir, locales)
    (locales / "fa" / "LC_MESSAGES" / "messages.po").touch()
    config = dataclasses.replace(world.config, locales_dir=locales)
    finding = (await world.findings(config))["catalogs"]
    assert finding.status is Status.FAIL
    assert "fa" in finding.detail
    assert finding.fix.startswith("putokaz i18n compile")


async def test_broken_flows_are_reported_with_their_place(world: World) -> None:
    broken = PROJECT_ROOT / "tests" / "fixtures" / "flows" / "broken" / "missing_target"
    config = dataclasses.replace(world.config, flows_dir=broken)
    finding = (await world.findings(config))["flows"]
    assert finding.status is Status.FAIL
    assert ".yaml:" in finding.detail
    assert "putokaz check" in finding.fix


async def test_an_unreachable_public_url_is_reported(world: World) -> None:
    config = dataclasses.replace(world.config, public_url=f"https://127.0.0.1:{free_port()}")
    findings = await world.findings(config)
    assert findings["public URL"].status is Status.FAIL
    assert "cannot be reached" in findings["public URL"].detail
    assert "DNS" in findings["public URL"].fix
    assert findings["telegram webhook"].status is Status.FAIL  # it points at the old port


def test_the_command_prints_each_finding_with_its_fix_and_exits_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    result = CliRunner().invoke(
        main, ["doctor"], env={"PUTOKAZ_DATA": str(data), "PUTOKAZ_PUBLIC_URL": ""}
    )
    assert result.exit_code == 1, result.output
    assert f"FAIL  data directory mode: {data} has mode 0755" in result.output
    assert f"      fix: chmod 700 {data}" in result.output
    assert "ok    flows:" in result.output


async def test_a_recent_failed_delivery_fails_and_an_old_one_warns(world: World) -> None:
    now = 1_800_000_000.0
    error = "Connection timed out"
    world.telegram.webhook |= {"last_error_date": int(now) - 60, "last_error_message": error}
    found = {f.what: f for f in await diagnose(world.config, world.http, now)}
    recent = found["telegram webhook"]
    assert recent.status is Status.FAIL
    assert f"a delivery failed 1 min ago: {error}" in recent.detail
    assert "DNS" in recent.fix
    world.telegram.webhook["last_error_date"] = int(now) - 3 * 3600
    found = {f.what: f for f in await diagnose(world.config, world.http, now)}
    assert found["telegram webhook"].status is Status.WARN
    assert healthy(list(found.values()))


async def test_redis_recording_another_pepper_is_reported(world: World) -> None:
    assert (await world.findings())["redis"].status is Status.OK  # the app claimed ours
    world.redis.command("SET", "putokaz:pepper", "0123456789abcdef")
    finding = (await world.findings())["redis"]
    assert finding.status is Status.FAIL
    assert "another pepper" in finding.detail
    assert "redis-cli DEL putokaz:pepper" in finding.fix
