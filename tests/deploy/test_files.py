"""deploy/: the systemd unit passes systemd-analyze, compose is YAML that names only files
that exist, the Dockerfile passes hadolint, and .env.example lists every setting."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.system_tools import require

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
UNIT = DEPLOY / "putokaz.service"
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
ENV_EXAMPLE = DEPLOY / ".env.example"
SETTING = re.compile(r"PUTOKAZ_[A-Z][A-Z_]*[A-Z]\b")


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def runnable_unit(directory: Path) -> Path:
    """The unit with ExecStart pointed at a program the test makes (verify checks it)."""
    program = directory / "putokaz"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    original = UNIT.read_text()
    assert original.count("ExecStart=/opt/putokaz/.venv/bin/putokaz serve") == 1
    unit = directory / "putokaz.service"
    unit.write_text(original.replace("/opt/putokaz/.venv/bin/putokaz", str(program)))
    return unit


def test_the_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = require("systemd-analyze")
    unit = runnable_unit(tmp_path)
    result = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    # Unknown keys and bad values are only warnings to verify; here they fail.
    assert "putokaz.service" not in result.stderr, result.stderr


def test_the_unit_is_rated_ok_by_systemd_analyze_security(tmp_path: Path) -> None:
    analyze = require("systemd-analyze")
    unit = runnable_unit(tmp_path)
    result = subprocess.run(
        [analyze, "security", "--offline=true", str(unit)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Overall exposure level for putokaz\.service: ([\d.]+)", result.stdout)
    assert found is not None, result.stdout + result.stderr
    # 0 is locked down, 10 is none of systemd's sandboxing; 1.5 today ("OK").
    assert float(found.group(1)) <= 2.0, result.stdout


def test_the_unit_runs_as_a_dynamic_user_in_a_read_only_system() -> None:
    settings = unit_settings()
    assert settings["DynamicUser"] == ["yes"]
    assert settings["ProtectSystem"] == ["strict"]
    assert settings["StateDirectory"] == ["putokaz"]
    assert settings["StateDirectoryMode"] == ["0700"]
    assert settings["Restart"] == ["on-failure"]
    assert "PUTOKAZ_DATA=/var/lib/putokaz" in settings["Environment"]
    # Stop waits longer than serve's own bound for the updates in flight (20 s).
    assert int(settings["TimeoutStopSec"][0].removesuffix("s")) > 20


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def test_compose_is_yaml_with_two_replicas_redis_in_memory_and_caddy() -> None:
    services = compose()["services"]
    assert set(services) == {"bot", "redis", "proxy"}
    assert services["bot"]["deploy"]["replicas"] == 2
    assert services["bot"]["environment"]["PUTOKAZ_REDIS_URL"] == "redis://redis:6379/0"
    command = services["redis"]["command"]
    assert command[command.index("--save") + 1] == ""
    assert command[command.index("--appendonly") + 1] == "no"
    assert services["proxy"]["image"].startswith("caddy:")
    grace = int(services["bot"]["stop_grace_period"].removesuffix("s"))
    assert grace > 20  # PUTOKAZ_SHUTDOWN_TIMEOUT's default


def test_compose_names_only_files_that_exist() -> None:
    services = compose()["services"]
    build = services["bot"]["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert context == REPO
    assert (context / build["dockerfile"]).is_file()
    binds = [
        volume.split(":")[0]
        for service in services.values()
        for volume in service.get("volumes", [])
        if volume.startswith((".", "/"))
    ]
    assert binds == ["./Caddyfile"]
    for source in binds:
        assert (DEPLOY / source).is_file(), source
    for service in services.values():
        for env_file in service.get("env_file", []):
            # The operator's own settings: made from the example, which must exist.
            assert (DEPLOY / f"{env_file}.example").is_file(), env_file
            assert env_file in (REPO / ".gitignore").read_text().split()


def test_the_dockerfile_copies_only_what_exists_and_bakes_in_no_secret() -> None:
    text = DOCKERFILE.read_text()
    for line in text.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (REPO / source).exists(), f"COPY {source}: no such file"
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    assert re.search(r"^USER [1-9]\d*:[1-9]\d*$", text, re.M)  # numeric and not root
    assert 'VOLUME ["/data"]' in text
    assert "http://127.0.0.1:8080/healthz" in text.split("HEALTHCHECK", 1)[1]
    assert "putokaz i18n compile" in text
    for secret in ("TOKEN", "SECRET", "PEPPER", "PASSWORD"):
        assert not re.search(rf"^(ENV|ARG)\b.*{secret}", text, re.M), secret
    assert ".env" in (REPO / ".dockerignore").read_text().split()


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or shutil.which(
        "hadolint", path=str(Path(sys.executable).parent)
    )
    if hadolint is None:
        pytest.fail("hadolint is not installed — the test extra has it: make test", pytrace=False)
    result = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_env_example_lists_every_setting_the_code_reads() -> None:
    read = {
        name
        for path in (REPO / "bot").rglob("*.py")
        for name in SETTING.findall(path.read_text(encoding="utf-8"))
    }
    listed = set(re.findall(r"^#?(PUTOKAZ_[A-Z_]+)=", ENV_EXAMPLE.read_text(), re.M))
    assert read - listed == set(), "add these to deploy/.env.example"
    assert listed - read == {"PUTOKAZ_DOMAIN"}  # compose's Caddy only


def test_env_example_holds_no_real_secret() -> None:
    for line in ENV_EXAMPLE.read_text().splitlines():
        if re.match(r"#?PUTOKAZ_[A-Z_]*(TOKEN|SECRET|PEPPER)=", line):
            assert line.split("=", 1)[1] == "", line
